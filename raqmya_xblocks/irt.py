"""The placement test's estimator: a two-parameter logistic (2PL) item response model, scored by EAP.

Pure Python. The chance that a learner of ability ``theta`` answers an item right is
``1 / (1 + exp(-a * (theta - b)))``, with ``b`` the item's difficulty and ``a`` its discrimination,
both in logits; an item bank where every ``a`` is 1 is the Rasch model. The ability of one DigComp
area is the mean of its posterior on a grid (expected a posteriori), under a normal prior that a
self-assessment may move; its precision is the posterior's standard deviation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# One implementation for the placement test and the item analysis report: a pure module of the
# reports app that imports no Django code, so the blocks may use it where the app is not installed.
from raqmya_reports.difficulty import estimate_difficulty

from .questions import PROFICIENCY_LEVELS, Question

__all__ = [
    "DEFAULT_MAX_ITEMS_PER_AREA", "DEFAULT_PRECISION", "Estimate", "LEVEL_WIDTH", "PRIOR_SD", "StoppingRule",
    "difficulty", "estimate", "estimate_difficulty", "information", "level_centre", "level_of", "most_informative",
    "p_correct", "prior_mean",
]

# Width of one proficiency level on the ability scale, in logits. The 8 levels are centred on 0,
# so level 1 is below -3 logits and level 8 above 3.
LEVEL_WIDTH = 1.0
# Standard deviation of the prior, in logits. NOTE: a wrong self-assessment is slow to undo: after
# one of level 8, four wrong answers still leave the estimate at level 6.
PRIOR_SD = 1.5
_GRID = tuple(-5.0 + step * 0.1 for step in range(101))  # -5 to 5 logits

# Defaults of the stopping rule; a site sets its own in ``RAQMYA_PLACEMENT_*`` (see ``placement.rules``).
DEFAULT_MAX_ITEMS_PER_AREA = 8
DEFAULT_PRECISION = 0.75  # logits of posterior standard deviation


def level_centre(level: int) -> float:
    """Return the ability in logits at the middle of proficiency ``level`` (1 to 8)."""
    return (level - (len(PROFICIENCY_LEVELS) + 1) / 2) * LEVEL_WIDTH


def level_of(theta: float) -> int:
    """Return the proficiency level (1 to 8) that the ability ``theta``, in logits, falls in."""
    top = len(PROFICIENCY_LEVELS)
    level = math.floor(theta / LEVEL_WIDTH + top / 2) + 1
    return min(max(level, 1), top)


def difficulty(question: Question) -> float:
    """Return the item's difficulty in logits: the author's value, else the centre of its level."""
    return question.difficulty if question.difficulty is not None else level_centre(question.level)


def p_correct(theta: float, question: Question) -> float:
    """Return the modelled chance that a learner of ability ``theta`` answers ``question`` right."""
    return 1.0 / (1.0 + math.exp(-question.discrimination * (theta - difficulty(question))))


def information(theta: float, question: Question) -> float:
    """Return the Fisher information of ``question`` at ``theta``: ``a^2 * P * (1 - P)``."""
    chance = p_correct(theta, question)
    return question.discrimination ** 2 * chance * (1.0 - chance)


@dataclass(frozen=True)
class Estimate:
    """The ability of one area after some answers: mean and standard deviation in logits, and its level."""

    theta: float
    sd: float
    items: int

    @property
    def level(self) -> int:
        """The proficiency level that the estimate falls in."""
        return level_of(self.theta)


def estimate(responses: Iterable[tuple[Question, bool]], centre: float = 0.0) -> Estimate:
    """Return the EAP estimate of one area from ``(question, answered right)`` pairs and the prior's ``centre``."""
    answered = list(responses)
    log_weights = [-0.5 * ((theta - centre) / PRIOR_SD) ** 2 for theta in _GRID]
    for question, right in answered:
        for index, theta in enumerate(_GRID):
            chance = p_correct(theta, question)
            log_weights[index] += math.log(chance if right else 1.0 - chance)
    peak = max(log_weights)
    weights = [math.exp(value - peak) for value in log_weights]
    total = sum(weights)
    mean = sum(theta * weight for theta, weight in zip(_GRID, weights)) / total
    variance = sum((theta - mean) ** 2 * weight for theta, weight in zip(_GRID, weights)) / total
    return Estimate(theta=mean, sd=math.sqrt(variance), items=len(answered))


def prior_mean(self_level: int | None) -> float:
    """Return the prior's mean for a self-assessed level, or 0 (the middle of the scale) without one."""
    return level_centre(self_level) if self_level in PROFICIENCY_LEVELS else 0.0


@dataclass(frozen=True)
class StoppingRule:
    """When an area is measured enough: after ``max_items`` items, or once the SD is at most ``precision``."""

    max_items: int = DEFAULT_MAX_ITEMS_PER_AREA
    precision: float = DEFAULT_PRECISION

    def done(self, current: Estimate, items_left: int) -> bool:
        """Return whether the area needs no more items (also when its bank has none left)."""
        return items_left == 0 or current.items >= self.max_items or current.sd <= self.precision


def most_informative(candidates: Sequence[Question], theta: float, served: set[str]) -> Question | None:
    """Return the candidate not yet served that is most informative at ``theta``; ties go to bank order."""
    best: Question | None = None
    best_information = -1.0
    for question in candidates:
        if question.id in served:
            continue
        value = information(theta, question)
        if value > best_information:
            best, best_information = question, value
    return best
