"""Celery tasks of the report delivery: large exports written to Django storage, and scheduled exports.

A task opens its report in the scope of the user it runs for, resolved when it runs, so a role
withdrawn in the meantime is no longer used.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import time
import uuid

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from raqmya_reports.errors import RaqmyaReportsError
from raqmya_reports.reports.errors import ReportConfigurationError

from .exports import TimeLimit, check_time_limit, collector_paused, stream_export
from .models import AuditLogEntry, ReportScope
from .schedule import scheduled_exports
from .scope import scope_of, scope_of_grant
from .service import open_report_in_scope

log = logging.getLogger(__name__)

# Folder of the export files in Django storage, with one subfolder per user, so a download is checked by path.
EXPORT_FOLDER = "raqmya_exports"
# Stored beside an export's name when its task fails: the HTTP status and the message for the download page.
FAILURE_SUFFIX = ".failed.txt"
FAILURE_STATUSES = ("400", "403", "500")
# Stored beside an export's file: the scope it was written in (``Scope.describe``), which the download
# page compares with the user's scope of the moment.
SCOPE_SUFFIX = ".scope.txt"
# Seconds a queue time may lie ahead of the clock of the server that reads it (clocks of two servers).
CLOCK_SKEW = 300
# The download page's message for a failure that names no fix of the user's.
FAILED = gettext_lazy(
    "The export failed. Try again; if it fails again, ask the site's operators to read the worker's log."
)


# The download page's message for an export that stored neither its file nor a failure in time.
# ``duration`` is Django's ``timesince`` text, such as "1 hour", translated by Django.
UNFINISHED = gettext_lazy(
    "The export did not finish within %(duration)s: the worker writing it may have stopped. Export "
    "again; if it does not finish again, ask the site's operators to read the worker's log."
)


def export_path(user_id: int | None, report: str, year: int, export_format: str) -> str:
    """Return a new, unguessable storage name for an export of ``user_id``, queued now.

    Its folder starts with the Unix time at which it was queued, which ``queued_at`` reads back.
    """
    owner = user_id if user_id is not None else "scheduled"
    return f"{EXPORT_FOLDER}/{owner}/{int(time.time())}-{uuid.uuid4().hex}/raqmya-{report}-{year}.{export_format}"


def queued_at(path: str) -> int | None:
    """Return the Unix time at which the export at ``path`` was queued, or ``None`` for a name without it."""
    folder = path.split("/")[2] if path.count("/") >= 3 else ""
    stamp, dash, _rest = folder.partition("-")
    # ASCII digits only: str.isdigit also accepts "²" and Arabic-Indic digits. Twelve digits reach
    # the year 33658.
    if dash and stamp.isascii() and stamp.isdigit() and len(stamp) <= 12:
        return int(stamp)
    return None


def passed_deadline(path: str) -> int | None:
    """Return ``export_deadline()`` if it has passed since the export at ``path`` was queued, else ``None``.

    A name without a queue time gives ``None`` without reading the setting.
    """
    time_limit = export_time_limit(path)
    if time_limit is None or time.time() <= time_limit.ends_at:
        return None
    return time_limit.seconds


def queue_options(path: str) -> dict:
    """Return the Celery options of the export task writing ``path``: it expires at the export's deadline.

    A worker that takes the task after that discards it, because the download page already
    reports the export as unfinished and the user may have requested it again.
    """
    time_limit = export_time_limit(path)
    if time_limit is None:
        return {}
    return {"expires": dt.datetime.fromtimestamp(time_limit.ends_at, tz=dt.timezone.utc)}


def export_time_limit(path: str) -> TimeLimit | None:
    """Return the time by which the export at ``path`` must be written: ``export_deadline()`` after it was queued.

    A name without a queue time gives ``None`` without reading the setting.
    """
    queued = queued_at(path)
    if queued is None:
        return None
    deadline = export_deadline()
    return TimeLimit(queued + deadline, deadline)


def unfinished_message(deadline: int) -> str:
    """Return the download page's message for an export that stored nothing within ``deadline`` seconds."""
    now = timezone.now()
    return UNFINISHED % {"duration": timesince(now - dt.timedelta(seconds=deadline), now)}


def export_deadline() -> int:
    """Return ``RAQMYA_EXPORT_DEADLINE``: seconds after which an export without file or failure has failed.

    A task that ends without a Python exception stores no failure: its worker was killed (for
    memory, at Celery's hard time limit) or restarted. The seconds count from the moment the
    export was queued, so time spent waiting for a worker counts too.

    A task still writing when the deadline passes stops and stores why. A task not started by
    then is discarded (``queue_options``).
    """
    value = getattr(settings, "RAQMYA_EXPORT_DEADLINE", 3600)
    if isinstance(value, bool) or not isinstance(value, int) or value < 60:
        raise ReportConfigurationError(
            f"Invalid RAQMYA_EXPORT_DEADLINE {value!r}: set a whole number of seconds, at least 60, such as 3600."
        )
    return value


