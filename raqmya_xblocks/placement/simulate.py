"""Measure the placement estimator on simulated learners of known level, with the default settings.

Run ``python -m raqmya_xblocks.placement.simulate`` (options: ``--learners``, ``--seed``). Each
learner gets a true level per area, drawn uniformly from 1 to 8, and a true ability drawn uniformly
inside that level; answers are drawn from the model itself. The bank has 3 items per level and
area (120 items), Rasch items whose difficulty is the centre of their level plus noise.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass

from ..irt import LEVEL_WIDTH, StoppingRule, level_centre, p_correct
from ..questions import PROFICIENCY_LEVELS, Choice, Question, QuestionType
from .session import PlacementRun

AREAS = ("1", "2", "3", "4", "5")
_FIRST_COMPETENCE = {"1": "1.1", "2": "2.1", "3": "3.1", "4": "4.1", "5": "5.1"}
_CHOICES = (Choice("a", "a", True), Choice("b", "b", False))


def simulated_bank(generator: random.Random, items_per_level: int = 3) -> list[Question]:
    """Return a bank of ``items_per_level`` items per level and area, difficulties jittered by up to 0.3."""
    bank = []
    for area in AREAS:
        for level in PROFICIENCY_LEVELS:
            for number in range(items_per_level):
                bank.append(Question(
                    id=f"a{area}-l{level}-{number}", type=QuestionType.SINGLE, stem="s", choices=_CHOICES,
                    competence=_FIRST_COMPETENCE[area], tracks=frozenset({"acculturation"}), level=level,
                    difficulty=level_centre(level) + generator.uniform(-0.3, 0.3),
                ))
    return bank


@dataclass(frozen=True)
class Outcome:
    """The measure of a simulation: areas placed within one level and exactly, and items per learner."""

    learners: int
    areas: int
    within_one: int
    exact: int
    items: int

    def lines(self) -> list[str]:
        """Return the figures as the lines that the docs quote."""
        return [
            f"learners: {self.learners}, areas measured: {self.areas}",
            f"within one level of the true level: {100 * self.within_one / self.areas:.1f}%",
            f"exact level: {100 * self.exact / self.areas:.1f}%",
            f"mean items per learner (5 areas): {self.items / self.learners:.1f}",
            f"mean items per area: {self.items / self.areas:.2f}",
        ]


def simulate(learners: int, seed: int, rule: StoppingRule | None = None) -> Outcome:
    """Run ``learners`` simulated placement tests and count how close each area's level lands."""
    generator = random.Random(seed)
    bank = simulated_bank(generator)
    within_one = exact = items = 0
    for _learner in range(learners):
        truth = {}
        for area in AREAS:
            level = generator.choice(list(PROFICIENCY_LEVELS))
            truth[area] = (level, level_centre(level) + generator.uniform(-LEVEL_WIDTH / 2, LEVEL_WIDTH / 2))
        run = PlacementRun(bank, rule=rule or StoppingRule())
        question = run.next_item()
        while question is not None:
            run.record(question.id, generator.random() < p_correct(truth[question.area][1], question))
            question = run.next_item()
        items += len(run.responses)
        for area, level in run.levels().items():
            within_one += abs(level - truth[area][0]) <= 1
            exact += level == truth[area][0]
    return Outcome(learners, learners * len(AREAS), within_one, exact, items)


def main() -> None:
    """Print the measure for the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    rule = StoppingRule()
    print(f"settings: max {rule.max_items} items per area, precision {rule.precision} logits, seed {options.seed}")
    for line in simulate(options.learners, options.seed, rule).lines():
        print(line)


if __name__ == "__main__":
    main()
