"""Tests of the difficulty estimate that the placement test and item analysis share: exact cases, a simulation."""

import math
import random
import statistics

import pytest

from raqmya_reports.difficulty import ability_moments, estimate_difficulty


def rasch_chance(ability: float, difficulty: float) -> float:
    """Return the Rasch model's chance that a learner of ``ability`` answers an item of ``difficulty`` right."""
    return 1.0 / (1.0 + math.exp(difficulty - ability))


def test_estimate_one_right_of_four():
    # ln((1 - 1/4) / (1/4)) = ln 3 = 1.0986, shifted by the mean ability 0.5.
    assert estimate_difficulty(1, 4, ability=0.5) == pytest.approx(1.598612, abs=1e-6)


def test_estimate_widened_by_ability_spread():
    # A spread of 1.7 logits gives the factor sqrt(1 + 2.89 / 2.89) = sqrt 2: 0.5 + 1.41421 x 1.09861.
    assert estimate_difficulty(1, 4, ability=0.5, ability_sd=1.7) == pytest.approx(2.053672, abs=1e-6)


def test_estimate_half_right_is_mean_ability_whatever_spread():
    assert estimate_difficulty(3, 6, ability=-1.25, ability_sd=2.0) == pytest.approx(-1.25)


def test_estimate_all_wrong_stays_finite():
    # A share of 0.5 / 4: ln(3.5 / 0.5) = ln 7.
    assert estimate_difficulty(0, 3) == pytest.approx(math.log(7))


def test_estimate_served_once_keeps_direction():
    """One learner of ability 1: a right answer gives 1 - ln 3, a wrong one 1 + ln 3."""
    assert estimate_difficulty(1, 1, ability=1.0) == pytest.approx(1.0 - math.log(3))
    assert estimate_difficulty(0, 1, ability=1.0) == pytest.approx(1.0 + math.log(3))


def test_estimate_never_served_is_none():
    assert estimate_difficulty(0, 0, ability=1.0) is None


def test_ability_moments_of_three():
    mean, spread = ability_moments(3, 3.0, 5.0)
    assert mean == pytest.approx(1.0)
    assert spread == pytest.approx(math.sqrt(2 / 3))


def test_ability_moments_equal_abilities_no_spread():
    assert ability_moments(3, 0.3, 0.03) == (pytest.approx(0.1), 0.0)


def test_ability_moments_nobody_served():
    assert ability_moments(0, 0.0, 0.0) == (0.0, 0.0)


@pytest.mark.parametrize("difficulty", [-0.5, 1.0, 2.0])
def test_estimate_recovers_simulated_difficulty(difficulty):
    """20,000 simulated learners of abilities N(0.4, 1.2) answer a Rasch item: the estimate is within 0.06 logits."""
    generator = random.Random(2026)
    abilities = [generator.gauss(0.4, 1.2) for _ in range(20000)]
    right = sum(generator.random() < rasch_chance(ability, difficulty) for ability in abilities)
    estimate = estimate_difficulty(right, len(abilities), statistics.fmean(abilities), statistics.pstdev(abilities))
    assert estimate == pytest.approx(difficulty, abs=0.06)