@shared_task(name="raqmya_reports.export_report")
def export_report_task(  # pylint: disable=too-many-positional-arguments
    user_id: int, report: str, export_format: str, params: dict, language: str, path: str, bom: bool = True
) -> str:
    """Write the report to Django storage at ``path`` (from ``export_path``) as ``user_id`` may see it.

    When it fails, the reason is stored at ``path + FAILURE_SUFFIX`` in ``language`` for the download
    page, and the error is raised again for Celery.
    """
    with translation.override(language):
        try:
            user = get_user_model().objects.get(pk=user_id)
            scope = scope_of(user)
            # The request that queued the export wrote its audit log entry: one entry per export.
            opened = open_report_in_scope(scope, user, report, params, AuditLogEntry.Action.EXPORT,
                                          output_format=export_format, audited=False)
            return _store(opened, export_format, language, path, bom, export_time_limit(path))
        except Exception as error:
            _store_failure(path, error, user_id, report)
            raise


def _store_failure(path: str, error: Exception, user_id: int, report: str) -> None:
    """Store why the export at ``path`` failed: the error's own message where it names the fix."""
    if isinstance(error, RaqmyaReportsError):
        status, message = 400, str(error)
    elif isinstance(error, PermissionDenied):
        status, message = 403, str(error) or _("Your account may not open this page.")
    else:
        status, message = 500, str(FAILED)
    log.error("Export %s of user %s to %s failed: %r", report, user_id, path, error)
    try:
        default_storage.save(path + FAILURE_SUFFIX, ContentFile(f"{status}\n{message}".encode("utf-8")))
    except Exception as storage_error:  # pylint: disable=broad-except
        # Any storage backend's error: the export's own error is the one raised to Celery.
        log.error("The failure of export %s could not be stored either: %r", path, storage_error)


def written_scope(path: str) -> str | None:
    """Return the scope (``Scope.describe``) that the export at ``path`` was written in, or ``None`` if not stored."""
    if not default_storage.exists(path + SCOPE_SUFFIX):
        return None
    with default_storage.open(path + SCOPE_SUFFIX, "rb") as stored:
        return stored.read().decode("utf-8", "replace")


def read_failure(path: str) -> tuple[int, str]:
    """Return the status and message stored for the failed export at ``path``.

    A failure file that ``_store_failure`` did not write (another status, no message) gives 500
    and the general message.
    """
    with default_storage.open(path + FAILURE_SUFFIX, "rb") as failure:
        status, _newline, message = failure.read().decode("utf-8", "replace").partition("\n")
    if status in FAILURE_STATUSES and message:
        return int(status), message
    log.error("The failure file of export %s is not one this app writes: %r", path, status[:20])
    return 500, str(FAILED)


@shared_task(name="raqmya_reports.run_scheduled_exports")
def run_scheduled_exports(frequency: str) -> list[str]:
    """Run the scheduled exports of this frequency (``weekly`` or ``monthly``): the admin's, then the setting's."""
    stored = []
    for label, schedule in scheduled_exports(frequency):
        try:
            stored.append(_run_schedule(schedule))
        except Exception:  # pylint: disable=broad-except
            # One broken schedule must not stop the others. It is logged with its label and grant.
            log.exception("Scheduled export %s (scope grant %s) failed", label, schedule.get("scope"))
    return stored


def _run_schedule(schedule: dict) -> str:
    """Run one scheduled export: in the scope of its ReportScope grant, stored, then e-mailed if asked."""
    grant = ReportScope.objects.select_related("user").get(pk=schedule["scope"])
    scope = scope_of_grant(grant)
    report, export_format = schedule["report"], schedule.get("format", "xlsx")
    opened = open_report_in_scope(
        scope, grant.user, report, schedule.get("filters", {}), AuditLogEntry.Action.EXPORT, output_format=export_format
    )
    path = export_path(grant.user_id, report, opened.filters.year, export_format)
    name = _store(opened, export_format, schedule.get("language", settings.LANGUAGE_CODE), path, True)
    recipients = list(schedule.get("recipients") or []) or ([grant.user.email] if grant.user.email else [])
    if schedule.get("delivery") == "email" and recipients:
        with default_storage.open(name, "rb") as stored:
            message = EmailMessage(
                subject=_("Raqmya report: %(report)s") % {"report": report},
                body=_("The scheduled report is attached."),
                to=recipients,
            )
            message.attach(name.rsplit("/", 1)[-1], stored.read())
        message.send()
        log.info("E-mailed the scheduled %s export of user %s to %s recipients", report, grant.user_id, len(recipients))
    return name


def _store(  # pylint: disable=too-many-positional-arguments
    opened, export_format: str, language: str, path: str, bom: bool, time_limit: TimeLimit | None = None
) -> str:
    """Stream the export into a temporary file, then save it to Django storage and return the stored name.

    With ``time_limit``, the export stops with ``ExportTooLong``, and nothing is saved, once its
    time has passed: while the rows are written, or when the file is whole (an XLSX file is
    compressed after its last row). The time the storage takes to save the file is not counted.
    """
    with tempfile.TemporaryFile() as buffer:
        with collector_paused():
            for chunk in stream_export(opened, export_format, language, bom=bom, time_limit=time_limit):
                buffer.write(chunk)
        check_time_limit(time_limit)
        buffer.seek(0)
        # The scope first: a file is never served without the scope it was written in.
        default_storage.save(path + SCOPE_SUFFIX, ContentFile(opened.scope.describe().encode("utf-8")))
        name = default_storage.save(path, File(buffer))
    log.info("Stored the %s export of user %s as %s", opened.name, opened.scope.user_id, name)
    return name
