"""Learner-level rows: one per enrollment of a beneficiary, by first enrollment time, then enrollment id.

The rows come in batches of fixed size, so a listing or an export of any length keeps one batch in
memory. SQLite, and MySQL or MariaDB inside a transaction, read each batch in one query with a
limit, from the index on the first enrollment time. MySQL and MariaDB outside a transaction read
the whole span in one streamed query on a connection of their own. A narrow filter (a region, a
province, a cohort or a restricted scope) is read in one sorted query on SQLite, and on MySQL and
MariaDB as the ids in view first, then their rows.
Unenrolled learners are listed too, with the status ``unenrolled``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import operator
import re
from array import array
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection, connections
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    Func,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from raqmya_reports.registry.models import BeneficiaryProfile, Enrollment

from .errors import UnreadableStoredTime
from .figures import EVERYTHING, Restriction
from .filters import ReportFilters

log = logging.getLogger(__name__)

_PROFILE = "user__raqmya_profile__"
BATCH_SIZE = 5000
# Ids per rows query on MySQL and MariaDB: under MariaDB's default in_predicate_conversion_threshold.
_MYSQL_ID_LIST = 999
# Rows read from the cursor at a time, converted while MySQL or MariaDB sends the next ones. A year's
# learner rows at scale 1 on MariaDB 10.11 (medians of 6 reads): 0.78 to 0.99 s in parts of 300,
# 0.90 to 1.15 s in parts of 1,000, 1.38 to 1.59 s read whole before any conversion.
_FETCH_ROWS = 300
# Seconds MySQL or MariaDB waits for a slow reader of a streamed export before it ends the query
# (``net_write_timeout``, 60 by default), so that a slow write of the file does not cut it.
_STREAM_WRITE_TIMEOUT = 600
# Enrollment ids read from the cursor at a time, for the ids in view of a narrow filter.
_ID_ROWS = 10_000
_FIRST = operator.itemgetter(0)
ENROLLED = "enrolled"
UNENROLLED = "unenrolled"

# Columns of every learner row, then the four that only roles allowed to see identities get.
COLUMNS = (
    "user_id", "region", "province", "sector", "track", "cohort", "course_key", "status", "first_enrolled_at",
    "grade_percent", "passed", "passed_at",
)
IDENTITY_COLUMNS = ("username", "first_name", "last_name", "email")
# A function that writes a time read from the database as ISO 8601 text, and None as None. Its
# ``column`` attribute writes a column of stored text at once, or gives None to leave it to the function.
TimeText = Callable[[object], "str | None"]
# A test of one learner row.
RowTest = Callable[[tuple], bool]
# Places in a row of ``learner_table``, which ends with the enrollment id.
_REGION = COLUMNS.index("region")
_FIRST_ENROLLED_AT = COLUMNS.index("first_enrolled_at")
# The places of the profile's own columns in a learner row, by the name of the profile's field.
_PROFILE_PLACES = {
    "region_id": _REGION, "province_id": COLUMNS.index("province"), "sector": COLUMNS.index("sector"),
    "track": COLUMNS.index("track"),
}


def learner_queryset(filters: ReportFilters, restriction: Restriction = EVERYTHING, since: dt.datetime | None = None):
    """Return the enrollments in view of beneficiaries enrolled in the span, by first enrollment time then id.

    That order is the one of the index on ``first_enrolled_at`` (which ends with the id on SQLite and
    InnoDB). The profiles in view are checked by an EXISTS subquery, not joined. ``since``, a time
    in the span, moves the span's start to it.
    """
    in_view = filters.profile_q() & restriction.profile_q()
    profiles = BeneficiaryProfile.objects.filter(in_view, user_id=OuterRef("user_id"))
    return _enrollments(filters, restriction, since).filter(Exists(profiles))


def _enrollments(filters: ReportFilters, restriction: Restriction, since: dt.datetime | None = None):
    """Return the enrollments of the span in the courses in view, of any user, by first enrollment time then id.

    The query has one lower bound on the time, ``since`` when given, else the span's start. SQLite
    seeks the index to only one of two lower bounds. With the span's start as well, each batch of
    a year's export scanned the index from the year's start (0.4 to 0.6 s a batch at scale 100).
    """
    start, end = filters.span()
    if since is not None:
        start = max(start, since)
    condition = Q(first_enrolled_at__gte=start, first_enrolled_at__lt=end) & restriction.course_q("course__")
    if filters.course:
        condition &= Q(course__course_key=filters.course)
    return Enrollment.objects.filter(condition).order_by("first_enrolled_at", "id")


def learner_table(
    filters: ReportFilters,
    restriction: Restriction = EVERYTHING,
    *,
    identities: bool = False,
    batch_size: int = BATCH_SIZE,
    time_zone: dt.tzinfo | None = None,
) -> Iterator[tuple]:
    """Yield one tuple per enrollment in view: ``COLUMNS`` (then ``IDENTITY_COLUMNS``), then the enrollment id.

    Values are as the database gives them: ``first_enrolled_at`` and ``passed_at`` are aware
    datetimes in UTC, ``passed`` a boolean, ``status`` ``enrolled`` or ``unenrolled``. With
    ``time_zone``, both times are ISO 8601 text in that zone instead, as the exports write them.
    """
    batches = learner_batches(filters, restriction, identities=identities, batch_size=batch_size, time_zone=time_zone)
    # Closed with these rows, so that a stream of them ends its query then.
    with contextlib.closing(batches):
        for batch in batches:
            yield from batch


def learner_batches(
    filters: ReportFilters,
    restriction: Restriction = EVERYTHING,
    *,
    identities: bool = False,
    batch_size: int = BATCH_SIZE,
    time_zone: dt.tzinfo | None = None,
) -> Iterator[list[tuple]]:
    """Yield the rows of ``learner_table`` as lists of at most ``batch_size`` rows, one per batch read."""
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"Invalid batch_size {batch_size!r}: give a whole number of rows, 1 or more "
                         f"({BATCH_SIZE} by default).")
    times = _time_text(time_zone, connection.timezone) if time_zone is not None else None
    if _few_profiles(filters, restriction):
        if connection.vendor != "mysql":
            yield from _sorted_in_view(filters, restriction, batch_size, identities, times)
            return
        ids = _ids_in_view(filters, restriction)
        in_view, row_in_view = _still_in_view(filters, restriction)
        for start in range(0, len(ids), batch_size):
            rows = _rows_in_order(ids[start:start + batch_size].tolist(), identities, filters.year, times,
                                  condition=in_view, row_test=row_in_view)
            if rows:
                yield rows
        return
    # With no condition on profiles, the enrollment table alone picks the batch, so that the
    # database reads it from the index and stops at the batch's end.
    enrollments = learner_queryset if filters.profile_q() or restriction.profile_q() else _enrollments
    if connection.vendor == "mysql" and not connection.in_atomic_block:
        # Another connection would not see what this one's transaction has written.
        yield from _streamed_batches(enrollments(filters, restriction), batch_size, identities, filters.year, times)
        return
    after: tuple[dt.datetime, int] | None = None
    while True:
        if after is None:
            page = enrollments(filters, restriction)
        else:
            # Rows after the last one read, in index order: same time and a larger id, or a later time.
            at, last_id = after
            page = enrollments(filters, restriction, since=at)
            page = page.filter(Q(first_enrolled_at__gt=at) | Q(first_enrolled_at=at, id__gt=last_id))
        rows, more = _batch(page, batch_size, identities, filters.year, times)
        if in_view := _of_beneficiaries(rows):
            yield in_view
        if not more:
            return
        if rows:
            after = (_seek_time(rows[-1]), rows[-1][-1])


def _seek_time(row: tuple) -> dt.datetime:
    """Return the first enrollment time of the learner ``row`` that ends a batch, from which the next batch starts.

    A MySQL zero date ("2026-00-00 00:00:00", which Django never writes) is read as ``None``, and
    no batch can start after it: ``UnreadableStoredTime`` names the enrollment to correct.
    """
    at = row[_FIRST_ENROLLED_AT]
    if at is None:
        raise UnreadableStoredTime(
            _("Enrollment %(id)s has a first enrollment time that the database driver cannot read, such as the "
              "zero date '0000-00-00 00:00:00', so the learner list cannot go past it. Set its first_enrolled_at to "
              "the time of the enrollment, or export outside a transaction, where the list is read in one query.")
            % {"id": row[-1]}
        )
    return at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(at)


def _few_profiles(filters: ReportFilters, restriction: Restriction) -> bool:
    """Return whether the profiles in view are a small part of the programme: one region, province or cohort at most.

    So are those of a restricted scope (regions, provinces or the learners of some courses).
    A track, a sector or a phase keeps a large part, which the batches of the time index read best.
    """
    return bool(filters.region or filters.province or filters.cohort or restriction.profile_q())


def _still_in_view(filters: ReportFilters, restriction: Restriction) -> tuple[Q, RowTest | None]:
    """Return how the rows read after their ids are checked to be in view: a condition, and a test of each row.

    A profile moved out of view since the ids were read is then left out. MySQL and MariaDB join
    the rows from the listed enrollments (``STRAIGHT_JOIN``), so the condition is on the joined
    profile. SQLite, given that condition, started from the profiles' index on the region and
    probed the list of 5,000 ids for each profile: one region's export at scale 10 took 537 s
    against 2.2 s. There, a condition on the profile's region, province, sector or track alone
    (a province operator's, say) is a test of the row's own columns, read from the joined
    profile (``_row_test``). Any other is an EXISTS, checked for each listed enrollment. At scale
    10, one province's rows took 173 ms to read without the EXISTS and 194 ms with it.
    """
    if connection.vendor == "mysql":
        return _joined_profile_q(filters, restriction), None
    in_view = filters.profile_q() & restriction.profile_q()
    test = _row_test(in_view)
    if test is not None:
        return Q(), test
    return Q(Exists(BeneficiaryProfile.objects.filter(in_view, user_id=OuterRef("user_id")))), None


def _row_test(condition: Q) -> RowTest | None:
    """Return a test that a learner row's profile columns meet ``condition``, a condition on ``BeneficiaryProfile``.

    Only equality and ``in`` on the region, province, sector or track, with text values, and the
    empty ``pk__in`` that matches nothing, joined by AND or OR, can be tested on the row. An empty
    condition matches every row. Any other condition gives ``None``: an expression, an empty
    condition inside another (Django leaves it out of the SQL), or a negated one (SQL leaves out a
    row whose column is NULL under NOT, where Python would keep it). SQLite compares text byte by
    byte, as Python does.
    """
    if condition.negated or condition.connector not in (Q.AND, Q.OR):
        return None
    if not condition.children:
        return lambda row: True  # Django reads an empty condition as no condition.
    tests = []
    for child in condition.children:
        if isinstance(child, Q) and child.children:
            test = _row_test(child)
        elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
            test = _lookup_test(*child)
        else:
            # An expression, or an empty condition, which Django leaves out of the SQL around it.
            return None
        if test is None:
            return None
        tests.append(test)
    if len(tests) == 1:
        return tests[0]
    if condition.connector == Q.AND:
        return lambda row: all(test(row) for test in tests)
    return lambda row: any(test(row) for test in tests)


def _lookup_test(lookup: str, value: object) -> RowTest | None:
    """Return a test of one ``lookup`` of ``_row_test`` on a learner row, or ``None`` for any other lookup."""
    field, _separator, kind = lookup.partition("__")
    listed = isinstance(value, (list, tuple, set, frozenset))
    if field == "pk" and kind == "in" and listed and not value:
        return lambda row: False
    place = _PROFILE_PLACES.get(field)
    if place is None:
        return None
    if kind == "" and isinstance(value, str):
        return lambda row: row[place] == value
    if kind == "in" and listed and all(isinstance(item, str) for item in value):
        accepted = frozenset(value)
        return lambda row: row[place] in accepted
    return None


def _ids_in_view(filters: ReportFilters, restriction: Restriction) -> array:
    """Return the ids of the enrollments in view, by first enrollment time then id, read in one query.

    For MySQL and MariaDB, whose rows are then read by id (SQLite reads the rows in one query,
    ``_sorted_in_view``). The users in view are an ``IN`` subquery, so the database may start
    from the profiles (by the index on the region or province, or all of them), read their
    enrollments and sort them. The batches of the time index read every enrollment of the span,
    whatever the filter. At scale 10 of ``benchmarks/generate.py`` (two reads of each code, in one
    process), MariaDB 10.11 read the smallest region's 3,362 rows in 0.13 s from these ids, against
    0.70 to 0.81 s through the time index. It read the 14,398 rows of the province of Casablanca in
    0.52 s against 1.06 s, and the largest region's 125,549 rows in 2.3 to 2.5 s against 2.8 to
    2.9 s. The ids are kept as 8-byte integers: about 10 MB for the largest region at scale 100.
    """
    queryset = _ids_query(filters, restriction)
    ids = array("q")
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # Django sends no query for a condition that no row can meet.
        return ids
    with _unbuffered_cursor(compiler.connection) as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(_ID_ROWS):
            ids.extend(map(_FIRST, rows))
    return ids


def _ids_query(filters: ReportFilters, restriction: Restriction):
    """Return the query of ``_ids_in_view``: the ids of the span's enrollments of the users in view, in order."""
    return _in_view(filters, restriction).values_list("id", flat=True)


def _in_view(filters: ReportFilters, restriction: Restriction):
    """Return the span's enrollments of the users in view, by first enrollment time then id, the users a subquery."""
    users = BeneficiaryProfile.objects.filter(filters.profile_q() & restriction.profile_q()).values("user_id")
    return _enrollments(filters, restriction).filter(user_id__in=users)


def _joined_profile_q(filters: ReportFilters, restriction: Restriction) -> Q:
    """Return the condition on the profile that the learner rows join, of ``filters`` and ``restriction``."""
    return filters.profile_q(_PROFILE) & restriction.profile_q(_PROFILE)


def _sorted_in_view(filters: ReportFilters, restriction: Restriction, size: int, identities: bool,
                    times: TimeText | None) -> Iterator[list[tuple]]:
    """Yield the learner rows of one region, province or cohort, or of a restricted scope, in batches of ``size``.

    For SQLite, which reads them in one query: the profiles in view by their index, their
    enrollments by user, then a sort by first enrollment time and id. The rows are those of the
    query's start, so none needs to be checked again. Both reads ran at scale 10 of
    ``benchmarks/generate.py``, three of each code in turns, in one process, times as text. The
    province of Casablanca's 14,398 rows took 0.13 s in one query, against 0.25 s as ids first and
    then rows by id. The smallest region's 3,362 rows took 0.035 s against 0.060 s, and the
    largest region's 125,549 rows 0.97 s against 1.81 s. On MySQL and MariaDB, ``STRAIGHT_JOIN``
    joins from the enrollments, so the ids are read first there (``_ids_in_view``).
    The profile's own conditions (region, province, track, sector) are on the profile that the
    rows join, so SQLite reads each profile once. ``_in_view`` makes them an ``IN`` subquery of
    the users in view. A cohort's or phase's members, and the learners of course staff's courses,
    are subqueries in both. At scale 10, with both forms read in turns in one process (SQLite
    3.40), one province's 14,398 rows took 86 ms against 96 ms (medians of 5). The largest
    region's 125,549 rows took 656 ms against 713 ms (medians of 3), and the learners of three
    courses, in their course staff's scope, 79 ms against 90 ms. Both forms gave the same rows.
    """
    in_view = _enrollments(filters, restriction).filter(_joined_profile_q(filters, restriction))
    parts = _fetched_parts(_values(in_view, identities, filters.year), times)
    # Closed with the batches, so that the cursor is closed when the caller stops early.
    with contextlib.closing(parts):
        yield from _cut(parts, size)


def _batch(page, size: int, identities: bool, year: int, times: TimeText | None) -> tuple[list, bool]:
    """Read the rows of the first ``size`` enrollments of ``page`` in one query with a limit.

    For SQLite, and for MySQL and MariaDB inside a transaction (see ``_streamed_batches``). The
    database reads the enrollments' time index in order (on MySQL and MariaDB with
    ``STRAIGHT_JOIN``, see ``_fetched``), joins each enrollment, and stops at the limit, so no
    batch sorts. Reading one row past the batch shows whether another batch follows, so the end
    costs no empty read. A year's learner rows at scale 1 on MariaDB 10.11 took 0.9 to 1.0 s,
    against 1.4 to 1.8 s with an ids query and rows queries by id. SQLite 3.40 has the same plan:
    a search of the time index, then each table by its key. There a CSV export took 0.93 to 0.95 s,
    against 0.96 to 1.02 s with the ids query (three child processes each, in turns).
    Here the profiles in view are those of a track, a sector or a phase, because narrower filters
    are read otherwise (``_sorted_in_view`` on SQLite, ``_ids_in_view`` on MySQL and MariaDB).
    Their EXISTS becomes, on MariaDB, a table of their users made once per batch, and on SQLite a
    subquery per enrollment. When regions were read so, at scale 10 on MariaDB, one region's rows
    took 1.0 to 1.5 s for the smallest region (3,362 rows) and 4.9 to 5.3 s for the largest
    (125,549 rows). With the same conditions on the joined
    profile row, they took 3.0 to 3.1 s and 5.7 to 6.2 s: MariaDB then filtered the profiles by
    the region's index for each batch.

    NOTE: only MariaDB 10.11 was measured. MySQL 8's plan for the EXISTS under ``STRAIGHT_JOIN``
    was not checked.
    """
    rows = _fetched(_values(page, identities, year)[:size + 1], times)
    more = len(rows) > size
    del rows[size:]
    return rows, more


def _rows_in_order(
    ids: list[int], identities: bool, year: int, times: TimeText | None = None, *, condition: Q = Q(),
    row_test: RowTest | None = None,
) -> list[tuple]:
    """Return the learner rows of the enrollments ``ids``, in the order of ``ids``, times as ``times`` writes them.

    The database returns them in any order, and each is put back at its id's place, which saves a
    sort. An id without a row is an enrollment deleted after its id was read, or one that no
    longer meets ``condition`` or ``row_test``, and is left out.
    """
    if not ids:
        return []
    rows = {}
    # On MySQL and MariaDB the join starts from the listed enrollments (see ``_fetched``), and a
    # list under the server's in_predicate_conversion_threshold (1,000 by default) stays a range
    # on the primary key. A longer one becomes a table of values that MariaDB then probes once
    # per enrollment of the whole table (4 s a batch at scale 100).
    size = _MYSQL_ID_LIST if connection.vendor == "mysql" else len(ids)
    for start in range(0, len(ids), size):
        queryset = _values(Enrollment.objects.filter(_id_in(ids[start:start + size]), condition), identities, year)
        found = _fetched(queryset, times)
        rows.update((row[-1], row) for row in (filter(row_test, found) if row_test is not None else found))
    return [rows[number] for number in ids if number in rows]


def _fetched(queryset, times: TimeText | None = None) -> list[tuple]:
    """Return the rows of the ``values_list`` ``queryset`` as Django would, converting times and booleans here.

    Django's own converters took a quarter of a CSV export's time, because each time went through
    three calls and a settings lookup. Where Django would apply only its backend's time or boolean
    converter, one local function gives the same value: an aware time in the connection's zone,
    or ``True`` or ``False``. Any other converter is Django's own. With ``times``, the times are
    its ISO 8601 text instead. MySQL and MariaDB join the tables in the order of the SQL
    (``STRAIGHT_JOIN``), from the queryset's own table.
    """
    converted: list[tuple] = []
    for part in _fetched_parts(queryset, times):
        converted += part
    return converted


def _fetched_parts(queryset, times: TimeText | None = None, database=None) -> Iterator[list[tuple]]:
    """Yield the rows of ``_fetched`` in parts of ``_FETCH_ROWS``, read on ``database`` (the queryset's by default)."""
    # Django's ``using`` takes precedence over ``connection``.
    compiler = (queryset.query.get_compiler(connection=database) if database is not None
                else queryset.query.get_compiler(using=queryset.db))
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # Django sends no query for a condition that no row can meet.
        return
    if compiler.connection.vendor == "mysql":
        # Left to choose, MariaDB 10.11 started the learner rows from the 173 courses on freshly
        # loaded tables and read every enrollment for each batch: 0.57 s a batch at scale 1.
        sql = "SELECT STRAIGHT_JOIN " + sql.removeprefix("SELECT ")
    expressions = [selected[0] for selected in compiler.select[:compiler.col_count]]
    found = compiler.get_converters(expressions)
    steps = [(index, _converter(converters, expression, compiler.connection, times))
             for index, (converters, expression) in found.items()]
    # The columns whose times are converted here, from text as well as from a datetime.
    ours = {index for index, (converters, _expression) in found.items()
            if _converts_time(converters, compiler.connection)}
    times_as_text = all(index in ours for index, expression in enumerate(expressions)
                        if isinstance(expression.output_field, DateTimeField))
    # MySQLdb gives a DATETIME it cannot read as None: the zero date "0000-00-00 00:00:00", which
    # MariaDB's default sql_mode accepts, or a date with a zero month or day. Read as text, such a
    # time is None as well.
    unreadable_as_none = ours if times_as_text and compiler.connection.vendor == "mysql" else set()
    # The cursor is closed when the rows are all read, or when the caller closes this generator.
    with _unbuffered_cursor(  # pylint: disable=contextmanager-generator-missing-cleanup
        compiler.connection, times_as_text=times_as_text
    ) as cursor:
        cursor.execute(sql, params)
        # Read in parts: on MySQL and MariaDB the server goes on sending rows while a part is converted.
        while rows := cursor.fetchmany(_FETCH_ROWS):
            yield _converted(rows, steps, unreadable_as_none)


def _streamed_batches(page, size: int, identities: bool, year: int, times: TimeText | None) -> Iterator[list]:
    """Yield the learner rows of ``page`` in batches of ``size``, read by one query on a connection of its own.

    For MySQL and MariaDB outside a transaction. The server then sends the span's rows while the
    caller writes the batches before, as ``csv.writer`` over one cursor does. Read batch by batch
    (``_batch``), the server waited while each batch was written, and the next query waited for
    the server. Child-process CSV exports on MariaDB 10.11, three of each code in turns, took 1.14
    to 1.23 s by batches and 0.75 to 0.79 s streamed at scale 1 of ``benchmarks/generate.py``
    (raw writer 0.46 to 0.72 s). At scale 10 they took 11.3 to 11.6 s against 7.3 to 7.8 s (raw
    writer 4.7 to 5.5 s). The caller may query the database while a batch is in its hands: its
    own connection is free. The server waits up to ``_STREAM_WRITE_TIMEOUT`` seconds for a slow
    reader. The rows are those of the query's start (InnoDB's consistent read): an enrollment
    deleted during the export is still listed. When the reader stops early (an error, or a time
    limit), the stream's query is ended first (``_end_query``), so that closing the cursor does
    not read the rest of the result: at scale 10, that read took 8 s after the first batch.
    """
    stream = connections.create_connection(page.db)
    try:
        with stream.cursor() as cursor:
            cursor.execute("SET SESSION net_write_timeout = %s", [_STREAM_WRITE_TIMEOUT])
        # The parts' cursor is closed before the connection, also when the caller stops early.
        with contextlib.closing(_fetched_parts(_values(page, identities, year), times, stream)) as parts:
            try:
                yield from _cut(parts, size)
            except BaseException:  # GeneratorExit when the caller closes the batches, or its own error
                _end_query(stream, page.db)
                raise
    finally:
        stream.close()


def _end_query(stream, database: str) -> None:
    """End the query that ``stream`` is sending rows of, with ``KILL QUERY`` sent on the ``database`` connection.

    MySQLdb reads every row left when an unbuffered cursor closes, and a user may end their own
    queries. Where the query cannot be ended (no privilege, or the connection is gone), the cursor
    reads the rest as before, and the error is logged.
    """
    thread = stream.connection.thread_id() if stream.connection is not None else None
    if thread is None:
        return
    try:
        with connections[database].cursor() as cursor:
            cursor.execute("KILL QUERY %s", [thread])
    except DatabaseError as error:
        log.warning("Failed to end the learner stream's query (connection %s), so its remaining rows are read: %s",
                    thread, error)


def _cut(parts: Iterable[list[tuple]], size: int) -> Iterator[list[tuple]]:
    """Yield the rows of ``parts`` in batches of ``size`` rows read, each without the rows of non-beneficiaries."""
    batch: list[tuple] = []
    for part in parts:
        batch += part
        while len(batch) >= size:
            if in_view := _of_beneficiaries(batch[:size]):
                yield in_view
            del batch[:size]
    if in_view := _of_beneficiaries(batch):
        yield in_view


def _of_beneficiaries(rows: list[tuple]) -> list[tuple]:
    """Return the learner rows that have a region, those of beneficiaries.

    A profile always has a region, so a row without one is of a user who is not a beneficiary.
    """
    return [row for row in rows if row[_REGION] is not None]


def _converted(rows, steps: list, unreadable_as_none: set[int] | frozenset[int] = frozenset()) -> list[tuple]:
    """Return ``rows`` with each ``(index, convert)`` of ``steps`` applied to its column.

    In the columns of ``unreadable_as_none``, a value that ``convert`` rejects with ``ValueError``
    becomes ``None``.
    """
    if not steps:
        return list(rows)
    # Column by column: rows are taken apart and put together again by ``zip``, in C, and a
    # boolean column is converted by ``dict.get``. Row by row it took twice as long.
    columns = list(zip(*rows))
    for index, convert in steps:
        column = columns[index]
        if convert is _boolean:
            columns[index] = map(_BOOLEANS.get, column, column)
        elif (whole := getattr(convert, "column", None)) is not None and (texts := whole(column)) is not None:
            columns[index] = texts
        elif index in unreadable_as_none:
            columns[index] = _converted_or_none(convert, column)
        else:
            columns[index] = map(convert, column)
    return list(zip(*columns))


def _converted_or_none(convert: Callable[[object], object], column: tuple) -> list:
    """Return ``column`` through ``convert``, with ``None`` for each value it rejects with ``ValueError``."""
    try:
        return list(map(convert, column))
    except ValueError:
        converted = []
        for value in column:
            try:
                converted.append(convert(value))
            except ValueError:
                converted.append(None)
        return converted


@contextlib.contextmanager
def _unbuffered_cursor(database, *, times_as_text: bool = False) -> Iterator:
    """Yield a cursor of ``database`` that reads the rows from the server as they are fetched.

    On MySQL and MariaDB that is MySQLdb's ``SSCursor``, wrapped as Django wraps its own cursors
    (error mapping, execute wrappers, the query log when it is on). Reading a year's learner rows
    at scale 1 on MariaDB 10.11 took 0.44 s with it and 0.60 to 0.65 s with the default cursor,
    which stores the whole result first. With ``times_as_text``, DATETIME columns come as the
    server's text, "2026-01-01 13:24:03.941498". Other databases get their usual cursor.
    """
    if database.vendor != "mysql":
        with database.cursor() as cursor:
            yield cursor
        return
    # Imported here: MySQLdb is installed only where MySQL or MariaDB is used.
    from django.db.backends.mysql.base import CursorWrapper  # pylint: disable=import-outside-toplevel
    from MySQLdb.cursors import SSCursor  # pylint: disable=import-outside-toplevel

    database.ensure_connection()
    with database.wrap_database_errors:
        raw = CursorWrapper(database.connection.cursor(_TimesAsTextCursor if times_as_text else SSCursor))
    wrap = database.make_debug_cursor if database.queries_logged else database.make_cursor
    with wrap(raw) as cursor:
        yield cursor


def _times_as_text_cursor_class():
    """Return MySQLdb's ``SSCursor`` with DATETIME columns read as text, or ``None`` where MySQLdb is missing.

    MySQLdb turns each DATETIME into a ``datetime`` with a Python function (``DateTime_or_None``),
    which was the largest item of a MariaDB export's profile: 0.6 s of 4.2 s under cProfile at
    scale 1, for 96,000 times. Read as text, its C code decodes them, and ``datetime.fromisoformat`` parses them.
    """
    try:
        from MySQLdb.constants import FIELD_TYPE  # pylint: disable=import-outside-toplevel
        from MySQLdb.cursors import SSCursor  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None

    class TimesAsTextCursor(SSCursor):
        """An ``SSCursor`` whose results give DATETIME columns as ``str``."""

        def _get_result(self):
            # A result takes its converters from the connection when it is made, so the
            # connection's own are put back at once.
            database = self._get_db()
            converters = database.converter
            database.converter = {**converters, FIELD_TYPE.DATETIME: str}
            try:
                return super()._get_result()
            finally:
                database.converter = converters

    return TimesAsTextCursor


_TimesAsTextCursor = _times_as_text_cursor_class()
_BOOLEANS = {0: False, 1: True}
_HOUR = dt.timedelta(hours=1)
# The hours of a day as stored text writes them, "00" to "23", and their numbers.
_HOUR_TEXTS = tuple(f"{hour:02d}" for hour in range(24))
_HOURS = {text: hour for hour, text in enumerate(_HOUR_TEXTS)}
# The minutes and seconds of stored text, ":00:00" to ":59:59".
_MINUTES_SECONDS = frozenset(f":{minute:02d}:{second:02d}" for minute in range(60) for second in range(60))
# Slices of stored text such as "2026-01-01 13:24:03.941498": the date and hour, the rest, the minutes
# and seconds, and the fraction.
_UP_TO_HOUR = operator.itemgetter(slice(0, 13))
_AFTER_HOUR = operator.itemgetter(slice(13, None))
# The parts after the hour of a column of stored times, each followed by a line feed: minutes and
# seconds, then a fraction of six ASCII digits or none.
_TIME_RESTS = re.compile(r"(?::[0-5][0-9]:[0-5][0-9](?:\.[0-9]{6})?\n)*")


def _time_text(zone: dt.tzinfo, stored: dt.tzinfo) -> TimeText:
    """Return a function that writes a time read from the database, stored in ``stored``, as ISO 8601 text in ``zone``.

    The function gives what ``aware.astimezone(zone).isoformat()`` gives. That call took 2.1 µs a
    time on Python 3.12, from a naive UTC datetime, mostly in ``replace(tzinfo=...)`` and in the
    offset that ``isoformat`` looks up again. Here the zone's offset is looked up once for each
    day of UTC, at its start (00:00 UTC). When the next day starts with the same offset, the whole
    day has it, because no zone changes its offset twice within a day. In the tz database 2026f,
    two changes of one zone are at least 95 hours apart (all 599 zones read). A time of that day
    is then the naive sum with the offset's text appended (0.6 µs). Times are converted one by one
    on a day with a change (three in 2026 in Casablanca, and none after in the tz database 2026f),
    on a day whose next day starts with a change, and for any stored zone other than UTC. Each
    day's start is looked up once and serves that day and the day before. The 336 days of one
    province's first enrollment and pass times at scale 1 took 1.2 ms to learn, against 1.6 ms
    when the first and last microsecond of each day were looked up.
    Stored text is read by hour of UTC instead: on a day of one offset, a whole number of hours,
    the text's date and hour are replaced and its minutes, seconds and fraction kept. The first
    time of an hour adds the day's offset, in whole hours, to the hour's number, and the offset is
    looked up once per date. That pays where hours repeat. At scale 1 of ``benchmarks/generate.py``,
    the year's 60,058 first enrollment times fall in 8,068 hours, and took 35 ms against 78 ms for
    ``astimezone(zone).isoformat()`` on each parsed time (medians of 7, in parts of 300 as the rows
    are read). One province's 1,454 first enrollment times fall in 1,277 hours of 331 days, and
    took 2.4 ms against 1.9 ms (medians of 15). Both were timed in one process. The minutes,
    seconds and fraction of each time are checked before they are copied. So text that is not a
    time is parsed whole, and ``fromisoformat`` raises ``ValueError`` for it.
    """
    by_day: dict[int, tuple[dt.timedelta, str] | None] = {}
    start_offset = functools.cache(functools.partial(_offset_at_start, zone))
    by_hour: dict[str, tuple[str, str] | None] = {}
    by_date: dict[str, tuple[int, str, int] | None] = {}
    from_utc = stored == dt.timezone.utc

    def exact(value: dt.datetime) -> str:
        if value.tzinfo is None:
            value = value.replace(tzinfo=stored)
        try:
            return value.astimezone(zone).isoformat()
        except OverflowError:
            # The local time is before year 1 or after year 9999, which datetime cannot represent,
            # so the same moment is written in UTC.
            return value.astimezone(dt.timezone.utc).isoformat()

    def day_shift(day: int) -> tuple[dt.timedelta, str] | None:
        # One change between this day's start and the next day's would make their offsets differ,
        # and two cannot fit in a day. A change at the next day's start sends this day to ``exact``.
        offset = start_offset(day)
        if offset is None or offset != start_offset(day + 1):
            return None
        return offset, _offset_text(offset)

    def hour_shift(hour: str) -> tuple[str, str] | None:
        # ``hour`` is "2026-01-01 13". On a day of one offset, a whole number of hours, give the
        # local hour "2026-01-01T14" and the offset "+01:00".
        date = hour[:10]
        shift = by_date.get(date, False)
        if shift is False:
            shift = by_date[date] = date_shift(date)
        utc_hour = _HOURS.get(hour[11:13])
        if shift is None or utc_hour is None:
            return None
        hours, written, day = shift
        days_later, local_hour = divmod(utc_hour + hours, 24)
        if days_later:
            try:
                date = dt.date.fromordinal(day + days_later).isoformat()
            except (ValueError, OverflowError):  # Before the first or after the last day Python writes.
                return None
        return date + "T" + _HOUR_TEXTS[local_hour], written

    def date_shift(date: str) -> tuple[int, str, int] | None:
        # ``date`` is "2026-01-01". On a day of one offset, a whole number of hours, give that
        # number, the offset's text and the day's ordinal.
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            return None
        shift = day_of(day.toordinal()) if day.isoformat() == date else None
        if shift is None or (hours := _whole_hours(shift[0])) is None:
            return None
        return hours, shift[1], day.toordinal()

    def day_of(day: int) -> tuple[dt.timedelta, str] | None:
        shift = by_day.get(day, False)
        if shift is False:
            shift = by_day[day] = day_shift(day)
        return shift

    def text(value):
        # SQLite and, for the cursors of ``_unbuffered_cursor``, MySQLdb give the stored text:
        # "2026-01-01 13:24:03" or "2026-01-01 13:24:03.941498". Read by hour, it is rewritten
        # without being parsed: 60,000 times took 0.07 s as text and 0.08 s as datetimes. SQLite
        # may also give a naive datetime for a column it parses itself, and MySQLdb's other
        # cursors give naive datetimes.
        if value is None:
            return None
        if value.__class__ is str:
            if from_utc and (len(value) == 19 or (len(value) == 26 and value[19] == ".")) and value[10] == " ":
                hour = value[:13]
                shift = by_hour.get(hour, False)
                if shift is False:
                    shift = by_hour[hour] = hour_shift(hour)
                # The minutes and seconds, and the fraction's six digits, are checked before they
                # are copied. Any other text is parsed below, which raises ValueError if it is not a time.
                minutes_seconds, fraction = value[13:19], value[19:]
                if shift is not None and minutes_seconds in _MINUTES_SECONDS and (
                        not fraction or (fraction.isascii() and fraction[1:].isdigit())):
                    # isoformat writes no fraction for a whole second, MariaDB writes ".000000".
                    return shift[0] + minutes_seconds + ("" if fraction == ".000000" else fraction) + shift[1]
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is not None or not from_utc:
            return exact(value)
        shift = day_of(value.toordinal())
        if shift is None:
            return exact(value)
        return (value + shift[0]).isoformat() + shift[1]

    text.column = _column_writer(text, hour_shift) if from_utc else (lambda values: None)
    return text


def _column_writer(text: TimeText, hour_shift: Callable[[str], tuple[str, str] | None]) -> Callable:
    """Return the ``column`` function of ``_time_text``'s ``text``, for times stored in UTC.

    ``column`` converts a column of stored text with ``map`` calls, where ``text`` makes one call
    per time. ``hour_shift`` gives the local date and hour and the offset's text of an hour of stored
    text ("2026-01-01 13"), or None for a day with a change of offset or a text that is not a date.
    The parts of a column's times after their hours are checked in one match of ``_TIME_RESTS``,
    where a check of minutes, seconds and fraction apart took two more slices per time
    (``docs/benchmarks.md`` gives an ad-hoc timing of both).
    """
    local_hours: dict[str, str] = {}
    offsets: dict[str, str] = {}

    def column(values) -> list | None:
        # Each value is checked as ``text`` checks it. The times of hours that ``hour_shift`` cannot
        # convert go through ``text``. None, when a value is not stored text, tells the caller to
        # convert the column value by value.
        present = [value for value in values if value is not None]
        if not present:
            return list(values)
        if set(map(type, present)) - {str} or set(map(len, present)) - {19, 26}:
            return None
        hours = list(map(_UP_TO_HOUR, present))
        for hour in set(hours).difference(local_hours):
            if hour[10] != " " or hour[11:13] not in _HOURS:
                return None
            shift = hour_shift(hour)
            local_hours[hour], offsets[hour] = shift if shift is not None else ("", "")
        rests = list(map(_AFTER_HOUR, present))
        joined = "\n".join(rests) + "\n"
        # A line feed inside a stored text could split its part in two that each match, so the line
        # feeds are counted. isoformat writes no fraction for a whole second, where MariaDB writes ".000000".
        if (_TIME_RESTS.fullmatch(joined) is None or joined.count("\n") != len(rests)
                or ".000000" in joined):
            return None
        chosen = list(map(local_hours.__getitem__, hours))
        if "" in chosen:
            try:
                texts = [local + rest + offsets[hour] if local else text(value)
                         for value, local, rest, hour in zip(present, chosen, rests, hours)]
            except (ValueError, OverflowError):  # not a time, so the caller converts value by value
                return None
        else:
            texts = list(map(operator.add, map(operator.add, chosen, rests), map(offsets.__getitem__, hours)))
        if len(present) == len(values):
            return texts
        following = iter(texts).__next__
        return [None if value is None else following() for value in values]

    return column


def _offset_at_start(zone: dt.tzinfo, day: int) -> dt.timedelta | None:
    """Return the offset of ``zone`` at 00:00 UTC of the day of ordinal ``day``, or None outside datetime's range."""
    try:
        start = dt.datetime.combine(dt.date.fromordinal(day), dt.time(), tzinfo=dt.timezone.utc)
        return start.astimezone(zone).utcoffset()
    except (ValueError, OverflowError):  # The day, or its local time, is before year 1 or after year 9999.
        return None


@functools.lru_cache(maxsize=64)
def _whole_hours(offset: dt.timedelta) -> int | None:
    """Return ``offset`` in hours, or None when it is not a whole number of hours.

    Cached, because timedelta's ``%`` and ``//`` took 0.36 and 0.26 µs and a cached call 0.07 µs (timeit).
    """
    return None if offset % _HOUR else offset // _HOUR


@functools.lru_cache(maxsize=64)
def _offset_text(offset: dt.timedelta) -> str:
    """Return ``offset`` as ``isoformat`` writes it after a time: "+01:00", or "-00:30:20" for one with seconds."""
    moment = dt.datetime(2000, 1, 1, tzinfo=dt.timezone(offset))
    return moment.isoformat()[len(moment.replace(tzinfo=None).isoformat()):]


def _converter(converters: list, expression, database, times: TimeText | None = None) -> Callable[[object], object]:
    """Return one function that converts a value of ``expression`` as Django's ``converters`` would on ``database``.

    With ``times``, a time becomes the text that ``times`` writes.
    """
    ops = database.ops
    if _converts_time(converters, database):
        if times is not None:
            return times
        zone = database.timezone
        # Parsing the text with "+00:00" appended took a sixth of the time of parsing it and then
        # calling ``replace(tzinfo=...)``, measured with timeit on Python 3.12.
        offset = "+00:00" if zone == dt.timezone.utc else ""

        def aware(value):
            # SQLite returns ISO 8601 text, or a naive datetime for a column it parses itself.
            # MySQLdb returns a naive datetime. Each of them is a time in ``zone``.
            if value is None:
                return None
            if value.__class__ is str:
                if offset:
                    try:
                        return dt.datetime.fromisoformat(value + offset)
                    except ValueError:
                        pass  # The text has its own offset.
                value = dt.datetime.fromisoformat(value)
            return value if value.tzinfo is not None else value.replace(tzinfo=zone)

        return aware
    if converters == [getattr(ops, "convert_booleanfield_value", None)]:
        return _boolean

    def with_django(value):
        for convert in converters:
            value = convert(value, expression, database)
        return value

    return with_django


def _boolean(value):
    """Return ``True`` for 1 and ``False`` for 0, and any other value as it is, as Django's MySQL backend does."""
    return _BOOLEANS.get(value, value)


def _converts_time(converters: list, database) -> bool:
    """Return whether Django's ``converters`` only make an aware time, which ``_converter`` does itself."""
    return settings.USE_TZ and converters == [database.ops.convert_datetimefield_value]


def _id_in(ids: list[int]) -> Q:
    """Return the condition that the enrollment id is one of ``ids``, as an ``IN`` lookup on the id.

    On MySQL and MariaDB the ids are written into the SQL: as 5,000 query parameters, they took the
    ORM and MySQLdb about 10 ms a batch. Each id is an integer key read from the enrollment table,
    and ``int`` checks it again. SQLite gets them as parameters, so every full batch has the same
    statement text. Python's sqlite3 keeps the last 128 compiled statements by their text, and
    with the ids in the text each batch kept one of about 0.5 MB (63 MB more at scale 10 than at 1).
    The list is the right side of Django's ``in`` lookup: as a boolean expression of its own,
    Django wrote ``(id IN (...)) = 1`` for MySQL, which MariaDB 10.11 cannot read from an index,
    so it read every enrollment through the course index for each batch (1.5 s a batch at scale 100).
    """
    if connection.vendor == "sqlite":
        return Q(id__in=RawSQL(",".join("%s" for _number in ids), tuple(ids)))
    return Q(id__in=RawSQL(",".join(str(int(number)) for number in ids), ()))


def learner_rows(
    filters: ReportFilters,
    restriction: Restriction = EVERYTHING,
    *,
    identities: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Iterator[dict]:
    """Yield one dict per enrollment in view, with ``COLUMNS`` (and ``IDENTITY_COLUMNS`` when ``identities``)."""
    for row in learner_table(filters, restriction, identities=identities, batch_size=batch_size):
        yield _shaped(row, identities)


def _values(queryset, identities: bool, year: int):
    """Return ``queryset`` as tuples of the learner columns, then the id, each grade and cohort by a LEFT JOIN."""
    # A LEFT JOIN on the user's grade in the same course and on the user's membership of the
    # year: one index lookup each per row, where correlated subqueries cost one per column.
    queryset = queryset.annotate(
        raqmya_grade=FilteredRelation(
            "user__raqmya_grades", condition=Q(user__raqmya_grades__course_id=F("course_id"))
        ),
        raqmya_membership=FilteredRelation(
            "user__raqmya_cohort_memberships", condition=Q(user__raqmya_cohort_memberships__programme_year=year)
        ),
    )
    passed = Coalesce("raqmya_grade__passed", Value(False), output_field=BooleanField())
    passed_at = Case(
        When(raqmya_grade__passed=True, then=Coalesce("raqmya_grade__passed_at", "raqmya_grade__passed_changed_at")),
        default=None,
        output_field=DateTimeField(),
    )
    status = Case(When(is_active=True, then=Value(ENROLLED)), default=Value(UNENROLLED))
    fields = [
        "user_id", f"{_PROFILE}region_id", f"{_PROFILE}province_id", f"{_PROFILE}sector", f"{_PROFILE}track",
        "raqmya_membership__cohort__name", "course__course_key", status, _stored_time("first_enrolled_at"),
        "raqmya_grade__percent", passed, passed_at,
    ]
    if identities:
        fields += [f"user__{column}" for column in IDENTITY_COLUMNS]
    return queryset.values_list(*fields, "id")


def _stored_time(name: str):
    """Return the time column ``name`` for the learner rows, as an expression (``+name``) on SQLite.

    Python's sqlite3 parses the text of a column declared ``datetime`` with Django's converter, one
    Python call per time, and leaves an expression's text alone. ``_time_text`` then reads the text
    by hour, and ``_converter`` parses it once. A year's learner rows at scale 1 took 0.76 s
    against 0.84 to 0.88 s (medians of 6 reads in one process).
    """
    if connection.vendor != "sqlite":
        return name
    return Func(F(name), template="+%(expressions)s", output_field=DateTimeField())


def _shaped(row: tuple, identities: bool) -> dict:
    columns = (*COLUMNS, *IDENTITY_COLUMNS) if identities else COLUMNS
    return dict(zip(columns, row))


class LearnerPage:
    """The learner rows in view as a sliceable sequence for a paginator, read like a batch.

    ``count`` counts the enrollment ids in view. A slice reads its ids, then the rows of those
    ids that are still in view: two queries, whatever the page's place.
    """

    def __init__(self, ids, identities: bool, year: int, in_view: tuple[Q, RowTest | None] = (Q(), None)):
        self._ids = ids
        self._identities = identities
        self._year = year
        self._condition, self._row_test = in_view

    def count(self) -> int:
        """Return how many rows are in view."""
        return self._ids.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _rows_in_order(list(self._ids[index]), self._identities, self._year, condition=self._condition,
                                  row_test=self._row_test)
        rows = self[index:index + 1]
        if not rows:
            raise IndexError(index)
        return rows[0]


def learner_page(
    filters: ReportFilters, restriction: Restriction = EVERYTHING, *, identities: bool = False
) -> LearnerPage:
    """Return the learner rows as a lazy, sliceable sequence of tuples for a paginator. ``shaped`` shapes each row.

    For one region, province or cohort, or a restricted scope, the ids are those of
    ``_ids_in_view``: the database starts from the profiles in view. Through the time index, it
    read the whole span's enrollments for each count and each page. For the province of
    Casablanca at scale 1 of ``benchmarks/generate.py`` on SQLite, the count took 4 ms against
    50 ms, and the last page 4 ms against 50 ms.
    """
    if _few_profiles(filters, restriction):
        ids = _ids_query(filters, restriction)
    else:
        ids = learner_queryset(filters, restriction).values_list("id", flat=True)
    return LearnerPage(ids, identities, filters.year, _still_in_view(filters, restriction))


def shaped(row: tuple, identities: bool) -> dict:
    """Return a row of ``learner_page`` as a dict of the public columns."""
    return _shaped(row, identities)
