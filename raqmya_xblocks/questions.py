"""The question model of Raqmya assessments: parsing, HTML sanitising and track selection.

Pure Python (no XBlock or Django import), shared by every block of the programme; grading is in ``scoring``.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import nh3

from .errors import InvalidQuestion, UnknownChoice, UnknownTrack

# Track codes of the programme: "Perfectionnement digital" (employees of administrations and
# companies) and "Acculturation digitale" (general public).
TRACKS = ("perfectionnement", "acculturation")

# The 21 competence codes of DigComp 2.2 (JRC, 2022): the area number, a dot, the competence number.
DIGCOMP_COMPETENCES = frozenset(
    [f"1.{n}" for n in range(1, 4)]
    + [f"2.{n}" for n in range(1, 7)]
    + [f"3.{n}" for n in range(1, 5)]
    + [f"4.{n}" for n in range(1, 5)]
    + [f"5.{n}" for n in range(1, 5)]
)

# HTML that stems, choices and feedback may contain. Everything else is removed, and the
# content of <script> and <style> goes with the tag (nh3's default ``clean_content_tags``).
ALLOWED_TAGS = frozenset({"b", "i", "em", "strong", "p", "br", "ul", "ol", "li", "code", "span"})
_SPAN_DIRECTIONS = frozenset({"ltr", "rtl", "auto"})
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")

# DigComp 2.2 proficiency levels: 1-2 foundation, 3-4 intermediate, 5-6 advanced, 7-8 highly specialised.
PROFICIENCY_LEVELS = range(1, 9)

# Item parameters of the placement test's response model, on the ability scale in logits: a
# difficulty in this range (None: derived from the proficiency level) and a discrimination above 0.
DIFFICULTY_RANGE = (-6.0, 6.0)
DISCRIMINATION_RANGE = (0.2, 4.0)

_QUESTION_KEYS = frozenset(
    {"id", "type", "stem", "choices", "competence", "level", "tracks", "points", "explanation", "tags",
     "difficulty", "discrimination"}
)
_REQUIRED_QUESTION_KEYS = frozenset({"id", "stem", "choices", "competence", "tracks"})
_CHOICE_KEYS = frozenset({"id", "text", "correct", "feedback"})
_REQUIRED_CHOICE_KEYS = frozenset({"id", "text", "correct"})


class QuestionType(str, enum.Enum):
    """Kind of question, which sets the answer shape and the grading rule."""

    SINGLE = "single"  # one correct choice among two or more; the answer is one choice id
    MULTIPLE = "multiple"  # one or more correct choices; the answer is a list of choice ids
    TRUE_FALSE = "true_false"  # exactly two choices, one correct; the answer is one choice id


@dataclass(frozen=True)
class Choice:
    """One choice of a question; ``text`` and ``feedback`` are sanitised HTML."""

    id: str
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    """One question; ``stem`` and ``explanation`` are sanitised HTML, ``points`` raw points above 0."""

    id: str
    type: QuestionType
    stem: str
    choices: tuple[Choice, ...]
    competence: str
    tracks: frozenset[str]
    points: int | float = 1
    level: int = 1
    explanation: str = ""
    tags: tuple[str, ...] = ()  # plain text labels for authors and reports, never HTML
    difficulty: float | None = None  # logits; None lets the placement test derive it from ``level``
    discrimination: float = 1.0  # the slope of the two-parameter logistic model; 1 for every item is Rasch

    @property
    def area(self) -> str:
        """The DigComp 2.2 competence area, the number before the dot: ``"4"`` for ``"4.2"``."""
        return self.competence.split(".", 1)[0]

    @property
    def correct_ids(self) -> frozenset[str]:
        """The ids of the choices marked correct."""
        return frozenset(choice.id for choice in self.choices if choice.correct)

    def choice(self, choice_id: object) -> Choice:
        """Return the choice with id ``choice_id``, or raise ``UnknownChoice``."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise UnknownChoice(self.id, choice_id, [choice.id for choice in self.choices])


def _filter_span_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "span" and attribute == "lang" and _LANGUAGE_TAG.match(value):
        return value
    if tag == "span" and attribute == "dir" and value in _SPAN_DIRECTIONS:
        return value
    return None


