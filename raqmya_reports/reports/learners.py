"""Learner-level rows: one per enrollment of a beneficiary, read in batches of fixed size.

Each batch is one query, keyed on the enrollment id, so a listing or an export of any length
costs one query per batch and holds one batch in memory. Unenrolled learners are listed too,
with the status ``unenrolled``.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from raqmya_reports.registry.models import CohortMembership, CourseGrade, Enrollment

from .figures import EVERYTHING, Restriction
from .filters import ReportFilters

_PROFILE = "user__raqmya_profile__"
BATCH_SIZE = 1000
ENROLLED = "enrolled"
UNENROLLED = "unenrolled"

# Columns of every learner row, then the two that only roles allowed to see identities get.
COLUMNS = (
    "user_id", "region", "province", "sector", "track", "cohort", "course_key", "status", "first_enrolled_at",
    "grade_percent", "passed", "passed_at",
)
IDENTITY_COLUMNS = ("username", "first_name", "last_name", "email")


def learner_queryset(filters: ReportFilters, restriction: Restriction = EVERYTHING):
    """Return the enrollments in view of beneficiaries enrolled in the span, ordered by enrollment id."""
    start, end = filters.span()
    condition = filters.profile_q(_PROFILE) & restriction.profile_q(_PROFILE) & restriction.course_q("course__")
    condition &= Q(**{f"{_PROFILE}isnull": False}, first_enrolled_at__gte=start, first_enrolled_at__lt=end)
    if filters.course:
        condition &= Q(course__course_key=filters.course)
    return Enrollment.objects.filter(condition).order_by("id")


def learner_rows(
    filters: ReportFilters,
    restriction: Restriction = EVERYTHING,
    *,
    identities: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Iterator[dict]:
    """Yield one dict per enrollment in view, with ``COLUMNS`` (and ``IDENTITY_COLUMNS`` when ``identities``)."""
    queryset = learner_queryset(filters, restriction)
    last_id = 0
    while True:
        batch = list(_values(queryset.filter(id__gt=last_id), identities, filters.year)[:batch_size])
        for row in batch:
            yield _shaped(row, identities)
        if len(batch) < batch_size:
            return
        last_id = batch[-1]["id"]


def _values(queryset, identities: bool, year: int):
    fields = {
        "region": F(f"{_PROFILE}region_id"),
        "province": F(f"{_PROFILE}province_id"),
        "sector": F(f"{_PROFILE}sector"),
        "track": F(f"{_PROFILE}track"),
        "course_key": F("course__course_key"),
    }
    if identities:
        fields |= {column: F(f"user__{column}") for column in IDENTITY_COLUMNS}
    # The grade of the same user in the same course, by a correlated subquery: no extra query per row.
    grades = CourseGrade.objects.filter(user_id=OuterRef("user_id"), course_id=OuterRef("course_id"))
    passed_grades = grades.filter(passed=True).annotate(at=Coalesce("passed_at", "passed_changed_at"))
    memberships = CohortMembership.objects.filter(user_id=OuterRef("user_id"), programme_year=year)
    return queryset.values("id", "user_id", "is_active", "first_enrolled_at", **fields).annotate(
        cohort=Subquery(memberships.values("cohort__name")[:1]),
        grade_percent=Subquery(grades.values("percent")[:1]),
        passed=Subquery(grades.values("passed")[:1]),
        passed_at=Subquery(passed_grades.values("at")[:1]),
    )


def _shaped(row: dict, identities: bool) -> dict:
    result = {column: row.get(column) for column in COLUMNS}
    result["status"] = ENROLLED if row["is_active"] else UNENROLLED
    result["passed"] = bool(row["passed"])
    if identities:
        result |= {column: row[column] for column in IDENTITY_COLUMNS}
    return result


def learner_page(
    filters: ReportFilters, restriction: Restriction = EVERYTHING, *, identities: bool = False
):
    """Return the learner rows as a lazy, sliceable queryset of dicts, for a paginator; shape each with ``shaped``."""
    return _values(learner_queryset(filters, restriction), identities, filters.year)


def shaped(row: dict, identities: bool) -> dict:
    """Return a row of ``learner_page`` with the public columns only."""
    return _shaped(row, identities)
