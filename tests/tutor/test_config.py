"""The plugin's ``RAQMYA_*`` defaults and the checks that reject bad values, without Tutor's CLI."""

from __future__ import annotations

import ast
import datetime
import re

import pytest

import raqmya_reports
from tests.tutor.conftest import PLUGIN_DIR
from tutorraqmya import config
from tutorraqmya.errors import RaqmyaConfigError, RaqmyaConfigErrors

REPOSITORY = PLUGIN_DIR.parents[1]
# Package settings that the plugin does not expose, with the reason.
LEFT_OUT = {
    # Selects the module that reads the platform; the package default is the edx-platform one.
    "RAQMYA_PLATFORM_BACKEND",
}
ANNOTATION = re.compile(r"#\s*\.\. setting_name: (RAQMYA_\w+)\s*\n\s*#\s*\.\. setting_default: (.+)")
# Boolean settings are annotated as feature toggles, with their default a few lines below the name.
TOGGLE_ANNOTATION = re.compile(r"#\s*\.\. toggle_name: (RAQMYA_\w+)\s*\n(?:\s*#.*\n)*?\s*#\s*\.\. toggle_default: (.+)")


def package_settings() -> dict[str, object]:
    """Return ``{name: default}`` of every setting and toggle annotation in the package's source."""
    found = {}
    for package in ("raqmya_reports", "raqmya_xblocks"):
        for path in sorted((REPOSITORY / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for name, default in ANNOTATION.findall(source) + TOGGLE_ANNOTATION.findall(source):
                found[name] = ast.literal_eval(default.strip())
    return found


def test_defaults_names_and_values():
    assert config.defaults() == [
        ("RAQMYA_YEARLY_TARGET", 12500),
        ("RAQMYA_TIME_ZONE", "Africa/Casablanca"),
        ("RAQMYA_PROGRAMME_YEAR_START", "01-01"),
        ("RAQMYA_PILOT_START", ""),
        ("RAQMYA_PILOT_TARGET", 1350),
        ("RAQMYA_PILOT_CAPACITY", 1350),
        ("RAQMYA_COHORT_AUTO_ASSIGN", False),
        ("RAQMYA_MIN_CELL_SIZE", 5),
        ("RAQMYA_PROFICIENCY_LEVELS", 8),
        ("RAQMYA_SCHEDULED_EXPORTS", []),
        ("RAQMYA_EXPORT_DEADLINE", 3600),
        ("RAQMYA_ENFORCE_TRACK_ENROLLMENT", False),
        ("RAQMYA_JOIN_COOKIE_NAME", "raqmya_channel"),
        ("RAQMYA_JOIN_COOKIE_AGE", 2592000),
        ("RAQMYA_JOIN_COOKIE_DOMAIN", None),
        ("RAQMYA_JOIN_REDIRECT_URL", "/register"),
        ("RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA", 8),
        ("RAQMYA_PLACEMENT_PRECISION", 0.75),
        ("RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL", 4.0),
        ("RAQMYA_PLACEMENT_RETAKE_DAYS", 30),
        ("RAQMYA_ASSESSMENT_CLAIM_CACHE", "default"),
        ("RAQMYA_ASSESSMENT_CLAIM_SECONDS", 300),
        ("RAQMYA_PIP_REQUIREMENT", f"openedx-raqmya=={raqmya_reports.__version__}"),
        ("RAQMYA_REGISTRATION_FORM", True),
        ("RAQMYA_RUN_BEAT", True),
    ]


def test_annotations_are_found_in_package():
    # Guards the parser below: these annotations exist in settings/common.py and the assessment claims.
    found = package_settings()
    assert found["RAQMYA_YEARLY_TARGET"] == 12500
    assert found["RAQMYA_ASSESSMENT_CLAIM_CACHE"] == "default"
    assert found["RAQMYA_ENFORCE_TRACK_ENROLLMENT"] is False


def test_package_settings_all_exposed():
    exposed = {setting.name: setting.default for setting in config.SETTINGS if setting.services}
    expected = {name: default for name, default in package_settings().items() if name not in LEFT_OUT}
    assert exposed == expected


def test_left_out_settings_exist_in_package():
    assert LEFT_OUT <= set(package_settings())


def test_default_types_match_package():
    package = package_settings()
    for setting in config.SETTINGS:
        if setting.services:
            assert type(setting.default) is type(package[setting.name]), setting.name


def test_plugin_only_settings():
    assert [setting.name for setting in config.SETTINGS if not setting.services] == [
        "RAQMYA_PIP_REQUIREMENT",
        "RAQMYA_REGISTRATION_FORM",
        "RAQMYA_RUN_BEAT",
    ]


def test_lms_only_settings():
    assert [setting.name for setting in config.django_settings(config.LMS)] == [
        "RAQMYA_SCHEDULED_EXPORTS",
        "RAQMYA_EXPORT_DEADLINE",
        "RAQMYA_ENFORCE_TRACK_ENROLLMENT",
        "RAQMYA_JOIN_COOKIE_NAME",
        "RAQMYA_JOIN_COOKIE_AGE",
        "RAQMYA_JOIN_COOKIE_DOMAIN",
        "RAQMYA_JOIN_REDIRECT_URL",
    ]


def test_cms_only_settings_none():
    assert config.django_settings(("cms",)) == []


def test_readme_documents_every_setting():
    readme = (PLUGIN_DIR / "README.rst").read_text(encoding="utf-8")
    for setting in config.SETTINGS:
        assert f"``{setting.name}`` (default: " in readme, setting.name


def test_check_accepts_defaults():
    config.check(dict(config.defaults()))


def test_check_accepts_missing_settings():
    config.check({})


EXPORT = {"scope": 3, "report": "regions", "frequency": "weekly"}


VALID_VALUES = [
    ("RAQMYA_YEARLY_TARGET", 1),
    ("RAQMYA_TIME_ZONE", "UTC"),
    ("RAQMYA_TIME_ZONE", "America/Argentina/Buenos_Aires"),
    ("RAQMYA_PROGRAMME_YEAR_START", "12-31"),
    ("RAQMYA_PIP_REQUIREMENT", ""),
    ("RAQMYA_PIP_REQUIREMENT", "openedx-raqmya @ git+https://git.example.invalid/raqmya.git@v0.1.0"),
    ("RAQMYA_REGISTRATION_FORM", False),
    ("RAQMYA_RUN_BEAT", False),
    ("RAQMYA_JOIN_COOKIE_NAME", "raqmya-join"),
    ("RAQMYA_JOIN_COOKIE_AGE", 60),
    ("RAQMYA_EXPORT_DEADLINE", 60),
    ("RAQMYA_JOIN_COOKIE_DOMAIN", ".raqmya.ma"),
    ("RAQMYA_JOIN_COOKIE_DOMAIN", ""),
    ("RAQMYA_JOIN_REDIRECT_URL", "https://apps.raqmya.ma/authn/register"),
    ("RAQMYA_PILOT_START", "2024-02-29"),
    ("RAQMYA_PILOT_START", datetime.date(2026, 3, 2)),
    ("RAQMYA_PILOT_TARGET", 1),
    ("RAQMYA_PILOT_CAPACITY", 0),
    ("RAQMYA_COHORT_AUTO_ASSIGN", True),
    ("RAQMYA_MIN_CELL_SIZE", 1),
    ("RAQMYA_PROFICIENCY_LEVELS", 1),
    ("RAQMYA_SCHEDULED_EXPORTS", [EXPORT]),
    (
        "RAQMYA_SCHEDULED_EXPORTS",
        [
            {
                **EXPORT,
                "format": "csv",
                "filters": {"track": "acculturation", "year": 2026, "regions": ["01", "06"]},
                "language": "ar",
                "delivery": "email",
            }
        ],
    ),
    ("RAQMYA_ENFORCE_TRACK_ENROLLMENT", True),
    ("RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA", 50),
    ("RAQMYA_PLACEMENT_PRECISION", 0.1),
    ("RAQMYA_PLACEMENT_PRECISION", 5),
    ("RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL", 1),
    ("RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL", 8.0),
    ("RAQMYA_PLACEMENT_RETAKE_DAYS", 0),
    ("RAQMYA_PLACEMENT_RETAKE_DAYS", 7.5),
    ("RAQMYA_ASSESSMENT_CLAIM_CACHE", "ora2-storage"),
    ("RAQMYA_ASSESSMENT_CLAIM_SECONDS", 86400),
]


@pytest.mark.parametrize(("name", "value"), VALID_VALUES)
def test_check_accepts_valid_value(name, value):
    config.check({name: value})


BAD_VALUES = [
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
    ("RAQMYA_RUN_BEAT", "no"),
    ("RAQMYA_JOIN_COOKIE_NAME", "raqmya channel"),
    ("RAQMYA_JOIN_COOKIE_AGE", 59),
    ("RAQMYA_EXPORT_DEADLINE", 59),
    ("RAQMYA_JOIN_COOKIE_DOMAIN", "raqmya ma"),
    ("RAQMYA_JOIN_REDIRECT_URL", "javascript:alert(1)"),
    ("RAQMYA_PILOT_START", "2026-02-30"),
    ("RAQMYA_PILOT_START", "02/03/2026"),
    ("RAQMYA_PILOT_START", "2026-3-2"),
    ("RAQMYA_PILOT_START", None),
    ("RAQMYA_PILOT_START", datetime.datetime(2026, 3, 2, 8, 0)),
    ("RAQMYA_PILOT_TARGET", 0),
    ("RAQMYA_PILOT_TARGET", "1350"),
    ("RAQMYA_PILOT_CAPACITY", -1),
    ("RAQMYA_PILOT_CAPACITY", 1350.5),
    ("RAQMYA_COHORT_AUTO_ASSIGN", "true"),
    ("RAQMYA_COHORT_AUTO_ASSIGN", 0),
    ("RAQMYA_MIN_CELL_SIZE", 0),
    ("RAQMYA_MIN_CELL_SIZE", None),
    ("RAQMYA_PROFICIENCY_LEVELS", 0),
    ("RAQMYA_PROFICIENCY_LEVELS", 8.5),
    ("RAQMYA_SCHEDULED_EXPORTS", None),
    ("RAQMYA_SCHEDULED_EXPORTS", EXPORT),
    ("RAQMYA_SCHEDULED_EXPORTS", ["summary"]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{"report": "summary", "frequency": "weekly"}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "frequncy": "weekly"}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "report": "sumary"}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "frequency": "daily"}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "format": "pdf"}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "delivery": "sms"}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "scope": 0}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "scope": "3"}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "scope": True}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "language": "French"}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "filters": ["track"]}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [{**EXPORT, "filters": {"year": 1.5}}]),
    ("RAQMYA_SCHEDULED_EXPORTS", [EXPORT, {**EXPORT, "frequency": None}]),
    ("RAQMYA_ENFORCE_TRACK_ENROLLMENT", "on"),
    ("RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA", 0),
    ("RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA", 51),
    ("RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA", 8.0),
    ("RAQMYA_PLACEMENT_PRECISION", 0.05),
    ("RAQMYA_PLACEMENT_PRECISION", float("nan")),
    ("RAQMYA_PLACEMENT_PRECISION", float("inf")),
    ("RAQMYA_PLACEMENT_PRECISION", "0.75"),
    ("RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL", 0.5),
    ("RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL", 9),
    ("RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL", True),
    ("RAQMYA_PLACEMENT_RETAKE_DAYS", -1),
    ("RAQMYA_PLACEMENT_RETAKE_DAYS", 3651),
    ("RAQMYA_ASSESSMENT_CLAIM_CACHE", ""),
    ("RAQMYA_ASSESSMENT_CLAIM_CACHE", "my cache"),
    ("RAQMYA_ASSESSMENT_CLAIM_CACHE", None),
    ("RAQMYA_ASSESSMENT_CLAIM_SECONDS", 0),
    ("RAQMYA_ASSESSMENT_CLAIM_SECONDS", 86401),
    ("RAQMYA_ASSESSMENT_CLAIM_SECONDS", None),
]


