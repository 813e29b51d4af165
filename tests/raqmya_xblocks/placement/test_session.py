"""Tests of one placement run without a runtime: item order, no repeats, stopping, self-assessment, levels."""

from __future__ import annotations

import random

import pytest

from raqmya_xblocks.irt import StoppingRule
from raqmya_xblocks.placement.session import PlacementRun
from raqmya_xblocks.placement.simulate import simulated_bank


@pytest.fixture(name="bank")
def fixture_bank():
    return simulated_bank(random.Random(1))


def run_through(run: PlacementRun, answer) -> list[str]:
    """Answer every item the run serves with ``answer(item)``; return the ids in the order served."""
    served = []
    item = run.next_item()
    while item is not None:
        served.append(item.id)
        run.record(item.id, answer(item))
        item = run.next_item()
    return served


def test_run_never_serves_an_item_twice(bank):
    generator = random.Random(5)
    served = run_through(PlacementRun(bank, rule=StoppingRule(max_items=24, precision=0.0)),
                         lambda item: generator.random() < 0.5)
    assert len(served) == len(set(served))


def test_run_serves_the_whole_bank_when_it_never_stops_early(bank):
    served = run_through(PlacementRun(bank, rule=StoppingRule(max_items=50, precision=0.0)), lambda item: True)
    assert len(served) == 120


def test_run_stops_at_the_maximum_items_of_each_area(bank):
    served = run_through(PlacementRun(bank, rule=StoppingRule(max_items=3, precision=0.0)), lambda item: True)
    assert len(served) == 15


def test_run_measures_the_areas_in_turn(bank):
    served = run_through(PlacementRun(bank, rule=StoppingRule(max_items=2, precision=0.0)), lambda item: True)
    assert [item_id.split("-")[0] for item_id in served] == ["a1", "a2", "a3", "a4", "a5"] * 2


def test_run_of_a_learner_who_answers_everything_right_ends_at_level_8(bank):
    run = PlacementRun(bank)
    run_through(run, lambda item: True)
    assert run.levels() == {"1": 8, "2": 8, "3": 8, "4": 8, "5": 8}


def test_run_of_a_learner_who_answers_everything_wrong_ends_at_level_1(bank):
    run = PlacementRun(bank)
    run_through(run, lambda item: False)
    assert run.levels() == {"1": 1, "2": 1, "3": 1, "4": 1, "5": 1}


def test_first_item_without_self_assessment_is_at_the_middle_of_the_scale(bank):
    assert PlacementRun(bank).next_item().level in (4, 5)


def test_first_item_after_a_self_assessment_of_level_7_is_a_hard_one(bank):
    assert PlacementRun(bank, self_levels={"1": 7}).next_item().level == 7


def test_record_refuses_an_item_already_answered(bank):
    run = PlacementRun(bank)
    run.record("a1-l4-0", True)
    with pytest.raises(ValueError, match="'a1-l4-0' was already answered"):
        run.record("a1-l4-0", False)


def test_record_refuses_an_item_not_in_the_bank(bank):
    with pytest.raises(ValueError, match="'nope' is not in this placement test's bank"):
        PlacementRun(bank).record("nope", True)


def test_areas_are_those_of_the_bank(bank):
    assert PlacementRun(bank[:24]).areas == ["1"]
