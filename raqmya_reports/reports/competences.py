"""The competence map: the average result per DigComp 2.2 competence and area, by track or region.

A result is points earned over points possible, summed over the latest attempt of each learner at
each assessment submitted in the span. A competence counts only the questions a learner was served,
because an attempt records points only for those. One grouped query whatever the number of learners.
"""

from __future__ import annotations

from django.db.models import Count, F, FloatField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from raqmya_reports.registry.choices import DIGCOMP_COMPETENCE_CODES
from raqmya_reports.registry.models import AssessmentResult

from .courses import percent_of
from .errors import InvalidReportFilter
from .figures import EVERYTHING, Restriction
from .filters import ReportFilters

_PROFILE = "user__raqmya_profile__"
COMPETENCES = tuple(sorted(DIGCOMP_COMPETENCE_CODES, key=lambda code: tuple(int(part) for part in code.split("."))))
AREAS = tuple(sorted({code.split(".")[0] for code in COMPETENCES}))
GROUPS = {"track": f"{_PROFILE}track", "region": f"{_PROFILE}region_id", "all": None}


def competence_map(filters: ReportFilters, by: str = "all", restriction: Restriction = EVERYTHING, *,
                   points: bool = False) -> list[dict]:
    """Return one row per group (track, region or ``all``): learners, then results in percent per competence and area.

    A result is ``None`` where no learner was served a question of that competence or area. With
    ``points``, each row also has ``points``: the points earned and possible behind each result,
    by competence code and by ``area N``.
    """
    if by not in GROUPS:
        raise InvalidReportFilter(f"Unknown grouping {by!r}: choose one of {', '.join(GROUPS)}.")
    start, end = filters.span()
    latest = AssessmentResult.objects.filter(
        user_id=OuterRef("user_id"), usage_key_hash=OuterRef("usage_key_hash")
    ).values("user_id").annotate(last=Max("attempt")).values("last")
    condition = filters.profile_q(_PROFILE) & restriction.profile_q(_PROFILE) & restriction.course_q("course__")
    condition &= Q(**{f"{_PROFILE}isnull": False}, submitted_at__gte=start, submitted_at__lt=end)
    if filters.course:
        condition &= Q(course__course_key=filters.course)
    results = AssessmentResult.objects.filter(condition).filter(attempt=Subquery(latest[:1]))
    sums = {"learners": Count("user_id", distinct=True)}
    for code in COMPETENCES:
        for part in ("earned", "possible"):
            sums[f"{part}_{code}"] = Sum(Cast(KT(f"competences__{code}__{part}"), FloatField()))
    grouped = results.values(group=F(GROUPS[by])) if GROUPS[by] else results.values()
    if not GROUPS[by]:
        rows = [{"group": "all", **results.aggregate(**sums)}]
    else:
        rows = list(grouped.annotate(**sums).order_by("group"))
    return [_shaped(row, points) for row in rows]


def _shaped(row: dict, points: bool = False) -> dict:
    competences, areas = {}, {}
    for code in COMPETENCES:
        earned, possible = row[f"earned_{code}"] or 0.0, row[f"possible_{code}"] or 0.0
        competences[code] = percent_of(earned, possible)
        area = code.split(".")[0]
        area_earned, area_possible = areas.get(area, (0.0, 0.0))
        areas[area] = (area_earned + earned, area_possible + possible)
    shaped = {
        "group": row["group"] or "unassigned",
        "learners": row["learners"],
        "competences": competences,
        "areas": {area: percent_of(*areas[area]) for area in AREAS},
    }
    if points:
        shaped["points"] = {
            **{code: (row[f"earned_{code}"] or 0.0, row[f"possible_{code}"] or 0.0) for code in COMPETENCES},
            **{f"area {area}": areas.get(area, (0.0, 0.0)) for area in AREAS},
        }
    return shaped
