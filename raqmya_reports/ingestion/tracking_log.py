"""Import of enrollment and course-grade facts from edx-platform tracking logs (JSON lines, plain or gzip).

A tracking-log line carries no event id, so its key is a SHA-256 of the fields that
identify it, stored in ``ProcessedEvent``. Lines are applied in batches of one transaction
each, so an interrupted import can be run again without counting a line twice.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import InvalidTrackingEvent, UnknownUser
from . import facts

log = logging.getLogger(__name__)

ENROLLMENT_ACTIVATED = "edx.course.enrollment.activated"
ENROLLMENT_DEACTIVATED = "edx.course.enrollment.deactivated"
COURSE_GRADE_CALCULATED = "edx.grades.course.grade_calculated"
EVENT_NAMES = frozenset({ENROLLMENT_ACTIVATED, ENROLLMENT_DEACTIVATED, COURSE_GRADE_CALCULATED})

GZIP_MAGIC = b"\x1f\x8b"
BATCH_SIZE = 500

# Reasons a line is skipped, as the import reports them.
SKIP_NOT_JSON = "not_json"
SKIP_OTHER_EVENT = "other_event"
SKIP_INVALID_EVENT = "invalid_event"
SKIP_UNKNOWN_USER = "unknown_user"
SKIP_ERROR = "error"


@dataclass
class ImportCounts:
    """Lines read, and what became of them."""

    read: int = 0
    outcomes: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)

    @property
    def applied(self) -> int:
        """Lines that changed the registry."""
        return self.outcomes[facts.Outcome.APPLIED]

    @property
    def duplicates(self) -> int:
        """Lines already imported before."""
        return self.outcomes[facts.Outcome.ALREADY_PROCESSED]


@dataclass(frozen=True)
class TrackingFact:
    """The part of one tracking-log event that the registry records."""

    name: str
    time: datetime
    user_id: int
    course_id: str
    mode: str = ""
    percent_grade: float | None = None
    letter_grade: str = ""

    @property
    def key(self) -> str:
        """SHA-256 of the fields that identify the line: name, time, user id, course id, grade."""
        parts = [self.name, self.time.isoformat(), self.user_id, self.course_id]
        if self.name == COURSE_GRADE_CALCULATED:
            parts.append(self.percent_grade)
        return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def open_log(path: Path | str) -> io.TextIOBase:
    """Open a tracking log as text, decompressing it when it starts with the gzip magic bytes."""
    path = Path(path)
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == GZIP_MAGIC:
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")


def parse_line(line: str) -> dict:
    """Return the JSON object of a line, after any syslog-style prefix; raise ``ValueError`` if none."""
    start = line.find("{")
    if start < 0:
        raise ValueError("no JSON object on the line")
    record = json.loads(line[start:])
    if not isinstance(record, dict):
        raise ValueError("the line's JSON is not an object")
    return record


def event_name(record: dict) -> str:
    """Return the event's name; older lines carry it only as ``event_type``."""
    return str(record.get("name") or record.get("event_type") or "")


def to_fact(record: dict) -> TrackingFact:
    """Return the fact of an enrollment or course-grade record; raise ``InvalidTrackingEvent`` if incomplete."""
    name = event_name(record)
    event = record.get("event") or {}
    if isinstance(event, str):
        # Browser events carry their payload as a JSON-encoded string.
        try:
            event = json.loads(event)
        except ValueError as error:
            raise InvalidTrackingEvent(_("%(name)s: the event field is not JSON.") % {"name": name}) from error
    if not isinstance(event, dict):
        raise InvalidTrackingEvent(_("%(name)s: the event field is not an object.") % {"name": name})
    context = record.get("context") or {}

    user_id = _first(event.get("user_id"), context.get("user_id"))
    course_id = _first(event.get("course_id"), context.get("course_id"))
    try:
        user_id = int(user_id)
    except (TypeError, ValueError) as error:
        raise InvalidTrackingEvent(
            _("%(name)s: user id %(value)r is not a number.") % {"name": name, "value": user_id}
        ) from error
    if not course_id:
        raise InvalidTrackingEvent(_("%(name)s: the line names no course_id.") % {"name": name})

    fact = {"name": name, "time": _parse_time(name, record.get("time")), "user_id": user_id, "course_id": course_id}
    if name == COURSE_GRADE_CALCULATED:
        try:
            fact["percent_grade"] = float(event["percent_grade"])
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidTrackingEvent(
                _("%(name)s: percent_grade %(value)r is not a number.")
                % {"name": name, "value": event.get("percent_grade")}
            ) from error
        fact["letter_grade"] = _letter_grade(event.get("letter_grade"))
    else:
        fact["mode"] = str(event.get("mode") or "")
    return TrackingFact(**fact)


