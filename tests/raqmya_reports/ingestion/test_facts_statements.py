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
# The one-query read of an enrollment event, and what it returns.
_lookup = facts._enrollment_lookup  # pylint: disable=protected-access
_Known = facts._KnownEnrollment  # pylint: disable=protected-access


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


def test_enrollment_lookup_unknown_course():
    user = make_user(username="lookup_no_course")
    known = _lookup(user.pk, COURSE_KEY, "event-1")
    assert known == _Known(False, None, "", None)


def test_enrollment_lookup_known_rows():
    user = make_user(username="lookup_known")
    course = Course.objects.create(course_key=COURSE_KEY, display_name="Bureautique")
    other = Course.objects.create(course_key="course-v1:Raqmya+DIGI302+2026")
    Enrollment.objects.create(user=user, course=other, first_enrolled_at=TIME, changed_at=TIME, last_event_at=TIME)
    enrollment = Enrollment.objects.create(user=user, course=course, first_enrolled_at=TIME, changed_at=TIME,
                                           last_event_at=TIME)
    ProcessedEvent.objects.create(key="event-1", event_type="enrollment.created")
    known = _lookup(user.pk, COURSE_KEY, "event-1")
    assert known == _Known(True, course.pk, "Bureautique", enrollment.pk)
    # Without an event id, nothing counts as processed.
    known = _lookup(user.pk, COURSE_KEY, None)
    assert known.processed is False


def test_enrollment_lookup_unknown_user():
    Course.objects.create(course_key=COURSE_KEY)
    assert _lookup(987654, COURSE_KEY, "event-1") is None
