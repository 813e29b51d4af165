"""Tests of the certificate, login, registration, cohort and catalogue receivers, through the real signals."""

import datetime as dt
import logging
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.db import OperationalError
from django.db.models import Sum
from opaque_keys.edx.keys import CourseKey
from openedx_events.content_authoring.data import CourseCatalogData, CourseScheduleData
from openedx_events.content_authoring.signals import COURSE_CATALOG_INFO_CHANGED
from openedx_events.data import EventsMetadata
from openedx_events.learning.data import CohortData
from openedx_events.learning.signals import (
    CERTIFICATE_CREATED,
    CERTIFICATE_REVOKED,
    COHORT_MEMBERSHIP_CHANGED,
    COURSE_ENROLLMENT_CREATED,
    COURSE_UNENROLLMENT_COMPLETED,
    SESSION_LOGIN_COMPLETED,
    STUDENT_REGISTRATION_COMPLETED,
)

from raqmya_reports.ingestion import facts
from raqmya_reports.ingestion.replay import reconcile
from raqmya_reports.registry.localtime import local_month
from raqmya_reports.registry.models import (
    CatalogueEntry,
    Certificate,
    CohortMembership,
    Course,
    DailyActivity,
    Enrollment,
    EnrollmentChange,
    FailedEvent,
    TrackAssignment,
)
from tests.raqmya_reports.factories import (
    COURSE_KEY,
    at,
    certificate_data,
    course_data,
    enrollment_data,
    make_cohort,
    make_profile,
    make_user,
    user_data,
)

pytestmark = pytest.mark.django_db

OTHER_COURSE = "course-v1:Raqmya+UNKNOWN+2026"
CASABLANCA = ZoneInfo("Africa/Casablanca")


@pytest.fixture(name="learner")
def fixture_learner():
    return make_user(username="programme_learner")


def metadata(signal, time):
    return EventsMetadata(event_type=signal.event_type, id=uuid.uuid4(), time=time)


def test_certificate_created_records_a_valid_certificate(learner):
    CERTIFICATE_CREATED.send_event(time=at(5), certificate=certificate_data(learner.id))
    certificate = Certificate.objects.get(user=learner)
    assert certificate.is_valid is True
    assert certificate.created_at == at(5)


def test_certificate_created_twice_with_one_id_is_logged_once(learner, caplog):
    meta = metadata(CERTIFICATE_CREATED, at(5))
    CERTIFICATE_CREATED.send_event_with_custom_metadata(meta, certificate=certificate_data(learner.id))
    with caplog.at_level(logging.INFO, logger="raqmya_reports"):
        CERTIFICATE_CREATED.send_event_with_custom_metadata(meta, certificate=certificate_data(learner.id))
    assert Certificate.objects.filter(user=learner).count() == 1
    assert f"Event {meta.id} ({CERTIFICATE_CREATED.event_type}) was already processed" in caplog.text


def test_certificate_revoked_then_older_created_stays_revoked(learner):
    CERTIFICATE_REVOKED.send_event(time=at(6), certificate=certificate_data(learner.id, status="revoked"))
    CERTIFICATE_CREATED.send_event(time=at(5), certificate=certificate_data(learner.id))
    certificate = Certificate.objects.get(user=learner)
    assert certificate.is_valid is False
    assert certificate.status == "revoked"


def test_certificate_created_then_revoked_keeps_both_dates(learner):
    CERTIFICATE_CREATED.send_event(time=at(5), certificate=certificate_data(learner.id))
    CERTIFICATE_REVOKED.send_event(time=at(6), certificate=certificate_data(learner.id, status="revoked"))
    certificate = Certificate.objects.get(user=learner)
    assert (certificate.created_at, certificate.revoked_at) == (at(5), at(6))


def test_certificate_of_unknown_course_records_the_course(learner):
    CERTIFICATE_CREATED.send_event(time=at(5), certificate=certificate_data(learner.id, course_key=OTHER_COURSE))
    assert Certificate.objects.get(user=learner).course.course_key == OTHER_COURSE


