"""Builders of users, profiles and openedx-events data for the reports app's tests."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.data import (
    CourseData,
    CourseEnrollmentData,
    CoursePassingStatusData,
    PersistentCourseGradeData,
    UserData,
    UserPersonalData,
)

from raqmya_reports.registry.models import BeneficiaryProfile

UTC = dt.timezone.utc
COURSE_KEY = "course-v1:Raqmya+DIGI101+2026"


def at(day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """Return an aware UTC datetime in March 2026."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def make_user(user_id: int | None = None, username: str | None = None):
    """Create and return a user, with a chosen id when tracking-log fixtures name it."""
    username = username or f"learner{user_id or uuid.uuid4().hex[:8]}"
    user = get_user_model()(username=username, email=f"{username}@example.org")
    if user_id is not None:
        user.pk = user_id
    user.set_unusable_password()
    user.save()
    return user


def make_profile(user, *, region: str = "MA-06", province: str = "MA-CAS", sector: str = "public_administration"):
    """Create and return a beneficiary profile of ``user``."""
    return BeneficiaryProfile.objects.create(user=user, region_id=region, province_id=province, sector=sector)


def user_data(user_id: int, username: str = "learner") -> UserData:
    """Return openedx-events ``UserData`` for a user id."""
    return UserData(
        id=user_id, is_active=True, pii=UserPersonalData(username=username, email=f"{username}@example.org")
    )


def course_data(course_key: str = COURSE_KEY, display_name: str = "") -> CourseData:
    """Return openedx-events ``CourseData`` for a course key."""
    return CourseData(course_key=CourseKey.from_string(course_key), display_name=display_name)


def enrollment_data(
    user_id: int, *, is_active: bool = True, mode: str = "audit", created: dt.datetime | None = None,
    course_key: str = COURSE_KEY, display_name: str = "",
) -> CourseEnrollmentData:
    """Return ``CourseEnrollmentData`` as the LMS sends it."""
    return CourseEnrollmentData(
        user=user_data(user_id),
        course=course_data(course_key, display_name),
        mode=mode,
        is_active=is_active,
        creation_date=created or at(1),
    )


def grade_data(
    user_id: int, *, percent: float, letter: str = "", passed_at: dt.datetime | None = None,
    course_key: str = COURSE_KEY,
) -> PersistentCourseGradeData:
    """Return ``PersistentCourseGradeData`` as the LMS grades app sends it."""
    return PersistentCourseGradeData(
        user_id=user_id,
        course=course_data(course_key),
        course_edited_timestamp=at(1),
        course_version="65c3a1f0e4b0d2a9c8f7e6d5",
        grading_policy_hash="kQ2x7VdJ3mN8pR1sT4uW6yZ9aBc=",
        percent_grade=percent,
        letter_grade=letter,
        passed_timestamp=passed_at,
    )


def passing_status_data(user_id: int, *, is_passing: bool, course_key: str = COURSE_KEY) -> CoursePassingStatusData:
    """Return ``CoursePassingStatusData`` as the LMS grades app sends it."""
    return CoursePassingStatusData(is_passing=is_passing, course=course_data(course_key), user=user_data(user_id))


def certificate_data(user_id: int, *, status: str = "downloadable", course_key: str = COURSE_KEY):
    """Return ``CertificateData`` as the LMS certificates app sends it."""
    from openedx_events.learning.data import CertificateData  # pylint: disable=import-outside-toplevel

    return CertificateData(
        user=user_data(user_id),
        course=course_data(course_key),
        mode="honor",
        grade="0.82",
        download_url="",
        name="",
        current_status=status,
    )


def make_cohort(name: str = "Pilote Casablanca 2026", **fields):
    """Create and return a cohort open through 2026, of the Perfectionnement track by default."""
    from raqmya_reports.registry.models import Cohort  # pylint: disable=import-outside-toplevel

    values = {
        "track": "perfectionnement",
        "phase": "pilot",
        "programme_year": 2026,
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 12, 31),
        "capacity": 30,
    }
    values.update(fields)
    return Cohort.objects.create(name=name, **values)
