"""What one learner sees of their programme: track, cohort, levels per DigComp area, courses and hours.

One function builds a JSON-ready dict that the page renders and the API returns as is, so the two
never disagree. Only the learner's own rows are read.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone, translation
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from ..api import describe_courses, recommended_courses
from ..registry.models import (
    AssessmentResult,
    BeneficiaryProfile,
    CatalogueEntry,
    CohortMembership,
    CourseGrade,
    DigCompArea,
    PlacementResult,
    ProgrammeTrack,
)


def _track(profile: BeneficiaryProfile | None) -> dict | None:
    if profile is None or not profile.track:
        return None
    named = ProgrammeTrack.objects.filter(code=profile.track).first()
    return {"code": profile.track, "name": named.name if named else profile.track}


def _cohort(user_id: int) -> dict | None:
    membership = (CohortMembership.objects.filter(user_id=user_id).select_related("cohort")
                  .order_by("-cohort__programme_year", "-pk").first())
    if membership is None:
        return None
    cohort = membership.cohort
    return {"name": cohort.name, "starts_on": cohort.starts_on.isoformat(), "ends_on": cohort.ends_on.isoformat()}


def _assessment_percents(user_id: int) -> dict[str, float]:
    """Return the learner's points as a percentage per area, over the last attempt at each assessment."""
    latest: dict[str, AssessmentResult] = {}
    for result in AssessmentResult.objects.filter(user_id=user_id).order_by("submitted_at", "pk"):
        latest[result.usage_key_hash] = result
    totals: dict[str, list[float]] = {}
    for result in latest.values():
        for competence, points in (result.competences or {}).items():
            entry = totals.setdefault(competence.split(".", 1)[0], [0.0, 0.0])
            entry[0] += float(points.get("earned", 0))
            entry[1] += float(points.get("possible", 0))
    return {area: round(100 * earned / possible, 1) for area, (earned, possible) in totals.items() if possible}


def _jump_url(usage_key: str) -> str | None:
    """Return the LMS address that opens the block ``usage_key``, or None for a key outside a course."""
    try:
        key = UsageKey.from_string(usage_key)
    except InvalidKeyError:
        return None
    return f"/courses/{key.course_key}/jump_to/{key}"


def _retake(placement: PlacementResult | None, now: dt.datetime) -> dict | None:
    """Where and from when the learner may take the placement test again; None without a placement."""
    if placement is None:
        return None
    available_at = placement.submitted_at + dt.timedelta(days=getattr(settings, "RAQMYA_PLACEMENT_RETAKE_DAYS", 30))
    if placement.reset_at is not None:
        # Staff reset the learner's runs, which lets them retake the test at once.
        available_at = min(available_at, placement.reset_at)
    return {"url": _jump_url(placement.usage_key), "available_at": available_at.isoformat(),
            "allowed": now >= available_at}


def _page_language() -> str | None:
    """Return the code of the language the learner's page is shown in ("ar" for "ar-ma"), or ``None``."""
    return (translation.get_language() or "").split("-")[0] or None


def _courses(user_id: int, track: str | None) -> tuple[list[dict], dict]:
    """Return the recommended courses, each done or to do, and the hours passed against the track's hours."""
    passed = set(CourseGrade.objects.filter(user_id=user_id, passed=True).values_list("course__course_key", flat=True))
    courses = [{**course, "done": course["course_key"] in passed}
               for course in describe_courses(recommended_courses(user_id, limit=50, language=_page_language()))]
    catalogue = [entry for entry in CatalogueEntry.objects.filter(hidden=False).select_related("course")
                 if track and track in (entry.tracks or [])]
    track_hours = sum((entry.hours for entry in catalogue), Decimal("0"))
    done_hours = (CatalogueEntry.objects.filter(course__grades__user_id=user_id, course__grades__passed=True)
                  .aggregate(hours=Sum("hours"))["hours"]) or Decimal("0")
    return courses, {"completed": float(done_hours), "track": float(track_hours)}


def learner_summary(user_id: int, now: dt.datetime | None = None) -> dict:
    """Return the learner's track, cohort, levels per area, recommended courses, hours and retake link."""
    now = now or timezone.now()
    profile = BeneficiaryProfile.objects.filter(user_id=user_id).first()
    track = _track(profile)
    placement = PlacementResult.objects.filter(user_id=user_id).order_by("-submitted_at", "-pk").first()
    placement_levels = placement.levels if placement else {}
    percents = _assessment_percents(user_id)
    areas = [
        {"code": area.code, "name": area.name, "placement_level": placement_levels.get(area.code),
         "assessment_percent": percents.get(area.code)}
        for area in DigCompArea.objects.order_by("code")
    ]
    courses, hours = _courses(user_id, track["code"] if track else None)
    return {"track": track, "cohort": _cohort(user_id), "areas": areas, "courses": courses, "hours": hours,
            "placement_retake": _retake(placement, now)}
