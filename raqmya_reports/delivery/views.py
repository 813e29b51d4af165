"""Pages of the programme reports: the dashboard, the audit log and export downloads, scoped on the server."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from kombu.exceptions import OperationalError

from raqmya_reports.api import course_names
from raqmya_reports.errors import RaqmyaReportsError
from raqmya_reports.registry.choices import Phase, Sector, Track
from raqmya_reports.registry.models import Cohort, Province, Region
from raqmya_reports.reports.errors import InvalidProgrammeYear, InvalidReportFilter
from raqmya_reports.reports.periods import programme_year, report_time_zone
from raqmya_reports.reports.summary import reported_years

from . import tasks
from .exports import CONTENT_TYPES, check_format, stream_export
from .models import AuditLogEntry
from .scope import Scope, scope_of
from .service import breakdown_data, courses_data, open_report, summary_data

log = logging.getLogger(__name__)

# The figures the page sets against the yearly target, in the order shown.
FIGURES = (
    ("registered", gettext_lazy("Beneficiaries registered")),
    ("enrolled", gettext_lazy("Beneficiaries enrolled")),
    ("active", gettext_lazy("Active beneficiaries")),
    ("completed", gettext_lazy("Beneficiaries who passed a course")),
    ("certified", gettext_lazy("Beneficiaries certified")),
)

# Reports of one row per learner, which may be long: written by a Celery task, then downloaded.
BACKGROUND_REPORTS = ("learners",)

# The downloads the dashboard offers. The learner list, only for roles that see identities, comes last.
EXPORT_LINKS = (
    ("summary", gettext_lazy("Summary")),
    ("provinces", gettext_lazy("By province")),
    ("months", gettext_lazy("By month")),
    ("courses", gettext_lazy("Courses")),
    # Per question of every assessment block: share correct, discrimination, authored and estimated difficulty.
    ("items", gettext_lazy("Item analysis")),
    ("learners", gettext_lazy("Learners")),
)


def _explain_refusal(view):
    """Turn ``PermissionDenied`` into a 403 page in the site's language: why, whom to ask, where to go instead."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            log.info("Showed the refusal page of %s to user %s: %s", request.path, request.user.pk, error)
            return forbidden_page(request, str(error))

    return wrapped


def forbidden_page(request: HttpRequest, reason: str) -> HttpResponse:
    """Render the 403 page: the reason, then a link to the dashboard the caller may see, or to their own page."""
    try:
        scope_of(request.user)
    except PermissionDenied:
        back_url, back_label = reverse("raqmya_reports:learner_page"), _("Go to my programme page")
    else:
        back_url, back_label = reverse("raqmya_reports:dashboard"), _("Go to the dashboard of your scope")
    context = {"reason": reason or _("Your account may not open this page."), "back_url": back_url,
               "back_label": back_label}
    return render(request, "raqmya_reports/forbidden.html", context, status=403)


