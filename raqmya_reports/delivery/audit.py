"""The audit log of the reports: one entry per page viewed, API call answered and export written."""

from __future__ import annotations

import logging

from raqmya_reports.reports.filters import ReportFilters

from .models import AuditLogEntry
from .scope import Scope

log = logging.getLogger(__name__)

Action = AuditLogEntry.Action


def record(user, scope: Scope, action: str, report: str, filters: ReportFilters | None, *, output_format: str = ""):
    """Store who read ``report`` with which filters, in which scope; return the entry."""
    entry = AuditLogEntry.objects.create(
        user=user,
        action=action,
        report=report[:64],
        output_format=output_format,
        filters=filters.as_dict() if filters else {},
        scope=scope.describe(),
    )
    # The command line and scheduled exports run with no user, so the log names them instead of writing "None".
    user_id = "none (command line or schedule)" if scope.user_id is None else scope.user_id
    log.info("Audit: entry %s, user %s, action %s, report %s (%s), scope %s", entry.pk, user_id, action, report,
             output_format or "html", entry.scope)
    return entry
