"""Validation of the placement test's settings as the shared Studio editor saves them."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..content_language import setting_problem as content_language_problem

EDITABLE_SETTINGS = ("display_name", "content_language", "graded", "weight", "self_assessment")


def _identity(text: str) -> str:
    return text


def _problem(name: str, value: object, gettext: Callable[[str], str]) -> str | None:
    """Return what is wrong with setting ``name`` = ``value`` in ``gettext``'s language, or None when it is valid."""
    if name == "display_name":
        return None if isinstance(value, str) and value.strip() else gettext("write a title of one or more characters")
    if name == "content_language":
        return content_language_problem(value, gettext)
    if name in ("graded", "self_assessment"):
        return None if isinstance(value, bool) else gettext("tick or clear the box")
    if name == "weight":
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        ok = value is None or (is_number and value >= 0)
        return None if ok else gettext("write a number, 0 or more, or leave it empty")
    return gettext("this setting does not exist; remove it")


def settings_errors(values: object, gettext: Callable[[str], str] = _identity,
                    labels: dict[str, str] | None = None) -> list[dict]:
    """Return one error per invalid or unknown setting, in the shape and the words of the assessment editor's."""
    labels = labels or {}
    if not isinstance(values, dict):
        return [{"position": None, "question_id": None, "field": "settings",
                 "message": gettext("settings is not an object; send the settings as a JSON object.")}]
    return [
        {"position": None, "question_id": None, "field": name,
         "message": gettext("%(name)s: %(value)s is not valid; %(fix)s.") % {
             "name": labels.get(name, name), "value": repr(value), "fix": problem}}
        for name, value in values.items()
        if (problem := _problem(name, value, gettext)) is not None
    ]
