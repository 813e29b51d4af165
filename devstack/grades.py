"""A stand-in for the LMS grades app: a block grade becomes a course grade and openedx-events.

Each workbench scenario stands for the final assessment of the devstack's one course,
in one language, so the course grade is the learner's latest block grade, passed at
``RAQMYA_DEVSTACK_PASS_MARK``. As in the LMS, a course grade sends
``PERSISTENT_GRADE_SUMMARY_CHANGED`` and ``COURSE_PASSING_STATUS_UPDATED``.
"""

import logging

from crum import get_current_user
from django.conf import settings
from django.utils import timezone

from . import platform_events

log = logging.getLogger(__name__)


def record_block_grade(block, event_data):
    """Turn the signed-in learner's block grade into the course grade events."""
    user = get_current_user()
    if user is None or not user.is_authenticated:
        log.info("Grade of block %s not recorded: no signed-in learner.", block.scope_ids.usage_id)
        return
    possible = float(event_data["max_value"])
    percent = round(float(event_data["value"]) / possible, 4) if possible else 0.0
    passed = percent >= settings.RAQMYA_DEVSTACK_PASS_MARK
    platform_events.send_course_grade(user, settings.RAQMYA_DEVSTACK_COURSE_KEY, percent, passed, timezone.now())
