"""The programme summary: beneficiaries registered, enrolled and passed in one programme year, against the target.

Every figure comes from grouped queries (four in all), so the number of queries does not grow
with the number of learners. Only users with a ``BeneficiaryProfile`` count, so each total equals
the sum of its rows by track and the sum of its rows by region.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, F, Min, Q
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext_lazy

from raqmya_reports.registry.choices import Track
from raqmya_reports.registry.models import BeneficiaryProfile, CourseGrade, Enrollment, Region

from .errors import ReportConfigurationError
from .periods import ProgrammeYear, current_programme_year, programme_year, programme_year_of

log = logging.getLogger(__name__)

# Key of the row that gathers profiles whose track is blank or no longer one of ``Track``.
# The row is listed only when it counts someone.
UNASSIGNED_TRACK = "unassigned"
UNASSIGNED_TRACK_LABEL = gettext_lazy("No track")


@dataclass(frozen=True)
class Counts:
    """Distinct beneficiaries counted in one programme year.

    ``registered``: beneficiaries registered in the year. ``enrolled``: beneficiaries with an active
    enrollment first made in the year. ``ever_enrolled``: the same, active or not.
    ``passed``: beneficiaries who passed a course in the year.
    """

    registered: int = 0
    enrolled: int = 0
    ever_enrolled: int = 0
    passed: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, name) + getattr(other, name) for name in METRICS))


METRICS = tuple(metric.name for metric in fields(Counts))


@dataclass(frozen=True)
class BreakdownRow:
    """One row of a breakdown: a track or a region, its French and Arabic names, and its counts."""

    key: str
    name_fr: str
    name_ar: str
    counts: Counts

    def name(self, language: str | None = None) -> str:
        """Return the name in ``language`` (the active language by default); French unless Arabic."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        if language.split("-")[0] == "ar" and self.name_ar:
            return self.name_ar
        return self.name_fr

    def as_dict(self) -> dict:
        """Return the row as JSON-ready data, with the counts beside the names."""
        return {"key": self.key, "name_fr": self.name_fr, "name_ar": self.name_ar, **asdict(self.counts)}


@dataclass(frozen=True)
class ProgrammeSummary:
    """The summary of one programme year, as plain data for the dashboard, the exports and the API."""

    period: ProgrammeYear
    target: int
    totals: Counts
    by_track: tuple[BreakdownRow, ...]
    by_region: tuple[BreakdownRow, ...]

    @property
    def year(self) -> int:
        """Programme year the summary counts."""
        return self.period.year

    @property
    def target_share_percent(self) -> float:
        """Share of the yearly target reached by registered beneficiaries, in percent, one decimal."""
        return share_of_target(self.totals.registered, self.target)

    def target_shares_percent(self) -> dict[str, float]:
        """Return the share of the yearly target that each metric reaches, in percent, one decimal."""
        return {metric: share_of_target(getattr(self.totals, metric), self.target) for metric in METRICS}

    def as_dict(self) -> dict:
        """Return the summary as JSON-ready data; times are ISO 8601 in ``RAQMYA_TIME_ZONE``."""
        return {
            "report": "summary",
            "year": self.year,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "time_zone": self.period.time_zone,
            "target": self.target,
            "target_share_percent": self.target_share_percent,
            "target_shares_percent": self.target_shares_percent(),
            "totals": asdict(self.totals),
            "by_track": [row.as_dict() for row in self.by_track],
            "by_region": [row.as_dict() for row in self.by_region],
        }


def yearly_target() -> int:
    """Return ``RAQMYA_YEARLY_TARGET``, the number of beneficiaries to train in one programme year."""
    value = getattr(settings, "RAQMYA_YEARLY_TARGET", 12500)
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal() or int(text) <= 0:
        raise ReportConfigurationError(
            f"Invalid RAQMYA_YEARLY_TARGET {value!r}: set a whole number of beneficiaries above 0, such as 12500."
        )
    return int(text)


