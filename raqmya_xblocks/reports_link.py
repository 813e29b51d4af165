"""The one place where the XBlocks call the reports app, through ``raqmya_reports.api`` only.

The XBlocks also run without the app (in a bare workbench or on a site that does not install
it), so the api module is imported inside each function and only when Django lists the app.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.apps import apps

log = logging.getLogger(__name__)

REPORTS_APP = "raqmya_reports"


def reports_installed() -> bool:
    """Return whether the ``raqmya_reports`` Django app is installed on this site."""
    return apps.is_installed(REPORTS_APP)


def learner_track(user_id: int) -> str | None:
    """Return the track code of learner ``user_id`` from the reports app, or None when it has none."""
    if not reports_installed():
        return None
    from raqmya_reports import api  # pylint: disable=import-outside-toplevel

    return api.get_learner_track(user_id)


def real_user_id() -> int | None:
    """Return the id of the person behind the current request, from the reports app; None without the app."""
    if not reports_installed():
        return None
    from raqmya_reports import api  # pylint: disable=import-outside-toplevel

    return api.get_real_user_id()


def record_assessment_result(
    *,
    user_id: int,
    usage_key: str,
    course_key: str,
    attempt: int,
    track: str | None,
    earned: int | float,
    possible: int | float,
    passed: bool,
    competences: dict[str, dict[str, int | float]],
    submitted_at: datetime,
    questions: dict[str, dict] | None = None,
    series: str = "",
) -> bool:
    """Record one scored attempt in the reports app; return whether it was recorded.

    ``questions`` maps each served question id to its earned and possible points, ``correct``
    and its DigComp ``competence``, so that the app can analyse each question. ``series`` names
    the learner state the attempt was made in, so that the app replaces the result of an attempt
    number taken again after a reset.

    A result that the app rejects as invalid is logged and dropped, because the learner's
    submission is already stored and graded and must not fail for the sake of a report.
    """
    if not reports_installed():
        return False
    from raqmya_reports import api  # pylint: disable=import-outside-toplevel

    try:
        api.record_assessment_result(
            user_id=user_id,
            usage_key=usage_key,
            course_key=course_key,
            attempt=attempt,
            track=track,
            earned=earned,
            possible=possible,
            passed=passed,
            competences=competences,
            submitted_at=submitted_at,
            questions=questions,
            series=series,
        )
    except api.InvalidAssessmentResult as error:
        log.error(
            "Assessment result not recorded for user %s, block %s, course %s, attempt %s: %s",
            user_id,
            usage_key,
            course_key,
            attempt,
            error,
        )
        return False
    return True


def record_placement(  # pylint: disable=too-many-arguments
    *, user_id: int, usage_key: str, attempt: int, levels: dict[str, int], track: str, submitted_at: datetime,
    course_key: str = "", items: dict[str, dict] | None = None,
) -> bool | None:
    """Record a finished placement run, its items and the track it gives; return whether it was recorded.

    Return None when the learner has no beneficiary profile, in which case nothing is stored. As for
    assessment results, a rejection by the app is logged and the learner keeps their result.
    """
    if not reports_installed():
        return False
    from raqmya_reports import api  # pylint: disable=import-outside-toplevel

    try:
        return api.record_placement(user_id=user_id, usage_key=usage_key, attempt=attempt, levels=levels,
                                    track=track, submitted_at=submitted_at, course_key=course_key or None,
                                    items=items)
    except api.InvalidBeneficiary as error:
        log.warning("Placement not recorded for user %s, block %s, attempt %s: %s", user_id, usage_key, attempt,
                    error)
        return None
    except api.InvalidAssessmentResult as error:
        log.error("Placement not recorded for user %s, block %s, attempt %s: %s", user_id, usage_key, attempt, error)
        return False


def placement_recorded(*, user_id: int, usage_key: str, attempt: int) -> bool:
    """Return whether the reports app contains the learner's placement run ``attempt``, False without the app."""
    if not reports_installed():
        return False
    from raqmya_reports import api  # pylint: disable=import-outside-toplevel

    return api.placement_recorded(user_id=user_id, usage_key=usage_key, attempt=attempt)


def record_placement_reset(*, user_id: int, usage_key: str, reset_at: datetime) -> int:
    """Tell the reports app that staff reset the learner's placement runs; return the runs it marked."""
    if not reports_installed():
        return 0
    from raqmya_reports import api  # pylint: disable=import-outside-toplevel

    try:
        return api.record_placement_reset(user_id=user_id, usage_key=usage_key, reset_at=reset_at)
    except api.InvalidAssessmentResult as error:
        log.error("Placement reset not recorded for user %s, block %s: %s", user_id, usage_key, error)
        return 0


def describe_courses(course_keys: list[str]) -> list[dict]:
    """Return each course's key, name and about page address from the reports app; without it, the key as name."""
    if not reports_installed():
        return [{"course_key": key, "name": key, "about_url": None} for key in course_keys]
    from raqmya_reports import api  # pylint: disable=import-outside-toplevel

    return api.describe_courses(course_keys)


def recommended_courses(user_id: int, language: str | None = None) -> list[str]:
    """Return the course keys that the reports app recommends to learner ``user_id``, in ``language`` first.

    Without the reports app, the list is empty.
    """
    if not reports_installed():
        return []
    from raqmya_reports import api  # pylint: disable=import-outside-toplevel

    return api.recommended_courses(user_id, language=language)
