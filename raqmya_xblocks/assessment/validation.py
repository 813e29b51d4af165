"""Validation of everything the Studio editor saves, collecting every error instead of stopping at the first."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..content_language import setting_problem as content_language_problem
from ..questions import TRACKS, questions_faults
from .policy import ShowAnswer


def _identity(text: str) -> str:
    return text


def question_errors(items: object, gettext: Callable[[str], str] = _identity) -> list[dict]:
    """Return every fault of every question, and each repeated id: position, question id, field and message."""
    return [{"position": error.position, "question_id": error.question_id, "field": error.field,
             "message": str(error)} for error in questions_faults(items, gettext)]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check(name: str, value: object, gettext: Callable[[str], str]) -> str | None:
    """Return what is wrong with setting ``name`` = ``value`` in ``gettext``'s language, or None when it is valid."""
    if name == "display_name":
        return None if isinstance(value, str) and value.strip() else gettext("write a title of one or more characters")
    if name in ("pool_size", "max_attempts"):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else gettext("write a whole number, 0 or more")
    if name == "pass_mark":
        return None if _is_number(value) and 0 <= value <= 100 else gettext("write a percentage from 0 to 100")
    if name == "weight":
        ok = value is None or (_is_number(value) and value >= 0)
        return None if ok else gettext("write a number, 0 or more, or leave it empty")
    if name == "preview_track":
        return None if value in ("", *TRACKS) else gettext("choose none or one of perfectionnement, acculturation")
    if name == "content_language":
        return content_language_problem(value, gettext)
    if name == "show_answer":
        ok = value in [policy.value for policy in ShowAnswer]
        return None if ok else gettext("choose one of the offered policies")
    return gettext("this setting does not exist; remove it")


EDITABLE_SETTINGS = ("display_name", "content_language", "weight", "preview_track", "pool_size", "max_attempts",
                     "pass_mark", "show_answer")


def settings_errors(values: object, gettext: Callable[[str], str] = _identity,
                    labels: dict[str, str] | None = None) -> list[dict]:
    """Return one error per invalid or unknown setting, naming the value and the fix in ``gettext``'s language.

    A setting is named by its label in ``labels``, as the editor shows it, else by its name.
    """
    labels = labels or {}
    if not isinstance(values, dict):
        return [{"position": None, "question_id": None, "field": "settings",
                 "message": gettext("settings is not an object; send the settings as a JSON object.")}]
    errors = []
    for name, value in values.items():
        problem = _check(name, value, gettext)
        if problem is not None:
            message = gettext("%(name)s: %(value)s is not valid; %(fix)s.") % {
                "name": labels.get(name, name), "value": repr(value), "fix": problem}
            errors.append({"position": None, "question_id": None, "field": name, "message": message})
    return errors
