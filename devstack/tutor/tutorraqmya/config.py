"""The plugin's ``RAQMYA_*`` Tutor settings: one table of defaults, checks and target settings modules.

Adding a setting is one :class:`Setting` entry in :data:`SETTINGS`; the defaults, the checks and
the rendered LMS and Studio settings all read that table.
"""

from __future__ import annotations

import datetime
import math
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from gettext import gettext as _
from typing import Any

from .__about__ import __version__
from .errors import RaqmyaConfigError, RaqmyaConfigErrors

PREFIX = "RAQMYA_"

# A check receives the full setting name and the value from config.yml, and raises RaqmyaConfigError.
Check = Callable[[str, Any], None]

BOTH = ("lms", "cms")
LMS = ("lms",)
# Settings that only the plugin's own templates read (the Dockerfile, the registration form switch).
PLUGIN_ONLY: tuple[str, ...] = ()

# An IANA zone name is one or more path segments of letters, digits, "_", "+" and "-".
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*")
_MONTH_DAY = re.compile(r"(\d\d)-(\d\d)")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
# Django cache aliases are keys of CACHES; Tutor's are words such as "default" or "ora2-storage".
_CACHE_ALIAS = re.compile(r"[A-Za-z0-9_.-]+")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)*")
# A cookie name is an RFC 6265 token; a cookie domain is a host name, with an optional leading dot.
_COOKIE_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_COOKIE_DOMAIN = re.compile(r"\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")
_REDIRECT_URL = re.compile(r"(/|https?://[A-Za-z0-9.-]+(:\d+)?/)[^\s\\]*|https?://[A-Za-z0-9.-]+(:\d+)?")
# A year without 29 February, so that every accepted start date exists every year.
_COMMON_YEAR = 2001

# Reports that raqmya_reports.delivery.exports writes; the tests compare this list with the package's.
REPORTS = (
    "summary", "tracks", "regions", "provinces", "sectors", "genders", "age_bands", "phases", "cohorts",
    "months", "days", "funnel", "courses", "competences", "items", "learners",
)
EXPORT_FORMATS = ("xlsx", "csv", "json")
EXPORT_FREQUENCIES = ("weekly", "monthly")
EXPORT_DELIVERIES = ("stored", "email")
EXPORT_KEYS = ("scope", "report", "frequency", "format", "filters", "language", "delivery")
EXPORT_REQUIRED_KEYS = ("scope", "report", "frequency")
EXPORT_EXAMPLE = "[{scope: 1, report: summary, frequency: monthly}]"


def _is_whole(value: Any) -> bool:
    """Return whether ``value`` is a whole number; YAML's true and false are not."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    """Return whether ``value`` is a finite whole or decimal number."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def whole_number(low: int, high: int | None, unit: str, example: str) -> Check:
    """Return a check that accepts a whole number of ``unit`` from ``low`` (to ``high`` when given)."""
    if high is None:
        expected = _("a whole number of {unit} of at least {low}").format(unit=unit, low=low)
    else:
        expected = _("a whole number of {unit} from {low} to {high}").format(unit=unit, low=low, high=high)

    def check(name: str, value: Any) -> None:
        if not _is_whole(value) or value < low or (high is not None and value > high):
            raise RaqmyaConfigError(name, value, expected, example)

    return check


def number(low: float, high: float, unit: str, example: str) -> Check:
    """Return a check that accepts a whole or decimal number of ``unit`` from ``low`` to ``high``."""
    expected = _("a number of {unit} from {low:g} to {high:g}").format(unit=unit, low=low, high=high)

    def check(name: str, value: Any) -> None:
        if not _is_number(value) or not low <= value <= high:
            raise RaqmyaConfigError(name, value, expected, example)

    return check


def boolean(example: str) -> Check:
    """Return a check that accepts only true or false."""

    def check(name: str, value: Any) -> None:
        if not isinstance(value, bool):
            raise RaqmyaConfigError(name, value, _("true or false"), example)

    return check


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


def check_optional_date(name: str, value: Any) -> None:
    """Reject a value that is neither empty nor a calendar date written YYYY-MM-DD."""
    # YAML reads an unquoted 2026-03-02 given to ``--set`` as a date, which is what is meant.
    if value == "" or (isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)):
        return
    expected = _("a date written YYYY-MM-DD, or empty to leave it unset")
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise RaqmyaConfigError(name, value, expected, "2026-03-02")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise RaqmyaConfigError(name, value, expected, "2026-03-02") from None


def check_pip_requirement(name: str, value: Any) -> None:
    """Reject a pip requirement that cannot sit on one Dockerfile line."""
    # Shell quoting cannot protect these characters, because Docker reads them before the shell:
    # a trailing backslash joins the next line and a line break ends the instruction.
    if not isinstance(value, str) or any(character in value for character in "\\\n\r\0"):
        expected = _(
            "one pip requirement on one line, without backslashes, such as openedx-raqmya=={version}"
        ).format(version=__version__)
        raise RaqmyaConfigError(name, value, expected, f"openedx-raqmya=={__version__}")


