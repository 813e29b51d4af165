"""Grading of Raqmya questions: points per answer, partial credit and the one rounding rule.

The rule, used alike by the learner's display, the published grade and the reports:

* ``single`` and ``true_false``: all the question's points for the correct choice, 0 otherwise.
* ``multiple``: every correct choice selected counts +1 and every incorrect choice selected -1;
  the question earns ``points * max(0, that sum) / number of correct choices``. Selecting every
  choice therefore earns nothing unless every choice is correct.
* Points and percentages are rounded half up to 2 decimals (``round_points``), per question
  before summing, so that the total is the sum of the figures the learner sees. The pass mark is
  compared with the rounded percentage: a learner shown 70% passes a 70% pass mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .errors import InvalidAnswer, MissingAnswer, UnexpectedAnswer
from .questions import Question, QuestionType

_HUNDREDTH = Decimal("0.01")


def round_points(value: int | float) -> int | float:
    """Round half up to 2 decimals; return an int when the result is whole (3.0 becomes 3)."""
    rounded = Decimal(str(value)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def percent(earned: int | float, possible: int | float) -> int | float:
    """Return ``earned`` as a rounded percentage of ``possible``; 0 when nothing is possible."""
    if not possible:
        return 0
    return round_points(Decimal(str(earned)) * 100 / Decimal(str(possible)))


def _selected_ids(question: Question, answer: object) -> frozenset[str]:
    """Check the shape of ``answer`` for the question's type and return the chosen choice ids."""
    if question.type is QuestionType.MULTIPLE:
        if not isinstance(answer, list) or not answer or not all(isinstance(item, str) for item in answer):
            raise InvalidAnswer(question.id, answer, "a non-empty list of choice ids")
        if len(set(answer)) != len(answer):
            raise InvalidAnswer(question.id, answer, "each choice id once")
        chosen = answer
    else:
        if not isinstance(answer, str):
            raise InvalidAnswer(question.id, answer, "one choice id as a string")
        chosen = [answer]
    for choice_id in chosen:
        question.choice(choice_id)
    return frozenset(chosen)


def grade(question: Question, answer: object) -> int | float:
    """Return the rounded points ``answer`` earns; raise ``InvalidAnswer`` or ``UnknownChoice``."""
    selected = _selected_ids(question, answer)
    correct = question.correct_ids
    if question.type is not QuestionType.MULTIPLE:
        return question.points if selected <= correct else 0
    net = len(selected & correct) - len(selected - correct)
    return round_points(question.points * max(0, net) / len(correct))


@dataclass(frozen=True)
class QuestionResult:
    """Points of one served question; ``correct`` only when every point was earned."""

    earned: int | float
    possible: int | float

    @property
    def correct(self) -> bool:
        """Whether the answer earned all the question's points."""
        return self.earned == self.possible

    def to_json(self) -> dict:
        """Return the JSON object stored in learner state and sent in events: earned, possible, correct."""
        return {"earned": self.earned, "possible": self.possible, "correct": self.correct}


@dataclass(frozen=True)
class Score:
    """The result of one attempt: raw points, and points per question, competence and area."""

    earned: int | float
    possible: int | float
    questions: dict[str, QuestionResult] = field(default_factory=dict)
    competences: dict[str, dict[str, int | float]] = field(default_factory=dict)
    areas: dict[str, dict[str, int | float]] = field(default_factory=dict)

    @property
    def percent(self) -> int | float:
        """Earned points as a rounded percentage of the possible points, 0 when nothing is possible."""
        return percent(self.earned, self.possible)

    @property
    def correct(self) -> dict[str, bool]:
        """Whether each question id earned all its points."""
        return {question_id: result.correct for question_id, result in self.questions.items()}


def _add(totals: dict[str, dict[str, int | float]], key: str, earned: int | float, possible: int | float) -> None:
    entry = totals.setdefault(key, {"earned": 0, "possible": 0})
    entry["earned"] = round_points(entry["earned"] + earned)
    entry["possible"] = round_points(entry["possible"] + possible)


def score_answers(questions: list[Question], answers: Mapping[str, object]) -> Score:
    """Grade one answer per served question, by choice id, and total them per competence and area.

    Every question must be answered, and only these questions: otherwise ``MissingAnswer`` or
    ``UnexpectedAnswer`` is raised, as are ``InvalidAnswer`` and ``UnknownChoice`` for a bad answer.
    An empty list for a multiple-response question, with no box ticked, counts as no answer.
    """
    served_ids = {question.id for question in questions}
    for question_id in answers:
        if question_id not in served_ids:
            raise UnexpectedAnswer(question_id)
    results: dict[str, QuestionResult] = {}
    competences: dict[str, dict[str, int | float]] = {}
    areas: dict[str, dict[str, int | float]] = {}
    for question in questions:
        if question.id not in answers or (question.type is QuestionType.MULTIPLE and answers[question.id] == []):
            raise MissingAnswer(question.id)
        result = QuestionResult(grade(question, answers[question.id]), question.points)
        results[question.id] = result
        _add(competences, question.competence, result.earned, result.possible)
        _add(areas, question.area, result.earned, result.possible)
    earned = round_points(sum(result.earned for result in results.values()))
    possible = round_points(sum(result.possible for result in results.values()))
    return Score(earned, possible, results, competences, areas)
