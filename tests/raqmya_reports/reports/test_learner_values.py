"""Learner rows read with the module's own time and boolean conversion give what Django's converters give.

The learner list converts times and booleans itself, for speed. These tests compare its rows
with the same query read through Django's own converters, value by value and type by type, on
the database of the run (SQLite, or MariaDB when the run has one).
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from raqmya_reports.registry.models import CourseGrade, Enrollment
from raqmya_reports.reports import learners
from raqmya_reports.reports.errors import UnreadableStoredTime
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.learners import (
    _converter,
    _fetched,
    _id_in,
    _unbuffered_cursor,
    _values,
    learner_batches,
    learner_page,
    learner_table,
)
from tests.raqmya_reports.factories import make_cohort
from tests.raqmya_reports.reports.builders import CASABLANCA, enroll, grade, local, make_beneficiary, make_course

pytestmark = pytest.mark.django_db

UTC = dt.timezone.utc


@pytest.fixture(name="mixed_learners")
def fixture_mixed_learners():
    """Three enrollments: passed (in a cohort), failed, and unenrolled without a grade."""
    course = make_course(301)
    passed = make_beneficiary("passed", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    failed = make_beneficiary("failed", region="MA-01", track="perfectionnement", created=local(2026, 3, 1))
    left = make_beneficiary("left", region="MA-09", track="acculturation", created=local(2026, 3, 1))
    enroll(passed, course, at=local(2026, 4, 2, 9, 15))
    enroll(failed, course, at=local(2026, 4, 3, 23, 30))
    enroll(left, course, at=local(2026, 4, 4), active=False)
    grade(passed, course, at=local(2026, 5, 6, 18, 45), passed=True)
    grade(failed, course, at=local(2026, 5, 7), passed=False)
    cohort = make_cohort()
    cohort.memberships.create(user=passed, programme_year=2026)
    return {"passed": passed, "failed": failed, "left": left}


def _django_rows(identities):
    """Return the same rows as ``learner_table``, read through Django's converters, by enrollment id."""
    rows = _values(Enrollment.objects.all(), identities, 2026)
    return sorted(rows, key=lambda row: row[-1])


@pytest.mark.mysql
@pytest.mark.parametrize(("batch_size", "ends_on_zero"), [(1, True), (2, False), (5000, False)])
def test_zero_enrollment_time_batches(mixed_learners, batch_size, ends_on_zero):
    """In a transaction, only a batch that ends on a zero first enrollment time raises, naming the enrollment."""
    if connection.vendor != "mysql":
        pytest.skip("Only MySQL and MariaDB store a zero date; run with MariaDB")
    enrollment = Enrollment.objects.filter(user=mixed_learners["passed"]).get()
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'")
        cursor.execute(f"UPDATE {Enrollment._meta.db_table} SET first_enrolled_at = '2026-00-00 00:00:00' "
                       f"WHERE id = %s", [enrollment.pk])
    rows = learner_table(ReportFilters(year=2026), batch_size=batch_size)
    if ends_on_zero:
        with translation.override("en"), pytest.raises(
            UnreadableStoredTime, match=f"^Enrollment {enrollment.pk} has a first enrollment time"
        ):
            list(rows)
        return
    # The zero date sorts first, and the batch goes on past it to a time that can be read.
    listed = [(row[0], row[8]) for row in rows]
    assert listed == [(mixed_learners["passed"].pk, None), (mixed_learners["failed"].pk, local(2026, 4, 3, 23, 30)),
                      (mixed_learners["left"].pk, local(2026, 4, 4))]


@pytest.mark.usefixtures("mixed_learners")
@pytest.mark.parametrize("identities", [False, True])
def test_rows_match_django_conversion(identities):
    ours = sorted(learner_table(ReportFilters(year=2026), identities=identities), key=lambda row: row[-1])
    theirs = _django_rows(identities)
    assert ours == theirs
    for our_row, their_row in zip(ours, theirs):
        assert [type(value) for value in our_row] == [type(value) for value in their_row]