def check_cache_alias(name: str, value: Any) -> None:
    """Reject a cache alias that is not a non-empty key of the kind Django's ``CACHES`` uses."""
    if not isinstance(value, str) or not _CACHE_ALIAS.fullmatch(value):
        expected = _("the name of a cache in the CACHES setting that every LMS process shares, such as default")
        raise RaqmyaConfigError(name, value, expected, "default")


def check_cookie_name(name: str, value: Any) -> None:
    """Reject a cookie name that is not an RFC 6265 token."""
    if not isinstance(value, str) or not _COOKIE_NAME.fullmatch(value):
        expected = _("a cookie name of letters, digits and -_.!#$%&'*+^`|~, without spaces, such as raqmya_channel")
        raise RaqmyaConfigError(name, value, expected, "raqmya_channel")


def check_cookie_domain(name: str, value: Any) -> None:
    """Reject a cookie domain that is neither empty (null) nor a host name such as .raqmya.ma."""
    if value is None or value == "":
        return
    if not isinstance(value, str) or not _COOKIE_DOMAIN.fullmatch(value):
        expected = _("a host name such as .raqmya.ma, or null to use the LMS's SESSION_COOKIE_DOMAIN")
        raise RaqmyaConfigError(name, value, expected, ".raqmya.ma")


def check_redirect_url(name: str, value: Any) -> None:
    """Reject a redirect target that is neither a path of this site nor an http or https address."""
    if not isinstance(value, str) or not _REDIRECT_URL.fullmatch(value):
        expected = _("a path such as /register, or an address starting with https://, without spaces")
        raise RaqmyaConfigError(name, value, expected, "/register")


def empty_as_none(value: Any) -> Any:
    """Return ``None`` for an empty text, which YAML users write for "not set"; other values unchanged."""
    return None if value == "" else value


def _export_problem(entry: Any) -> str | None:
    """Return what is wrong with one scheduled export, or ``None`` when it is usable."""
    if not isinstance(entry, dict):
        return _("it is not a mapping of keys to values")
    unknown = sorted(str(key) for key in entry if key not in EXPORT_KEYS)
    missing = [key for key in EXPORT_REQUIRED_KEYS if key not in entry]
    if unknown or missing:
        return _("unknown keys {unknown} and missing keys {missing}. The keys are {keys}").format(
            unknown=unknown, missing=missing, keys=", ".join(EXPORT_KEYS)
        )
    choices = {
        "report": REPORTS, "frequency": EXPORT_FREQUENCIES, "format": EXPORT_FORMATS, "delivery": EXPORT_DELIVERIES,
    }
    for key, accepted in choices.items():
        if key in entry and entry[key] not in accepted:
            return _("{key} is {value!r}, not one of {accepted}").format(
                key=key, value=entry[key], accepted=", ".join(accepted)
            )
    if not _is_whole(entry["scope"]) or entry["scope"] < 1:
        return _("scope is {value!r}, not the id of a report scope (a whole number above 0)").format(
            value=entry["scope"]
        )
    if "language" in entry and not (isinstance(entry["language"], str) and _LANGUAGE_CODE.fullmatch(entry["language"])):
        return _("language is {value!r}, not a language code such as fr or ar").format(value=entry["language"])
    if "filters" in entry and not _is_filters(entry["filters"]):
        return _("filters is {value!r}, not a mapping of filter names to text, numbers or lists").format(
            value=entry["filters"]
        )
    return None


def _is_filters(filters: Any) -> bool:
    """Return whether ``filters`` is a mapping of names to the plain values that report filters take."""
    scalar = (str, int, bool)
    if not isinstance(filters, dict) or not all(isinstance(key, str) for key in filters):
        return False
    return all(
        isinstance(value, scalar) or (isinstance(value, list) and all(isinstance(item, scalar) for item in value))
        for value in filters.values()
    )


def check_scheduled_exports(name: str, value: Any) -> None:
    """Reject scheduled exports that Celery beat could not run, naming the first bad entry."""
    if not isinstance(value, list):
        raise RaqmyaConfigError(name, value, _("a list of scheduled exports (empty for none)"), EXPORT_EXAMPLE)
    for position, entry in enumerate(value, start=1):
        problem = _export_problem(entry)
        if problem is not None:
            expected = _(
                "a list of exports, each with scope, report and frequency; entry {number}: {problem}"
            ).format(number=position, problem=problem)
            raise RaqmyaConfigError(name, value, expected, EXPORT_EXAMPLE)


def same(value: Any) -> Any:
    """Return the Tutor value unchanged, as the Django setting's value."""
    return value


def date_text(value: Any) -> Any:
    """Return a date that YAML parsed as the ``YYYY-MM-DD`` text that the package reads."""
    return value.isoformat() if isinstance(value, datetime.date) else value


