"""Work that failed in a receiver or could not be queued, recorded and replayed by ``raqmya_reconcile``.

A failure is stored as an action name and its keyword arguments in JSON. Replaying calls
the same function again; since every fact is idempotent, a replay that already happened
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable

from django.db import transaction
from django.utils import timezone

from ..registry.models import FailedEvent

log = logging.getLogger(__name__)

_DATETIME = "$datetime"


def encode(arguments: dict[str, Any]) -> dict[str, Any]:
    """Return ``arguments`` with datetimes as ``{"$datetime": ISO 8601}`` and keys as strings."""
    encoded = {}
    for name, value in arguments.items():
        if isinstance(value, dt.datetime):
            encoded[name] = {_DATETIME: value.isoformat()}
        elif value is None or isinstance(value, (bool, int, float, str, list, dict)):
            encoded[name] = value
        else:
            encoded[name] = str(value)
    return encoded


def decode(arguments: dict[str, Any]) -> dict[str, Any]:
    """Return the keyword arguments that ``encode`` stored."""
    return {
        name: dt.datetime.fromisoformat(value[_DATETIME]) if isinstance(value, dict) and _DATETIME in value else value
        for name, value in arguments.items()
    }


def actions() -> dict[str, Callable[..., Any]]:
    """Return the functions that a failed event may name, by action name."""
    # pylint: disable=import-outside-toplevel
    from ..registry.cohorts import assign_cohort_for_enrollment
    from . import facts

    return {
        "apply_enrollment": facts.apply_enrollment,
        "apply_course_grade": facts.apply_course_grade,
        "apply_passing_status": facts.apply_passing_status,
        "apply_certificate": facts.apply_certificate,
        "apply_login": facts.apply_login,
        "apply_registration": facts.apply_registration,
        "apply_course_cohort": facts.apply_course_cohort,
        "apply_catalog_info": facts.apply_catalog_info,
        "assign_cohort": assign_cohort_for_enrollment,
    }


def record_failure(action: str, arguments: dict[str, Any], error: BaseException, *, user_id=None) -> FailedEvent:
    """Store a failed action for ``raqmya_reconcile``, outside any transaction that is rolling back."""
    return FailedEvent.objects.create(
        action=action,
        arguments=encode(arguments),
        event_type=str(arguments.get("event_type") or ""),
        event_key=str(arguments.get("event_key") or "")[:64],
        user_id=user_id,
        error=f"{type(error).__name__}: {error}",
    )


def reconcile(limit: int | None = None) -> tuple[int, int]:
    """Replay unresolved failed events, oldest first; return (repaired, still failing)."""
    repaired = failing = 0
    table = actions()
    pending = FailedEvent.objects.filter(resolved_at__isnull=True).order_by("failed_at", "pk")
    for failed in pending[:limit] if limit else pending.iterator():
        function = table.get(failed.action)
        try:
            if function is None:
                raise LookupError(f"no action named {failed.action!r}")
            with transaction.atomic():
                function(**decode(failed.arguments))
        except Exception as error:  # pylint: disable=broad-except
            failing += 1
            FailedEvent.objects.filter(pk=failed.pk).update(
                attempts=failed.attempts + 1, error=f"{type(error).__name__}: {error}"
            )
            log.warning("Replay of failed event %s (%s, user %s) failed again: %s", failed.pk, failed.action,
                        failed.user_id, error)
            continue
        repaired += 1
        FailedEvent.objects.filter(pk=failed.pk).update(resolved_at=timezone.now())
        log.info("Failed event %s (%s, user %s) replayed.", failed.pk, failed.action, failed.user_id)
    return repaired, failing