def share_of_target(count: int, target: int) -> float:
    """Return ``count`` as a percentage of ``target``, rounded half up to one decimal."""
    percent = Decimal(count) * 100 / Decimal(target)
    return float(percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def programme_summary(year: int | None = None) -> ProgrammeSummary:
    """Compute the summary of programme year ``year`` (the year in progress by default)."""
    target = yearly_target()
    period = programme_year(current_programme_year() if year is None else year)
    cells = _count_cells(period)
    by_track = _rows_by_track(cells)
    by_region = _rows_by_region(cells)
    totals = sum((row.counts for row in by_track), Counts())
    log.debug("Computed the programme summary of year %s: %s beneficiaries registered", period.year, totals.registered)
    return ProgrammeSummary(period=period, target=target, totals=totals, by_track=by_track, by_region=by_region)


def reported_years() -> list[int]:
    """Return the programme years from the first registration to the year in progress, oldest first."""
    current = current_programme_year()
    first_registered = BeneficiaryProfile.objects.aggregate(first=Min("registered_at"))["first"]
    first = min(programme_year_of(first_registered), current) if first_registered else current
    return list(range(first, current + 1))


def _count_cells(period: ProgrammeYear) -> dict[tuple[str, str], Counts]:
    """Return the counts of ``period`` per (track, region code) pair, from three grouped queries."""
    # Enrollments and grades are matched to profiles on ``user_id`` through IN subqueries, with no
    # join through the user table. ``user_id`` is unique among profiles, so counting profiles
    # counts distinct beneficiaries.
    group = {"profile_track": F("track"), "profile_region": F("region_id")}
    registered = (
        BeneficiaryProfile.objects.filter(registered_at__gte=period.start, registered_at__lt=period.end)
        .values(**group)
        .annotate(registered=Count("user_id"))
    )
    in_year = Enrollment.objects.filter(first_enrolled_at__gte=period.start, first_enrolled_at__lt=period.end)
    enrolled = (
        BeneficiaryProfile.objects.filter(user_id__in=in_year.values("user_id"))
        .values(**group)
        .annotate(
            enrolled=Count("user_id", filter=Q(user_id__in=in_year.filter(is_active=True).values("user_id"))),
            ever_enrolled=Count("user_id"),
        )
    )
    # A pass recorded without the platform's passing time is placed by the event that set it.
    passes = (
        CourseGrade.objects.annotate(pass_time=Coalesce("passed_at", "passed_changed_at"))
        .filter(passed=True, pass_time__gte=period.start, pass_time__lt=period.end)
    )
    passed = (
        BeneficiaryProfile.objects.filter(user_id__in=passes.values("user_id"))
        .values(**group)
        .annotate(passed=Count("user_id"))
    )
    values: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for query in (registered, enrolled, passed):
        for row in query.order_by():
            track = row.pop("profile_track")
            if track not in Track.values:
                track = UNASSIGNED_TRACK
            cell = values[(track, row.pop("profile_region"))]
            for metric, count in row.items():
                cell[metric] = cell.get(metric, 0) + count
    return {key: Counts(**cell) for key, cell in values.items()}


def _rows_by_track(cells: dict[tuple[str, str], Counts]) -> tuple[BreakdownRow, ...]:
    """Return one row per track, zeros included, then the unassigned row if it counts anyone."""
    totals: dict[str, Counts] = defaultdict(Counts)
    for (track, _region), counts in cells.items():
        totals[track] += counts
    rows = [_translated_row(track.value, track.label, totals[track.value]) for track in Track]
    if totals[UNASSIGNED_TRACK] != Counts():
        rows.append(_translated_row(UNASSIGNED_TRACK, UNASSIGNED_TRACK_LABEL, totals[UNASSIGNED_TRACK]))
    return tuple(rows)


def _rows_by_region(cells: dict[tuple[str, str], Counts]) -> tuple[BreakdownRow, ...]:
    """Return one row per region of the registry, in code order, zeros included."""
    totals: dict[str, Counts] = defaultdict(Counts)
    for (_track, region), counts in cells.items():
        totals[region] += counts
    regions = Region.objects.order_by("code").values_list("code", "name_fr", "name_ar")
    return tuple(
        BreakdownRow(key=code, name_fr=name_fr, name_ar=name_ar, counts=totals[code])
        for code, name_fr, name_ar in regions
    )


def _translated_row(key: str, label: object, counts: Counts) -> BreakdownRow:
    """Return a row whose names are ``label`` translated into French and into Arabic."""
    names = {}
    for language in ("fr", "ar"):
        with translation.override(language):
            names[language] = str(label)
    return BreakdownRow(key=key, name_fr=names["fr"], name_ar=names["ar"], counts=counts)


def summary_rows(summary: ProgrammeSummary) -> Iterable[tuple[str, BreakdownRow]]:
    """Yield (breakdown, row) for every row of ``summary``: the total, then by track, then by region."""
    total_names = _translated_row("all", gettext_lazy("All beneficiaries"), summary.totals)
    yield "total", total_names
    for row in summary.by_track:
        yield "track", row
    for row in summary.by_region:
        yield "region", row