def test_certificate_of_unknown_user_is_skipped_and_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="raqmya_reports"):
        CERTIFICATE_CREATED.send_event(time=at(5), certificate=certificate_data(987654))
    assert Certificate.objects.count() == 0
    assert "names user 987654, who does not exist" in caplog.text


def test_login_counts_on_the_local_day(learner):
    SESSION_LOGIN_COMPLETED.send_event(time=at(5, 9), user=user_data(learner.id))
    assert list(DailyActivity.objects.values_list("day", "logins")) == [(dt.date(2026, 3, 5), 1)]


def test_login_delivered_twice_counts_once(learner):
    meta = metadata(SESSION_LOGIN_COMPLETED, at(5, 9))
    SESSION_LOGIN_COMPLETED.send_event_with_custom_metadata(meta, user=user_data(learner.id))
    SESSION_LOGIN_COMPLETED.send_event_with_custom_metadata(meta, user=user_data(learner.id))
    assert DailyActivity.objects.get(user=learner).logins == 1


def test_login_of_unknown_user_is_skipped():
    SESSION_LOGIN_COMPLETED.send_event(time=at(5, 9), user=user_data(987654))
    assert DailyActivity.objects.count() == 0


def test_logins_either_side_of_local_midnight_at_month_end_count_on_their_local_days(learner, settings):
    """C12: 23:30 on 31 March and 00:10 on 1 April, Casablanca time, fall on their own local days and months."""
    settings.RAQMYA_TIME_ZONE = "Africa/Casablanca"
    late = dt.datetime(2026, 3, 31, 23, 30, tzinfo=CASABLANCA).astimezone(dt.timezone.utc)
    early = dt.datetime(2026, 4, 1, 0, 10, tzinfo=CASABLANCA).astimezone(dt.timezone.utc)
    SESSION_LOGIN_COMPLETED.send_event(time=late, user=user_data(learner.id))
    SESSION_LOGIN_COMPLETED.send_event(time=early, user=user_data(learner.id))
    days = dict(DailyActivity.objects.values_list("day", "logins"))
    assert days == {dt.date(2026, 3, 31): 1, dt.date(2026, 4, 1): 1}
    assert (local_month(late), local_month(early)) == ((2026, 3), (2026, 4))
    assert DailyActivity.objects.aggregate(total=Sum("logins"))["total"] == 2


def test_registration_records_the_sector_default_track(learner):
    make_profile(learner, sector="job_seeker")
    STUDENT_REGISTRATION_COMPLETED.send_event(time=at(1), user=user_data(learner.id))
    assert list(TrackAssignment.objects.values_list("track", "source")) == [("acculturation", "sector")]


def test_registration_delivered_twice_keeps_one_track_decision(learner):
    make_profile(learner)
    STUDENT_REGISTRATION_COMPLETED.send_event(time=at(1), user=user_data(learner.id))
    STUDENT_REGISTRATION_COMPLETED.send_event(time=at(1, 13), user=user_data(learner.id))
    assert TrackAssignment.objects.filter(user=learner).count() == 1


def test_registration_without_profile_records_nothing(learner):
    STUDENT_REGISTRATION_COMPLETED.send_event(time=at(1), user=user_data(learner.id))
    assert TrackAssignment.objects.count() == 0


def test_course_cohort_change_moves_the_learner_to_the_mirrored_cohort(learner):
    make_cohort(course_cohort_name="Groupe A")
    second = make_cohort("Pilote Rabat 2026", course_cohort_name="Groupe B")
    for name, day in (("Groupe A", 2), ("Groupe B", 3)):
        data = CohortData(user=user_data(learner.id), course=course_data(), name=name)
        COHORT_MEMBERSHIP_CHANGED.send_event(time=at(day), cohort=data)
    assert list(CohortMembership.objects.values_list("cohort_id", flat=True)) == [second.pk]


