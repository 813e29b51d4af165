"""Receivers of the openedx-events signals that the registry records; they only unpack event data.

openedx-events calls receivers with plain ``send`` when ``settings.DEBUG`` is true, so an
exception here would reach the platform's request: every receiver logs and swallows it.
The facts run in their own savepoint, so a failed one leaves nothing half-written, and
the failure is stored for ``raqmya_reconcile``. An unknown user is logged and skipped.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import platform
from ..errors import UnknownUser
from ..registry import join
from . import facts, replay

log = logging.getLogger(__name__)


def enrollment_created(**kwargs) -> None:
    """Record a new enrollment (``COURSE_ENROLLMENT_CREATED``), then queue its cohort follow-up."""
    enrollment = kwargs.get("enrollment")
    outcome = _run(kwargs, "apply_enrollment", lambda: _enrollment_arguments(enrollment, enrollment.is_active))
    if outcome is facts.Outcome.APPLIED and enrollment.is_active and _auto_assign():
        user_id, course_key = enrollment.user.id, str(enrollment.course.course_key)
        transaction.on_commit(lambda: queue_cohort_assignment(user_id, course_key))


def enrollment_changed(**kwargs) -> None:
    """Record an enrollment's new state or mode (``COURSE_ENROLLMENT_CHANGED``)."""
    enrollment = kwargs.get("enrollment")
    _run(kwargs, "apply_enrollment", lambda: _enrollment_arguments(enrollment, enrollment.is_active))


def unenrollment_completed(**kwargs) -> None:
    """Record that a learner left a course (``COURSE_UNENROLLMENT_COMPLETED``)."""
    enrollment = kwargs.get("enrollment")
    _run(kwargs, "apply_enrollment", lambda: _enrollment_arguments(enrollment, False))


def grade_summary_changed(**kwargs) -> None:
    """Record a course grade (``PERSISTENT_GRADE_SUMMARY_CHANGED``); passed when it has a passing time."""
    grade = kwargs.get("grade")
    _run(
        kwargs,
        "apply_course_grade",
        lambda: {
            "user_id": grade.user_id,
            "course_key": str(grade.course.course_key),
            "percent": float(grade.percent_grade),
            "letter_grade": grade.letter_grade or "",
            "passed": grade.passed_timestamp is not None,
            "passed_at": grade.passed_timestamp,
        },
    )


def passing_status_updated(**kwargs) -> None:
    """Record whether a learner passes a course (``COURSE_PASSING_STATUS_UPDATED``)."""
    status = kwargs.get("course_passing_status")
    _run(
        kwargs,
        "apply_passing_status",
        lambda: {
            "user_id": status.user.id, "course_key": str(status.course.course_key), "is_passing": status.is_passing,
        },
    )


def certificate_created(**kwargs) -> None:
    """Record a certificate (``CERTIFICATE_CREATED``)."""
    _run(kwargs, "apply_certificate", lambda: _certificate_arguments(kwargs.get("certificate")))


def certificate_revoked(**kwargs) -> None:
    """Record that a certificate was revoked (``CERTIFICATE_REVOKED``)."""
    _run(kwargs, "apply_certificate", lambda: _certificate_arguments(kwargs.get("certificate"), status="revoked"))


def cohort_membership_changed(**kwargs) -> None:
    """Record a course cohort change that mirrors a programme cohort (``COHORT_MEMBERSHIP_CHANGED``)."""
    cohort = kwargs.get("cohort")
    _run(
        kwargs,
        "apply_course_cohort",
        lambda: {"user_id": cohort.user.id, "course_key": str(cohort.course.course_key), "cohort_name": cohort.name},
    )


def registration_completed(**kwargs) -> None:
    """Record a new beneficiary's registration time, default track and join link (``STUDENT_REGISTRATION_COMPLETED``).

    The LMS sends the event inside the registration request, so the join link's cookie is read
    from that request. A replay by ``raqmya_reconcile`` reuses the code read then.
    """
    _run(kwargs, "apply_registration", lambda: _registration_arguments(kwargs.get("user")))


def login_completed(**kwargs) -> None:
    """Count a login in the learner's daily activity (``SESSION_LOGIN_COMPLETED``)."""
    _run(kwargs, "apply_login", lambda: {"user_id": kwargs.get("user").id})


