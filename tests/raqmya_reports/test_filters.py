"""Tests of the CourseEnrollmentStarted step through openedx-filters' real pipeline, with enforcement on and off."""

from __future__ import annotations

import pytest
from django.utils import translation
from openedx_filters.learning.filters import CourseEnrollmentStarted

from raqmya_reports.filters import STEP_PATH, course_tracks
from raqmya_reports.registry.models import BeneficiaryProfile, CatalogueEntry, Course

from .factories import make_profile, make_user

pytestmark = pytest.mark.django_db

PERFECTIONNEMENT_COURSE = "course-v1:Raqmya+PERF+2026"
BOTH_TRACKS_COURSE = "course-v1:Raqmya+BOTH+2026"


@pytest.fixture(autouse=True)
def pipeline(settings):
    """The pipeline as the Tutor plugin configures it, with enforcement on unless a test turns it off."""
    settings.OPEN_EDX_FILTERS_CONFIG = {
        CourseEnrollmentStarted.filter_type: {"fail_silently": True, "pipeline": [STEP_PATH]},
    }
    settings.RAQMYA_ENFORCE_TRACK_ENROLLMENT = True
    CatalogueEntry.objects.create(course=Course.objects.create(course_key=PERFECTIONNEMENT_COURSE),
                                  tracks=["perfectionnement"], hours=20)
    CatalogueEntry.objects.create(course=Course.objects.create(course_key=BOTH_TRACKS_COURSE),
                                  tracks=["perfectionnement", "acculturation"], hours=20)


def learner_of(track: str | None):
    user = make_user()
    make_profile(user)
    BeneficiaryProfile.objects.filter(user=user).update(track=track or "")
    return user


def test_enrollment_in_a_course_of_the_other_track_is_prevented():
    with pytest.raises(CourseEnrollmentStarted.PreventEnrollment):
        CourseEnrollmentStarted.run_filter(learner_of("acculturation"), PERFECTIONNEMENT_COURSE, "audit")


def test_prevented_enrollment_message_names_both_tracks_and_the_way_out():
    # The catalogue translates the message, and the test site speaks French: read it in English.
    with translation.override("en"), pytest.raises(CourseEnrollmentStarted.PreventEnrollment) as raised:
        CourseEnrollmentStarted.run_filter(learner_of("acculturation"), PERFECTIONNEMENT_COURSE, "audit")
    assert str(raised.value.message) == (
        "This course belongs to the track Perfectionnement digital and your track is Acculturation digitale. "
        "To change track, take the placement test again from your page, or ask the programme team."
    )


def test_enrollment_in_a_course_of_the_learner_track_passes():
    user = learner_of("perfectionnement")
    assert CourseEnrollmentStarted.run_filter(user, PERFECTIONNEMENT_COURSE, "audit") == (
        user, PERFECTIONNEMENT_COURSE, "audit")


def test_enrollment_in_a_course_of_both_tracks_passes():
    user = learner_of("acculturation")
    assert CourseEnrollmentStarted.run_filter(user, BOTH_TRACKS_COURSE, "audit")[1] == BOTH_TRACKS_COURSE


def test_enrollment_in_a_course_outside_the_catalogue_passes():
    user = learner_of("acculturation")
    assert CourseEnrollmentStarted.run_filter(user, "course-v1:Other+X+1", "audit")[1] == "course-v1:Other+X+1"


def test_enrollment_of_a_learner_without_a_track_passes():
    user = learner_of(None)
    assert CourseEnrollmentStarted.run_filter(user, PERFECTIONNEMENT_COURSE, "audit")[0] == user


def test_enrollment_of_staff_passes():
    user = learner_of("acculturation")
    user.is_staff = True
    assert CourseEnrollmentStarted.run_filter(user, PERFECTIONNEMENT_COURSE, "audit")[0] == user


def test_enrollment_with_enforcement_off_passes(settings):
    settings.RAQMYA_ENFORCE_TRACK_ENROLLMENT = False
    user = learner_of("acculturation")
    assert CourseEnrollmentStarted.run_filter(user, PERFECTIONNEMENT_COURSE, "audit")[0] == user


def test_course_tracks_of_a_listed_course():
    assert course_tracks(PERFECTIONNEMENT_COURSE) == ["perfectionnement"]


def test_course_tracks_of_a_course_outside_the_catalogue_is_empty():
    assert course_tracks("course-v1:Other+X+1") == []
