"""The placement test's rules that a site configures: the track a result recommends and the retake delay.

Both read their Django setting at each call. The track rule compares the mean level of the
areas with ``RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL``: at or above it the learner is
recommended "perfectionnement", below it "acculturation".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings

from ..errors import InvalidPlacementSetting
from ..irt import StoppingRule
from ..questions import PROFICIENCY_LEVELS

DEFAULT_PERFECTIONNEMENT_MIN_LEVEL = 4.0  # DigComp "intermediate" starts at level 3; 4 is its upper half
DEFAULT_RETAKE_DAYS = 30


def _number(name: str, default: float, low: float, high: float) -> float:
    value = getattr(settings, name, default)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value) or not low <= value <= high:
        raise InvalidPlacementSetting(name, value, f"a number from {low:g} to {high:g}")
    return value


def stopping_rule() -> StoppingRule:
    """Return the stopping rule of ``RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA`` and ``RAQMYA_PLACEMENT_PRECISION``."""
    default = StoppingRule()
    max_items = _number("RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA", default.max_items, 1, 50)
    if int(max_items) != max_items:
        raise InvalidPlacementSetting("RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA", max_items, "a whole number from 1 to 50")
    precision = _number("RAQMYA_PLACEMENT_PRECISION", default.precision, 0.1, 5)
    return StoppingRule(max_items=int(max_items), precision=float(precision))


def recommended_track(levels: Mapping[str, int]) -> str:
    """Return the track that the levels of a placement recommend, by the site's threshold on their mean."""
    threshold = _number("RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL", DEFAULT_PERFECTIONNEMENT_MIN_LEVEL,
                        PROFICIENCY_LEVELS[0], PROFICIENCY_LEVELS[-1])
    if not levels:
        return "acculturation"
    mean = sum(levels.values()) / len(levels)
    return "perfectionnement" if mean >= threshold else "acculturation"


def retake_available_at(completed_at: datetime) -> datetime:
    """Return when a learner who finished a run at ``completed_at`` may take the test again."""
    days = _number("RAQMYA_PLACEMENT_RETAKE_DAYS", DEFAULT_RETAKE_DAYS, 0, 3650)
    return completed_at + timedelta(days=days)
