"""The template filters that write configuration values into settings modules and Dockerfiles."""

from __future__ import annotations

import ast
import datetime
import subprocess

import pytest

from tutorraqmya import render
from tutorraqmya.errors import RaqmyaRenderError

AWKWARD_STRINGS = [
    "Africa/Casablanca",
    "it's",
    'say "yes"',
    "both ' and \"",
    "back\\slash\\",
    "line\nbreak",
    "'''; import os; '''",
    "الدار البيضاء",
    "right-to-left \u202e mark",
    "",
]


@pytest.mark.parametrize("value", AWKWARD_STRINGS)
def test_python_literal_round_trips_string(value):
    literal = render.python_literal(value)
    namespace: dict[str, object] = {}
    exec(compile(f"SETTING = {literal}\n", "settings.py", "exec"), namespace)
    assert namespace["SETTING"] == value
    assert ast.literal_eval(literal) == value


@pytest.mark.parametrize(("value", "literal"), [(12500, "12500"), (True, "True"), (False, "False"), (None, "None")])
def test_python_literal_of_scalar(value, literal):
    assert render.python_literal(value) == literal


@pytest.mark.parametrize(
    "value",
    [
        0.75,
        4.0,
        [],
        [{"scope": 3, "report": "regions", "filters": {"track": "it's", "regions": ["01", "06"]}}],
        {"nested": {"list": [1, "two", None, True]}},
    ],
)
def test_python_literal_round_trips_containers_and_floats(value):
    literal = render.python_literal(value)
    assert ast.literal_eval(literal) == value
    assert type(ast.literal_eval(literal)) is type(value)


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        [1, float("-inf")],
        {1: "a"},
        {"a": {2: "b"}},
        {"a"},
        ("a",),
        datetime.date(2026, 3, 2),
    ],
)
def test_python_literal_rejects_other_types(value):
    with pytest.raises(RaqmyaRenderError) as raised:
        render.python_literal(value)
    assert str(raised.value).startswith(f"Cannot write {value!r} ({type(value).__name__}) into a Python settings file")


def test_settings_lines_of_common_patch_defaults():
    lines = render.settings_lines({}, "common").splitlines()
    assert lines[0] == "RAQMYA_YEARLY_TARGET = 12500"
    assert lines[3] == "RAQMYA_PILOT_START = ''"
    assert len(lines) == 15


def test_settings_lines_of_lms_patch_override():
    exports = [{"scope": 1, "report": "summary", "frequency": "monthly"}]
    lines = render.settings_lines({"RAQMYA_SCHEDULED_EXPORTS": exports}, "lms").splitlines()
    assert lines == [
        f"RAQMYA_SCHEDULED_EXPORTS = {exports!r}", "RAQMYA_EXPORT_DEADLINE = 3600",
        "RAQMYA_ENFORCE_TRACK_ENROLLMENT = False",
        "RAQMYA_JOIN_COOKIE_NAME = 'raqmya_channel'", "RAQMYA_JOIN_COOKIE_AGE = 2592000",
        "RAQMYA_JOIN_COOKIE_DOMAIN = None", "RAQMYA_JOIN_REDIRECT_URL = '/register'",
    ]


def test_settings_lines_write_empty_cookie_domain_as_none():
    lines = render.settings_lines({"RAQMYA_JOIN_COOKIE_DOMAIN": ""}, "lms").splitlines()
    assert "RAQMYA_JOIN_COOKIE_DOMAIN = None" in lines


def test_settings_lines_write_date_as_text():
    lines = render.settings_lines({"RAQMYA_PILOT_START": datetime.date(2026, 3, 2)}, "common").splitlines()
    assert "RAQMYA_PILOT_START = '2026-03-02'" in lines


def test_settings_lines_of_cms_patch_empty():
    assert render.settings_lines({}, "cms") == ""


@pytest.mark.parametrize("value", AWKWARD_STRINGS + ["$PIP_COMMAND `id` $(id) *"])
def test_shell_quote_is_one_word_for_sh(value):
    quoted = render.shell_quote(value)
    output = subprocess.run(["sh", "-c", f"printf %s {quoted}"], capture_output=True, text=True, check=True).stdout
    assert output == value


def test_shell_quote_rejects_non_string():
    with pytest.raises(RaqmyaRenderError) as raised:
        render.shell_quote(12500)
    assert str(raised.value) == "Cannot write 12500 (int) into a Dockerfile RUN line: set it to a string"
