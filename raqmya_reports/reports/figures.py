"""Beneficiary figures of the programme: registered, enrolled, active, completed and certified, by one dimension.

Each beneficiary is placed once per figure: at their profile's creation (registered), their first
enrollment in the span (enrolled: still active; ever enrolled: active or not), their first active
day (active, as ``DailyActivity`` defines it), their first course passed (completed) or their first
valid certificate (certified) in the span. So the rows of any dimension add up to the total.
Every figure is one grouped query with correlated subqueries: the number of queries does not
grow with the number of learners.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Case, Count, DateField, F, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import translation
from django.utils.translation import gettext_lazy

from raqmya_reports.registry.choices import AgeBand, Gender, Phase, Sector, Track
from raqmya_reports.registry.models import (
    BeneficiaryProfile,
    Certificate,
    Cohort,
    CohortMembership,
    CourseGrade,
    DailyActivity,
    Enrollment,
    Province,
    Region,
)

from .errors import InvalidReportFilter
from .filters import ReportFilters
from .periods import report_time_zone

FIGURES = ("registered", "enrolled", "ever_enrolled", "active", "completed", "certified")
DIMENSIONS = ("track", "region", "province", "sector", "gender", "age_band", "phase", "cohort", "month", "day")
# Fields of the annotated profiles that the dimensions group on, when they do not group by a time.
_GROUP_FIELD = {
    "track": "track", "region": "region_id", "province": "province_id", "sector": "sector",
    "gender": "gender", "age_band": "age_band", "phase": "cohort_phase", "cohort": "cohort_id",
}
# Dimensions whose rows are a closed list of choices, and the label of the row of blank values.
_CHOICES = {"track": Track, "sector": Sector, "gender": Gender, "age_band": AgeBand, "phase": Phase}
UNASSIGNED = "unassigned"
UNASSIGNED_LABEL = {
    "track": gettext_lazy("No track"),
    "sector": gettext_lazy("No sector"),
    "gender": gettext_lazy("Not given"),
    "age_band": gettext_lazy("Not given"),
    "phase": gettext_lazy("No cohort"),
    "cohort": gettext_lazy("No cohort"),
}
# Figures whose anchor is a local date (``DailyActivity.day``) rather than a time.
_DATE_FIGURES = ("active",)
# The annotation that contains each figure's anchor. ``registered_at`` is already the profile's own field, so the
# registered figure's annotation takes another name.
_ANCHORS = {**{figure: f"{figure}_at" for figure in FIGURES}, "registered": "registered_in_span_at"}


class Restriction(Protocol):
    """The part of the programme a caller may see: conditions on profiles and courses (a delivery ``Scope``)."""

    def profile_q(self, prefix: str = "") -> Q:
        """Return the condition on ``BeneficiaryProfile`` rows, reached through ``prefix``, that the caller may see."""

    def course_q(self, prefix: str = "") -> Q:
        """Return the condition on course rows, reached through ``prefix``, that the caller may see."""


class Everything:
    """The restriction of a caller who may see the whole programme."""

    def profile_q(self, prefix: str = "") -> Q:  # pylint: disable=unused-argument
        """Return the condition that every profile meets."""
        return Q()

    def course_q(self, prefix: str = "") -> Q:  # pylint: disable=unused-argument
        """Return the condition that every course meets."""
        return Q()


EVERYTHING = Everything()


@dataclass(frozen=True)
class Row:
    """One row of a breakdown: its key, French and Arabic names, and a count per figure."""

    key: str
    name_fr: str
    name_ar: str
    counts: dict[str, int]

    def name(self, language: str | None = None) -> str:
        """Return the name in ``language`` (the active one by default): Arabic for ``ar``, French otherwise."""
        language = (language or translation.get_language() or "fr").split("-")[0]
        return self.name_ar if language == "ar" and self.name_ar else self.name_fr


@dataclass(frozen=True)
class Breakdown:
    """Figures of one span by one dimension, with the totals that the rows add up to."""

    dimension: str
    filters: ReportFilters
    rows: tuple[Row, ...]
    totals: dict[str, int]


def beneficiary_breakdown(
    filters: ReportFilters, dimension: str, restriction: Restriction = EVERYTHING
) -> Breakdown:
    """Return the figures of ``filters``'s span by ``dimension``, limited to what ``restriction`` sees."""
    if dimension not in DIMENSIONS:
        raise InvalidReportFilter(
            f"Unknown dimension {dimension!r}: choose one of {', '.join(DIMENSIONS)}."
        )
    profiles = _anchored_profiles(filters, restriction)
    counts: dict[str, dict[str, int]] = {}
    for figure in FIGURES:
        key = _group_key(dimension, figure)
        query = profiles.filter(**{f"{_ANCHORS[figure]}__isnull": False}).values(group=key).annotate(n=Count("user_id"))
        for row in query.order_by():
            group = _key_text(row["group"], dimension)
            counts.setdefault(group, dict.fromkeys(FIGURES, 0))[figure] += row["n"]
    rows = _rows(dimension, counts, filters, restriction)
    totals = {figure: sum(row.counts[figure] for row in rows) for figure in FIGURES}
    return Breakdown(dimension=dimension, filters=filters, rows=tuple(rows), totals=totals)


