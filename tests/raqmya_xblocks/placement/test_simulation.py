"""The estimator measured on seeded simulated learners of known level, with the default settings."""

from __future__ import annotations

import pytest

from raqmya_xblocks.placement.simulate import simulate


@pytest.fixture(name="outcome", scope="module")
def fixture_outcome():
    return simulate(learners=200, seed=2026)


def test_simulation_places_most_areas_within_one_level_of_the_truth(outcome):
    assert outcome.within_one / outcome.areas >= 0.85


def test_simulation_asks_at_most_8_items_per_area(outcome):
    assert outcome.items <= 8 * outcome.areas


def test_simulation_stops_some_areas_before_the_maximum(outcome):
    assert outcome.items < 8 * outcome.areas


def test_simulation_with_one_seed_gives_the_same_result_twice():
    assert simulate(learners=20, seed=7) == simulate(learners=20, seed=7)


def test_simulation_measures_five_areas_per_learner(outcome):
    assert outcome.areas == 1000
