"""Item analysis of assessment blocks for authors: per question, who was served it, the share correct, discrimination.

A block draws a few questions from its pool for each attempt, so every figure of a question
counts only the learners who were served it. Each learner counts with their latest attempt at
the block: the attempt with the highest number, provided it was submitted in the span. One
grouped query, whatever the number of learners.

The discrimination index is the point-biserial correlation, among the learners served the
question, between answering it correctly (1 or 0) and the learner's percent in the block in
that attempt. The question's own points are part of that percent (the uncorrected index). It is
``None`` when fewer than 2 learners were served the question, or when all of them answered alike
or scored alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Case, Count, F, FloatField, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import NullIf

from raqmya_reports.registry.models import AssessmentQuestionResult, AssessmentResult, key_hash

from .courses import percent, percent_of
from .figures import EVERYTHING, Restriction
from .filters import ReportFilters

_PROFILE = "result__user__raqmya_profile__"


@dataclass(frozen=True)
class ItemRow:  # pylint: disable=too-many-instance-attributes
    """Figures of one question of one block: learners served it, correct answers, points and discrimination."""

    usage_key: str
    question_id: str
    competence: str
    served: int
    correct: int
    earned: float
    possible: float
    discrimination: float | None

    @property
    def correct_rate(self) -> float | None:
        """Learners who answered correctly over learners served the question, in percent with one decimal."""
        return percent(self.correct, self.served)


def item_analysis(filters: ReportFilters, restriction: Restriction = EVERYTHING) -> list[ItemRow]:
    """Return one row per block and question id, ordered by usage key then question id.

    ``filters.usage_key`` narrows the analysis to one block; the other filters narrow the learners.
    """
    totals = _question_results(filters, restriction).values(
        usage_key=F("result__usage_key"), question=F("question_id")
    ).annotate(
        served=Count("id"),
        correct_count=Count("id", filter=Q(correct=True)),
        competence_code=Max("competence"),
        earned_points=Sum("earned"),
        possible_points=Sum("possible"),
        **_correlation_sums(),
    ).order_by("usage_key", "question")
    return [
        ItemRow(
            usage_key=row["usage_key"], question_id=row["question"], competence=row["competence_code"],
            served=row["served"], correct=row["correct_count"], earned=row["earned_points"] or 0.0,
            possible=row["possible_points"] or 0.0, discrimination=point_biserial(row),
        )
        for row in totals
    ]


def competence_results(rows: list[ItemRow]) -> dict[str, float | None]:
    """Return the result in percent per competence: points earned over points possible on served questions only."""
    points: dict[str, tuple[float, float]] = {}
    for row in rows:
        earned, possible = points.get(row.competence, (0.0, 0.0))
        points[row.competence] = (earned + row.earned, possible + row.possible)
    return {code: percent_of(earned, possible) for code, (earned, possible) in sorted(points.items())}


def _question_results(filters: ReportFilters, restriction: Restriction):
    """Return the question results of the latest attempt of each learner at each block, in the filters and scope."""
    start, end = filters.span()
    latest = AssessmentResult.objects.filter(
        user_id=OuterRef("result__user_id"), usage_key_hash=OuterRef("result__usage_key_hash")
    ).values("user_id").annotate(last=Max("attempt")).values("last")
    condition = filters.profile_q(_PROFILE) & restriction.profile_q(_PROFILE) & restriction.course_q("result__course__")
    condition &= Q(**{f"{_PROFILE}isnull": False}, result__submitted_at__gte=start, result__submitted_at__lt=end)
    if filters.course:
        condition &= Q(result__course__course_key=filters.course)
    if filters.usage_key:
        condition &= Q(result__usage_key_hash=key_hash(filters.usage_key))
    return AssessmentQuestionResult.objects.filter(condition).filter(result__attempt=Subquery(latest[:1]))


def _correlation_sums() -> dict:
    """Return the sums that the point-biserial correlation needs, with x the correct flag and y the block percent."""
    block_percent = F("result__earned") / NullIf(F("result__possible"), 0.0)
    correct = Case(When(correct=True, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    return {
        "sum_y": Sum(block_percent, output_field=FloatField()),
        "sum_yy": Sum(block_percent * block_percent, output_field=FloatField()),
        "sum_xy": Sum(correct * block_percent, output_field=FloatField()),
    }


def point_biserial(row: dict) -> float | None:
    """Return the correlation of the row's sums, to 3 decimals, or ``None`` where it is not defined.

    With n learners, x the correct flag (so the sum of x squared is the sum of x) and y the percent:
    r = (n Sxy - Sx Sy) / sqrt((n Sx - Sx^2) (n Syy - Sy^2)).
    """
    n, sum_x = row["served"], row["correct_count"]
    sum_y, sum_yy, sum_xy = row["sum_y"], row["sum_yy"], row["sum_xy"]
    if n < 2 or sum_y is None:
        return None
    spread_x = n * sum_x - sum_x * sum_x
    spread_y = n * sum_yy - sum_y * sum_y
    # Float sums of equal percents may leave a tiny non-zero spread: treat it as none.
    if spread_x <= 0 or spread_y <= 1e-9:
        return None
    return round((n * sum_xy - sum_x * sum_y) / math.sqrt(spread_x * spread_y), 3)
