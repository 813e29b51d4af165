"""The reports as the dashboard, the API and the exports deliver them: scoped, filtered and suppressed.

Every entry point goes through ``open_report``, which resolves the caller's scope, reads the
filters, refuses a filter outside the scope and writes the audit log entry, before any figure is
computed.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from raqmya_reports.api import course_names
from raqmya_reports.registry.choices import Track
from raqmya_reports.registry.models import BeneficiaryProfile, ProgrammeTrack
from raqmya_reports.reports.competences import competence_map
from raqmya_reports.reports.courses import course_rates, percent
from raqmya_reports.reports.figures import FIGURES, beneficiary_breakdown, funnel
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.hours import training_hours
from raqmya_reports.reports.items import ItemRow, competence_results, item_analysis
from raqmya_reports.reports.learners import COLUMNS, IDENTITY_COLUMNS, learner_rows
from raqmya_reports.reports.periods import programme_year
from raqmya_reports.reports.summary import UNASSIGNED_TRACK, UNASSIGNED_TRACK_LABEL, share_of_target, yearly_target
from raqmya_reports.reports.targets import pilot_target, year_end_projection

from . import audit
from .errors import UnknownReport
from .scope import Scope, scope_of
from .suppression import hidden_label, min_cell_size, suppress_column, suppress_rows

# The scope of the command line and of scheduled exports run for the whole programme.
OPERATOR_SCOPE = Scope(user_id=None, unrestricted=True, can_see_identities=True)

# Breakdown reports by the dimension they group on.
BREAKDOWNS = {
    "tracks": "track", "regions": "region", "provinces": "province", "sectors": "sector", "genders": "gender",
    "age_bands": "age_band", "phases": "phase", "cohorts": "cohort", "months": "month", "days": "day",
}
REPORTS = ("summary", *BREAKDOWNS, "funnel", "courses", "competences", "items", "learners")
# Columns of the item analysis, one row per block and question id (never per position in an attempt).
ITEM_COLUMNS = (
    "usage_key", "question_id", "competence", "served", "correct", "correct_rate", "discrimination",
    "authored_difficulty", "estimated_difficulty",
)
# The row of the course report that counts every track together.
ALL_TRACKS_LABEL = gettext_lazy("All tracks")
# The figures that give away how many learners answered a question right, hidden together in small cells.
ITEM_RESULT_COLUMNS = ("correct_rate", "discrimination", "estimated_difficulty")


@dataclass(frozen=True)
class OpenedReport:
    """A report the caller may read: its name, the caller's scope and the checked filters."""

    name: str
    scope: Scope
    filters: ReportFilters


def open_report(user, name: str, params: Mapping[str, object], action: str, output_format: str = "") -> OpenedReport:
    """Check that ``user`` may read report ``name`` with ``params``, log it, and return what computes it.

    Raises ``PermissionDenied`` outside the scope, ``InvalidReportFilter`` or ``UnknownReport`` for a bad value.
    """
    return open_report_in_scope(scope_of(user), user, name, params, action, output_format=output_format)


def open_report_in_scope(
    scope: Scope, user, name: str, params: Mapping[str, object], action: str, *, output_format: str = "",
    audited: bool = True,
) -> OpenedReport:
    """Do what ``open_report`` does for a scope already known, such as an operator's on the command line.

    With ``audited=False`` the caller writes the audit log entry itself, once the report is delivered:
    the command line does so once its file is written.
    """
    if name not in REPORTS:
        raise UnknownReport(
            _("Unknown report %(name)r: choose one of %(accepted)s.") % {"name": name, "accepted": ", ".join(REPORTS)}
        )
    filters = ReportFilters.from_params(params)
    scope.check_filters(filters)
    if name == "learners" and not scope.can_see_identities:
        raise PermissionDenied(_("Your role may not see learner-level lists: ask for a role that sees identities."))
    if audited:
        audit.record(user, scope, action, name, filters, output_format=output_format)
    return OpenedReport(name=name, scope=scope, filters=filters)