def test_course_cohort_of_no_programme_cohort_changes_nothing(learner):
    data = CohortData(user=user_data(learner.id), course=course_data(), name="Default Group")
    COHORT_MEMBERSHIP_CHANGED.send_event(time=at(2), cohort=data)
    assert CohortMembership.objects.count() == 0


def catalog_data(hidden: bool):
    schedule = CourseScheduleData(start=at(1), pacing="self", end=at(30))
    return CourseCatalogData(
        course_key=CourseKey.from_string(COURSE_KEY), name="Culture numérique", schedule_data=schedule, hidden=hidden
    )


def test_catalog_change_keeps_visibility_and_ignores_an_older_change():
    course = Course.objects.create(course_key=COURSE_KEY)
    CatalogueEntry.objects.create(course=course, tracks=["acculturation"], hours=20)
    COURSE_CATALOG_INFO_CHANGED.send_event(time=at(3), catalog_info=catalog_data(hidden=True))
    COURSE_CATALOG_INFO_CHANGED.send_event(time=at(2), catalog_info=catalog_data(hidden=False))
    entry = CatalogueEntry.objects.get(course=course)
    assert entry.hidden is True
    assert entry.ends_at == at(30)


def test_catalog_change_of_a_course_outside_the_catalogue_only_names_it():
    COURSE_CATALOG_INFO_CHANGED.send_event(time=at(3), catalog_info=catalog_data(hidden=True))
    assert Course.objects.get().display_name == "Culture numérique"
    assert CatalogueEntry.objects.count() == 0


def test_same_enrollment_with_two_event_ids_counts_once(learner, caplog):
    """C13: one enrollment, one activation; the duplicate is logged and ignored."""
    COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id))
    with caplog.at_level(logging.INFO, logger="raqmya_reports"):
        COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id))
    assert Enrollment.objects.filter(user=learner).count() == 1
    assert EnrollmentChange.objects.filter(enrollment__user=learner).count() == 1
    assert "already has this state; duplicate ignored" in caplog.text


def test_reenrollment_counts_once_as_current_and_unenrolled_counts_as_ever():
    """C19: A enrolls, unenrolls, re-enrolls; B enrolls, unenrolls: current 1, ever 2."""
    first, second = make_user(username="learner_a"), make_user(username="learner_b")
    make_profile(first)
    make_profile(second, region="MA-02", province="MA-OUJ")
    for day, user, signal, active in (
        (2, first, COURSE_ENROLLMENT_CREATED, True),
        (3, first, COURSE_UNENROLLMENT_COMPLETED, False),
        (4, first, COURSE_ENROLLMENT_CREATED, True),
        (2, second, COURSE_ENROLLMENT_CREATED, True),
        (3, second, COURSE_UNENROLLMENT_COMPLETED, False),
    ):
        signal.send_event(time=at(day), enrollment=enrollment_data(user.id, is_active=active))
    assert Enrollment.objects.filter(is_active=True).count() == 1
    assert Enrollment.objects.count() == 2
    assert Enrollment.objects.get(user=second).is_active is False
    assert Enrollment.objects.filter(is_active=True, user__raqmya_profile__province="MA-CAS").count() == 1


def test_failed_receiver_is_recorded_and_reconcile_repairs_it(learner, monkeypatch, caplog):
    real_get_course = facts.get_course

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(facts, "get_course", locked)
    with caplog.at_level(logging.ERROR, logger="raqmya_reports"):
        COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id))
    assert Enrollment.objects.count() == 0
    assert f"for user {learner.id} in course {COURSE_KEY} could not be recorded" in caplog.text
    monkeypatch.setattr(facts, "get_course", real_get_course)
    assert reconcile() == (1, 0)
    assert Enrollment.objects.get(user=learner).first_enrolled_at == at(1)
    assert FailedEvent.objects.get().resolved_at is not None
