"""The draw of an assessment's questions and the order of their choices, stable per learner and attempt.

A draw is seeded by the learner, the block's usage key and the attempt number, so reloading the
page shows the same questions in the same order, and only a new attempt draws again.
"""

from __future__ import annotations

import hashlib
import random

from .questions import Question, QuestionType


def _generator(*seed_parts: object) -> random.Random:
    """Return a generator seeded by a SHA-256 of the parts, the same on every Python process."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in seed_parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def draw_questions(
    questions: list[Question], pool_size: int, *, learner: object, usage_key: str, attempt: int
) -> list[Question]:
    """Return ``pool_size`` of ``questions`` (all when 0 or more than there are), in the bank's order.

    The bank's order is kept so that an author can lead from easy to hard questions.
    """
    if pool_size <= 0 or pool_size >= len(questions):
        return list(questions)
    drawn = _generator("questions", learner, usage_key, attempt).sample(range(len(questions)), pool_size)
    return [questions[index] for index in sorted(drawn)]


def choice_order(question: Question, *, learner: object, usage_key: str, attempt: int) -> list[str]:
    """Return the ids of the question's choices in the order this learner sees them in this attempt."""
    ids = [choice.id for choice in question.choices]
    if question.type is QuestionType.TRUE_FALSE:
        return ids  # "true" then "false" as the author wrote them reads better than a shuffle
    _generator("choices", learner, usage_key, attempt, question.id).shuffle(ids)
    return ids