def report_data(report: OpenedReport) -> dict:
    """Return the figures of an aggregate report as JSON-ready data (``learners`` streams: use ``learner_data``)."""
    if report.name == "summary":
        return summary_data(report.filters, report.scope)
    if report.name in BREAKDOWNS:
        return breakdown_data(report.filters, report.scope, BREAKDOWNS[report.name])
    if report.name == "funnel":
        return funnel_data(report.filters, report.scope)
    if report.name == "courses":
        return courses_data(report.filters, report.scope)
    if report.name == "competences":
        return competences_data(report.filters, report.scope)
    if report.name == "items":
        return items_data(report.filters, report.scope)
    raise UnknownReport(
        _("The report %(name)r is a list of learners: read it page by page at /api/raqmya/v1/learners/, or export "
          "it as CSV, XLSX or JSON.") % {"name": report.name}
    )


def breakdown_data(filters: ReportFilters, scope: Scope, dimension: str) -> dict:
    """Return one breakdown, with small cells suppressed when the scope asks for it."""
    breakdown = beneficiary_breakdown(filters, dimension, scope)
    rows = [{"key": row.key, "name_fr": row.name_fr, "name_ar": row.name_ar, **row.counts} for row in breakdown.rows]
    totals = dict(breakdown.totals)
    if scope.suppresses_small_cells:
        rows, totals = suppress_rows(rows, FIGURES, totals)
    return {"dimension": dimension, "filters": filters.as_dict(), "rows": rows, "totals": totals}


def summary_data(filters: ReportFilters, scope: Scope) -> dict:
    """Return the headline figures against the targets, the projection, and the breakdowns by track and region."""
    by_track = breakdown_data(filters, scope, "track")
    by_region = breakdown_data(filters, scope, "region")
    raw = beneficiary_breakdown(filters, "track", scope).totals
    target = yearly_target()
    period = programme_year(filters.year)
    data = {
        "filters": filters.as_dict(),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "time_zone": period.time_zone,
        "target": target,
        "totals": by_track["totals"],
        "by_track": by_track["rows"],
        "by_region": by_region["rows"],
        "funnel": funnel_data(filters, scope)["steps"],
        "hours": training_hours(filters, scope, min_cell_size() if scope.suppresses_small_cells else 0),
    }
    if scope.unrestricted:
        data["target_shares_percent"] = {figure: share_of_target(raw[figure], target) for figure in FIGURES}
        data["projection"] = year_end_projection(raw["registered"], period, timezone.now())
        data["pilot"] = _pilot_data(scope)
    return data


def funnel_data(filters: ReportFilters, scope: Scope) -> dict:
    """Return the funnel of the span's registrants: registered, ever enrolled, enrolled now, completed."""
    steps = funnel(filters, scope)
    if scope.suppresses_small_cells:
        shown, _total = suppress_column(list(steps.values()))
        steps = dict(zip(steps, shown))
    return {"filters": filters.as_dict(), "steps": steps}


def courses_data(filters: ReportFilters, scope: Scope) -> dict:
    """Return completion and pass rates by course and track; a rate built on a hidden count is hidden too.

    Each row names its course (``course_name``, as ``course_names`` finds it) and its track in French and Arabic.
    """
    rates = list(course_rates(filters, scope))
    names = course_names(row.course_key for row in rates if not row.display_name)
    tracks = track_names()
    rows = []
    for row in rates:
        track = tracks.get(row.track, {"fr": row.track, "ar": row.track})
        rows.append({
            "course_key": row.course_key, "display_name": row.display_name,
            "course_name": row.display_name or names[row.course_key], "track": row.track,
            "track_name_fr": track["fr"], "track_name_ar": track["ar"],
            "enrolled": row.enrolled, "graded": row.graded, "passed": row.passed,
        })
    if scope.suppresses_small_cells:
        rows = _suppressed_by_course(rows)
    for row in rows:
        numbers = all(isinstance(row[figure], int) for figure in ("enrolled", "graded", "passed"))
        row["completion_rate"] = percent(row["passed"], row["enrolled"]) if numbers else None
        row["pass_rate"] = percent(row["passed"], row["graded"]) if numbers else None
    return {"filters": filters.as_dict(), "rows": rows}