@require_GET
@login_required
@_explain_refusal
def dashboard(request: HttpRequest) -> HttpResponse:
    """Render the figures of the filters in the query string, within the caller's scope.

    Anonymous users are redirected to ``settings.LOGIN_URL``; users without a reports role, or
    naming a territory outside their scope, get 403. An invalid filter gets 400 with a message naming it.
    """
    scope = scope_of(request.user)
    years = reported_years()
    try:
        report = open_report(request.user, "summary", request.GET, AuditLogEntry.Action.VIEW, "html")
    except (InvalidProgrammeYear, InvalidReportFilter) as error:
        context = {"years": years, "selected_year": None, "error": str(error), "summary": None}
        context |= _filter_choices(scope, request.GET)
        return render(request, "raqmya_reports/dashboard.html", context, status=400)
    filters = report.filters
    summary = summary_data(filters, scope)
    period = programme_year(filters.year)
    language = (translation.get_language() or "fr").split("-")[0]
    name_key = "name_ar" if language == "ar" else "name_fr"
    context = {
        "years": sorted({*years, filters.year}),
        "selected_year": filters.year,
        "summary": summary,
        "scoped": not scope.unrestricted,
        "figures": [_figure(summary, metric, label) for metric, label in FIGURES],
        # Dates in RAQMYA_TIME_ZONE, where the year is cut; the template filter would use TIME_ZONE.
        "first_day": period.start.date(),
        "last_day": (period.end - dt.timedelta(days=1)).date(),
        "track_rows": _named(summary["by_track"], name_key),
        "region_rows": _ranked(_named(summary["by_region"], name_key)),
        "province_rows": _named(breakdown_data(filters, scope, "province")["rows"], name_key),
        "month_rows": breakdown_data(filters, scope, "month")["rows"],
        "course_rows": _course_rows(courses_data(filters, scope)["rows"]),
        "funnel": summary["funnel"],
        "error": None,
        # The checked filters only: the download links repeat what the page shows, nothing else.
        "query": urlencode({key: value for key, value in filters.as_dict().items() if value}),
        "export_links": EXPORT_LINKS if scope.can_see_identities else EXPORT_LINKS[:-1],
    }
    context["chart_data"] = _chart_data(context)
    # The form shows the filters as they were read ("1" for a cohort given as "01"), as the links do.
    context |= _filter_choices(scope, filters.as_dict())
    return render(request, "raqmya_reports/dashboard.html", context)


@require_GET
@login_required
@_explain_refusal
def export(request: HttpRequest, report: str, export_format: str) -> HttpResponse:
    """Stream the report as a download, with the dashboard's filters; ``?bom=0`` drops the CSV byte order mark."""
    try:
        check_format(export_format)
        opened = open_report(request.user, report, request.GET, AuditLogEntry.Action.EXPORT, export_format)
    except RaqmyaReportsError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    language = (translation.get_language() or "fr").split("-")[0]
    bom = request.GET.get("bom") != "0"
    if report in BACKGROUND_REPORTS:
        return _export_in_background(request, opened, export_format, language, bom)
    chunks = stream_export(opened, export_format, language, bom=bom)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="raqmya-{report}-{opened.filters.year}.{export_format}"'
    return response


@require_GET
@login_required
@_explain_refusal
def download(request: HttpRequest, name: str) -> HttpResponse:
    """Serve an export stored by a task, to the user it was made for; 202 while it is being written.

    If the task failed, returns the reason that the task stored, with its status: 400, 500, or the
    refusal page for 403. An export that stored neither its file nor a failure within
    ``RAQMYA_EXPORT_DEADLINE`` of being queued gets 500: its worker stopped without a Python
    exception (killed for memory, at Celery's hard time limit, or restarted).
    """
    owner_folder = f"{tasks.EXPORT_FOLDER}/{request.user.pk}/"
    if not name.startswith(owner_folder) or ".." in name.split("/"):
        log.info("Denied the stored export %s to user %s: not theirs", name, request.user.pk)
        raise PermissionDenied(_("This export was made for another user."))
    export_format = name.rsplit(".", 1)[-1]
    if export_format not in CONTENT_TYPES:
        raise Http404(_("No export is stored under this name."))
    # The user's role of the moment, not the one they had when the export was requested.
    scope = scope_of(request.user)
    if default_storage.exists(name + tasks.FAILURE_SUFFIX):
        status, message = tasks.read_failure(name)
        if status == 403:
            raise PermissionDenied(message)  # the refusal page, with the role the task found missing
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    if not default_storage.exists(name):
        queued = tasks.queued_at(name)
        if queued is None or queued > time.time() + tasks.CLOCK_SKEW:
            # Not a name that the export page gave, so no task is writing it.
            raise Http404(_("No export is stored under this name: export the report again."))
        deadline = tasks.passed_deadline(name)
        if deadline is not None:
            log.error("Export %s of user %s stored neither its file nor a failure within %s s of being queued",
                      name, request.user.pk, deadline)
            message = tasks.unfinished_message(deadline)
            return HttpResponse(message, status=500, content_type="text/plain; charset=utf-8")
        message = _("The export is being prepared. Reload this page in a minute.")
        return HttpResponse(message, status=202, content_type="text/plain; charset=utf-8")
    _check_still_in_scope(scope, name)
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=name.rsplit("/", 1)[-1],
                        content_type=CONTENT_TYPES[export_format])