def test_rows_aware_utc_and_booleans(mixed_learners):
    rows = {row[0]: row for row in learner_table(ReportFilters(year=2026))}
    passed = rows[mixed_learners["passed"].pk]
    # 2 April 2026, 09:15 in Casablanca (UTC+1 outside Ramadan) is 08:15 UTC.
    assert passed[8] == dt.datetime(2026, 4, 2, 8, 15, tzinfo=UTC)
    assert passed[8].utcoffset() == dt.timedelta(0)
    assert passed[10] is True
    assert passed[11] == dt.datetime(2026, 5, 6, 17, 45, tzinfo=UTC)
    failed = rows[mixed_learners["failed"].pk]
    assert failed[10] is False
    assert failed[11] is None
    left = rows[mixed_learners["left"].pk]
    assert (left[7], left[9], left[10], left[11]) == ("unenrolled", None, False, None)


def test_fetched_reads_each_row_once(mixed_learners):
    queryset = _values(Enrollment.objects.order_by("id"), False, 2026)
    assert [row[0] for row in _fetched(queryset)] == [user.pk for user in mixed_learners.values()]


@pytest.mark.usefixtures("mixed_learners")
def test_fetched_empty_condition():
    assert _fetched(_values(Enrollment.objects.filter(pk__in=[]), False, 2026)) == []


def _time_converter():
    field = CourseGrade._meta.get_field("passed_at")
    expression = field.get_col(CourseGrade._meta.db_table)
    return _converter([connection.ops.convert_datetimefield_value], expression, connection)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-02 08:15:00", dt.datetime(2026, 3, 2, 8, 15, tzinfo=UTC)),
        ("2026-03-02 08:15:00.250000", dt.datetime(2026, 3, 2, 8, 15, 0, 250000, tzinfo=UTC)),
        # Text that has its own offset keeps it: 09:15 at +01:00 is 08:15 UTC.
        ("2026-03-02 09:15:00+01:00", dt.datetime(2026, 3, 2, 8, 15, tzinfo=UTC)),
        (dt.datetime(2026, 3, 2, 8, 15), dt.datetime(2026, 3, 2, 8, 15, tzinfo=UTC)),
        (None, None),
    ],
)
def test_time_converter_gives_aware_utc(value, expected):
    converted = _time_converter()(value)
    assert converted == expected
    if expected is not None:
        assert converted.tzinfo is not None


def test_time_converter_rejects_invalid_text():
    with pytest.raises(ValueError, match="not a time"):
        _time_converter()("not a time")


def test_boolean_converter_keeps_unknown_values():
    field = CourseGrade._meta.get_field("passed")
    expression = field.get_col(CourseGrade._meta.db_table)
    converters = connection.ops.get_db_converters(expression)
    convert = _converter(converters, expression, connection)
    assert [convert(value) for value in (0, 1, None, True)] == [False, True, None, True]


@pytest.mark.usefixtures("mixed_learners")
@pytest.mark.parametrize("identities", [False, True])
def test_time_zone_rows_hold_local_text(identities):
    """With a time zone, each time is the aware time's text in that zone, and every other value is unchanged."""
    filters = ReportFilters(year=2026)
    aware = sorted(learner_table(filters, identities=identities), key=lambda row: row[-1])
    texts = sorted(learner_table(filters, identities=identities, time_zone=CASABLANCA), key=lambda row: row[-1])
    times = (8, 11)
    expected = [
        tuple(value.astimezone(CASABLANCA).isoformat() if place in times and value is not None else value
              for place, value in enumerate(row))
        for row in aware
    ]
    assert texts == expected
    assert [row[8] for row in texts] == [
        "2026-04-02T09:15:00+01:00", "2026-04-03T23:30:00+01:00", "2026-04-04T12:00:00+01:00"]
    assert [row[11] for row in texts] == ["2026-05-06T18:45:00+01:00", None, None]


