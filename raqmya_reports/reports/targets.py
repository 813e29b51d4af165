"""Targets of the programme and the year-end projection from the pace so far.

The yearly target (``RAQMYA_YEARLY_TARGET``) counts beneficiaries registered in a programme year;
the pilot target (``RAQMYA_PILOT_TARGET``) counts those registered from ``RAQMYA_PILOT_START`` to
the end of the pilot's third month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .errors import ReportConfigurationError
from .periods import ProgrammeYear, report_time_zone

PILOT_MONTHS = 3


@dataclass(frozen=True)
class PilotTarget:
    """The pilot's target and its span in local time: ``start`` included, ``end`` excluded."""

    target: int
    start: dt.datetime
    end: dt.datetime


def pilot_target() -> PilotTarget | None:
    """Return the pilot target, or ``None`` when ``RAQMYA_PILOT_START`` is not set."""
    start_text = getattr(settings, "RAQMYA_PILOT_START", "")
    if not start_text:
        return None
    target = getattr(settings, "RAQMYA_PILOT_TARGET", 1350)
    if isinstance(target, bool) or not isinstance(target, int) or target <= 0:
        raise ReportConfigurationError(
            f"Invalid RAQMYA_PILOT_TARGET {target!r}: set a whole number of beneficiaries above 0, such as 1350."
        )
    try:
        first_day = dt.date.fromisoformat(str(start_text))
    except ValueError:
        raise ReportConfigurationError(
            f"Invalid RAQMYA_PILOT_START {start_text!r}: set the pilot's first day as YYYY-MM-DD."
        ) from None
    zone = report_time_zone()
    month_index = first_day.month - 1 + PILOT_MONTHS
    end_day = dt.date(first_day.year + month_index // 12, month_index % 12 + 1, 1)
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=zone)
    return PilotTarget(target=target, start=start, end=dt.datetime.combine(end_day, dt.time.min, tzinfo=zone))


def year_end_projection(count: int, period: ProgrammeYear, now: dt.datetime | None = None) -> int | None:
    """Return ``count`` extended to the whole year at the pace of the days elapsed, or ``None`` before it starts.

    A year already over returns ``count`` itself.
    """
    now = now or timezone.now()
    if now < period.start:
        return None
    if now >= period.end:
        return count
    elapsed = (now - period.start).total_seconds()
    whole = (period.end - period.start).total_seconds()
    return round(count * whole / elapsed) if elapsed else None