@dataclass(frozen=True)
class Setting:
    """One ``RAQMYA_*`` Tutor setting: its default, its check and the Django settings modules it is written to."""

    key: str  # without the prefix, which Tutor's convention adds in front of a plugin's settings
    default: Any
    check: Check
    services: tuple[str, ...] = BOTH  # "lms", "cms"; empty when only the plugin's own templates read it
    to_django: Callable[[Any], Any] = same

    @property
    def name(self) -> str:
        """The setting's name in config.yml and in the Django settings."""
        return PREFIX + self.key


# Defaults are the package's own (raqmya_reports/settings/common.py and raqmya_xblocks); the tests
# compare them. RAQMYA_PLATFORM_BACKEND is left out: it selects code, and the package default is the
# one for edx-platform. The LMS and Studio both get a setting unless only the LMS can use it.
SETTINGS: tuple[Setting, ...] = (
    Setting("YEARLY_TARGET", 12500, whole_number(1, None, _("beneficiaries"), "12500")),
    Setting("TIME_ZONE", "Africa/Casablanca", check_time_zone),
    Setting("PROGRAMME_YEAR_START", "01-01", check_programme_year_start),
    Setting("PILOT_START", "", check_optional_date, to_django=date_text),
    Setting("PILOT_TARGET", 1350, whole_number(1, None, _("beneficiaries"), "1350")),
    Setting("PILOT_CAPACITY", 1350, whole_number(0, None, _("beneficiaries"), "1350")),
    Setting("COHORT_AUTO_ASSIGN", False, boolean("true")),
    Setting("MIN_CELL_SIZE", 5, whole_number(1, None, _("learners"), "5")),
    Setting("PROFICIENCY_LEVELS", 8, whole_number(1, None, _("levels"), "8")),
    # Only the LMS worker should run the exports, so that no export is sent twice.
    Setting("SCHEDULED_EXPORTS", [], check_scheduled_exports, services=LMS),
    # The LMS serves the download page that reads it.
    Setting("EXPORT_DEADLINE", 3600, whole_number(60, None, _("seconds"), "3600"), services=LMS),
    # The track enrollment step is added to the LMS filter pipeline only (openedx-lms-common-settings).
    Setting("ENFORCE_TRACK_ENROLLMENT", False, boolean("true"), services=LMS),
    # The join link's page and the registration receiver run in the LMS only.
    Setting("JOIN_COOKIE_NAME", "raqmya_channel", check_cookie_name, services=LMS),
    Setting("JOIN_COOKIE_AGE", 2592000, whole_number(60, None, _("seconds"), "2592000"), services=LMS),
    Setting("JOIN_COOKIE_DOMAIN", None, check_cookie_domain, services=LMS, to_django=empty_as_none),
    Setting("JOIN_REDIRECT_URL", "/register", check_redirect_url, services=LMS),
    Setting("PLACEMENT_MAX_ITEMS_PER_AREA", 8, whole_number(1, 50, _("questions"), "8")),
    Setting("PLACEMENT_PRECISION", 0.75, number(0.1, 5, _("logits"), "0.75")),
    # From 1 to 8: raqmya_xblocks.questions.PROFICIENCY_LEVELS, the levels the placement test measures.
    Setting("PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL", 4.0, number(1, 8, _("proficiency levels"), "4")),
    Setting("PLACEMENT_RETAKE_DAYS", 30, number(0, 3650, _("days"), "30")),
    Setting("ASSESSMENT_CLAIM_CACHE", "default", check_cache_alias),
    Setting("ASSESSMENT_CLAIM_SECONDS", 300, whole_number(1, 86400, _("seconds"), "300")),
    # What pip installs into the openedx image: a pinned release, a VCS URL or a path that the
    # image build can read. Empty means "do not install", for a checkout added with tutor mounts.
    Setting("PIP_REQUIREMENT", f"openedx-raqmya=={__version__}", check_pip_requirement, services=PLUGIN_ONLY),
    Setting("REGISTRATION_FORM", True, boolean("true"), services=PLUGIN_ONLY),
    # Tutor runs no Celery beat for the LMS. True by default because scheduled exports may be set
    # up in the admin as well as in RAQMYA_SCHEDULED_EXPORTS, so an empty setting proves nothing.
    Setting("RUN_BEAT", True, boolean("false"), services=PLUGIN_ONLY),
)


def defaults() -> list[tuple[str, Any]]:
    """Return the ``(name, value)`` pairs that the plugin adds to Tutor's default configuration."""
    return [(setting.name, setting.default) for setting in SETTINGS]


def django_settings(services: tuple[str, ...]) -> list[Setting]:
    """Return the settings written to exactly ``services``: ``BOTH`` for the common settings patch."""
    return [setting for setting in SETTINGS if setting.services == services]


def check(config: Mapping[str, Any]) -> None:
    """Raise :class:`RaqmyaConfigErrors` naming every ``RAQMYA_*`` setting that has a bad value."""
    errors = []
    for setting in SETTINGS:
        try:
            setting.check(setting.name, config.get(setting.name, setting.default))
        except RaqmyaConfigError as error:
            errors.append(error)
    if errors:
        raise RaqmyaConfigErrors(errors)
