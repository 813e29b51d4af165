"""The plugin's ``RAQMYA_*`` defaults and the checks that reject bad values, without Tutor's CLI."""

from __future__ import annotations

import pytest

import raqmya_reports
from tutorraqmya import config
from tutorraqmya.errors import RaqmyaConfigError, RaqmyaConfigErrors


def test_defaults_names_and_values():
    assert config.defaults() == [
        ("RAQMYA_YEARLY_TARGET", 12500),
        ("RAQMYA_TIME_ZONE", "Africa/Casablanca"),
        ("RAQMYA_PROGRAMME_YEAR_START", "01-01"),
        ("RAQMYA_PIP_REQUIREMENT", f"openedx-raqmya=={raqmya_reports.__version__}"),
        ("RAQMYA_REGISTRATION_FORM", True),
    ]


def test_check_accepts_defaults():
    config.check(dict(config.defaults()))


def test_check_accepts_missing_settings():
    config.check({})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RAQMYA_YEARLY_TARGET", 1),
        ("RAQMYA_TIME_ZONE", "UTC"),
        ("RAQMYA_TIME_ZONE", "America/Argentina/Buenos_Aires"),
        ("RAQMYA_PROGRAMME_YEAR_START", "12-31"),
        ("RAQMYA_PIP_REQUIREMENT", ""),
        ("RAQMYA_PIP_REQUIREMENT", "openedx-raqmya @ git+https://git.example.invalid/raqmya.git@v0.1.0"),
        ("RAQMYA_REGISTRATION_FORM", False),
    ],
)
def test_check_accepts_valid_value(name, value):
    config.check({name: value})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RAQMYA_YEARLY_TARGET", 0),
        ("RAQMYA_YEARLY_TARGET", -1),
        ("RAQMYA_YEARLY_TARGET", 12500.0),
        ("RAQMYA_YEARLY_TARGET", "12500"),
        ("RAQMYA_YEARLY_TARGET", True),
        ("RAQMYA_TIME_ZONE", ""),
        ("RAQMYA_TIME_ZONE", "Africa/Casablanca "),
        ("RAQMYA_TIME_ZONE", "../etc/passwd"),
        ("RAQMYA_TIME_ZONE", None),
        ("RAQMYA_PROGRAMME_YEAR_START", "02-29"),
        ("RAQMYA_PROGRAMME_YEAR_START", "00-10"),
        ("RAQMYA_PROGRAMME_YEAR_START", "2026-01-01"),
        ("RAQMYA_PROGRAMME_YEAR_START", 101),
        ("RAQMYA_PIP_REQUIREMENT", "openedx-raqmya\nRUN id"),
        ("RAQMYA_PIP_REQUIREMENT", "C:\\wheels\\openedx_raqmya.whl"),
        ("RAQMYA_PIP_REQUIREMENT", None),
        ("RAQMYA_REGISTRATION_FORM", "yes"),
        ("RAQMYA_REGISTRATION_FORM", 1),
    ],
)
def test_check_rejects_bad_value(name, value):
    with pytest.raises(RaqmyaConfigErrors) as raised:
        config.check({name: value})
    [error] = raised.value.errors
    assert error.name == name
    assert error.value == value
    assert str(error).startswith(f"{name} is {value!r} ({type(value).__name__}), but it must be ")


def test_check_reports_every_bad_setting():
    with pytest.raises(RaqmyaConfigErrors) as raised:
        config.check({"RAQMYA_YEARLY_TARGET": 0, "RAQMYA_REGISTRATION_FORM": "no"})
    assert [error.name for error in raised.value.errors] == ["RAQMYA_YEARLY_TARGET", "RAQMYA_REGISTRATION_FORM"]


def test_error_message_gives_fix_command():
    error = RaqmyaConfigError("RAQMYA_YEARLY_TARGET", "abc", "a whole number", "12500")
    assert str(error) == (
        "RAQMYA_YEARLY_TARGET is 'abc' (str), but it must be a whole number. "
        "Fix it with: tutor config save --set RAQMYA_YEARLY_TARGET=12500"
    )
