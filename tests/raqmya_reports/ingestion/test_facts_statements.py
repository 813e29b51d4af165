"""Statements that one enrollment fact runs: the registry's reads folded into one query, the same outcomes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from raqmya_reports.errors import UnknownUser
from raqmya_reports.ingestion import facts
from raqmya_reports.registry.models import Course, Enrollment, ProcessedEvent
from tests.raqmya_reports.factories import make_user

pytestmark = pytest.mark.django_db

COURSE_KEY = "course-v1:Raqmya+DIGI301+2026"
TIME = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def _enroll(user_id, event_key, *, is_active=True, time=TIME):
    return facts.apply_enrollment(
        user_id, COURSE_KEY, is_active=is_active, mode="audit", time=time, source=facts.SOURCE_SIGNAL,
        event_key=event_key, event_type="enrollment.created",
    )


def _statements(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    # Savepoints of the test's own transaction are not the fact's work.
    return [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]


def test_apply_enrollment_new_runs_one_read_and_three_inserts():
    user = make_user(username="statements_new")
    Course.objects.create(course_key=COURSE_KEY)
    statements = _statements(lambda: _enroll(user.pk, "event-1"))
    assert [sql.split()[0] for sql in statements] == ["SELECT", "INSERT", "INSERT", "INSERT"]


def test_apply_enrollment_new_course_created_on_first_sight():
    user = make_user(username="statements_course")
    assert _enroll(user.pk, "event-1") is facts.Outcome.APPLIED
    assert Course.objects.get().course_key == COURSE_KEY


def test_apply_enrollment_duplicate_event_is_already_processed():
    user = make_user(username="statements_duplicate")
    _enroll(user.pk, "event-1")
    assert _enroll(user.pk, "event-1", is_active=False) is facts.Outcome.ALREADY_PROCESSED


def test_apply_enrollment_duplicate_event_leaves_the_enrollment_active():
    user = make_user(username="statements_duplicate_state")
    _enroll(user.pk, "event-1")
    _enroll(user.pk, "event-1", is_active=False)
    assert Enrollment.objects.get(user=user).is_active is True


def test_apply_enrollment_unknown_user_raises_and_writes_nothing():
    with pytest.raises(UnknownUser, match="987654"):
        _enroll(987654, "event-1")
    assert ProcessedEvent.objects.count() == 0


def test_apply_enrollment_user_id_not_a_number_raises():
    with pytest.raises(UnknownUser, match="seven"):
        _enroll("seven", "event-1")


def test_apply_enrollment_existing_enrollment_updated_under_lock():
    user = make_user(username="statements_update")
    _enroll(user.pk, "event-1")
    later = TIME + dt.timedelta(days=1)
    assert _enroll(user.pk, "event-2", is_active=False, time=later) is facts.Outcome.APPLIED
    assert Enrollment.objects.get(user=user).is_active is False


def test_apply_enrollment_without_event_key_applies_each_time():
    user = make_user(username="statements_no_key")
    _enroll(user.pk, None)
    later = TIME + dt.timedelta(days=1)
    assert _enroll(user.pk, None, is_active=False, time=later) is facts.Outcome.APPLIED
