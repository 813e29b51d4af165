"""One learner's placement run, without any runtime: which item comes next, when to stop, the levels found.

Areas are measured in turn, each time the one with the fewest answers among those still open, so a
learner who leaves early has been asked about every area; within an area the next item is the most
informative one at the current estimate (see ``irt``). No item is served twice in a run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..irt import Estimate, StoppingRule, difficulty, estimate, most_informative, prior_mean
from ..questions import Question


@dataclass
class PlacementRun:
    """The bank of one run, the answers so far as ``(item id, right)`` and the self-assessed levels."""

    bank: Sequence[Question]
    responses: list[tuple[str, bool]] = field(default_factory=list)
    self_levels: Mapping[str, int] = field(default_factory=dict)
    rule: StoppingRule = field(default_factory=StoppingRule)
    # Derived from ``bank`` once, in ``__post_init__``.
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)
    _areas: list[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id = {question.id: question for question in self.bank}
        self._areas = sorted({question.area for question in self.bank})

    @property
    def areas(self) -> list[str]:
        """The DigComp areas the bank has items for, in order."""
        return list(self._areas)

    @property
    def served(self) -> set[str]:
        """The ids of the items already answered."""
        return {item_id for item_id, _right in self.responses}

    def area_estimate(self, area: str) -> Estimate:
        """Return the estimate of ``area`` from its answers and the learner's self-assessment."""
        answered = [(self._by_id[item_id], right) for item_id, right in self.responses
                    if item_id in self._by_id and self._by_id[item_id].area == area]
        return estimate(answered, prior_mean(self.self_levels.get(area)))

    def _open_areas(self) -> list[tuple[int, str, Estimate]]:
        served = self.served
        open_areas = []
        for area in self._areas:
            current = self.area_estimate(area)
            left = sum(1 for q in self.bank if q.area == area and q.id not in served)
            if not self.rule.done(current, left):
                open_areas.append((current.items, area, current))
        return sorted(open_areas, key=lambda entry: (entry[0], entry[1]))

    def next_item(self) -> Question | None:
        """Return the next item to serve, or None when every area is measured enough."""
        open_areas = self._open_areas()
        if not open_areas:
            return None
        _count, area, current = open_areas[0]
        candidates = [question for question in self.bank if question.area == area]
        return most_informative(candidates, current.theta, self.served)

    def record(self, item_id: str, right: bool) -> None:
        """Add the answer to item ``item_id``; a served or unknown item raises ``ValueError``."""
        if item_id not in self._by_id:
            raise ValueError(f"Item {item_id!r} is not in this placement test's bank; answer the item shown.")
        if item_id in self.served:
            raise ValueError(f"Item {item_id!r} was already answered in this run; answer the item shown.")
        self.responses.append((item_id, right))

    def item_results(self) -> dict[str, dict]:
        """Return each answered item's result: right or wrong, competence, authored difficulty, final area ability.

        The ability is the run's estimate in the item's area after every answer, in logits, rounded to
        3 decimals. The difficulty is the one the test used: the author's, else the centre of the item's level.
        """
        abilities = {area: round(self.area_estimate(area).theta, 3) for area in self._areas}
        results = {}
        for item_id, right in self.responses:
            question = self._by_id.get(item_id)
            if question is not None:
                results[item_id] = {"correct": bool(right), "competence": question.competence,
                                    "difficulty": difficulty(question), "ability": abilities[question.area]}
        return results

    def levels(self) -> dict[str, int]:
        """Return the proficiency level of each area of the bank."""
        return {area: self.area_estimate(area).level for area in self._areas}
