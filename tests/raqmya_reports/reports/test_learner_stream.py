"""Learner rows streamed by one query on a connection of its own, on MySQL and MariaDB outside a transaction."""

from __future__ import annotations

import functools
import time

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from raqmya_reports.delivery import exports, xlsx
from raqmya_reports.delivery.errors import ExportTooLong, TooManyRows
from raqmya_reports.delivery.exports import TimeLimit, stream_export
from raqmya_reports.delivery.service import OPERATOR_SCOPE, open_report_in_scope
from raqmya_reports.registry.models import Course, Enrollment
from raqmya_reports.reports import learners
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.learners import learner_batches, learner_rows
from tests.raqmya_reports.reports.builders import CASABLANCA, enroll, grade, local, make_beneficiary, make_course

# Committed rows: the streaming connection reads only committed rows.
pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _only_mysql():
    if connection.vendor != "mysql":
        pytest.skip("Only MySQL and MariaDB stream the learner rows; run with MariaDB")


@pytest.fixture(name="seven_learners")
def fixture_seven_learners():
    """Seven beneficiaries of two tracks, one enrollment each, a day apart, and a staff enrollment among them."""
    course = make_course(301)
    users = []
    for day in range(1, 8):
        track = "acculturation" if day % 2 else "perfectionnement"
        user = make_beneficiary(f"s{day}", region="MA-06", track=track, created=local(2026, 1, 1))
        enroll(user, course, at=local(2026, 3, day))
        if day % 3 == 0:
            grade(user, course, at=local(2026, 4, day), passed=True)
        users.append(user.pk)
    staff = make_beneficiary("staff", region="MA-06", track="acculturation", created=local(2026, 1, 1))
    staff.raqmya_profile.delete()
    enroll(staff, course, at=local(2026, 3, 4))
    return users


@pytest.fixture(name="opened")
def fixture_opened(monkeypatch):
    """Record each connection that the learner rows open for themselves."""
    opened_connections = []
    create = connections.create_connection

    def recorded(alias):
        opened_connections.append(create(alias))
        return opened_connections[-1]

    monkeypatch.setattr(connections, "create_connection", recorded)
    return opened_connections


@pytest.mark.parametrize("track", ["", "perfectionnement"])
@pytest.mark.parametrize("batch_size", [1, 3, 5000])
def test_streamed_rows_same_as_batches_in_a_transaction(seven_learners, opened, track, batch_size):
    filters = ReportFilters(year=2026, track=track)
    streamed = list(learner_rows(filters, batch_size=batch_size))
    assert len(opened) == 1
    with transaction.atomic():
        batched = list(learner_rows(filters, batch_size=batch_size))
    assert len(opened) == 1  # no other connection inside the transaction
    assert streamed == batched
    expected = seven_learners if not track else seven_learners[1::2]
    assert [row["user_id"] for row in streamed] == expected


def test_streamed_batches_sized_and_times_as_text(seven_learners):
    batches = list(learner_batches(ReportFilters(year=2026), batch_size=3, time_zone=CASABLANCA))
    # The staff enrollment, fifth in time order, is read in the second batch and left out of it.
    assert [len(batch) for batch in batches] == [3, 2, 2]
    assert [row[0] for batch in batches for row in batch] == seven_learners
    assert batches[0][0][8] == local(2026, 3, 1).astimezone(CASABLANCA).isoformat()


@pytest.mark.usefixtures("seven_learners")
def test_caller_queries_between_streamed_batches(monkeypatch, opened):
    # Parts of two rows, so that the stream's result is still open while the caller queries.
    monkeypatch.setattr(learners, "_FETCH_ROWS", 2)
    counts = [Course.objects.count() for _batch in learner_batches(ReportFilters(year=2026), batch_size=2)]
    assert counts == [1, 1, 1, 1]
    assert opened[0].connection is None


@pytest.mark.usefixtures("seven_learners")
def test_stream_connection_closed_when_reading_stops_early(monkeypatch, opened):
    monkeypatch.setattr(learners, "_FETCH_ROWS", 2)
    batches = learner_batches(ReportFilters(year=2026), batch_size=2)
    assert len(next(batches)) == 2
    assert opened[0].connection is not None
    batches.close()
    assert opened[0].connection is None


@pytest.mark.usefixtures("seven_learners")
@pytest.mark.parametrize("stop", ["close", "error"])
def test_early_stop_ends_stream_query(monkeypatch, opened, stop):
    """A reader that stops early ends the stream's query from the caller's connection; the list then reads again."""
    monkeypatch.setattr(learners, "_FETCH_ROWS", 2)
    with CaptureQueriesContext(connection) as queries:
        batches = learner_batches(ReportFilters(year=2026), batch_size=2)
        assert len(next(batches)) == 2
        thread = opened[0].connection.thread_id()
        if stop == "close":
            batches.close()
        else:
            with pytest.raises(ZeroDivisionError):
                batches.throw(ZeroDivisionError("the writer failed"))
    assert [query["sql"] for query in queries.captured_queries] == [f"KILL QUERY {thread}"]
    assert opened[0].connection is None
    assert len(list(learner_rows(ReportFilters(year=2026)))) == 7


