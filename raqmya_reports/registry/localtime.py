"""Local days and months of the programme: instants are stored in UTC, cut in ``RAQMYA_TIME_ZONE``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings


def programme_time_zone() -> ZoneInfo:
    """Return the zone of ``RAQMYA_TIME_ZONE`` (default Africa/Casablanca), read at each call."""
    return ZoneInfo(getattr(settings, "RAQMYA_TIME_ZONE", "Africa/Casablanca"))


def local_date(moment: dt.datetime) -> dt.date:
    """Return the local calendar day of the aware datetime ``moment``."""
    return moment.astimezone(programme_time_zone()).date()


def local_month(moment: dt.datetime) -> tuple[int, int]:
    """Return the local (year, month) of the aware datetime ``moment``."""
    day = local_date(moment)
    return day.year, day.month
