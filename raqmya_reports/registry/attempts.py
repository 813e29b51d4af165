"""Placement of a recorded assessment attempt when staff may have reset the learner's attempts in between.

A reset (the instructor dashboard deletes the learner state, or the block's staff reset) makes the
learner's next submission attempt 1 again, in a new series. The block names each series by an id
derived from a random token of the learner state. The rows of one learner at one block follow these
rules, in whatever order the live block and the tracking-log importer record the attempts:

- A record of a stored attempt in the same series, or without a series (a ``problem_check`` line,
  an older event, an older caller), is the same attempt. It changes nothing, or completes the row.
- A record of a stored attempt in another series replaces the row and its question rows when it
  was submitted later, and changes nothing when it was submitted earlier.
- Within one series, attempts are numbered in the order they were submitted. So an attempt
  submitted before a stored row of a lower number belongs to a series that a reset ended, and is
  not stored. A row of a higher number submitted before a new series' attempt is deleted.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import re
from datetime import datetime

from django.utils.translation import gettext as _

from ..errors import InvalidAssessmentResult
from .models import AssessmentResult, ProcessedEvent, key_hash
from .models.facts import SERIES_LENGTH
from .models.questions import add_question_results

log = logging.getLogger(__name__)

_SERIES = re.compile(r"^[A-Za-z0-9_-]*$")
# Event type of the processed-event rows that remember each (learner, block, attempt, series) counted.
SERIES_ATTEMPT_SEEN = "raqmya.assessment.series_attempt"


class Placement(enum.Enum):
    """Decision about a recorded attempt: a new row, the stored one, a replacement, or nothing (stale)."""

    CREATE = "create"
    SAME = "same"
    REPLACE = "replace"
    STALE = "stale"


def checked_series(series) -> str:
    """Return the series id, or raise ``InvalidAssessmentResult`` when it is not one the block sends."""
    if not isinstance(series, str) or len(series) > SERIES_LENGTH or not _SERIES.match(series):
        raise InvalidAssessmentResult(
            _("Series id %(value)r is not valid; send the id the block gave, up to %(length)s letters, digits, "
              "hyphens or underscores, or leave it empty.") % {"value": series, "length": SERIES_LENGTH}
        )
    return series


def place(user_id: int, usage_key, attempt: int, series: str, submitted_at: datetime
          ) -> tuple[Placement, AssessmentResult | None]:
    """Decide what recording attempt ``attempt`` of ``series`` does, and return it with the stored row of that number.

    Call it inside a transaction: it locks the learner's rows at the block until the caller is done.
    """
    rows = list(AssessmentResult.objects.select_for_update().filter(
        user_id=user_id, usage_key_hash=key_hash(usage_key)).order_by("attempt"))
    stored = next((row for row in rows if row.attempt == attempt), None)
    # NOTE: a row stored without a series (from a problem_check line) is taken as the same attempt as a
    # record with a series, which then names it. If a reset came in between, the old points stay.
    if stored is not None and (not series or not stored.series or series == stored.series):
        return Placement.SAME, stored
    if any(row.attempt < attempt and row.submitted_at > submitted_at for row in rows):
        return Placement.STALE, stored
    if stored is None:
        return Placement.CREATE, None
    return (Placement.REPLACE if submitted_at > stored.submitted_at else Placement.STALE), stored


def counts_as_activity(placement: Placement, user_id: int, usage_key, attempt: int, series: str) -> bool:
    """Tell whether this record is a submission not yet counted in the learner's daily activity.

    Every attempt of every series was a real submission on its day, even one whose row a later
    series replaced. So an attempt with a series counts the first time it is seen, whether it is
    stored, replaces a row or comes too late to be stored. Without a series, only a new row counts,
    and a record of the stored attempt never counts. Call it inside the transaction of ``place``.
    """
    if not series:
        return placement is Placement.CREATE
    first = _seen(user_id, usage_key, attempt, series)
    return first and placement is not Placement.SAME


def _seen(user_id: int, usage_key, attempt: int, series: str) -> bool:
    """Remember attempt ``attempt`` of ``series`` and return whether it was new."""
    identity = json.dumps(["attempt-series", user_id, key_hash(usage_key), attempt, series])
    _event, created = ProcessedEvent.objects.get_or_create(
        key=hashlib.sha256(identity.encode("utf-8")).hexdigest(), defaults={"event_type": SERIES_ATTEMPT_SEEN})
    return created


def adopt_series(stored: AssessmentResult, series: str) -> bool:
    """Give a row stored without a series the series of a record of the same attempt; return whether it changed.

    A ``problem_check`` line of an attempt may be imported before the block's event of it, which
    then names the attempt's series.
    """
    if not series or stored.series:
        return False
    AssessmentResult.objects.filter(pk=stored.pk).update(series=series)
    stored.series = series
    return True


def replace(stored: AssessmentResult, values: dict, questions: dict[str, dict] | None) -> None:
    """Replace a stored attempt and its question rows by those of a later series' attempt of the same number.

    ``values`` are the row's new field values, with ``series`` and ``submitted_at``. Call it inside
    the transaction of ``place``.
    """
    previous = stored.series
    AssessmentResult.objects.filter(pk=stored.pk).update(**values)
    for name, value in values.items():
        setattr(stored, name, value)
    removed, _kinds = stored.questions.all().delete()
    added = add_question_results(stored, questions) if questions else 0
    log.info("Attempt %s of user %s at %s: series %s replaced series %s after a reset, "
             "%s question rows removed, %s added.",
             stored.attempt, stored.user_id, stored.usage_key, stored.series, previous or "(none)", removed, added)


def store(placement: Placement, stored: AssessmentResult | None, user_id: int, usage_key, attempt: int, *,
          values: dict, questions: dict[str, dict] | None) -> None:
    """Create or replace the row that ``place`` decided on, then end the series it follows.

    ``values`` are the row's field values with ``series`` and ``submitted_at``, and ``questions``
    the checked per-question results. Call it inside the transaction of ``place``.
    """
    if placement is Placement.REPLACE:
        replace(stored, values, questions)
    elif placement is Placement.CREATE:
        created = AssessmentResult.objects.create(user_id=user_id, usage_key=str(usage_key), attempt=attempt,
                                                  **values)
        if questions:
            add_question_results(created, questions)
    else:
        raise ValueError(f"{placement} stores nothing")
    end_older_series(user_id, usage_key, attempt, values["series"], values["submitted_at"])


def end_older_series(user_id: int, usage_key, attempt: int, series: str, submitted_at: datetime) -> int:
    """Delete the rows of higher attempt numbers submitted before ``submitted_at``; return how many.

    They belong to a series that a reset ended before attempt ``attempt`` of ``series``. A record
    without a series deletes nothing. Call it inside the transaction of ``place``, after storing
    that attempt.
    """
    if not series:
        return 0
    ended = AssessmentResult.objects.filter(user_id=user_id, usage_key_hash=key_hash(usage_key),
                                            attempt__gt=attempt, submitted_at__lt=submitted_at)
    attempts = sorted(ended.values_list("attempt", flat=True))
    if not attempts:
        return 0
    ended.delete()
    log.info("User %s at %s: attempts %s of a series ended by a reset removed, before attempt %s of the new one.",
             user_id, usage_key, attempts, attempt)
    return len(attempts)
