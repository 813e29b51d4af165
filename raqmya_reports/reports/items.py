"""Item analysis of assessment and placement blocks: per item, who was served it, share correct, discrimination.

A block draws a few questions from its pool for each attempt, so every figure of a question
counts only the learners who were served it. Each learner counts with their latest attempt at
the block: the attempt with the highest number, provided it was submitted in the span. One
grouped query, whatever the number of learners.

The discrimination index is the point-biserial correlation, among the learners served the
question, between answering it correctly (1 or 0) and the learner's percent in the block in
that attempt. The question's own points are part of that percent (the uncorrected index). It is
``None`` when fewer than 2 learners were served the question, or when all of them answered alike
or scored alike.

The authored difficulty is the one that the question's author set, as recorded with its latest
attempt. The estimated difficulty, in logits, is ``raqmya_reports.difficulty.estimate_difficulty`` from the
share correct and the abilities of the learners served the question. A learner's ability is the
centre of their level in the question's DigComp area at their latest placement test (level 1 of 8
is -3.5 logits, level 8 is 3.5), the scale on which the placement test's items are authored. A
learner without a placement level in that area counts at 0, the middle of the scale.

Placement test blocks have rows too, one per item of their bank that was served. Each learner
counts with their latest run at the block, submitted in the span. An item counts one point, earned
when answered right. A learner's ability is the one their run estimated in the item's DigComp area,
in logits; the estimated difficulty uses it as above, and the discrimination is the point-biserial
correlation between answering right and that ability. The authored difficulty is the one the test
used in the latest run that served the item: the author's value, else the centre of the item's level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, FloatField, Func, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf

from raqmya_reports.difficulty import ability_moments, estimate_difficulty
from raqmya_reports.registry.choices import DIGCOMP_AREA_CODES, proficiency_levels
from raqmya_reports.registry.models import (
    AssessmentQuestionResult,
    AssessmentResult,
    PlacementItemResult,
    PlacementResult,
    key_hash,
)

from .courses import percent, percent_of
from .figures import EVERYTHING, Restriction
from .filters import ReportFilters

_PROFILE = "result__user__raqmya_profile__"
_PLACEMENT_PROFILE = "placement__user__raqmya_profile__"


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
    estimated_difficulty: float | None = None
    authored_difficulty: float | None = None

    @property
    def correct_rate(self) -> float | None:
        """Learners who answered correctly over learners served the question, in percent with one decimal."""
        return percent(self.correct, self.served)


def item_analysis(filters: ReportFilters, restriction: Restriction = EVERYTHING) -> list[ItemRow]:
    """Return one row per block and question id, ordered by usage key then question id.

    ``filters.usage_key`` narrows the analysis to one block; the other filters narrow the learners.
    """
    totals = _question_results(filters, restriction).values(
        usage_key=F("result__usage_key"), usage_hash=F("result__usage_key_hash"), question=F("question_id")
    ).annotate(
        served=Count("id"),
        correct_count=Count("id", filter=Q(correct=True)),
        competence_code=Max("competence"),
        earned_points=Sum("earned"),
        possible_points=Sum("possible"),
        **_correlation_sums(),
        **_ability_sums(),
        authored=_authored_difficulty(),
    )
    rows = [_item_row(row) for row in totals]
    rows.extend(_placement_item_rows(filters, restriction))
    return sorted(rows, key=lambda row: (row.usage_key, row.question_id))


def _item_row(row: dict) -> ItemRow:
    """Return the figures of one grouped row of results."""
    return ItemRow(
        usage_key=row["usage_key"], question_id=row["question"], competence=row["competence_code"],
        served=row["served"], correct=row["correct_count"], earned=float(row["earned_points"] or 0.0),
        possible=float(row["possible_points"] or 0.0), discrimination=point_biserial(row),
        estimated_difficulty=estimated_difficulty(row), authored_difficulty=row["authored"],
    )


def _placement_item_rows(filters: ReportFilters, restriction: Restriction) -> list[ItemRow]:
    """Return one row per placement block and item served, from each learner's latest run; one grouped query."""
    start, end = filters.span()
    latest = PlacementResult.objects.filter(
        user_id=OuterRef("placement__user_id"), usage_key_hash=OuterRef("placement__usage_key_hash")
    ).values("user_id").annotate(last=Max("attempt")).values("last")
    condition = filters.profile_q(_PLACEMENT_PROFILE) & restriction.profile_q(_PLACEMENT_PROFILE)
    condition &= restriction.course_q("placement__course__")
    condition &= Q(**{f"{_PLACEMENT_PROFILE}isnull": False}, placement__submitted_at__gte=start,
                   placement__submitted_at__lt=end)
    if filters.course:
        condition &= Q(placement__course__course_key=filters.course)
    if filters.usage_key:
        condition &= Q(placement__usage_key_hash=key_hash(filters.usage_key))

    right = Case(When(correct=True, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    authored = PlacementItemResult.objects.filter(
        placement__usage_key_hash=OuterRef("usage_hash"), question_id=OuterRef("question")
    ).order_by("-placement__submitted_at", "-placement_id")

    totals = PlacementItemResult.objects.filter(condition).filter(
        placement__attempt=Subquery(latest[:1])
    ).values(
        usage_key=F("placement__usage_key"), usage_hash=F("placement__usage_key_hash"), question=F("question_id")
    ).annotate(
        served=Count("id"),
        correct_count=Count("id", filter=Q(correct=True)),
        competence_code=Max("competence"),
        earned_points=Sum(right),
        possible_points=Count("id"),
        sum_ability=Sum("ability"),
        sum_ability_squared=Sum(F("ability") * F("ability"), output_field=FloatField()),
        sum_xy=Sum(right * F("ability"), output_field=FloatField()),
        authored=Subquery(authored.values("difficulty")[:1], output_field=FloatField()),
    )
    # The discrimination correlates answering right with the ability, so y's sums are the ability's.
    return [_item_row({**row, "sum_y": row["sum_ability"], "sum_yy": row["sum_ability_squared"]}) for row in totals]


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


def _authored_difficulty() -> Subquery:
    """Return the difficulty that the author set at the question's latest recorded attempt, whatever the filters."""
    latest = AssessmentQuestionResult.objects.filter(
        result__usage_key_hash=OuterRef("usage_hash"), question_id=OuterRef("question")
    ).order_by("-result__submitted_at", "-result_id")
    return Subquery(latest.values("difficulty")[:1], output_field=FloatField())


def _ability_sums() -> dict:
    """Return the sum and the sum of squares of the abilities, in logits, of the learners served each question."""
    latest = PlacementResult.objects.filter(user_id=OuterRef("result__user_id")).order_by("-submitted_at", "-pk")
    centre = (len(proficiency_levels()) + 1) / 2
    level = Case(
        *(
            When(competence__startswith=f"{area}.", then=Subquery(
                latest.annotate(level=Cast(_json_member("levels", area), FloatField())).values("level")[:1]
            ))
            for area in sorted(DIGCOMP_AREA_CODES)
        ),
        default=Value(None),
        output_field=FloatField(),
    )
    ability = Coalesce(level, Value(centre)) - Value(centre)
    return {
        "sum_ability": Sum(ability, output_field=FloatField()),
        "sum_ability_squared": Sum(ability * ability, output_field=FloatField()),
    }


def _json_member(field: str, key: str) -> Func:
    """Return the member ``key`` of a JSON object column, read with JSON_EXTRACT (SQLite, MySQL and MariaDB).

    Django's key transforms read a key made of digits, such as an area code, as an array index.
    """
    return Func(F(field), Value(f'$."{key}"', output_field=CharField()), function="JSON_EXTRACT")


def estimated_difficulty(row: dict) -> float | None:
    """Return the question's difficulty estimated from the row's results, in logits to 2 decimals."""
    mean, spread = ability_moments(row["served"], row["sum_ability"] or 0.0, row["sum_ability_squared"] or 0.0)
    estimate = estimate_difficulty(row["correct_count"], row["served"], ability=mean, ability_sd=spread)
    return None if estimate is None else round(estimate, 2)


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
