"""Per-item results of placement runs: one row per item served in a run, none for the rest of the bank.

The placement test serves each learner the items most informative at their current estimate, so
each item is seen by few learners, and by learners near its difficulty. Item analysis therefore
estimates an item's difficulty from the learners it was served to, each with the ability that the
run found in the item's DigComp area.
"""

from __future__ import annotations

import math

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...errors import InvalidAssessmentResult
from ..choices import DIGCOMP_COMPETENCE_CODES
from .facts import PlacementResult
from .questions import DIFFICULTY_RANGE, QUESTION_ID_LENGTH

PLACEMENT_ITEM_KEYS = frozenset({"correct", "competence", "difficulty", "ability"})
# Abilities are on the same logit scale as the authored difficulties.
ABILITY_RANGE = DIFFICULTY_RANGE
# More items than any stopping rule serves in one run: 5 areas, 8 items each by default.
MAX_ITEMS_PER_RUN = 200


class PlacementItemResult(models.Model):
    """One item served in one placement run: right or wrong, and the run's ability in the item's area.

    ``ability`` is the run's final estimate, in logits, of the learner's ability in the DigComp area
    of the item. ``difficulty`` is the one the item's author set when the run was made; null when unset.
    """

    placement = models.ForeignKey(
        PlacementResult, on_delete=models.CASCADE, related_name="items", verbose_name=gettext_lazy("placement result")
    )
    question_id = models.CharField(gettext_lazy("item id"), max_length=QUESTION_ID_LENGTH, db_index=True)
    competence = models.CharField(gettext_lazy("competence"), max_length=8)
    correct = models.BooleanField(gettext_lazy("correct"))
    difficulty = models.FloatField(gettext_lazy("authored difficulty"), null=True, blank=True)
    ability = models.FloatField(gettext_lazy("ability in the area"))

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = gettext_lazy("placement item result")
        verbose_name_plural = gettext_lazy("placement item results")
        constraints = [
            models.UniqueConstraint(fields=["placement", "question_id"], name="raqmya_placement_item_question")
        ]

    def __str__(self):
        return f"item {self.question_id} of placement {self.placement_id}"


def checked_placement_items(items) -> dict[str, dict]:
    """Return the items of a run as plain values, or raise ``InvalidAssessmentResult`` naming the bad one.

    ``items`` maps each served item's id to ``{"correct": bool, "competence": DigComp code,
    "difficulty": logits or None, "ability": logits}``.
    """
    if not isinstance(items, dict) or not items:
        raise InvalidAssessmentResult(
            _("items is %(value)r; give a non-empty dict of served item ids to their results.") % {"value": items}
        )
    if len(items) > MAX_ITEMS_PER_RUN:
        raise InvalidAssessmentResult(
            _("A run sends %(count)s items; one run serves at most %(limit)s, so send the served items only.")
            % {"count": len(items), "limit": MAX_ITEMS_PER_RUN}
        )
    return {item_id: _checked_item(item_id, result) for item_id, result in items.items()}


def _checked_item(item_id, result) -> dict:
    if not isinstance(item_id, str) or not item_id.strip() or len(item_id) > QUESTION_ID_LENGTH:
        raise InvalidAssessmentResult(
            _("Item id %(value)r is not valid; use the item's id in the bank, 1 to %(length)s characters.")
            % {"value": item_id, "length": QUESTION_ID_LENGTH}
        )
    if not isinstance(result, dict) or set(result) != PLACEMENT_ITEM_KEYS:
        raise InvalidAssessmentResult(
            _("Result of item %(item)s is %(value)r; give correct, competence, difficulty and ability.")
            % {"item": item_id, "value": result}
        )
    if not isinstance(result["correct"], bool):
        raise InvalidAssessmentResult(
            _("correct of item %(item)s is %(value)r; give true or false.")
            % {"item": item_id, "value": result["correct"]}
        )
    if result["competence"] not in DIGCOMP_COMPETENCE_CODES:
        raise InvalidAssessmentResult(
            _("Competence %(code)r of item %(item)s is not a DigComp 2.2 code; use one of 1.1 to 5.4.")
            % {"code": result["competence"], "item": item_id}
        )
    low, high = ABILITY_RANGE
    difficulty = result["difficulty"]
    if difficulty is not None and not _is_logit(difficulty):
        raise InvalidAssessmentResult(
            _("Difficulty %(value)r of item %(item)s is not a number from %(low)s to %(high)s logits; "
              "send the author's difficulty or null.")
            % {"value": difficulty, "item": item_id, "low": low, "high": high}
        )
    if not _is_logit(result["ability"]):
        raise InvalidAssessmentResult(
            _("Ability %(value)r at item %(item)s is not a number from %(low)s to %(high)s logits; "
              "send the run's estimate in the item's area.")
            % {"value": result["ability"], "item": item_id, "low": low, "high": high}
        )
    return {"correct": result["correct"], "competence": result["competence"],
            "difficulty": None if difficulty is None else float(difficulty), "ability": float(result["ability"])}


def _is_logit(value) -> bool:
    low, high = ABILITY_RANGE
    return (not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)
            and low <= value <= high)


def add_placement_items(placement: PlacementResult, items: dict[str, dict]) -> int:
    """Store the checked items of ``placement`` unless it has some already; return how many were stored.

    A stored run keeps its items: a repeated record adds nothing, and of two concurrent ones the
    unique constraint keeps one row per item.
    """
    if not items or placement.items.exists():
        return 0
    rows = [PlacementItemResult(placement=placement, question_id=item_id, **result)
            for item_id, result in sorted(items.items())]
    PlacementItemResult.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
