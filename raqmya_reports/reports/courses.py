"""Completion and pass rates by course and track, from two grouped queries whatever the number of learners.

Completion rate: beneficiaries who passed the course in the span over those who enrolled in it in
the span. Pass rate: beneficiaries who passed over those who received a course grade in the span.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from raqmya_reports.registry.choices import Track
from raqmya_reports.registry.models import CourseGrade, Enrollment

from .figures import EVERYTHING, UNASSIGNED, Restriction
from .filters import ReportFilters

_PROFILE = "user__raqmya_profile__"


@dataclass(frozen=True)
class CourseRow:
    """Figures of one course for one track (or ``all``): counts, then rates in percent with one decimal."""

    course_key: str
    display_name: str
    track: str
    enrolled: int
    graded: int
    passed: int

    @property
    def completion_rate(self) -> float | None:
        """Passed over enrolled, in percent; ``None`` when nobody enrolled."""
        return percent(self.passed, self.enrolled)

    @property
    def pass_rate(self) -> float | None:
        """Passed over graded, in percent; ``None`` when nobody was graded."""
        return percent(self.passed, self.graded)


def percent(part: int, whole: int) -> float | None:
    """Return ``part`` over ``whole`` in percent, rounded half up to one decimal, or ``None`` for 0 of 0."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent_of(part: float, whole: float) -> float | None:
    """Return ``part`` over ``whole`` in percent for points (floats), one decimal, or ``None`` when ``whole`` is 0."""
    if not whole:
        return None
    return float((Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def course_rates(filters: ReportFilters, restriction: Restriction = EVERYTHING) -> list[CourseRow]:
    """Return one row per course and track, then one per course for all tracks, ordered by course key."""
    start, end = filters.span()
    in_view = filters.profile_q(_PROFILE) & restriction.profile_q(_PROFILE) & restriction.course_q("course__")
    in_view &= Q(**{f"{_PROFILE}isnull": False})
    if filters.course:
        in_view &= Q(course__course_key=filters.course)
    group = {"key": F("course__course_key"), "name": F("course__display_name"), "track": F(f"{_PROFILE}track")}
    enrolled = (
        Enrollment.objects.filter(in_view, first_enrolled_at__gte=start, first_enrolled_at__lt=end)
        .values(**group)
        .annotate(enrolled=Count("user_id", distinct=True))
    )
    graded = (
        CourseGrade.objects.annotate(pass_time=Coalesce("passed_at", "passed_changed_at", "graded_at"))
        .filter(in_view, pass_time__gte=start, pass_time__lt=end)
        .values(**group)
        .annotate(graded=Count("user_id", distinct=True), passed=Count("user_id", distinct=True, filter=Q(passed=True)))
    )
    cells: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: {"enrolled": 0, "graded": 0, "passed": 0})
    for query in (enrolled, graded):
        for row in query.order_by():
            track = row.pop("track")
            cell = cells[(row.pop("key"), row.pop("name"), track if track in Track.values else UNASSIGNED)]
            for figure, count in row.items():
                cell[figure] += count
    rows = [CourseRow(key, name, track, **figures) for (key, name, track), figures in cells.items()]
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"enrolled": 0, "graded": 0, "passed": 0})
    for row in rows:
        for figure in ("enrolled", "graded", "passed"):
            totals[(row.course_key, row.display_name)][figure] += getattr(row, figure)
    rows += [CourseRow(key, name, "all", **figures) for (key, name), figures in totals.items()]
    return sorted(rows, key=lambda row: (row.course_key, row.track == "all", row.track))