def _suppressed_by_course(rows: list[dict]) -> list[dict]:
    """Return the course rows with small counts hidden, course by course: its tracks' rows, then its "all" row.

    The "all" row of a course is the sum of its tracks' rows, so each course's tracks are one column
    whose total is that row: a hidden track's count cannot be worked out from the total and the
    other tracks. ``course_rates`` gives each course's rows together, the "all" row last.
    """
    figures = ("enrolled", "graded", "passed")
    suppressed = []
    for _course, group in itertools.groupby(rows, key=operator.itemgetter("course_key")):
        group = list(group)
        tracks = [row for row in group if row["track"] != "all"]
        everyone = [row for row in group if row["track"] == "all"]
        totals = {figure: everyone[0][figure] for figure in figures} if everyone else None
        track_rows, course_totals = suppress_rows(tracks, figures, totals)
        suppressed += track_rows + [{**row, **course_totals} for row in everyone]
    return suppressed


def competences_data(filters: ReportFilters, scope: Scope) -> dict:
    """Return the competence map for all, by track and by region; a group of too few learners shows no result.

    In a scoped report, a result whose points earned or points missed are from 0 to
    ``RAQMYA_MIN_CELL_SIZE`` (both excluded) is hidden as well: with one point a question, the
    result times the answers would give that small count away.
    """
    data = {"filters": filters.as_dict()}
    for grouping in ("all", "track", "region"):
        rows = competence_map(filters, grouping, scope, points=scope.suppresses_small_cells)
        if scope.suppresses_small_cells:
            threshold = min_cell_size()
            rows = [_hidden_results(row) if row["learners"] < threshold else _small_results_hidden(row, threshold)
                    for row in rows]
        data[grouping] = rows
    return data


def _small_results_hidden(row: dict, threshold: int) -> dict:
    """Return ``row`` without its ``points``, each result whose points earned or missed are small set to ``None``."""
    points = row.pop("points")
    for key, results in (("competences", row["competences"]), ("areas", row["areas"])):
        for code in results:
            earned, possible = points[code if key == "competences" else f"area {code}"]
            if small_share(earned, possible, threshold):
                results[code] = None
    return row


def small_share(earned: float, possible: float, threshold: int) -> bool:
    """Return whether the points ``earned`` or missed of ``possible`` are above 0 and below ``threshold``."""
    return 0 < earned < threshold or 0 < possible - earned < threshold


def _hidden_results(row: dict) -> dict:
    return {
        "group": row["group"],
        "learners": hidden_label(min_cell_size()) if row["learners"] else 0,
        "competences": dict.fromkeys(row["competences"]),
        "areas": dict.fromkeys(row["areas"]),
    }