def _first(*values):
    """Return the first value that is neither ``None`` nor empty."""
    return next((value for value in values if value not in (None, "")), None)


def _parse_time(name: str, value) -> datetime:
    """Return the line's ISO 8601 time as an aware datetime; a time without offset is taken as UTC."""
    try:
        time = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidTrackingEvent(
            _("%(name)s: time %(value)r is not an ISO 8601 date and time.") % {"name": name, "value": value}
        ) from error
    if time.tzinfo is None:
        time = time.replace(tzinfo=timezone.utc)
    return time.astimezone(timezone.utc)


def _letter_grade(value) -> str:
    """Return the letter grade, empty when the learner is below every grade cutoff."""
    # edx-platform writes ``str(letter_grade)``, so a missing letter may read "None".
    letter = "" if value is None else str(value)
    return "" if letter == "None" else letter


def apply_fact(fact: TrackingFact) -> facts.Outcome:
    """Apply one tracking-log fact to the registry."""
    event = {
        "time": fact.time,
        "source": facts.SOURCE_TRACKING_LOG,
        "event_key": fact.key,
        "event_type": fact.name,
    }
    if fact.name == COURSE_GRADE_CALCULATED:
        # NOTE: edx-platform's CourseGrade gives a letter only at or above a cutoff, and passes at
        # the lowest non-zero cutoff, so a letter means passed (unless a cutoff is 0). The line has
        # no passing time, so a new pass is dated by the line's time.
        return facts.apply_course_grade(
            fact.user_id,
            fact.course_id,
            percent=fact.percent_grade,
            letter_grade=fact.letter_grade,
            passed=bool(fact.letter_grade),
            passed_at=None,
            **event,
        )
    return facts.apply_enrollment(
        fact.user_id, fact.course_id, is_active=fact.name == ENROLLMENT_ACTIVATED, mode=fact.mode, **event
    )


def import_tracking_logs(paths: list[Path | str], batch_size: int = BATCH_SIZE) -> ImportCounts:
    """Import every enrollment and course-grade line of ``paths``, in order, and return the counts."""
    counts = ImportCounts()
    for path in paths:
        with open_log(path) as lines:
            batch: list[tuple[int, str]] = []
            for number, line in enumerate(lines, start=1):
                batch.append((number, line))
                if len(batch) >= batch_size:
                    _import_batch(path, batch, counts)
                    batch = []
            if batch:
                _import_batch(path, batch, counts)
    log.info(
        "Tracking-log import read %d lines: %d applied, %d duplicates, skipped %s.",
        counts.read,
        counts.applied,
        counts.duplicates,
        dict(counts.skipped),
    )
    return counts


def _import_batch(path, batch: list[tuple[int, str]], counts: ImportCounts) -> None:
    """Apply one batch of lines in one transaction; each line has its own savepoint."""
    with transaction.atomic():
        for number, line in batch:
            counts.read += 1
            outcome = _import_line(path, number, line)
            if isinstance(outcome, facts.Outcome):
                counts.outcomes[outcome] += 1
            elif outcome is not None:
                counts.skipped[outcome] += 1


def _import_line(path, number: int, line: str) -> facts.Outcome | str | None:
    """Apply one line; return its outcome, a skip reason, or ``None`` for a blank line."""
    if not line.strip():
        return None
    try:
        record = parse_line(line)
    except ValueError as error:
        log.warning("%s line %d skipped: not a JSON tracking event (%s).", path, number, error)
        return SKIP_NOT_JSON
    if event_name(record) not in EVENT_NAMES:
        log.debug("%s line %d skipped: event %s is not recorded.", path, number, event_name(record))
        return SKIP_OTHER_EVENT
    try:
        fact = to_fact(record)
        return apply_fact(fact)
    except InvalidTrackingEvent as error:
        log.warning("%s line %d skipped: %s", path, number, error)
        return SKIP_INVALID_EVENT
    except UnknownUser:
        log.warning(
            "%s line %d skipped: user %s does not exist (course %s).", path, number, fact.user_id, fact.course_id
        )
        return SKIP_UNKNOWN_USER
    except Exception:  # pylint: disable=broad-except
        log.exception("%s line %d could not be recorded (user %s, course %s).", path, number, *_ids(record))
        return SKIP_ERROR


def _ids(record: dict) -> tuple[object, object]:
    """Return a record's user id and course id for a log line, as far as it has them."""
    event = record.get("event") if isinstance(record.get("event"), dict) else {}
    context = record.get("context") if isinstance(record.get("context"), dict) else {}
    return _first(event.get("user_id"), context.get("user_id")), _first(
        event.get("course_id"), context.get("course_id")
    )
