"""Defaults of the plugin's ``RAQMYA_*`` Tutor settings, and the checks that reject a bad value."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Callable, Mapping
from gettext import gettext as _
from typing import Any

from .__about__ import __version__
from .errors import RaqmyaConfigError, RaqmyaConfigErrors

PREFIX = "RAQMYA_"

# Keys without the prefix: Tutor's convention is that a plugin adds its own name in front.
DEFAULTS: dict[str, Any] = {
    # Beneficiaries the programme must train in one programme year.
    "YEARLY_TARGET": 12500,
    # IANA time zone in which reports cut days, months and programme years.
    "TIME_ZONE": "Africa/Casablanca",
    # Month and day (MM-DD) on which a programme year starts.
    "PROGRAMME_YEAR_START": "01-01",
    # What pip installs into the openedx image: a pinned release, a VCS URL or a path that the
    # image build can read. Empty means "do not install", for a checkout added with tutor mounts.
    "PIP_REQUIREMENT": f"openedx-raqmya=={__version__}",
    # Whether the LMS registration form includes the beneficiary profile fields.
    "REGISTRATION_FORM": True,
}

# An IANA zone name is one or more path segments of letters, digits, "_", "+" and "-".
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*")
_MONTH_DAY = re.compile(r"(\d\d)-(\d\d)")
# A year without 29 February, so that every accepted start date exists every year.
_COMMON_YEAR = 2001


def defaults() -> list[tuple[str, Any]]:
    """Return the ``(name, value)`` pairs that the plugin adds to Tutor's default configuration."""
    return [(PREFIX + key, value) for key, value in DEFAULTS.items()]


def check_yearly_target(name: str, value: Any) -> None:
    """Reject a yearly target that is not a whole number of beneficiaries above zero."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RaqmyaConfigError(name, value, _("a whole number of beneficiaries above 0"), "12500")


def check_time_zone(name: str, value: Any) -> None:
    """Reject a time zone that is not an IANA zone name, such as ``Africa/Casablanca``."""
    expected = _("an IANA time zone name such as Africa/Casablanca")
    if not isinstance(value, str) or not _ZONE_NAME.fullmatch(value):
        raise RaqmyaConfigError(name, value, expected, "Africa/Casablanca")
    known_zones = zoneinfo.available_timezones()
    # NOTE: on a host without a zone database, available_timezones() is empty, so only the name
    # format above is checked there and an unknown zone reaches the LMS settings.
    if known_zones and value not in known_zones:
        raise RaqmyaConfigError(name, value, expected, "Africa/Casablanca")


def check_programme_year_start(name: str, value: Any) -> None:
    """Reject a start date that is not a month and day (MM-DD) found in every year."""
    expected = _("a month and day written MM-DD that exists every year, such as 09-01")
    match = _MONTH_DAY.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise RaqmyaConfigError(name, value, expected, "01-01")
    try:
        datetime.date(_COMMON_YEAR, int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise RaqmyaConfigError(name, value, expected, "01-01") from None


def check_pip_requirement(name: str, value: Any) -> None:
    """Reject a pip requirement that cannot sit on one Dockerfile line."""
    # Shell quoting cannot protect these characters, because Docker reads them before the shell:
    # a trailing backslash joins the next line and a line break ends the instruction.
    if not isinstance(value, str) or any(character in value for character in "\\\n\r\0"):
        expected = _(
            "one pip requirement on one line, without backslashes, such as openedx-raqmya=={version}"
        ).format(version=__version__)
        raise RaqmyaConfigError(name, value, expected, f"openedx-raqmya=={__version__}")


def check_registration_form(name: str, value: Any) -> None:
    """Reject a registration form switch that is not true or false."""
    if not isinstance(value, bool):
        raise RaqmyaConfigError(name, value, _("true or false"), "true")


CHECKS: dict[str, Callable[[str, Any], None]] = {
    "YEARLY_TARGET": check_yearly_target,
    "TIME_ZONE": check_time_zone,
    "PROGRAMME_YEAR_START": check_programme_year_start,
    "PIP_REQUIREMENT": check_pip_requirement,
    "REGISTRATION_FORM": check_registration_form,
}


def check(config: Mapping[str, Any]) -> None:
    """Raise :class:`RaqmyaConfigErrors` naming every ``RAQMYA_*`` setting that has a bad value."""
    errors = []
    for key, check_value in CHECKS.items():
        name = PREFIX + key
        try:
            check_value(name, config.get(name, DEFAULTS[key]))
        except RaqmyaConfigError as error:
            errors.append(error)
    if errors:
        raise RaqmyaConfigErrors(errors)
