"""Programme years: the span that yearly figures count, cut at local midnight in ``RAQMYA_TIME_ZONE``.

Programme year ``Y`` runs from ``RAQMYA_PROGRAMME_YEAR_START`` (MM-DD) of ``Y`` at 00:00 local time,
included, to the same day of ``Y + 1`` at 00:00 local time, excluded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import InvalidProgrammeYear, ReportConfigurationError

# Years that reports accept: the programme started in 2022, and a four-digit year keeps
# the local-midnight arithmetic inside what ``datetime`` represents.
MIN_YEAR = 2000
MAX_YEAR = 2100

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class ProgrammeYear:
    """One programme year, as aware datetimes: ``start`` included, ``end`` excluded."""

    year: int
    start: dt.datetime
    end: dt.datetime
    time_zone: str

    def contains(self, moment: dt.datetime) -> bool:
        """Return whether the aware datetime ``moment`` falls in this programme year."""
        return self.start <= moment < self.end


def report_time_zone() -> ZoneInfo:
    """Return the time zone named by ``RAQMYA_TIME_ZONE``."""
    name = getattr(settings, "RAQMYA_TIME_ZONE", "Africa/Casablanca")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ReportConfigurationError(
            f"Invalid RAQMYA_TIME_ZONE {name!r}: set an IANA time zone name such as 'Africa/Casablanca'."
        ) from error


def year_start_month_day() -> tuple[int, int]:
    """Return the (month, day) of ``RAQMYA_PROGRAMME_YEAR_START``."""
    value = getattr(settings, "RAQMYA_PROGRAMME_YEAR_START", "01-01")
    match = _MONTH_DAY.match(str(value))
    month, day = (int(part) for part in match.groups()) if match else (0, 0)
    try:
        # 2001 is not a leap year, so "02-29" is rejected: it would not start every year.
        dt.date(2001, month, day)
    except ValueError:
        raise ReportConfigurationError(
            f"Invalid RAQMYA_PROGRAMME_YEAR_START {value!r}: set a month and day that every year has, "
            "as MM-DD, for example '01-01' or '09-01'."
        ) from None
    return month, day


def programme_year(year: int) -> ProgrammeYear:
    """Return the span of programme year ``year``."""
    year = validate_year(year)
    zone = report_time_zone()
    month, day = year_start_month_day()
    start = dt.datetime(year, month, day, tzinfo=zone)
    end = dt.datetime(year + 1, month, day, tzinfo=zone)
    return ProgrammeYear(year=year, start=start, end=end, time_zone=zone.key)


def programme_year_of(moment: dt.datetime) -> int:
    """Return the programme year in which the aware datetime ``moment`` falls."""
    local = moment.astimezone(report_time_zone())
    month, day = year_start_month_day()
    return local.year if (local.month, local.day) >= (month, day) else local.year - 1


def current_programme_year() -> int:
    """Return the programme year in progress now."""
    return programme_year_of(timezone.now())


def validate_year(value: object) -> int:
    """Return ``value`` as a programme year, or raise ``InvalidProgrammeYear`` naming it.

    Accepts an int or a string of digits, as a query string or a command line gives it.
    """
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise InvalidProgrammeYear(
            _("The year %(year)r is invalid: choose a year from %(min)s to %(max)s.")
            % {"year": value, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return int(text)
