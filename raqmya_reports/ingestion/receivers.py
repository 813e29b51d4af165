"""Receivers of the openedx-events signals that the registry records; they only unpack event data.

openedx-events calls receivers with plain ``send`` when ``settings.DEBUG`` is true, so an
exception here would reach the platform's request: every receiver logs and swallows it.
The facts run in their own savepoint, so a failed one leaves nothing half-written.
"""

from __future__ import annotations

import logging
from typing import Callable

from django.utils import timezone

from ..errors import UnknownUser
from . import facts

log = logging.getLogger(__name__)


def enrollment_created(**kwargs) -> None:
    """Record a new enrollment (``COURSE_ENROLLMENT_CREATED``)."""
    _receive(kwargs, "enrollment", lambda data, event: _apply_enrollment(data, event, data.is_active))


def enrollment_changed(**kwargs) -> None:
    """Record an enrollment's new state or mode (``COURSE_ENROLLMENT_CHANGED``)."""
    _receive(kwargs, "enrollment", lambda data, event: _apply_enrollment(data, event, data.is_active))


def unenrollment_completed(**kwargs) -> None:
    """Record that a learner left a course (``COURSE_UNENROLLMENT_COMPLETED``)."""
    _receive(kwargs, "enrollment", lambda data, event: _apply_enrollment(data, event, False))


def grade_summary_changed(**kwargs) -> None:
    """Record a course grade (``PERSISTENT_GRADE_SUMMARY_CHANGED``); passed when it has a passing time."""

    def apply(grade, event):
        facts.apply_course_grade(
            grade.user_id,
            grade.course.course_key,
            percent=float(grade.percent_grade),
            letter_grade=grade.letter_grade or "",
            passed=grade.passed_timestamp is not None,
            passed_at=grade.passed_timestamp,
            **event,
        )

    _receive(kwargs, "grade", apply)


def passing_status_updated(**kwargs) -> None:
    """Record whether a learner passes a course (``COURSE_PASSING_STATUS_UPDATED``)."""

    def apply(status, event):
        facts.apply_passing_status(status.user.id, status.course.course_key, is_passing=status.is_passing, **event)

    _receive(kwargs, "course_passing_status", apply)


def _apply_enrollment(enrollment, event: dict, is_active: bool) -> None:
    """Hand an enrollment's data to the facts."""
    facts.apply_enrollment(
        enrollment.user.id,
        enrollment.course.course_key,
        is_active=bool(is_active),
        mode=enrollment.mode or "",
        enrolled_at=enrollment.creation_date,
        display_name=enrollment.course.display_name or "",
        **event,
    )


def _receive(kwargs: dict, data_name: str, apply: Callable[[object, dict], None]) -> None:
    """Run ``apply(data, event)`` and log, never raise, whatever goes wrong."""
    metadata = kwargs.get("metadata")
    data = kwargs.get(data_name)
    event_id = str(metadata.id) if getattr(metadata, "id", None) else None
    event_type = getattr(metadata, "event_type", "") or data_name
    user_id, course_key = _ids(data)
    event = {
        "time": getattr(metadata, "time", None) or timezone.now(),
        "source": facts.SOURCE_SIGNAL,
        "event_key": event_id,
        "event_type": event_type,
    }
    try:
        apply(data, event)
    except UnknownUser:
        log.warning(
            "Event %s (%s) names user %s, who does not exist; skipped for course %s.",
            event_id,
            event_type,
            user_id,
            course_key,
        )
    except Exception:  # pylint: disable=broad-except
        log.exception(
            "Event %s (%s) for user %s in course %s could not be recorded; the platform carries on.",
            event_id,
            event_type,
            user_id,
            course_key,
        )


def _ids(data) -> tuple[object, object]:
    """Return the user id and course key of event data, or ``None`` for what it lacks."""
    user_id = getattr(data, "user_id", None)
    if user_id is None:
        user_id = getattr(getattr(data, "user", None), "id", None)
    course_key = getattr(getattr(data, "course", None), "course_key", None)
    return user_id, course_key
