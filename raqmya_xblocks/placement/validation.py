"""Validation of the placement test's settings as the shared Studio editor saves them."""

from __future__ import annotations

import math

EDITABLE_SETTINGS = ("display_name", "graded", "weight", "self_assessment")


def _problem(name: str, value: object) -> str | None:
    """Return what is wrong with setting ``name`` = ``value``, or None when it is valid."""
    if name == "display_name":
        return None if isinstance(value, str) and value.strip() else "write a title of one or more characters"
    if name in ("graded", "self_assessment"):
        return None if isinstance(value, bool) else "send true or false"
    if name == "weight":
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return None if value is None or (is_number and value >= 0) else "write a number, 0 or more, or leave it empty"
    return "this setting does not exist; remove it"


def settings_errors(values: object) -> list[dict]:
    """Return one error per invalid or unknown setting, in the shape of the assessment editor's errors."""
    if not isinstance(values, dict):
        return [{"position": None, "question_id": None, "field": "settings",
                 "message": "settings is not an object; send the settings as a JSON object."}]
    return [
        {"position": None, "question_id": None, "field": name,
         "message": f"Setting {name} = {value!r} is not valid; {problem}."}
        for name, value in values.items()
        if (problem := _problem(name, value)) is not None
    ]
