"""Tests of the openedx-events receivers, driven by the real signals and data classes."""

import logging
import uuid

import pytest
from django.db import IntegrityError
from openedx_events.data import EventsMetadata
from openedx_events.learning.signals import (
    COURSE_ENROLLMENT_CHANGED,
    COURSE_ENROLLMENT_CREATED,
    COURSE_PASSING_STATUS_UPDATED,
    COURSE_UNENROLLMENT_COMPLETED,
    PERSISTENT_GRADE_SUMMARY_CHANGED,
)

from raqmya_reports.ingestion import facts
from raqmya_reports.registry.models import CourseGrade, Enrollment, EnrollmentChange, ProcessedEvent
from tests.raqmya_reports.factories import (
    at,
    enrollment_data,
    grade_data,
    make_user,
    passing_status_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(name="learner")
def fixture_learner():
    return make_user(username="receiver_learner")


@pytest.fixture(name="debug")
def fixture_debug(settings):
    """Make openedx-events call receivers with plain ``send``, as it does on a DEBUG site."""
    settings.DEBUG = True


def test_enrollment_created_records_an_active_enrollment(learner):
    COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id, created=at(2)))
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.is_active is True
    assert enrollment.first_enrolled_at == at(2)
    assert list(enrollment.changes.values_list("action", flat=True)) == ["activated"]


def test_enrollment_created_records_the_course_display_name(learner):
    data = enrollment_data(learner.id, display_name="Culture numérique")
    COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=data)
    assert Enrollment.objects.get(user=learner).course.display_name == "Culture numérique"


def test_enrollment_created_twice_counts_once(learner, caplog):
    COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id))
    with caplog.at_level(logging.INFO, logger="raqmya_reports"):
        COURSE_ENROLLMENT_CREATED.send_event(time=at(2, 13), enrollment=enrollment_data(learner.id))
    assert Enrollment.objects.filter(user=learner).count() == 1
    assert EnrollmentChange.objects.filter(enrollment__user=learner).count() == 1
    assert "already has this state; duplicate ignored" in caplog.text


def test_enrollment_created_same_event_id(learner, caplog):
    metadata = EventsMetadata(event_type=COURSE_ENROLLMENT_CREATED.event_type, id=uuid.uuid4(), time=at(2))
    COURSE_ENROLLMENT_CREATED.send_event_with_custom_metadata(metadata, enrollment=enrollment_data(learner.id))
    COURSE_UNENROLLMENT_COMPLETED.send_event(time=at(3), enrollment=enrollment_data(learner.id, is_active=False))
    with caplog.at_level(logging.INFO, logger="raqmya_reports"):
        COURSE_ENROLLMENT_CREATED.send_event_with_custom_metadata(metadata, enrollment=enrollment_data(learner.id))
    assert Enrollment.objects.get(user=learner).is_active is False
    assert ProcessedEvent.objects.filter(key=str(metadata.id)).count() == 1
    assert f"Event {metadata.id} ({COURSE_ENROLLMENT_CREATED.event_type}) was already processed" in caplog.text


def test_unenrollment_then_reenrollment_keeps_three_changes(learner):
    COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id))
    COURSE_UNENROLLMENT_COMPLETED.send_event(time=at(3), enrollment=enrollment_data(learner.id, is_active=False))
    COURSE_ENROLLMENT_CHANGED.send_event(time=at(4), enrollment=enrollment_data(learner.id, mode="honor"))
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.is_active is True
    assert enrollment.mode == "honor"
    assert list(enrollment.changes.values_list("action", flat=True)) == ["activated", "deactivated", "activated"]


def test_enrollment_older_event_ignored(learner):
    COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id))
    COURSE_UNENROLLMENT_COMPLETED.send_event(time=at(4), enrollment=enrollment_data(learner.id, is_active=False))
    COURSE_ENROLLMENT_CHANGED.send_event(time=at(3), enrollment=enrollment_data(learner.id))
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.is_active is False
    assert enrollment.changes.count() == 2