# Casablanca left UTC+1 for UTC+0 at 02:00 UTC on 15 February 2026 and came back at 02:00 UTC on
# 22 March 2026 (tz database).
CHANGE_TIMES = [
    (dt.datetime(2026, 2, 15, 1, 59, 59, tzinfo=UTC), "2026-02-15T02:59:59+01:00"),
    (dt.datetime(2026, 2, 15, 2, 0, tzinfo=UTC), "2026-02-15T02:00:00+00:00"),
    (dt.datetime(2026, 2, 16, 23, 30, 0, 500000, tzinfo=UTC), "2026-02-16T23:30:00.500000+00:00"),
    (dt.datetime(2026, 3, 22, 1, 59, 59, 250000, tzinfo=UTC), "2026-03-22T01:59:59.250000+00:00"),
    (dt.datetime(2026, 3, 22, 2, 0, tzinfo=UTC), "2026-03-22T03:00:00+01:00"),
    (dt.datetime(2026, 3, 22, 23, 30, tzinfo=UTC), "2026-03-23T00:30:00+01:00"),
]


def test_time_zone_rows_across_offset_changes():
    course = make_course(302)
    users = [make_beneficiary(f"change{number}", region="MA-06", track="acculturation", created=local(2026, 1, 5))
             for number in range(len(CHANGE_TIMES))]
    for user, (moment, _text) in zip(users, CHANGE_TIMES):
        enroll(user, course, at=moment)
    # Passed at the same moments, in reverse order, so that both time columns are read across the changes.
    for user, (moment, _text) in zip(users, reversed(CHANGE_TIMES)):
        grade(user, course, at=moment, passed=True)
    rows = {row[0]: row for row in learner_table(ReportFilters(year=2026), time_zone=CASABLANCA, batch_size=2)}
    assert [rows[user.pk][8] for user in users] == [text for _moment, text in CHANGE_TIMES]
    assert [rows[user.pk][11] for user in users] == [text for _moment, text in reversed(CHANGE_TIMES)]


@pytest.mark.mysql
@pytest.mark.usefixtures("mixed_learners")
def test_mysql_rows_read_unbuffered():
    """On MySQL and MariaDB the rows come through MySQLdb's SSCursor, times as text, and the query is still logged."""
    if connection.vendor != "mysql":
        pytest.skip("MySQLdb's cursors exist only on MySQL and MariaDB; run with MariaDB")
    from MySQLdb.constants import FIELD_TYPE  # pylint: disable=import-outside-toplevel
    from MySQLdb.cursors import SSCursor  # pylint: disable=import-outside-toplevel

    with _unbuffered_cursor(connection) as cursor:
        assert type(cursor.cursor.cursor) is SSCursor  # pylint: disable=unidiomatic-typecheck
        cursor.execute("SELECT CAST('2026-04-02 09:15:00.250000' AS DATETIME(6))")
        assert cursor.fetchall() == ((dt.datetime(2026, 4, 2, 9, 15, 0, 250000),),)
    with _unbuffered_cursor(connection, times_as_text=True) as cursor:
        assert isinstance(cursor.cursor.cursor, SSCursor)
        cursor.execute("SELECT CAST('2026-04-02 09:15:00.250000' AS DATETIME(6)), CAST('2026-04-02' AS DATE)")
        assert cursor.fetchall() == (("2026-04-02 09:15:00.250000", dt.date(2026, 4, 2)),)
    # The connection's own converters are left as they were.
    assert connection.connection.converter[FIELD_TYPE.DATETIME] is not str
    with CaptureQueriesContext(connection) as queries:
        rows = list(learner_table(ReportFilters(year=2026)))
    assert len(rows) == 3
    assert len(queries) == 1


