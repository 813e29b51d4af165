"""Builders of a small registry for report tests: beneficiaries, enrollments and grades, written through the ORM."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from raqmya_reports.registry.models import BeneficiaryProfile, Course, CourseGrade, Enrollment

CASABLANCA = ZoneInfo("Africa/Casablanca")
UTC = dt.timezone.utc

# A prefecture of each region the tests use, from the reference data that migration 0002 loads.
PROVINCE_OF_REGION = {"MA-01": "MA-TNG", "MA-02": "MA-OUJ", "MA-04": "MA-RAB", "MA-06": "MA-CAS", "MA-09": "MA-AGD"}


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """Return an aware datetime at the given wall-clock time in Casablanca."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=CASABLANCA)


def make_course(number: int) -> Course:
    """Create and return the course ``course-v1:Raqmya+DIGI<number>+2026``."""
    return Course.objects.create(course_key=f"course-v1:Raqmya+DIGI{number}+2026")


def make_beneficiary(
    username: str, *, region: str, track: str, created: dt.datetime, sector: str = "general_public"
) -> object:
    """Create a user with a profile in ``region`` and ``track``, created at ``created``; return the user."""
    user = get_user_model().objects.create_user(username=username, password="unused")
    BeneficiaryProfile.objects.create(
        user=user, region_id=region, province_id=PROVINCE_OF_REGION[region], sector=sector, track=track
    )
    BeneficiaryProfile.objects.filter(user=user).update(registered_at=created)
    return user


def enroll(user, course: Course, *, at: dt.datetime, active: bool = True) -> Enrollment:
    """Create and return the enrollment of ``user`` in ``course``, first made at ``at``."""
    return Enrollment.objects.create(
        user=user, course=course, first_enrolled_at=at, changed_at=at, last_event_at=at, is_active=active
    )


def grade(user, course: Course, *, at: dt.datetime, passed: bool) -> CourseGrade:
    """Create and return the grade of ``user`` in ``course`` at ``at``, passed or not."""
    return CourseGrade.objects.create(
        user=user,
        course=course,
        percent=0.8 if passed else 0.2,
        passed=passed,
        passed_at=at if passed else None,
        passed_changed_at=at,
        graded_at=at,
    )


def build_programme() -> dict:
    """Build the data set whose 2026 figures the summary tests state; return its users by name.

    In programme year 2026 (calendar year, Casablanca time):
    - ``perf_tanger``: perfectionnement, MA-01, enrolled in A, passed A.
    - ``perf_casa``: perfectionnement, MA-06, enrolled in A and B, passed both (counts once).
    - ``accu_casa``: acculturation, MA-06, enrolled in A then unenrolled (ever enrolled only).
    - ``accu_agadir``: acculturation, MA-09, registered only.
    - ``accu_tanger_2025``: acculturation, MA-01, registered in 2025, enrolled and passed in 2026.
    - ``perf_rabat``: perfectionnement, MA-04, failed A in 2026, enrolled in B in 2027.
    - ``staff``: no profile, enrolled and passed: never counted.
    """
    course_a, course_b = make_course(101), make_course(102)
    profiles = [
        ("perf_tanger", "MA-01", "perfectionnement", local(2026, 3, 1)),
        ("perf_casa", "MA-06", "perfectionnement", local(2026, 4, 2)),
        ("accu_casa", "MA-06", "acculturation", local(2026, 4, 3)),
        ("accu_agadir", "MA-09", "acculturation", local(2026, 6, 4)),
        ("accu_tanger_2025", "MA-01", "acculturation", local(2025, 6, 5)),
        ("perf_rabat", "MA-04", "perfectionnement", local(2026, 7, 6)),
    ]
    users = {
        name: make_beneficiary(name, region=region, track=track, created=created)
        for name, region, track, created in profiles
    }
    users["staff"] = get_user_model().objects.create_user(username="staff", password="unused", is_staff=True)
    enroll(users["perf_tanger"], course_a, at=local(2026, 3, 2))
    grade(users["perf_tanger"], course_a, at=local(2026, 5, 1), passed=True)
    enroll(users["perf_casa"], course_a, at=local(2026, 4, 3))
    enroll(users["perf_casa"], course_b, at=local(2026, 4, 4))
    grade(users["perf_casa"], course_a, at=local(2026, 5, 2), passed=True)
    grade(users["perf_casa"], course_b, at=local(2026, 6, 2), passed=True)
    enroll(users["accu_casa"], course_a, at=local(2026, 4, 5), active=False)
    enroll(users["accu_tanger_2025"], course_a, at=local(2026, 2, 1))
    grade(users["accu_tanger_2025"], course_a, at=local(2026, 3, 1), passed=True)
    grade(users["perf_rabat"], course_a, at=local(2026, 8, 1), passed=False)
    enroll(users["perf_rabat"], course_b, at=local(2027, 1, 5))
    enroll(users["staff"], course_a, at=local(2026, 3, 3))
    grade(users["staff"], course_a, at=local(2026, 3, 4), passed=True)
    return users
