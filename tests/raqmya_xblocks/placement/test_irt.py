"""Tests of the 2PL estimator: level scale, response model, EAP estimate, item choice and difficulty from results."""

from __future__ import annotations

import math

import pytest

from raqmya_xblocks.irt import (
    Estimate,
    StoppingRule,
    difficulty,
    estimate,
    estimate_difficulty,
    information,
    level_centre,
    level_of,
    most_informative,
    p_correct,
    prior_mean,
)
from raqmya_xblocks.questions import parse_question

from ..conftest import question


def item(item_id: str, *, level: int = 1, b: float | None = None, a: float | None = None, competence: str = "4.2"):
    data = {**question(item_id, competence=competence), "level": level}
    if b is not None:
        data["difficulty"] = b
    if a is not None:
        data["discrimination"] = a
    return parse_question(data)


@pytest.mark.parametrize(("theta", "level"), [(-9.0, 1), (-3.01, 1), (-3.0, 2), (-0.01, 4), (0.0, 5), (2.99, 7),
                                              (3.0, 8), (9.0, 8)])
def test_level_of_maps_ability_to_level_with_one_logit_per_level(theta, level):
    assert level_of(theta) == level


@pytest.mark.parametrize("level", range(1, 9))
def test_level_centre_falls_in_its_level(level):
    assert level_of(level_centre(level)) == level


def test_level_centre_of_level_1_is_minus_3_5_logits():
    assert level_centre(1) == -3.5


def test_difficulty_defaults_to_the_centre_of_the_item_level():
    assert difficulty(item("q", level=6)) == 1.5


def test_difficulty_set_by_the_author_wins_over_the_level():
    assert difficulty(item("q", level=6, b=-0.25)) == -0.25


def test_p_correct_is_one_half_at_the_item_difficulty():
    assert p_correct(1.0, item("q", b=1.0, a=2.0)) == 0.5


def test_p_correct_follows_the_two_parameter_logistic_curve():
    assert p_correct(1.0, item("q", b=0.0, a=2.0)) == pytest.approx(1 / (1 + math.exp(-2.0)))


def test_information_of_a_rasch_item_at_its_difficulty_is_one_quarter():
    assert information(0.5, item("q", b=0.5)) == 0.25


def test_information_grows_with_the_square_of_discrimination():
    assert information(0.5, item("q", b=0.5, a=2.0)) == 1.0


def test_estimate_without_answers_is_the_prior():
    assert estimate([]).theta == pytest.approx(0.0, abs=1e-9)


def test_estimate_without_answers_counts_no_items():
    assert estimate([]).items == 0


def test_estimate_rises_after_a_right_answer():
    assert estimate([(item("q", b=0.0), True)]).theta > 0.5


def test_estimate_falls_after_a_wrong_answer():
    assert estimate([(item("q", b=0.0), False)]).theta < -0.5


def test_estimate_sd_shrinks_with_answers():
    answers = [(item(f"q{n}", b=0.0), n % 2 == 0) for n in range(6)]
    assert estimate(answers).sd < estimate(answers[:1]).sd


def test_prior_mean_of_a_self_assessed_level_is_its_centre():
    assert prior_mean(7) == 2.5


@pytest.mark.parametrize("self_level", [None, 0, 9])
def test_prior_mean_without_a_valid_self_assessment_is_zero(self_level):
    assert prior_mean(self_level) == 0.0


def test_most_informative_picks_the_item_nearest_the_estimate():
    bank = [item("easy", b=-2.0), item("middle", b=0.4), item("hard", b=2.0)]
    assert most_informative(bank, 0.5, set()).id == "middle"


def test_most_informative_never_picks_a_served_item():
    bank = [item("easy", b=-2.0), item("middle", b=0.4), item("hard", b=2.0)]
    assert most_informative(bank, 0.5, {"middle"}).id == "hard"


def test_most_informative_returns_none_when_every_item_was_served():
    assert most_informative([item("only")], 0.0, {"only"}) is None


def test_stopping_rule_stops_at_max_items():
    assert StoppingRule(max_items=3, precision=0.1).done(Estimate(0.0, 0.9, 3), items_left=5) is True


def test_stopping_rule_stops_when_precise_enough():
    assert StoppingRule(max_items=8, precision=0.75).done(Estimate(0.0, 0.74, 2), items_left=5) is True


def test_stopping_rule_goes_on_while_imprecise_and_items_remain():
    assert StoppingRule(max_items=8, precision=0.75).done(Estimate(0.0, 0.9, 2), items_left=5) is False


def test_estimate_difficulty_of_an_item_half_answered_right_is_the_mean_ability():
    assert estimate_difficulty(right=10, served=20, ability=0.3) == pytest.approx(0.3)


def test_estimate_difficulty_of_an_item_mostly_missed_is_positive():
    assert estimate_difficulty(right=5, served=20) == pytest.approx(math.log(3))


def test_estimate_difficulty_of_an_item_always_right_stays_finite():
    assert estimate_difficulty(right=4, served=4) == pytest.approx(math.log(0.5 / 4.5))


def test_estimate_difficulty_of_an_item_never_served_is_none():
    assert estimate_difficulty(right=0, served=0) is None
