"""Per-question results of assessment attempts: one row per question served, none for the rest of the pool.

The block draws a few questions from a pool for each attempt, so item analysis must know which
learners were served a question before it can count how many answered it correctly.
"""

from __future__ import annotations

import math

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...errors import InvalidAssessmentResult
from ..choices import DIGCOMP_COMPETENCE_CODES
from .facts import AssessmentResult

QUESTION_ID_LENGTH = 191
QUESTION_KEYS = frozenset({"earned", "possible", "correct", "competence"})
# Keys that a question's result may add: the difficulty its author set, in logits.
OPTIONAL_QUESTION_KEYS = frozenset({"difficulty"})
# The authored difficulty's range, as the question model accepts it.
DIFFICULTY_RANGE = (-6.0, 6.0)


class AssessmentQuestionResult(models.Model):
    """Points of one question served in one assessment attempt.

    ``question_id`` is the author's id of the question in the block's pool (a short slug), so
    reports key their columns by question, not by the position it was drawn at. ``correct``
    is the block's verdict: every point of the question earned.
    """

    result = models.ForeignKey(
        AssessmentResult, on_delete=models.CASCADE, related_name="questions",
        verbose_name=gettext_lazy("assessment result"),
    )
    question_id = models.CharField(gettext_lazy("question id"), max_length=QUESTION_ID_LENGTH, db_index=True)
    competence = models.CharField(gettext_lazy("competence"), max_length=8, blank=True)
    earned = models.FloatField(gettext_lazy("earned points"))
    possible = models.FloatField(gettext_lazy("possible points"))
    correct = models.BooleanField(gettext_lazy("correct"))
    # The difficulty that the question's author set when the attempt was made, in logits; null when unset.
    difficulty = models.FloatField(gettext_lazy("authored difficulty"), null=True, blank=True)

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = gettext_lazy("question result")
        verbose_name_plural = gettext_lazy("question results")
        constraints = [
            models.UniqueConstraint(fields=["result", "question_id"], name="raqmya_question_result_question")
        ]

    def __str__(self):
        return f"question {self.question_id} of result {self.result_id}"


def checked_questions(questions, possible: float, *, competence_required: bool = True) -> dict[str, dict]:
    """Return the per-question results as plain values, or raise ``InvalidAssessmentResult`` naming the bad one.

    ``questions`` maps question ids to ``{"earned", "possible", "correct", "competence"}``; the
    possible points of the questions must add up to ``possible``, those of the whole attempt.
    Without ``competence_required`` (a tracking-log line, whose event names no competence) a
    missing competence is stored empty.
    """
    if not isinstance(questions, dict) or not questions:
        raise InvalidAssessmentResult(
            _("questions is %(value)r; give a non-empty dict of served question ids to their points.")
            % {"value": questions}
        )
    if not competence_required:
        questions = {question_id: {"competence": "", **points} if isinstance(points, dict) else points
                     for question_id, points in questions.items()}
    checked = {question_id: _checked_question(question_id, points, competence_required)
               for question_id, points in questions.items()}
    total = sum(points["possible"] for points in checked.values())
    # The block rounds each question to hundredths before summing, so only float error may remain.
    if not math.isclose(total, possible, abs_tol=0.005):
        raise InvalidAssessmentResult(
            _("The questions add up to %(total)s possible points, the attempt to %(possible)s; "
              "send every served question and only those.") % {"total": total, "possible": possible}
        )
    return checked


def _checked_question(question_id, points, competence_required: bool) -> dict:
    if not isinstance(question_id, str) or not question_id.strip() or len(question_id) > QUESTION_ID_LENGTH:
        raise InvalidAssessmentResult(
            _("Question id %(value)r is not valid; use the question's id in the pool, 1 to %(length)s characters.")
            % {"value": question_id, "length": QUESTION_ID_LENGTH}
        )
    if not isinstance(points, dict) or not QUESTION_KEYS <= set(points) <= QUESTION_KEYS | OPTIONAL_QUESTION_KEYS:
        raise InvalidAssessmentResult(
            _("Result of question %(question)s is %(value)r; give earned, possible, correct and competence.")
            % {"question": question_id, "value": points}
        )
    earned, possible = points["earned"], points["possible"]
    for value in (earned, possible):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise InvalidAssessmentResult(
                _("Points of question %(question)s are %(value)r; give numbers of 0 or more.")
                % {"question": question_id, "value": value}
            )
    if earned > possible:
        raise InvalidAssessmentResult(
            _("Question %(question)s earns %(earned)s points out of %(possible)s; earned cannot exceed possible.")
            % {"question": question_id, "earned": earned, "possible": possible}
        )
    if not isinstance(points["correct"], bool):
        raise InvalidAssessmentResult(
            _("correct of question %(question)s is %(value)r; give true or false.")
            % {"question": question_id, "value": points["correct"]}
        )
    competence = points["competence"]
    known = isinstance(competence, str) and competence in DIGCOMP_COMPETENCE_CODES
    if not known and (competence_required or competence != ""):
        raise InvalidAssessmentResult(
            _("Competence %(code)r of question %(question)s is not a DigComp 2.2 code; use one of 1.1 to 5.4.")
            % {"code": competence, "question": question_id}
        )
    return {"earned": float(earned), "possible": float(possible), "correct": points["correct"],
            "competence": competence, "difficulty": _checked_difficulty(question_id, points.get("difficulty"))}


def _checked_difficulty(question_id: str, value) -> float | None:
    """Return the authored difficulty as a float, ``None`` when unset, or raise naming the bad value."""
    if value is None:
        return None
    low, high = DIFFICULTY_RANGE
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise InvalidAssessmentResult(
            _("Difficulty %(value)r of question %(question)s is not a number from -6 to 6 logits; "
              "send the author's difficulty or leave it out.") % {"value": value, "question": question_id}
        )
    return float(value)


def add_question_results(result: AssessmentResult, questions: dict[str, dict]) -> int:
    """Store the checked per-question results of ``result`` unless it has some already; return how many.

    A stored attempt keeps its question results: a repeated record or import adds nothing, and
    of two concurrent ones the unique constraint keeps one row per question.
    """
    if not questions or result.questions.exists():
        return 0
    rows = [AssessmentQuestionResult(result=result, question_id=question_id, **points)
            for question_id, points in sorted(questions.items())]
    AssessmentQuestionResult.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
