"""The openedx-events that the stand-in LMS sends, built from the same data classes as edx-platform's.

Every devstack action that the LMS would report (a registration, an enrollment, a course
grade) goes through these functions, so the plugin's receivers see exactly what they see
in the LMS: real signals, real metadata, real data classes.
"""

from __future__ import annotations

from datetime import datetime

from opaque_keys.edx.keys import CourseKey
from openedx_events.content_authoring.data import CourseCatalogData, CourseScheduleData
from openedx_events.content_authoring.signals import COURSE_CATALOG_INFO_CHANGED
from openedx_events.learning.data import (
    CourseData,
    CourseEnrollmentData,
    CoursePassingStatusData,
    PersistentCourseGradeData,
    UserData,
    UserPersonalData,
)
from openedx_events.learning.signals import (
    COURSE_ENROLLMENT_CREATED,
    COURSE_PASSING_STATUS_UPDATED,
    COURSE_UNENROLLMENT_COMPLETED,
    PERSISTENT_GRADE_SUMMARY_CHANGED,
    STUDENT_REGISTRATION_COMPLETED,
)

# Stands in for the hash of the grading policy that the LMS sends; the devstack has one fixed policy.
GRADING_POLICY_HASH = "devstack-single-assessment"


def user_data(user) -> UserData:
    """Return the ``UserData`` of a Django user, as the LMS builds it."""
    return UserData(
        id=user.id,
        is_active=user.is_active,
        pii=UserPersonalData(username=user.username, email=user.email, name=user.get_full_name()),
    )


def course_data(course_key: str) -> CourseData:
    """Return the ``CourseData`` of a course key."""
    return CourseData(course_key=CourseKey.from_string(course_key))


def send_registration(user, time: datetime) -> None:
    """Send ``STUDENT_REGISTRATION_COMPLETED`` for a new account."""
    STUDENT_REGISTRATION_COMPLETED.send_event(time=time, user=user_data(user))


def send_enrollment(user, course_key: str, time: datetime, mode: str = "audit") -> None:
    """Send ``COURSE_ENROLLMENT_CREATED`` for an active enrollment."""
    COURSE_ENROLLMENT_CREATED.send_event(
        time=time,
        enrollment=CourseEnrollmentData(
            user=user_data(user), course=course_data(course_key), mode=mode, is_active=True, creation_date=time
        ),
    )


def send_unenrollment(user, course_key: str, time: datetime, mode: str = "audit") -> None:
    """Send ``COURSE_UNENROLLMENT_COMPLETED`` for an enrollment that the learner left."""
    COURSE_UNENROLLMENT_COMPLETED.send_event(
        time=time,
        enrollment=CourseEnrollmentData(
            user=user_data(user), course=course_data(course_key), mode=mode, is_active=False, creation_date=time
        ),
    )


def send_course_grade(user, course_key: str, percent: float, passed: bool, time: datetime) -> None:
    """Send the course grade and the passing status, in the order the LMS grades app sends them."""
    course = course_data(course_key)
    PERSISTENT_GRADE_SUMMARY_CHANGED.send_event(
        time=time,
        grade=PersistentCourseGradeData(
            user_id=user.id,
            course=course,
            course_edited_timestamp=time,
            course_version="",
            grading_policy_hash=GRADING_POLICY_HASH,
            percent_grade=percent,
            letter_grade="Pass" if passed else "",
            passed_timestamp=time if passed else None,
        ),
    )
    COURSE_PASSING_STATUS_UPDATED.send_event(
        time=time,
        course_passing_status=CoursePassingStatusData(is_passing=passed, course=course, user=user_data(user)),
    )


def send_catalog_info(course_key: str, name: str, time: datetime) -> None:
    """Send ``COURSE_CATALOG_INFO_CHANGED`` for a visible, self-paced course that Studio published."""
    COURSE_CATALOG_INFO_CHANGED.send_event(
        time=time,
        catalog_info=CourseCatalogData(
            course_key=CourseKey.from_string(course_key),
            name=name,
            schedule_data=CourseScheduleData(start=datetime(time.year, 1, 1, tzinfo=time.tzinfo), pacing="self"),
            hidden=False,
        ),
    )
