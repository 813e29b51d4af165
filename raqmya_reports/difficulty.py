"""Item difficulty estimated from results, in logits on the placement test's ability scale: pure Python.

Both apps use this one implementation: the item analysis reports it next to the authored difficulty,
and ``raqmya_xblocks.irt`` re-exports it for the placement test's item bank. The module imports no
Django code and nothing else of the reports app, so the XBlocks may import it where the app is not
installed.

The estimate is the PROX approximation of the Rasch model: with the learners served an item having
abilities of mean ``m`` and standard deviation ``s``, an item that a share ``p`` of them answered right
has the difficulty ``m + sqrt(1 + s^2 / 2.89) * ln((1 - p) / p)``. The factor widens the logit of the
share because a spread of abilities flattens the share correct. 2.89 is 1.7 squared, the factor that
brings the logistic curve close to the normal one.
"""

from __future__ import annotations

import math

# 1.7 squared: the logistic curve scaled by 1.7 stays within 0.01 of the normal ogive.
LOGISTIC_NORMAL_FACTOR_SQUARED = 2.89


def estimate_difficulty(right: int, served: int, ability: float = 0.0, ability_sd: float = 0.0) -> float | None:
    """Return an item's Rasch difficulty in logits from its results, or ``None`` for an item never served.

    ``ability`` and ``ability_sd`` are the mean and standard deviation of the abilities of the
    learners served the item, in logits. A share of 0 or 1 would give an infinite difficulty, so it
    becomes ``(right + 0.5) / (served + 1)``, which keeps the estimate finite and its direction: even
    for an item served once, a right answer gives a lower difficulty than a wrong one.
    """
    if served <= 0:
        return None
    share = right / served if 0 < right < served else (right + 0.5) / (served + 1)
    expansion = math.sqrt(1.0 + max(ability_sd, 0.0) ** 2 / LOGISTIC_NORMAL_FACTOR_SQUARED)
    return ability + expansion * math.log((1.0 - share) / share)


def ability_moments(count: int, total: float, total_of_squares: float) -> tuple[float, float]:
    """Return the mean and the standard deviation of ``count`` abilities from their sum and sum of squares.

    Float sums may leave a variance slightly below 0 for equal abilities, which counts as no spread.
    """
    if count <= 0:
        return 0.0, 0.0
    mean = total / count
    variance = total_of_squares / count - mean * mean
    return mean, math.sqrt(variance) if variance > 1e-12 else 0.0
