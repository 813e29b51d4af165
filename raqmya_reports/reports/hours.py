"""Training hours: the catalogue hours of the courses that beneficiaries passed, against the catalogue's hours.

A course passed by 3 beneficiaries delivers its hours 3 times. Two aggregate queries, whatever the
number of learners; a course without a catalogue entry counts no hours.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from raqmya_reports.registry.models import CatalogueEntry, CourseGrade

from .figures import EVERYTHING, Restriction
from .filters import ReportFilters

_PROFILE = "user__raqmya_profile__"


def training_hours(filters: ReportFilters, restriction: Restriction = EVERYTHING) -> dict:
    """Return the hours delivered in the span, by track and in all, and the hours of the visible catalogue."""
    start, end = filters.span()
    condition = filters.profile_q(_PROFILE) & restriction.profile_q(_PROFILE) & restriction.course_q("course__")
    condition &= Q(**{f"{_PROFILE}isnull": False}, passed=True)
    if filters.course:
        condition &= Q(course__course_key=filters.course)
    passes = (
        CourseGrade.objects.annotate(pass_time=Coalesce("passed_at", "passed_changed_at"))
        .filter(condition, pass_time__gte=start, pass_time__lt=end)
        .values(track=F(f"{_PROFILE}track"))
        .annotate(hours=Sum("course__catalogue_entry__hours"))
    )
    by_track = {row["track"] or "unassigned": row["hours"] or Decimal("0") for row in passes.order_by()}
    catalogue = CatalogueEntry.objects.filter(hidden=False).filter(restriction.course_q("course__"))
    catalogue_hours = catalogue.aggregate(hours=Sum("hours"))["hours"] or Decimal("0")
    return {
        "delivered": float(sum(by_track.values(), Decimal("0"))),
        "by_track": {track: float(hours) for track, hours in sorted(by_track.items())},
        "catalogue": float(catalogue_hours),
    }