def catalog_info_changed(**kwargs) -> None:
    """Keep a catalogue course's name, visibility and dates (``COURSE_CATALOG_INFO_CHANGED``)."""
    info = kwargs.get("catalog_info")
    _run(
        kwargs,
        "apply_catalog_info",
        lambda: {
            "course_key": str(info.course_key),
            "name": info.name or "",
            "hidden": bool(info.hidden),
            "starts_at": _optional_datetime(getattr(info.schedule_data, "start", None)),
            "ends_at": _optional_datetime(getattr(info.schedule_data, "end", None)),
        },
    )


def _optional_datetime(value):
    """Return ``value`` when it is a datetime or None; raise ``TypeError`` so that the event is skipped.

    A date that is not a datetime fails the same way on every replay, so it is rejected here and
    not recorded for ``raqmya_reconcile``.
    """
    if value is not None and not isinstance(value, datetime):
        raise TypeError(f"expected a datetime or None, got {type(value).__name__}")
    return value


def queue_cohort_assignment(user_id: int, course_key: str) -> None:
    """Queue the cohort task; when the broker cannot take it, log and record it for ``raqmya_reconcile``."""
    from ..tasks import assign_cohort_task  # pylint: disable=import-outside-toplevel

    arguments = {"user_id": user_id, "course_key": course_key}
    try:
        assign_cohort_task.apply_async(kwargs=arguments, retry=False)
    except Exception as error:  # pylint: disable=broad-except
        log.exception("Cohort task for user %s in course %s could not be queued; recorded for reconcile.",
                      user_id, course_key)
        _record_failure("assign_cohort", arguments, error, user_id)


def _auto_assign() -> bool:
    return bool(getattr(settings, "RAQMYA_COHORT_AUTO_ASSIGN", False))


def _enrollment_arguments(enrollment, is_active: bool) -> dict[str, Any]:
    return {
        "user_id": enrollment.user.id,
        "course_key": str(enrollment.course.course_key),
        "is_active": bool(is_active),
        "mode": enrollment.mode or "",
        "enrolled_at": enrollment.creation_date,
        "display_name": enrollment.course.display_name or "",
    }


def _registration_arguments(user) -> dict[str, Any]:
    return {"user_id": user.id, "channel_code": join.channel_code(platform.current_request(), user.id)}


def _certificate_arguments(certificate, status: str | None = None) -> dict[str, Any]:
    return {
        "user_id": certificate.user.id,
        "course_key": str(certificate.course.course_key),
        "status": status or certificate.current_status or "",
        "mode": certificate.mode or "",
    }


def _run(kwargs: dict, action: str, arguments) -> facts.Outcome | None:
    """Call the fact ``action`` with the event's arguments; log, record and never raise on failure."""
    metadata = kwargs.get("metadata")
    event_id = str(metadata.id) if getattr(metadata, "id", None) else None
    event_type = getattr(metadata, "event_type", "") or action
    try:
        call = arguments()
    except Exception:  # pylint: disable=broad-except
        log.exception("Event %s (%s) carries data that cannot be read; skipped.", event_id, event_type)
        return None
    call.update(
        time=getattr(metadata, "time", None) or timezone.now(),
        source=facts.SOURCE_SIGNAL,
        event_key=event_id,
        event_type=event_type,
    )
    user_id, course_key = call.get("user_id"), call.get("course_key")
    try:
        return replay.actions()[action](**call)
    except UnknownUser:
        log.warning(
            "Event %s (%s) names user %s, who does not exist; skipped for course %s.",
            event_id,
            event_type,
            user_id,
            course_key,
        )
    except Exception as error:  # pylint: disable=broad-except
        log.exception(
            "Event %s (%s) for user %s in course %s could not be recorded; the platform carries on.",
            event_id,
            event_type,
            user_id,
            course_key,
        )
        _record_failure(action, call, error, user_id)
    return None


def _record_failure(action: str, arguments: dict, error: BaseException, user_id) -> None:
    """Store the failure for ``raqmya_reconcile``; a failure to store it is only logged."""
    try:
        with transaction.atomic():
            replay.record_failure(action, arguments, error, user_id=user_id)
    except Exception:  # pylint: disable=broad-except
        log.exception("Failure of %s for user %s could not be recorded for reconcile.", action, user_id)
