"""When the correct answers, feedback and explanations of an assessment may reach the learner."""

from __future__ import annotations

import enum


class ShowAnswer(str, enum.Enum):
    """The show-answer policy of an assessment block, as stored in its ``show_answer`` field."""

    ALWAYS = "always"  # practice: the correct choices are marked even before the first attempt
    ATTEMPTED = "attempted"  # after every scored attempt
    # Once the learner has earned every point or has no attempt left, as Open edX problems' "finished".
    # A pass below full marks keeps them hidden while another attempt may reuse them.
    FINISHED = "finished"
    NEVER = "never"  # only the score and the competence results are ever shown


def is_full_marks(earned: float, possible: float) -> bool:
    """Return whether an attempt earned every point of a pool that has points."""
    return earned >= possible > 0


def answers_visible(policy: str, *, attempts: int, full_marks: bool, attempts_remaining: int | None) -> bool:
    """Return whether the correct choices may be sent to the learner now; unknown policies hide them.

    ``full_marks`` is whether the learner's last attempt earned every point (``is_full_marks``).
    """
    if policy == ShowAnswer.ALWAYS:
        return True
    if policy == ShowAnswer.ATTEMPTED:
        return attempts > 0
    if policy == ShowAnswer.FINISHED:
        return attempts > 0 and (full_marks or attempts_remaining == 0)
    return False
