"""Learner-facing descriptions of an attempt: per-question review, per-competence and per-area results."""

from __future__ import annotations

from collections.abc import Callable

from ..questions import Question
from ..scoring import percent

Gettext = Callable[[str], str]


def format_number(value: int | float) -> str:
    """Return points or a percentage without a trailing ``.0`` (values are already rounded)."""
    return str(int(value)) if float(value).is_integer() else str(value)


def mark_text(gettext: Gettext, earned: int | float, possible: int | float) -> str:
    """Return "Correct", "Partly correct" or "Incorrect" in the learner's language."""
    if earned == possible:
        return gettext("Correct")
    if earned > 0:
        return gettext("Partly correct")
    return gettext("Incorrect")


def breakdown(gettext: Gettext, totals: dict, label: str) -> list[dict]:
    """Describe the points per competence or per area, sorted by code, for the view and the JSON."""
    rows = []
    for code in sorted(totals, key=lambda value: [int(part) for part in value.split(".")]):
        earned, possible = totals[code]["earned"], totals[code]["possible"]
        rows.append(
            {
                "code": code,
                "earned": earned,
                "possible": possible,
                "percent": percent(earned, possible),
                "text": gettext("%(label)s %(code)s: %(earned)s / %(possible)s")
                % {"label": label, "code": code, "earned": format_number(earned), "possible": format_number(possible)},
            }
        )
    return rows


def question_review(gettext: Gettext, question: Question, answer: object, result: dict) -> dict:
    """Describe one answered question once answers may be shown: mark, feedback, correct ids, explanation."""
    chosen = answer if isinstance(answer, list) else [answer]
    feedback = [choice.feedback for choice in question.choices if choice.id in chosen and choice.feedback]
    return {
        "mark": mark_text(gettext, result["earned"], result["possible"]),
        "earned": result["earned"],
        "possible": result["possible"],
        "correct": result["earned"] == result["possible"],
        "feedback": feedback,
        "correct_ids": sorted(question.correct_ids),
        "explanation": question.explanation,
    }