@pytest.mark.mysql
@pytest.mark.parametrize("zone", [None, CASABLANCA])
def test_mysql_zero_date_read_as_none(mixed_learners, zone):
    """MariaDB's default sql_mode accepts a zero DATETIME, which MySQLdb reads as None: so do the learner rows."""
    if connection.vendor != "mysql":
        pytest.skip("Only MySQL and MariaDB store a zero date; run with MariaDB")
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'")
        cursor.execute(f"UPDATE {CourseGrade._meta.db_table} SET passed_at = '0000-00-00 00:00:00' "
                       f"WHERE user_id = %s", [mixed_learners["passed"].pk])
    assert CourseGrade.objects.get(user=mixed_learners["passed"]).passed_at is None
    rows = {row[0]: row for row in learner_table(ReportFilters(year=2026), time_zone=zone)}
    assert rows[mixed_learners["passed"].pk][11] is None
    assert rows[mixed_learners["passed"].pk][10] is True
    # The other times of the same rows are read as before.
    first = rows[mixed_learners["passed"].pk][8]
    assert first == (local(2026, 4, 2, 9, 15) if zone is None else "2026-04-02T09:15:00+01:00")


@pytest.mark.usefixtures("mixed_learners")
def test_sqlite_times_read_as_text():
    """Python's sqlite3 leaves the first enrollment time as text, which the row conversion parses once."""
    if connection.vendor != "sqlite":
        pytest.skip("Python's sqlite3 parses declared datetime columns only on SQLite")
    queryset = _values(Enrollment.objects.order_by("id"), False, 2026)
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        stored = cursor.fetchone()[8]
    assert isinstance(stored, str)
    assert dt.datetime.fromisoformat(stored + "+00:00") == local(2026, 4, 2, 9, 15)


@pytest.mark.usefixtures("mixed_learners")
def test_naive_times_match_django():
    """Without time zone support Django makes naive times, and the rows read give the same ones."""
    with override_settings(USE_TZ=False):
        queryset = _values(Enrollment.objects.order_by("id"), False, 2026)
        ours = _fetched(queryset)
        theirs = list(queryset)
    assert [row[8] for row in ours] == [row[8] for row in theirs]
    assert all(isinstance(row[8], dt.datetime) and row[8].tzinfo is None for row in ours)


def test_rows_query_ends_with_plain_id_list():
    """The batch's ids are an IN lookup on the id, which an index can read, not an expression compared with 1."""
    queryset = _values(Enrollment.objects.filter(_id_in([3, 5])), False, 2026)
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    column = f"{connection.ops.quote_name(Enrollment._meta.db_table)}.{connection.ops.quote_name('id')}"
    # SQLite gets the ids as parameters, MySQL and MariaDB in the text.
    sqlite = connection.vendor == "sqlite"
    assert sql.endswith(f"WHERE {column} IN ({'%s,%s' if sqlite else '3,5'})")
    if sqlite:
        assert tuple(params[-2:]) == (3, 5)


@pytest.mark.usefixtures("mixed_learners")
def test_rows_queries_split_on_mysql(monkeypatch):
    """A page of the learner list reads its rows by id, in lists below 1,000 on MySQL, joined from the enrollments."""
    monkeypatch.setattr(learners, "_MYSQL_ID_LIST", 2)
    expected = sorted(_django_rows(False), key=lambda row: (row[8], row[-1]))
    page = learner_page(ReportFilters(year=2026))
    with CaptureQueriesContext(connection) as queries:
        rows = page[0:3]
    assert rows == expected
    selects = [query["sql"] for query in queries][1:]
    if connection.vendor == "mysql":
        assert len(selects) == 2
        assert all(sql.startswith("SELECT STRAIGHT_JOIN ") for sql in selects)
    else:
        assert len(selects) == 1
        assert "STRAIGHT_JOIN" not in selects[0]


@pytest.mark.usefixtures("mixed_learners")
def test_batches_capped_at_batch_size():
    batches = list(learner_batches(ReportFilters(year=2026), batch_size=2))
    assert [len(batch) for batch in batches] == [2, 1]
    assert [row for batch in batches for row in batch] == list(learner_table(ReportFilters(year=2026)))


@pytest.mark.parametrize("size", [0, -5, 2.5])
def test_invalid_batch_size_rejected(size):
    with pytest.raises(ValueError, match=f"Invalid batch_size {size!r}: give a whole number of rows, 1 or more"):
        next(learner_batches(ReportFilters(year=2026), batch_size=size))