def funnel(filters: ReportFilters, restriction: Restriction = EVERYTHING) -> dict[str, int]:
    """Return how many beneficiaries registered in the span went on to enroll, be active, complete and certify."""
    start, end = filters.span()
    profiles = _anchored_profiles(filters, restriction, whole_history=True)
    registered = profiles.filter(registered_at__gte=start, registered_at__lt=end)
    return registered.aggregate(
        registered=Count("user_id"),
        ever_enrolled=Count("user_id", filter=Q(ever_enrolled_at__isnull=False)),
        enrolled=Count("user_id", filter=Q(enrolled_at__isnull=False)),
        active=Count("user_id", filter=Q(active_at__isnull=False)),
        completed=Count("user_id", filter=Q(completed_at__isnull=False)),
        certified=Count("user_id", filter=Q(certified_at__isnull=False)),
    )


def _anchored_profiles(filters: ReportFilters, restriction: Restriction, whole_history: bool = False):
    """Return the profiles in view, each annotated with the time it counts at for every figure, or null."""
    start, end = filters.span()
    enrollments = Enrollment.objects.filter(user_id=OuterRef("user_id")).filter(restriction.course_q("course__"))
    grades = CourseGrade.objects.filter(user_id=OuterRef("user_id"), passed=True).filter(
        restriction.course_q("course__")
    )
    grades = grades.annotate(pass_time=Coalesce("passed_at", "passed_changed_at"))
    if not whole_history:
        enrollments = enrollments.filter(first_enrolled_at__gte=start, first_enrolled_at__lt=end)
        grades = grades.filter(pass_time__gte=start, pass_time__lt=end)
    if filters.course:
        enrollments = enrollments.filter(course__course_key=filters.course)
        grades = grades.filter(course__course_key=filters.course)
    first_enrolled = enrollments.values("user_id").annotate(first=Min("first_enrolled_at")).values("first")
    first_active = (
        enrollments.filter(is_active=True).values("user_id").annotate(first=Min("first_enrolled_at")).values("first")
    )
    first_passed = grades.values("user_id").annotate(first=Min("pass_time")).values("first")
    certificates = Certificate.objects.filter(user_id=OuterRef("user_id"), is_valid=True).filter(
        restriction.course_q("course__")
    )
    activity = DailyActivity.objects.filter(user_id=OuterRef("user_id"))
    if not whole_history:
        certificates = certificates.filter(created_at__gte=start, created_at__lt=end)
        zone = report_time_zone()
        activity = activity.filter(day__gte=start.astimezone(zone).date(), day__lt=end.astimezone(zone).date())
    if filters.course:
        certificates = certificates.filter(course__course_key=filters.course)
    first_certified = certificates.values("user_id").annotate(first=Min("created_at")).values("first")
    first_active_day = activity.values("user_id").annotate(first=Min("day")).values("first")
    membership = CohortMembership.objects.filter(user_id=OuterRef("user_id"), programme_year=filters.year)
    profiles = BeneficiaryProfile.objects.filter(filters.profile_q()).filter(restriction.profile_q())
    registered_in_span = Q(registered_at__gte=start, registered_at__lt=end)
    return profiles.annotate(
        ever_enrolled_at=Subquery(first_enrolled[:1]),
        enrolled_at=Subquery(first_active[:1]),
        completed_at=Subquery(first_passed[:1]),
        certified_at=Subquery(first_certified[:1]),
        active_at=Subquery(first_active_day[:1]),
        cohort_id=Subquery(membership.values("cohort_id")[:1]),
        cohort_phase=Subquery(membership.values("cohort__phase")[:1]),
    ).annotate(registered_in_span_at=_when(registered_in_span))