def test_repeated_state_still_guards_against_an_older_event(learner):
    COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id))
    COURSE_UNENROLLMENT_COMPLETED.send_event(time=at(3), enrollment=enrollment_data(learner.id, is_active=False))
    COURSE_UNENROLLMENT_COMPLETED.send_event(time=at(5), enrollment=enrollment_data(learner.id, is_active=False))
    COURSE_ENROLLMENT_CHANGED.send_event(time=at(4), enrollment=enrollment_data(learner.id))
    assert Enrollment.objects.get(user=learner).is_active is False


def test_enrollment_missing_user_skipped(caplog, debug):
    with caplog.at_level(logging.WARNING, logger="raqmya_reports"):
        COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(987654))
    assert Enrollment.objects.count() == 0
    assert "names user 987654, who does not exist" in caplog.text


def test_receiver_failure_in_debug_swallowed(learner, monkeypatch, caplog, debug):
    def broken(*args, **kwargs):
        raise IntegrityError("constraint failed")

    monkeypatch.setattr(facts, "apply_enrollment", broken)
    with caplog.at_level(logging.ERROR, logger="raqmya_reports"):
        responses = COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id))
    assert responses[0][1] is None
    assert f"for user {learner.id} in course course-v1:Raqmya+DIGI101+2026 could not be recorded" in caplog.text


def test_database_failure_leaves_nothing_half_written(learner, monkeypatch, debug):
    def violate_unique_key(event_key, event_type):
        ProcessedEvent.objects.create(key=event_key, event_type=event_type)
        ProcessedEvent.objects.create(key=event_key, event_type=event_type)

    monkeypatch.setattr(facts, "_mark_processed", violate_unique_key)
    COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id))
    assert Enrollment.objects.count() == 0
    assert EnrollmentChange.objects.count() == 0
    assert ProcessedEvent.objects.count() == 0


def test_grade_summary_records_percent_letter_and_passing_time(learner):
    grade = grade_data(learner.id, percent=0.82, letter="Pass", passed_at=at(10, 9))
    PERSISTENT_GRADE_SUMMARY_CHANGED.send_event(time=at(10, 9), grade=grade)
    stored = CourseGrade.objects.get(user=learner)
    assert stored.percent == 0.82
    assert stored.letter_grade == "Pass"
    assert stored.passed is True
    assert stored.passed_at == at(10, 9)


def test_grade_summary_without_passing_time_is_not_passed(learner):
    PERSISTENT_GRADE_SUMMARY_CHANGED.send_event(time=at(10), grade=grade_data(learner.id, percent=0.3))
    assert CourseGrade.objects.get(user=learner).passed is False


def test_grade_summary_older_event_ignored(learner):
    newer = grade_data(learner.id, percent=0.9, letter="Pass", passed_at=at(11))
    PERSISTENT_GRADE_SUMMARY_CHANGED.send_event(time=at(11), grade=newer)
    PERSISTENT_GRADE_SUMMARY_CHANGED.send_event(time=at(10), grade=grade_data(learner.id, percent=0.4))
    stored = CourseGrade.objects.get(user=learner)
    assert stored.percent == 0.9
    assert stored.passed is True


def test_passing_status_sets_the_passed_flag(learner):
    COURSE_PASSING_STATUS_UPDATED.send_event(
        time=at(12), course_passing_status=passing_status_data(learner.id, is_passing=True)
    )
    stored = CourseGrade.objects.get(user=learner)
    assert stored.passed is True
    assert stored.passed_at == at(12)
    assert stored.percent is None


def test_older_failing_status_does_not_undo_a_pass(learner):
    COURSE_PASSING_STATUS_UPDATED.send_event(
        time=at(12), course_passing_status=passing_status_data(learner.id, is_passing=True)
    )
    COURSE_PASSING_STATUS_UPDATED.send_event(
        time=at(11), course_passing_status=passing_status_data(learner.id, is_passing=False)
    )
    assert CourseGrade.objects.get(user=learner).passed is True


def test_newer_failing_status_clears_the_pass(learner):
    COURSE_PASSING_STATUS_UPDATED.send_event(
        time=at(12), course_passing_status=passing_status_data(learner.id, is_passing=True)
    )
    COURSE_PASSING_STATUS_UPDATED.send_event(
        time=at(13), course_passing_status=passing_status_data(learner.id, is_passing=False)
    )
    stored = CourseGrade.objects.get(user=learner)
    assert stored.passed is False
    assert stored.passed_at is None
