"""When the correct answers, feedback and explanations of an assessment may reach the learner."""

from __future__ import annotations

import enum


class ShowAnswer(str, enum.Enum):
    """The show-answer policy of an assessment block, as stored in its ``show_answer`` field."""

    ALWAYS = "always"  # practice: the correct choices are marked even before the first attempt
    ATTEMPTED = "attempted"  # after every scored attempt
    FINISHED = "finished"  # once the learner has passed or has no attempt left
    NEVER = "never"  # only the score and the competence results are ever shown


def answers_visible(policy: str, *, attempts: int, passed: bool, attempts_remaining: int | None) -> bool:
    """Return whether correct answers may be sent to the learner now; unknown policies hide them."""
    if policy == ShowAnswer.ALWAYS:
        return True
    if policy == ShowAnswer.ATTEMPTED:
        return attempts > 0
    if policy == ShowAnswer.FINISHED:
        return attempts > 0 and (passed or attempts_remaining == 0)
    return False
