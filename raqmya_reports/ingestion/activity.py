"""Daily activity of learners: logins and assessment attempts, counted on local days.

"Active" has one definition in the programme, written on ``DailyActivity``: a learner
is active on a local day with at least one login or assessment attempt.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F

from ..registry.localtime import local_date
from ..registry.models import DailyActivity

log = logging.getLogger(__name__)

LOGINS = "logins"
ATTEMPTS = "attempts"


def count_activity(user_id: int, moment: dt.datetime, what: str) -> dt.date:
    """Add one login or attempt (``what``) to the user's local day of ``moment``; return that day."""
    day = local_date(moment)
    updated = DailyActivity.objects.filter(user_id=user_id, day=day).update(**{what: F(what) + 1})
    if not updated:
        try:
            with transaction.atomic():
                DailyActivity.objects.create(user_id=user_id, day=day, **{what: 1})
        except IntegrityError:
            # Another request created the day's row first: add to it instead.
            DailyActivity.objects.filter(user_id=user_id, day=day).update(**{what: F(what) + 1})
    log.info("Activity of user %s on %s: one more %s.", user_id, day, what)
    return day
