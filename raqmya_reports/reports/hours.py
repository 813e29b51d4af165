"""Training hours: the catalogue hours of the courses that beneficiaries passed, against the catalogue's hours.

A course passed by 3 beneficiaries delivers its hours 3 times. Two aggregate queries, whatever the
number of learners; a course without a catalogue entry counts no hours.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce

from raqmya_reports.registry.models import CatalogueEntry, CourseGrade

from .figures import EVERYTHING, Restriction
from .filters import ReportFilters

_PROFILE = "user__raqmya_profile__"


def training_hours(filters: ReportFilters, restriction: Restriction = EVERYTHING, min_passes: int = 0) -> dict:
    """Return the hours delivered in the span, by track and in all, and the hours of the visible catalogue.

    With ``min_passes`` (a scoped report's smallest cell), the hours of a course passed by 1 to
    ``min_passes - 1`` beneficiaries of a track are left out, because hours over the catalogue's
    hours give that count away. ``delivered`` is then the sum of the hours shown by track, so
    nothing left out can be derived from it. A track whose every course was left out shows
    ``None``, and so does ``delivered`` when every track does. ``suppressed_courses`` counts the
    courses left out of at least one track.
    """
    start, end = filters.span()
    condition = filters.profile_q(_PROFILE) & restriction.profile_q(_PROFILE) & restriction.course_q("course__")
    condition &= Q(**{f"{_PROFILE}isnull": False}, passed=True)
    if filters.course:
        condition &= Q(course__course_key=filters.course)
    cells = (
        CourseGrade.objects.annotate(pass_time=Coalesce("passed_at", "passed_changed_at"))
        .filter(condition, pass_time__gte=start, pass_time__lt=end)
        .values("course_id", track=F(f"{_PROFILE}track"))
        .annotate(passes=Count("id"), hours=Max("course__catalogue_entry__hours"))
    )
    by_track: dict[str, Decimal | None] = {}
    suppressed = set()
    for cell in cells.order_by():
        track = cell["track"] or "unassigned"
        if 0 < cell["passes"] < min_passes and cell["hours"]:
            suppressed.add(cell["course_id"])
            by_track.setdefault(track, None)
            continue
        by_track[track] = (by_track.get(track) or Decimal("0")) + (cell["hours"] or Decimal("0")) * cell["passes"]
    shown = [hours for hours in by_track.values() if hours is not None]
    catalogue = CatalogueEntry.objects.filter(hidden=False).filter(restriction.course_q("course__"))
    catalogue_hours = catalogue.aggregate(hours=Sum("hours"))["hours"] or Decimal("0")
    return {
        "delivered": float(sum(shown, Decimal("0"))) if shown or not by_track else None,
        "by_track": {track: None if hours is None else float(hours) for track, hours in sorted(by_track.items())},
        "catalogue": float(catalogue_hours),
        "suppressed_courses": len(suppressed),
    }
