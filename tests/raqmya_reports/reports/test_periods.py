"""Tests of programme years: local-midnight bounds, the year of a moment and the checks of settings and years."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from raqmya_reports.reports.errors import InvalidProgrammeYear, ReportConfigurationError
from raqmya_reports.reports.periods import programme_year, programme_year_of, validate_year

from .builders import UTC, local


def test_programme_year_bounds_in_casablanca():
    period = programme_year(2026)
    assert period.start == dt.datetime(2025, 12, 31, 23, 0, tzinfo=UTC)
    # Morocco's offset on 1 January 2027 depends on the tz database (tzdata 2026f has UTC+0 there),
    # so the end is local midnight as the installed database places it.
    assert period.end == dt.datetime(2027, 1, 1, tzinfo=ZoneInfo("Africa/Casablanca"))
    assert period.time_zone == "Africa/Casablanca"


def test_programme_year_of_new_year_eve():
    assert programme_year_of(local(2025, 12, 31, 23, 30)) == 2025
    assert programme_year_of(local(2026, 1, 1, 0, 10)) == 2026


def test_programme_year_contains_is_end_exclusive():
    period = programme_year(2025)
    assert period.contains(local(2025, 1, 1, 0, 0))
    assert not period.contains(local(2026, 1, 1, 0, 0))


def test_programme_year_of_with_september_start(settings):
    settings.RAQMYA_PROGRAMME_YEAR_START = "09-01"
    assert programme_year_of(local(2026, 8, 31, 23, 59)) == 2025
    assert programme_year_of(local(2026, 9, 1, 0, 0)) == 2026


def test_programme_year_in_other_time_zone(settings):
    settings.RAQMYA_TIME_ZONE = "UTC"
    assert programme_year(2026).start == dt.datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("value", ["02-29", "13-01", "1-1", "0101", "", None])
def test_programme_year_rejects_invalid_year_start(settings, value):
    settings.RAQMYA_PROGRAMME_YEAR_START = value
    with pytest.raises(ReportConfigurationError, match=f"Invalid RAQMYA_PROGRAMME_YEAR_START {value!r}"):
        programme_year(2026)


def test_programme_year_rejects_unknown_time_zone(settings):
    settings.RAQMYA_TIME_ZONE = "Mars/Olympus_Mons"
    with pytest.raises(ReportConfigurationError, match="Invalid RAQMYA_TIME_ZONE 'Mars/Olympus_Mons'"):
        programme_year(2026)


@pytest.mark.parametrize(("value", "expected"), [(2026, 2026), ("2026", 2026), (" 2030 ", 2030), ("٢٠٢٦", 2026)])
def test_validate_year_accepts_years(value, expected):
    assert validate_year(value) == expected


@pytest.mark.parametrize("value", ["abc", "1999", "2101", "-2026", "20.26", "", True, "²⁰²⁶"])
def test_validate_year_rejects_value(value):
    with translation.override("en"), pytest.raises(InvalidProgrammeYear) as caught:
        validate_year(value)
    assert str(caught.value) == f"The year {value!r} is invalid: choose a year from 2000 to 2100."


def test_validate_year_message_in_french():
    with translation.override("fr"), pytest.raises(InvalidProgrammeYear) as caught:
        validate_year("abc")
    assert str(caught.value) == "L’année 'abc' n’est pas valide\u00a0: choisissez une année de 2000 à 2100."