@pytest.mark.parametrize(("name", "value"), BAD_VALUES)
def test_check_rejects_bad_value(name, value):
    with pytest.raises(RaqmyaConfigErrors) as raised:
        config.check({name: value})
    [error] = raised.value.errors
    assert error.name == name
    assert error.value is value
    assert str(error).startswith(f"{name} is {value!r} ({type(value).__name__}), but it must be ")


def test_every_setting_has_valid_and_bad_cases():
    names = {setting.name for setting in config.SETTINGS}
    assert {name for name, _value in VALID_VALUES} == names
    assert {name for name, _value in BAD_VALUES} == names


def test_scheduled_export_error_names_entry_and_key():
    value = [EXPORT, {**EXPORT, "frequency": "daily"}]
    with pytest.raises(RaqmyaConfigErrors) as raised:
        config.check({"RAQMYA_SCHEDULED_EXPORTS": value})
    assert str(raised.value) == (
        f"RAQMYA_SCHEDULED_EXPORTS is {value!r} (list), but it must be a list of exports, each with scope, "
        "report and frequency; entry 2: frequency is 'daily', not one of weekly, monthly. Fix it with: "
        "tutor config save --set 'RAQMYA_SCHEDULED_EXPORTS=[{scope: 1, report: summary, frequency: monthly}]'"
    )


