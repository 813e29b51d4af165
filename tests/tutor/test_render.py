"""The template filters that write configuration values into settings modules and Dockerfiles."""

from __future__ import annotations

import ast
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


@pytest.mark.parametrize("value", [1.5, float("nan"), ["a"], {"a": 1}])
def test_python_literal_rejects_other_types(value):
    with pytest.raises(RaqmyaRenderError) as raised:
        render.python_literal(value)
    assert str(raised.value).startswith(f"Cannot write {value!r} ({type(value).__name__}) into a Python settings file")


@pytest.mark.parametrize("value", AWKWARD_STRINGS + ["$PIP_COMMAND `id` $(id) *"])
def test_shell_quote_is_one_word_for_sh(value):
    quoted = render.shell_quote(value)
    output = subprocess.run(["sh", "-c", f"printf %s {quoted}"], capture_output=True, text=True, check=True).stdout
    assert output == value


def test_shell_quote_rejects_non_string():
    with pytest.raises(RaqmyaRenderError) as raised:
        render.shell_quote(12500)
    assert str(raised.value) == "Cannot write 12500 (int) into a Dockerfile RUN line: set it to a string"