def _when(condition: Q):
    """Return the profile's registration time when ``condition`` holds, else null."""
    return Case(When(condition, then=F("registered_at")), default=Value(None))


def _group_key(dimension: str, figure: str):
    if dimension in _GROUP_FIELD:
        return F(_GROUP_FIELD[dimension])
    if figure in _DATE_FIGURES:
        # Already a local date: no time zone to apply.
        anchor = _ANCHORS[figure]
        return TruncMonth(anchor, output_field=DateField()) if dimension == "month" else F(anchor)
    trunc = TruncMonth if dimension == "month" else TruncDate
    return trunc(_ANCHORS[figure], tzinfo=report_time_zone())


def _key_text(value: object, dimension: str) -> str:
    if dimension == "month":
        return value.strftime("%Y-%m")
    if dimension == "day":
        return value.isoformat()
    if dimension in _CHOICES and value not in _CHOICES[dimension].values:
        return UNASSIGNED
    if value is None or value == "":
        return UNASSIGNED
    return str(value)


def _rows(dimension, counts, filters, restriction) -> list[Row]:
    """Return the rows of ``dimension`` in their natural order; names in French and Arabic."""
    zero = dict.fromkeys(FIGURES, 0)
    if dimension in ("month", "day"):
        keys = _months(filters) if dimension == "month" else sorted(counts)
        return [Row(key, key, key, counts.get(key, zero)) for key in keys]
    rows: list[Row] = []
    if dimension in _CHOICES:
        choices = _CHOICES[dimension]
        rows = [_translated(choice.value, choice.label, counts.get(choice.value, zero)) for choice in choices]
    elif dimension == "cohort":
        cohorts = Cohort.objects.filter(pk__in=[key for key in counts if key != UNASSIGNED]).order_by("name")
        rows = [Row(str(pk), name, name, counts[str(pk)]) for pk, name in cohorts.values_list("pk", "name")]
    if dimension in UNASSIGNED_LABEL:
        if UNASSIGNED in counts:
            rows.append(_translated(UNASSIGNED, UNASSIGNED_LABEL[dimension], counts[UNASSIGNED]))
        return rows
    model = Region if dimension == "region" else Province
    territories = model.objects.order_by("code")
    if restriction.profile_q() != Q() or filters.region or filters.province:
        # A narrowed report lists only the territories that count someone.
        territories = territories.filter(code__in=list(counts))
    return [
        Row(code, name_fr, name_ar, counts.get(code, zero))
        for code, name_fr, name_ar in territories.values_list("code", "name_fr", "name_ar")
    ]


def _months(filters: ReportFilters) -> list[str]:
    start, end = filters.span()
    zone = report_time_zone()
    month = start.astimezone(zone).date().replace(day=1)
    last = (end.astimezone(zone) - dt.timedelta(microseconds=1)).date()
    months = []
    while month <= last:
        months.append(month.strftime("%Y-%m"))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _translated(key: str, label: object, counts: dict[str, int]) -> Row:
    names = {}
    for language in ("fr", "ar"):
        with translation.override(language):
            names[language] = str(label)
    return Row(key, names["fr"], names["ar"], counts)
