"""The programme dashboard: the yearly figures against the target, by track and by region, as one HTML page."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from raqmya_reports.reports.errors import InvalidProgrammeYear
from raqmya_reports.reports.periods import current_programme_year, validate_year
from raqmya_reports.reports.summary import programme_summary, reported_years

log = logging.getLogger(__name__)

REPORTS_PERMISSION = "raqmya_reports.view_programme_reports"

# The figures the page sets against the yearly target, in the order shown.
FIGURES = (
    ("registered", _("Beneficiaries registered")),
    ("enrolled", _("Beneficiaries enrolled")),
    ("passed", _("Beneficiaries who passed a course")),
)


def can_view_programme_reports(user) -> bool:
    """Return whether ``user`` may see the reports of every region: staff, or holders of the permission."""
    return user.is_active and (user.is_staff or user.has_perm(REPORTS_PERMISSION))


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Render the summary of the programme year chosen in ``?year=`` (the year in progress by default).

    Anonymous users are redirected to ``settings.LOGIN_URL``, and signed-in users without the right
    get 403. An invalid year gets 400, with the year selector and a message naming the value.
    """
    if not can_view_programme_reports(request.user):
        log.info("Denied the programme dashboard to user %s: not staff and without the permission", request.user.pk)
        raise PermissionDenied
    years = reported_years()
    requested = request.GET.get("year")
    try:
        year = validate_year(requested) if requested else current_programme_year()
    except InvalidProgrammeYear as error:
        context = {"years": years, "selected_year": None, "error": str(error), "summary": None}
        return render(request, "raqmya_reports/dashboard.html", context, status=400)
    summary = programme_summary(year)
    if year not in years:
        years = sorted({*years, year})
    context = {
        "years": years,
        "selected_year": year,
        "summary": summary,
        "figures": [_figure(summary, metric, label) for metric, label in FIGURES],
        # Dates in RAQMYA_TIME_ZONE, where the year is cut; the template filter would use TIME_ZONE.
        "first_day": summary.period.start.date(),
        "last_day": (summary.period.end - dt.timedelta(days=1)).date(),
        # Names in the page language: Arabic names when it is Arabic, French names otherwise.
        "track_rows": [{"name": row.name(), "counts": row.counts} for row in summary.by_track],
        "region_rows": [{"code": row.key, "name": row.name(), "counts": row.counts} for row in summary.by_region],
        "error": None,
    }
    return render(request, "raqmya_reports/dashboard.html", context)


def _figure(summary, metric: str, label) -> dict:
    """Return one figure of the page: its label, count, share of the target and bar width in percent."""
    share = summary.target_shares_percent()[metric]
    return {
        "metric": metric,
        "label": label,
        "count": getattr(summary.totals, metric),
        "share": share,
        # The bar stops at full width; the text still gives the share beyond 100 %.
        "bar_width": f"{min(share, 100.0):.1f}",
    }