@pytest.mark.usefixtures("seven_learners")
@pytest.mark.parametrize(("export_format", "error"),
                         [("csv", ExportTooLong), ("xlsx", ExportTooLong), ("json", ExportTooLong),
                          ("xlsx", TooManyRows)])
def test_stopped_export_ends_stream_query(monkeypatch, opened, export_format, error):
    """An export stopped by its deadline or a full sheet ends the stream's query before its error is raised.

    The error is kept, as a Celery worker keeps it: its traceback must not keep the query open.
    """
    monkeypatch.setattr(learners, "_FETCH_ROWS", 2)
    monkeypatch.setattr(exports, "learner_batches", functools.partial(learners.learner_batches, batch_size=2))
    time_limit = TimeLimit(time.time() + 3600, 3600)
    if error is ExportTooLong:
        # Each row is checked, and the limit passes after the first batch: 2 rows of 7.
        monkeypatch.setattr(exports, "CLOCK_ROWS", 1)
        checked = exports.check_time_limit
        calls = []

        def passed_after_two(limit):
            calls.append(limit)
            checked(TimeLimit(time.time() - 1, 3600) if len(calls) > 2 else limit)

        monkeypatch.setattr(exports, "check_time_limit", passed_after_two)
    else:
        # The sheet has room for the header and two rows, and is checked every two rows.
        monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
        monkeypatch.setattr(xlsx, "CHUNK_ROWS", 2)
    report = open_report_in_scope(OPERATOR_SCOPE, None, "learners", {"year": "2026"}, "export")
    with CaptureQueriesContext(connection) as queries:
        with pytest.raises(error) as raised:
            b"".join(stream_export(report, export_format, "en", time_limit=time_limit))
    # The stream is closed and its query ended while ``raised`` still references the error and its traceback.
    assert raised.value.__traceback__ is not None
    assert opened[0].connection is None
    kills = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("KILL")]
    assert len(kills) == 1
    assert kills[0] != f"KILL QUERY {connection.connection.thread_id()}"


@pytest.mark.usefixtures("seven_learners")
def test_stream_read_to_end_not_ended(opened):
    with CaptureQueriesContext(connection) as queries:
        assert len(list(learner_rows(ReportFilters(year=2026), batch_size=2))) == 7
    assert not queries.captured_queries
    assert opened[0].connection is None


def test_stream_query_not_ended_logged(caplog):
    """A stream whose query cannot be ended (its connection already gone) is logged, and nothing is raised."""
    stream = connections.create_connection(connection.alias)
    stream.ensure_connection()
    thread = stream.connection.thread_id()
    with connection.cursor() as cursor:
        cursor.execute("KILL CONNECTION %s", [thread])
        # The server ends the connection after KILL returns: until then, KILL QUERY still finds it.
        for _attempt in range(500):
            cursor.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %s", [thread])
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.01)
    learners._end_query(stream, connection.alias)  # pylint: disable=protected-access
    stream.close()
    assert f"Failed to end the learner stream's query (connection {thread})" in caplog.text


@pytest.mark.usefixtures("seven_learners")
def test_stream_waits_for_a_slow_reader(monkeypatch, opened):
    timeouts = []
    read_parts = learners._fetched_parts  # pylint: disable=protected-access

    def checked(queryset, times=None, database=None):
        with database.cursor() as cursor:
            cursor.execute("SELECT @@SESSION.net_write_timeout")
            timeouts.append(cursor.fetchone()[0])
        yield from read_parts(queryset, times, database)

    monkeypatch.setattr(learners, "_fetched_parts", checked)
    assert len(list(learner_rows(ReportFilters(year=2026)))) == 7
    assert timeouts == [600]
    assert opened[0].connection is None


def test_stream_lists_rows_as_of_its_start(monkeypatch, seven_learners):
    """An enrollment deleted while the stream is read is still listed, as the query's start saw it."""
    # Parts of two rows: the last enrollment is not yet read from the server when it is deleted.
    monkeypatch.setattr(learners, "_FETCH_ROWS", 2)
    batches = learner_batches(ReportFilters(year=2026), batch_size=2)
    first = next(batches)
    Enrollment.objects.filter(user_id=seven_learners[-1]).delete()
    rows = first + [row for batch in batches for row in batch]
    assert [row[0] for row in rows] == seven_learners
    assert Enrollment.objects.filter(user_id=seven_learners[-1]).count() == 0