def test_scheduled_export_error_names_unknown_and_missing_keys():
    value = [{"scope": 1, "report": "summary", "frequncy": "weekly"}]
    with pytest.raises(RaqmyaConfigErrors) as raised:
        config.check({"RAQMYA_SCHEDULED_EXPORTS": value})
    assert "entry 1: unknown keys ['frequncy'] and missing keys ['frequency']. The keys are scope, " in str(
        raised.value
    )


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


def test_error_message_quotes_fix_with_spaces():
    error = RaqmyaConfigError("RAQMYA_SCHEDULED_EXPORTS", 1, "a list", "[{scope: 1}]")
    assert str(error).endswith("Fix it with: tutor config save --set 'RAQMYA_SCHEDULED_EXPORTS=[{scope: 1}]'")


@pytest.mark.parametrize(
    ("value", "expected"), [(datetime.date(2026, 3, 2), "2026-03-02"), ("2026-03-02", "2026-03-02"), ("", "")]
)
def test_pilot_start_written_as_text(value, expected):
    [setting] = [setting for setting in config.SETTINGS if setting.name == "RAQMYA_PILOT_START"]
    assert setting.to_django(value) == expected


def test_settings_keys_unique():
    names = [setting.name for setting in config.SETTINGS]
    assert len(names) == len(set(names))