def sanitize_html(html: str) -> str:
    """Return ``html`` with only the allowed tags, and only ``lang``/``dir`` on ``<span>``."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={"span": {"lang", "dir"}},
        attribute_filter=_filter_span_attribute,
        link_rel=None,
    )


def _has_text(html: str) -> bool:
    return bool(nh3.clean(html, tags=set()).strip())


@dataclass(frozen=True)
class _Location:
    """Position of a malformed question, for error messages: its index and, once read, its id."""

    position: int
    question_id: str | None = None

    def error(self, problem: str, fix: str) -> InvalidQuestion:
        """Return an ``InvalidQuestion`` that names this location, the problem and the fix."""
        if self.question_id is None:
            name = f"question at index {self.position}"
        else:
            name = f"question {self.question_id!r} (index {self.position})"
        return InvalidQuestion(
            f"Invalid {name}: {problem}; {fix}.", position=self.position, question_id=self.question_id
        )


def _check_keys(data: Mapping, allowed: frozenset, required: frozenset, what: str, where: _Location) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise where.error(f"{what} has unknown keys {unknown}", f"use only {sorted(allowed)}")
    missing = sorted(required - set(data))
    if missing:
        raise where.error(f"{what} is missing {missing}", f"add {', '.join(missing)}")


def _parse_id(value: object, what: str, where: _Location) -> str:
    if not isinstance(value, str) or not _ID_PATTERN.match(value):
        raise where.error(
            f"{what} id {value!r} is not a valid id",
            "use 1 to 64 letters, digits, '_', '.', ':' or '-', starting with a letter or digit",
        )
    return value


def _parse_html(value: object, what: str, where: _Location, *, required: bool = True) -> str:
    if not isinstance(value, str):
        raise where.error(f"{what} {value!r} is not a string", f"write the {what} as an HTML string")
    html = sanitize_html(value)
    if required and not _has_text(html):
        raise where.error(
            f"{what} {value!r} has no text once disallowed HTML is removed",
            f"write the {what} with text and only these tags: {', '.join(sorted(ALLOWED_TAGS))}",
        )
    return html


def _parse_type(value: object, where: _Location) -> QuestionType:
    try:
        return QuestionType(value)
    except ValueError:
        supported = ", ".join(kind.value for kind in QuestionType)
        raise where.error(f"type {value!r} is not supported", f"use one of: {supported}") from None


def _parse_points(value: object, where: _Location) -> int | float:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value) or value <= 0:
        raise where.error(f"points {value!r} is not a number greater than 0", "set points to a number such as 1")
    return value


def _parse_competence(value: object, where: _Location) -> str:
    if not isinstance(value, str) or value not in DIGCOMP_COMPETENCES:
        raise where.error(
            f"competence {value!r} is not a DigComp 2.2 competence code",
            "use a code from 1.1 to 1.3, 2.1 to 2.6, 3.1 to 3.4, 4.1 to 4.4 or 5.1 to 5.4, as a string",
        )
    return value


def _parse_tracks(value: object, where: _Location) -> frozenset[str]:
    fix = f"list one or more of: {', '.join(TRACKS)}"
    if not isinstance(value, list) or not value:
        raise where.error(f"tracks {value!r} is not a non-empty list", fix)
    unknown = [track for track in value if track not in TRACKS]
    if unknown:
        raise where.error(f"tracks {unknown!r} are not track codes", fix)
    return frozenset(value)


def _parse_choice(data: object, index: int, where: _Location) -> Choice:
    if not isinstance(data, dict):
        raise where.error(f"choice at index {index} is not an object", "write each choice as a JSON object")
    _check_keys(data, _CHOICE_KEYS, _REQUIRED_CHOICE_KEYS, f"choice at index {index}", where)
    choice_id = _parse_id(data["id"], "choice", where)
    correct = data["correct"]
    if not isinstance(correct, bool):
        raise where.error(f"choice {choice_id!r} has correct={correct!r}", "set correct to true or false")
    return Choice(
        id=choice_id,
        text=_parse_html(data["text"], "choice text", where),
        correct=correct,
        feedback=_parse_html(data.get("feedback", ""), "feedback", where, required=False),
    )


def _parse_choices(value: object, question_type: QuestionType, where: _Location) -> tuple[Choice, ...]:
    if not isinstance(value, list) or len(value) < 2:
        raise where.error(f"choices {value!r} is not a list of 2 or more choices", "give at least 2 choices")
    if question_type is QuestionType.TRUE_FALSE and len(value) != 2:
        raise where.error(f"a 'true_false' question has {len(value)} choices", "give exactly 2 choices")
    choices = tuple(_parse_choice(data, index, where) for index, data in enumerate(value))
    ids = [choice.id for choice in choices]
    duplicates = sorted({choice_id for choice_id in ids if ids.count(choice_id) > 1})
    if duplicates:
        raise where.error(f"choice ids {duplicates} are repeated", "give every choice of a question its own id")
    correct_count = sum(choice.correct for choice in choices)
    if question_type is QuestionType.MULTIPLE and correct_count < 1:
        raise where.error("no choice is marked correct", "mark at least one choice correct in a 'multiple' question")
    if question_type is not QuestionType.MULTIPLE and correct_count != 1:
        raise where.error(
            f"{correct_count} choices are marked correct",
            f"mark exactly one choice correct in a {question_type.value!r} question",
        )
    return choices


def _parse_tags(value: object, where: _Location) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(tag, str) and tag.strip() for tag in value):
        raise where.error(f"tags {value!r} is not a list of non-empty strings", 'write tags as ["tag", "tag"]')
    return tuple(value)


def _parse_level(value: object, where: _Location) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in PROFICIENCY_LEVELS:
        raise where.error(
            f"level {value!r} is not a DigComp 2.2 proficiency level", "set level to a whole number from 1 to 8"
        )
    return value


def _parse_parameter(value: object, name: str, bounds: tuple[float, float], where: _Location) -> float:
    low, high = bounds
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value) or not low <= value <= high:
        raise where.error(f"{name} {value!r} is not a number from {low:g} to {high:g}",
                          f"set {name} to a number in that range, such as 1, or leave it out")
    return float(value)


def parse_question(data: object, position: int = 0) -> Question:
    """Build a ``Question`` from its JSON object, or raise ``InvalidQuestion`` naming the fault."""
    where = _Location(position)
    if not isinstance(data, dict):
        raise where.error(
            f"{type(data).__name__} {data!r} is not an object",
            f"write each question as a JSON object with the keys {sorted(_QUESTION_KEYS)}",
        )
    where = _Location(position, data.get("id") if isinstance(data.get("id"), str) else None)
    _check_keys(data, _QUESTION_KEYS, _REQUIRED_QUESTION_KEYS, "question", where)
    question_type = _parse_type(data.get("type", QuestionType.SINGLE.value), where)
    return Question(
        id=_parse_id(data["id"], "question", where),
        type=question_type,
        stem=_parse_html(data["stem"], "stem", where),
        choices=_parse_choices(data["choices"], question_type, where),
        competence=_parse_competence(data["competence"], where),
        tracks=_parse_tracks(data["tracks"], where),
        points=_parse_points(data.get("points", 1), where),
        level=_parse_level(data.get("level", 1), where),
        explanation=_parse_html(data.get("explanation", ""), "explanation", where, required=False),
        tags=_parse_tags(data.get("tags", []), where),
        difficulty=None if data.get("difficulty") is None
        else _parse_parameter(data["difficulty"], "difficulty", DIFFICULTY_RANGE, where),
        discrimination=1.0 if data.get("discrimination") is None
        else _parse_parameter(data["discrimination"], "discrimination", DISCRIMINATION_RANGE, where),
    )


def parse_questions(data: object) -> list[Question]:
    """Build the questions of a decoded JSON list; question ids must be unique."""
    if not isinstance(data, list):
        raise InvalidQuestion(
            f"Invalid questions: {type(data).__name__} {data!r:.80} is not a list; "
            "write the questions as a JSON list of objects."
        )
    questions = []
    seen: dict[str, int] = {}
    for position, item in enumerate(data):
        question = parse_question(item, position)
        if question.id in seen:
            raise _Location(position, question.id).error(
                f"id is already used by the question at index {seen[question.id]}", "give every question its own id"
            )
        seen[question.id] = position
        questions.append(question)
    return questions


def parse_questions_json(text: str) -> list[Question]:
    """Build the questions of a JSON document, or raise ``InvalidQuestion`` for bad JSON or a bad question."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidQuestion(
            f"Invalid questions: not JSON ({error.msg} at line {error.lineno}, column {error.colno}); "
            "fix the JSON syntax there."
        ) from error
    return parse_questions(data)


def select_for_track(questions: Iterable[Question], track: str | None) -> list[Question]:
    """Return the questions of ``track`` in their order, or all of them when ``track`` is None."""
    if track is None:
        return list(questions)
    if track not in TRACKS:
        raise UnknownTrack(track, list(TRACKS))
    return [question for question in questions if track in question.tracks]


def total_points(questions: Iterable[Question]) -> int | float:
    """Return the points that ``questions`` are worth together (0 for none)."""
    return sum(question.points for question in questions)