def _check_still_in_scope(scope: Scope, name: str) -> None:
    """Raise ``PermissionDenied`` if the user's ``scope`` no longer covers the stored export ``name``.

    A learner list needs a role that sees identities. An export written in another scope than the
    user's current one (a province taken away, for example) is rejected, unless the user now sees
    the whole programme. A file stored without its scope, by an earlier version, is checked for
    identities only.
    """
    if name.rsplit("/", 1)[-1].startswith("raqmya-learners-") and not scope.can_see_identities:
        log.info("Denied the stored export %s to user %s: their role no longer sees identities", name, scope.user_id)
        raise PermissionDenied(_("Your role no longer sees learner-level lists, so this export is not served: "
                                 "ask for a role that sees identities."))
    written = tasks.written_scope(name)
    if written is not None and not scope.unrestricted and written != scope.describe():
        log.info("Denied the stored export %s to user %s: written in scope %s, now %s", name, scope.user_id,
                 written, scope.describe())
        raise PermissionDenied(
            _("Your reports role changed since this export was written (it covered %(written)s, your role now "
              "covers %(current)s): export the report again.")
            % {"written": written, "current": scope.describe()}
        )


def _export_in_background(request, opened, export_format: str, language: str, bom: bool) -> HttpResponse:
    """Queue the export as a Celery task and redirect to where its file will be downloaded."""
    path = tasks.export_path(request.user.pk, opened.name, opened.filters.year, export_format)
    params = {key: value for key, value in opened.filters.as_dict().items() if value}
    # The task checks the scope again when it runs. The audit entry of this request already records the export.
    try:
        tasks.export_report_task.apply_async(
            (request.user.pk, opened.name, export_format, params, language, path, bom), **tasks.queue_options(path)
        )
    except OperationalError as error:  # kombu's error when the broker cannot be reached
        log.error("Export %s of user %s not queued, the broker is unreachable: %s", opened.name, request.user.pk, error)
        message = _("The export could not be started because the task queue is unavailable. Please try again later.")
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    return redirect("raqmya_reports:download", name=path)


@require_GET
@login_required
@_explain_refusal
def audit_log(request: HttpRequest) -> HttpResponse:
    """Render the audit log, newest first, 50 entries a page; for programme managers only."""
    scope = scope_of(request.user)
    if not scope.unrestricted:
        log.info("Denied the audit log to user %s: not a programme manager", request.user.pk)
        raise PermissionDenied(_("Only programme managers may read the audit log."))
    entries = AuditLogEntry.objects.select_related("user")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    names = _division_names([entry.filters or {} for entry in page])
    # In RAQMYA_TIME_ZONE with its offset, as the reports count days and months.
    zone = report_time_zone()
    rows = [{"entry": entry, "when": entry.created.astimezone(zone).isoformat(sep=" ", timespec="seconds"),
             "report": _report_label(entry.report), "scope": _scope_label(entry.scope),
             "filters": _filter_labels(entry.filters or {}, names)} for entry in page]
    return render(request, "raqmya_reports/audit_log.html", {"page": page, "rows": rows, "zone": str(zone)})


# The filters of a report, named as the dashboard's form names them.
FILTER_LABELS = {
    "year": gettext_lazy("Programme year"), "track": gettext_lazy("Track"), "phase": gettext_lazy("Phase"),
    "cohort": gettext_lazy("Cohort"), "region": gettext_lazy("Region"), "province": gettext_lazy("Province"),
    "sector": gettext_lazy("Sector"), "course": gettext_lazy("Course"), "date_from": gettext_lazy("From"),
    "date_to": gettext_lazy("To"), "usage_key": gettext_lazy("Block"),
}


