"""Scheduled exports: Celery beat entries, weekly on Monday and monthly on the 1st at 06:00 UTC, and what they run.

Each entry runs the active ``ScheduledExport`` rows set up in the admin with its frequency, then
the entries of the ``RAQMYA_SCHEDULED_EXPORTS`` setting. Both run. When a setting entry asks for the
same export as an admin row (same grant, report, format, filters and delivery), the admin row wins
and the setting's copy is skipped, so no recipient gets the same file twice.

Settings load this module before the apps are ready: models are imported inside the functions.
"""

from __future__ import annotations

from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


def beat_schedule() -> dict:
    """Return the Celery beat entries that run the weekly and the monthly scheduled exports."""
    return {
        "raqmya-weekly-exports": {
            "task": "raqmya_reports.run_scheduled_exports",
            "schedule": crontab(minute=0, hour=6, day_of_week=1),
            "args": ("weekly",),
        },
        "raqmya-monthly-exports": {
            "task": "raqmya_reports.run_scheduled_exports",
            "schedule": crontab(minute=0, hour=6, day_of_month=1),
            "args": ("monthly",),
        },
    }


def scheduled_exports(frequency: str) -> list[tuple[str, dict]]:
    """Return the exports to run at ``frequency``, each as a label for the logs and its schedule dict.

    A schedule dict has the keys of a ``RAQMYA_SCHEDULED_EXPORTS`` entry: ``scope`` (a grant id),
    ``report``, ``format``, ``filters``, ``language``, ``delivery`` and ``recipients``.
    """
    from .models import ScheduledExport  # pylint: disable=import-outside-toplevel

    planned = []
    for export in ScheduledExport.objects.filter(frequency=frequency, is_active=True).order_by("id"):
        planned.append((f"admin {export.pk}", as_schedule(export)))
    seen = {_identity(schedule) for _label, schedule in planned}
    for number, entry in enumerate(getattr(settings, "RAQMYA_SCHEDULED_EXPORTS", [])):
        if entry.get("frequency") != frequency:
            continue
        schedule = {"format": "xlsx", "filters": {}, "delivery": "stored", "recipients": [], **entry}
        if _identity(schedule) not in seen:
            planned.append((f"setting {number}", schedule))
    return planned


def as_schedule(export) -> dict:
    """Return a ``ScheduledExport`` row as a schedule dict, like an entry of the setting."""
    return {
        "scope": export.scope_id, "report": export.report, "format": export.export_format,
        "filters": dict(export.filters or {}), "language": export.language or settings.LANGUAGE_CODE,
        "delivery": export.delivery, "recipients": export.recipient_list(),
    }


def _identity(schedule: dict) -> tuple:
    filters = tuple(sorted((str(key), str(value)) for key, value in (schedule.get("filters") or {}).items()))
    return (schedule.get("scope"), schedule.get("report"), schedule.get("format"), filters, schedule.get("delivery"))


def check_schedule(export) -> None:
    """Raise ``ValidationError`` naming the field and value of ``export`` that cannot run, and how to fix it."""
    # pylint: disable=import-outside-toplevel
    from raqmya_reports.errors import RaqmyaReportsError
    from raqmya_reports.reports.filters import ReportFilters

    from .scope import scope_of_grant
    from .service import REPORTS

    if export.report not in REPORTS:
        raise ValidationError({"report": _("Unknown report %(name)r: choose one of %(accepted)s.")
                               % {"name": export.report, "accepted": ", ".join(REPORTS)}})
    languages = [code for code, _name in settings.LANGUAGES]
    if export.language and export.language not in languages:
        raise ValidationError({"language": _("Unknown language %(language)r: choose one of %(accepted)s.")
                               % {"language": export.language, "accepted": ", ".join(languages)}})
    if not isinstance(export.filters, dict):
        raise ValidationError({"filters": _("The filters %(value)r are not an object: write them as "
                                            '{"year": "2026"}.') % {"value": export.filters}})
    try:
        filters = ReportFilters.from_params(export.filters)
        if export.scope_id:
            scope_of_grant(export.scope).check_filters(filters)
    except (RaqmyaReportsError, PermissionDenied) as error:
        raise ValidationError({"filters": str(error)}) from error
    for address in export.recipient_list():
        try:
            validate_email(address)
        except ValidationError as error:
            raise ValidationError({"recipients": _("%(address)r is not an e-mail address: write one per line.")
                                   % {"address": address}}) from error
    if export.delivery == export.Delivery.EMAIL and not export.recipient_list() and export.scope_id:
        if not export.scope.user.email:
            raise ValidationError({"recipients": _("The scope's user has no e-mail address: give recipients.")})
