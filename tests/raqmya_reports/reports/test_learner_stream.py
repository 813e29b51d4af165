"""Learner rows streamed by one query on a connection of its own, on MySQL and MariaDB outside a transaction."""

from __future__ import annotations

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

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