# The reports that the dashboard does not offer as downloads, named for the audit log page.
OTHER_REPORT_LABELS = {
    "tracks": gettext_lazy("By track"), "regions": gettext_lazy("By region"), "sectors": gettext_lazy("By sector"),
    "genders": gettext_lazy("By gender"), "age_bands": gettext_lazy("By age band"), "phases": gettext_lazy("By phase"),
    "cohorts": gettext_lazy("By cohort"), "days": gettext_lazy("By day"), "funnel": gettext_lazy("Funnel"),
    "competences": gettext_lazy("Competences"),
}


def _report_label(name: str) -> str:
    labels = dict(EXPORT_LINKS) | OTHER_REPORT_LABELS
    return str(labels[name]) if name in labels else name


def _scope_label(scope: str) -> str:
    """Return an audit entry's scope such as ``province:MA-CAS`` as "Province: MA-CAS" in the page language."""
    if scope == "programme":
        return _("Whole programme")
    parts = []
    for part in scope.split():
        kind, _sep, value = part.partition(":")
        parts.append(_("%(label)s: %(value)s") % {"label": FILTER_LABELS.get(kind, kind), "value": value})
    return ", ".join(parts)


def _division_names(filter_sets: list[dict]) -> dict[str, dict[str, str]]:
    """Return the page-language names of the regions, provinces and cohorts that ``filter_sets`` name, by code."""
    language = (translation.get_language() or "fr").split("-")[0]
    name = "name_ar" if language == "ar" else "name_fr"
    wanted = {key: {str(filters[key]) for filters in filter_sets if filters.get(key)}
              for key in ("region", "province", "cohort")}
    cohort_ids = [int(pk) for pk in wanted["cohort"] if pk.isdigit()]
    return {
        "region": {code: label or fr for code, label, fr in
                   Region.objects.filter(code__in=wanted["region"]).values_list("code", name, "name_fr")},
        "province": {code: label or fr for code, label, fr in
                     Province.objects.filter(code__in=wanted["province"]).values_list("code", name, "name_fr")},
        "cohort": {str(pk): cohort
                   for pk, cohort in Cohort.objects.filter(pk__in=cohort_ids).values_list("pk", "name")},
    }


def _filter_labels(filters: dict, division_names: dict[str, dict[str, str]]) -> list[str]:
    """Return the filters of an audit entry as "Label: value" lines, values named where they are codes."""
    names = {"track": track_label, "phase": lambda code: _choice_label(Phase, code),
             "sector": lambda code: _choice_label(Sector, code)}
    for key, known in division_names.items():
        names[key] = lambda code, known=known: known.get(str(code), str(code))
    lines = []
    for key, value in filters.items():
        if value in ("", None):
            continue
        shown = names[key](value) if key in names else str(value)
        lines.append(_("%(label)s: %(value)s") % {"label": FILTER_LABELS.get(key, key), "value": shown})
    return lines


