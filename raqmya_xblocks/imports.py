"""Shared steps of the Studio editor's imports: the preview of importable questions and the check of confirmed ones.

A spreadsheet row and an Open edX problem both become a question's JSON object with a source,
``{"row": n}`` or ``{"problem": name}``. The preview lists the valid ones, each with its own
competence, level, tracks and points that the author may change, and each source that cannot
be imported with the reason. The author then confirms the questions with their values, and each
is checked again, so that every fault names the row or problem it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import InvalidQuestion
from .questions import question_faults

# The values of an imported question that the author sets per question in the preview.
EDITABLE_KEYS = ("competence", "level", "tracks", "points")


def _identity(text: str) -> str:
    return text


def _repeated(data: dict, position: int, seen: set[str], gettext: Callable[[str], str]) -> InvalidQuestion | None:
    """Return the fault of a question whose id is already in the bank or earlier in the import."""
    if data.get("id") not in seen:
        return None
    message = gettext("id %(id)s is already used; give the question its own id.") % {"id": repr(data["id"])}
    return InvalidQuestion(message, position=position, question_id=data["id"], field="id")


@dataclass
class ImportPreview:
    """Preview of an import: the valid questions with their sources, and each source that cannot be imported."""

    questions: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def offer(self, source: dict, data: dict, seen: set[str], gettext: Callable[[str], str] | None = None,
              earlier: list[str] | None = None) -> None:
        """Add ``data`` from ``source`` when it is a valid question with a new id, else report why not.

        ``earlier`` lists faults found before ``data`` was built (a column that is not a number); they
        come first in the report. The source names the question, so each fault is given without its name.
        """
        gettext = gettext or _identity
        faults = [fault.detail for fault in question_faults(data, len(self.questions), gettext)]
        repeated = _repeated(data, len(self.questions), seen, gettext)
        if repeated is not None:
            faults.append(repeated.detail)
        faults = list(earlier or []) + faults
        if faults:
            self.problems.append({**source, "message": " ".join(faults)})
            return
        seen.add(data["id"])
        self.questions.append(data)
        self.sources.append(source)

    def reject(self, source: dict, message: str) -> None:
        """Report that ``source`` cannot be imported, for a reason found before it became a question."""
        self.problems.append({**source, "message": message})

    def to_json(self) -> dict:
        """Return the preview as sent to the Studio editor: ``questions[i]`` came from ``sources[i]``."""
        return {"questions": self.questions, "sources": self.sources, "problems": self.problems}


def source_of(sources: object, position: int) -> dict:
    """Return the source of the confirmed question at ``position``, or ``{"item": n}`` (from 1) when not sent."""
    if isinstance(sources, list) and position < len(sources) and isinstance(sources[position], dict):
        source = sources[position]
        if isinstance(source.get("row"), int) and not isinstance(source.get("row"), bool):
            return {"row": source["row"]}
        if isinstance(source.get("problem"), str):
            return {"problem": source["problem"][:200]}
    return {"item": position + 1}


def confirmed_faults(questions: list, sources: object, existing_ids: set[str],
                     gettext: Callable[[str], str] = _identity) -> list[tuple[dict, InvalidQuestion]]:
    """Check each confirmed question with the values the author set; return each fault with its source."""
    faults: list[tuple[dict, InvalidQuestion]] = []
    seen = set(existing_ids)
    for position, data in enumerate(questions):
        source = source_of(sources, position)
        found = question_faults(data, position, gettext)
        repeated = _repeated(data, position, seen, gettext) if isinstance(data, dict) else None
        if repeated is not None:
            found.append(repeated)
        elif isinstance(data, dict) and isinstance(data.get("id"), str):
            seen.add(data["id"])
        faults.extend((source, fault) for fault in found)
    return faults