def items_data(filters: ReportFilters, scope: Scope) -> dict:
    """Return the item analysis, one row per block and question id, and each block's results per competence.

    In a scoped report, a question served to fewer than ``RAQMYA_MIN_CELL_SIZE`` learners shows none of its
    figures. So does a question whose correct or incorrect answers number from 1 to that size less one,
    since its share correct would give that count away. A competence result shows only when one of its
    questions was served to enough learners, none of its questions hides a figure, and its points
    earned and missed are not from 0 to that size (both excluded): otherwise it would give a hidden
    count back.
    """
    rows = item_analysis(filters, scope)
    threshold = min_cell_size() if scope.suppresses_small_cells else 0
    shown_rows = [_item_row(row, threshold) for row in rows]
    # The questions whose correct count the rows hide, read once for the competence results below.
    hiding = {id(row) for row, shown in zip(rows, shown_rows) if shown["correct"] != row.correct}
    blocks = []
    for usage_key in dict.fromkeys(row.usage_key for row in rows):
        questions = [row for row in rows if row.usage_key == usage_key]
        results = competence_results(questions)
        for code in results:
            members = [row for row in questions if row.competence == code]
            if (max(row.served for row in members) < threshold
                    or any(id(row) in hiding for row in members)
                    or small_share(sum(row.earned for row in members), sum(row.possible for row in members),
                                   threshold)):
                results[code] = None
        blocks.append({"usage_key": usage_key, "competences": results})
    return {"filters": filters.as_dict(), "columns": ITEM_COLUMNS, "rows": shown_rows, "blocks": blocks}


def _item_row(row: ItemRow, threshold: int) -> dict:
    shown = {column: getattr(row, column) for column in ITEM_COLUMNS}
    hidden = dict.fromkeys(ITEM_RESULT_COLUMNS)
    if 0 < row.served < threshold:
        return {**shown, **hidden, "served": hidden_label(threshold), "correct": None}
    if 0 < row.correct < threshold or 0 < row.served - row.correct < threshold:
        return {**shown, **hidden, "correct": hidden_label(threshold)}
    return shown


def learner_columns(scope: Scope) -> tuple[str, ...]:
    """Return the columns of the learner list that ``scope`` may read."""
    return (*COLUMNS, *IDENTITY_COLUMNS) if scope.can_see_identities else COLUMNS


def learner_data(report: OpenedReport, batch_size: int | None = None) -> Iterator[dict]:
    """Yield the learner rows of ``report`` one by one, read from the database in batches."""
    keywords = {"batch_size": batch_size} if batch_size else {}
    yield from learner_rows(report.filters, report.scope, identities=report.scope.can_see_identities, **keywords)


def track_names(languages: tuple[str, ...] = ("fr", "ar")) -> dict[str, dict[str, str]]:
    """Return the French and Arabic names of each track code, ``all`` and the row of learners without a track.

    Names come from the reference data (``data/tracks.csv``, loaded as ``ProgrammeTrack``); a track missing
    there keeps the name of ``Track``, translated into each of ``languages`` only. A process that has
    not used a language yet reads its catalogues first (5 ms for Arabic), so a French export asks
    for French only.
    """
    names = {}
    for code, label in (*Track.choices, ("all", ALL_TRACKS_LABEL), (UNASSIGNED_TRACK, UNASSIGNED_TRACK_LABEL)):
        names[code] = {}
        for language in languages:
            with translation.override(language):
                names[code][language] = str(label)
    for code, name_fr, name_ar in ProgrammeTrack.objects.values_list("code", "name_fr", "name_ar"):
        names[code] = {"fr": name_fr, "ar": name_ar or name_fr}
    return names


def label_languages(language: str) -> tuple[str, ...]:
    """Return the languages of the names that ``label_in`` may read for ``language``: French, and Arabic for Arabic."""
    return ("fr", "ar") if language.split("-")[0] == "ar" else ("fr",)


def label_in(names: dict[str, str], language: str) -> str:
    """Return the Arabic name for ``ar`` and the French one otherwise, as the exports' label columns do."""
    return names["ar"] if "ar" in label_languages(language) and names.get("ar") else names["fr"]


def _pilot_data(scope: Scope) -> dict | None:
    pilot = pilot_target()
    if pilot is None:
        return None

    registered = BeneficiaryProfile.objects.filter(
        scope.profile_q(), registered_at__gte=pilot.start, registered_at__lt=pilot.end
    )
    count = registered.count()
    return {
        "target": pilot.target, "start": pilot.start.isoformat(), "end": pilot.end.isoformat(),
        "registered": count, "share_percent": share_of_target(count, pilot.target),
    }