def _choice_label(choices, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


def _figure(summary: dict, metric: str, label) -> dict:
    """Return one headline figure: its label, count and, for the whole programme, its share of the target."""
    shares = summary.get("target_shares_percent")
    share = shares[metric] if shares else None
    return {
        "metric": metric,
        "label": label,
        "count": summary["totals"][metric],
        "share": share,
        # The bar stops at full width, and the text still gives the share beyond 100 %.
        "bar_width": f"{min(share, 100.0):.1f}" if share is not None else None,
    }


def _chart_data(context: dict) -> dict:
    """Return the figures the charts draw, with labels in the page language; the tables hold the same figures."""
    regions = sorted(context["region_rows"], key=lambda row: row["rank"] or len(context["region_rows"]) + 1)
    months = context["month_rows"]
    month_series = [("registered", _("Registered")), ("enrolled", _("Enrolled")), ("completed", _("Passed"))]
    funnel = context["funnel"]
    funnel_labels = [_("Registered"), _("Ever enrolled"), _("Enrolled"), _("Active"), _("Passed"), _("Certified")]
    return {
        "figures": {
            "labels": [str(figure["label"]) for figure in context["figures"]],
            "series": {"label": _("Beneficiaries"), "values": [figure["count"] for figure in context["figures"]]},
        },
        "regions": {
            "labels": [row["name"] for row in regions],
            "series": {"label": _("Registered"), "values": [row["registered"] for row in regions]},
        },
        "months": {
            "labels": [row["key"] for row in months],
            "series": [{"label": label, "values": [row[key] for row in months]} for key, label in month_series],
        },
        "funnel": {
            "labels": funnel_labels,
            "series": {"label": _("Beneficiaries"), "values": list(funnel.values())},
        },
    }


def track_label(code: str) -> str:
    """Return the name of a track code in the page language: "all" is every track, "" no track yet."""
    if code == "all":
        return _("All tracks")
    if code in Track.values:
        return str(Track(code).label)
    return _("No track")


def _course_rows(rows: list[dict]) -> list[dict]:
    """Name each course as the learner's page does (catalogue title, else platform name) and its track.

    Only the courses without a title in the registry are asked of the platform: one lookup per such course.
    """
    untitled = {row["course_key"] for row in rows if not row["display_name"]}
    names = course_names(untitled)
    return [{**row, "name": row["display_name"] or names.get(row["course_key"]) or row["course_key"],
             "track_name": track_label(row["track"])} for row in rows]


def _named(rows: list[dict], name_key: str) -> list[dict]:
    return [{**row, "name": row[name_key]} for row in rows]


def _ranked(rows: list[dict]) -> list[dict]:
    """Return the rows with their rank by registered beneficiaries: ties share a rank (1, 2, 2, 4)."""
    counts = [row["registered"] for row in rows if isinstance(row["registered"], int)]
    ranked = []
    for row in rows:
        value = row["registered"]
        rank = 1 + sum(1 for count in counts if count > value) if isinstance(value, int) else None
        ranked.append({**row, "rank": rank})
    return ranked


def _cohort_groups(scope: Scope) -> list[tuple[int, list[tuple[str, str]]]]:
    """Return the cohorts the caller may choose, as ``(programme year, [(id, name)])``, latest year first."""
    groups: dict[int, list[tuple[str, str]]] = {}
    cohorts = scope.cohorts().order_by("-programme_year", "name").values_list("pk", "name", "programme_year")
    for pk, name, year in cohorts:
        groups.setdefault(year, []).append((str(pk), name))
    return list(groups.items())


def _filter_choices(scope: Scope, params) -> dict:
    """Return the choices of the filter form: only the territories of the caller's scope."""
    regions = Region.objects.order_by("code")
    provinces = Province.objects.order_by("code")
    if not scope.unrestricted:
        visible = Province.objects.filter(Q(code__in=scope.provinces) | Q(region_id__in=scope.regions))
        provinces = visible.order_by("code")
        regions = regions.filter(code__in=visible.values("region_id"))
    language = (translation.get_language() or "fr").split("-")[0]
    name = "name_ar" if language == "ar" else "name_fr"
    return {
        "selected": {
            key: str(params.get(key) or "")
            for key in ("track", "phase", "cohort", "region", "province", "sector", "date_from", "date_to")
        },
        "track_choices": Track.choices,
        "phase_choices": Phase.choices,
        "cohort_groups": _cohort_groups(scope),
        "sector_choices": Sector.choices,
        "region_choices": [(code, label or fr) for code, label, fr in regions.values_list("code", name, "name_fr")],
        "province_choices": [(code, label or fr) for code, label, fr in provinces.values_list("code", name, "name_fr")],
    }
