"""Reading of the edx-platform tracking-log events that the registry records, and applying them once.

Real logs differ between releases and emitters: the user id sits in ``event.user_id`` or
``context.user_id``, as a number or a string; times come with or without an offset (without
one, UTC); browser events carry their payload as a JSON string. A line carries no event id,
so a fact's key is a SHA-256 of the fields that identify it, stored in ``ProcessedEvent``.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone

from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from ..errors import InvalidAssessmentResult, InvalidTrackingEvent
from ..registry import attempts
from ..registry.choices import DIGCOMP_COMPETENCE_CODES, Track
from ..registry.models.questions import checked_questions
from ..registry.tracks import track_at
from . import facts

ENROLLMENT_ACTIVATED = "edx.course.enrollment.activated"
ENROLLMENT_DEACTIVATED = "edx.course.enrollment.deactivated"
ENROLLMENT_MODE_CHANGED = "edx.course.enrollment.mode_changed"
COURSE_GRADE_CALCULATED = "edx.grades.course.grade_calculated"
CERTIFICATE_CREATED = "edx.certificate.created"
CERTIFICATE_REVOKED = "edx.certificate.revoked"
PROBLEM_CHECK = "problem_check"
# The event the assessment block publishes with each attempt, which also carries the points per competence.
ASSESSMENT_SUBMITTED = "raqmya.assessment.submitted"
# The event the placement block publishes at the end of each run, with its levels, track and item results.
PLACEMENT_COMPLETED = "raqmya.placement.completed"

ENROLLMENT_EVENTS = frozenset({ENROLLMENT_ACTIVATED, ENROLLMENT_DEACTIVATED, ENROLLMENT_MODE_CHANGED})
CERTIFICATE_EVENTS = frozenset({CERTIFICATE_CREATED, CERTIFICATE_REVOKED})
ATTEMPT_EVENTS = frozenset({PROBLEM_CHECK, ASSESSMENT_SUBMITTED})
EVENT_NAMES = ENROLLMENT_EVENTS | CERTIFICATE_EVENTS | ATTEMPT_EVENTS | {COURSE_GRADE_CALCULATED, PLACEMENT_COMPLETED}

ASSESSMENT_BLOCK_TYPE = "raqmya_assessment"
PLACEMENT_BLOCK_TYPE = "raqmya_placement"


class OtherBlock(Exception):
    """A ``problem_check`` line of a block that is not a Raqmya assessment: not recorded, not an error."""


@dataclass(frozen=True)
class TrackingFact:  # pylint: disable=too-many-instance-attributes
    """The part of one tracking-log event that the registry records."""

    name: str
    time: datetime
    user_id: int
    course_id: str
    mode: str = ""
    percent_grade: float | None = None
    letter_grade: str = ""
    usage_key: str = ""
    attempt: int = 0
    earned: float = 0.0
    possible: float = 0.0
    passed: bool = False
    track: str = ""
    competences: dict = field(default_factory=dict, compare=False)
    # Points of each served question id, when an assessment event carries them.
    questions: dict = field(default_factory=dict, compare=False)
    # The block's id of the attempt's series; empty on problem_check lines and older events.
    series: str = ""
    # A placement run's level per DigComp area, and its item results when the event carries them.
    levels: dict = field(default_factory=dict, compare=False)
    items: dict = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        """SHA-256 of the fields that identify the line: name, time, user id, course id, then per kind."""
        parts: list = [self.name, self.time.isoformat(), self.user_id, self.course_id]
        if self.name == COURSE_GRADE_CALCULATED:
            parts.append(self.percent_grade)
        elif self.name == ENROLLMENT_MODE_CHANGED:
            parts.append(self.mode)
        elif self.name in ATTEMPT_EVENTS or self.name == PLACEMENT_COMPLETED:
            parts += [self.usage_key, self.attempt]
        return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


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


def is_recorded(record: dict) -> bool:
    """Tell whether the registry records this kind of event; ``problem_check`` only from the server."""
    name = event_name(record)
    if name == PROBLEM_CHECK:
        # The browser's problem_check carries the answers as a query string, and no score.
        return record.get("event_source") == "server"
    return name in EVENT_NAMES


def to_fact(record: dict) -> TrackingFact:
    """Return the fact of a recorded event; raise ``InvalidTrackingEvent`` naming what is missing or bad.

    Raises ``OtherBlock`` for a ``problem_check`` of a block that is not a Raqmya assessment.
    """
    name = event_name(record)
    event = _payload(name, record)
    context = record.get("context") if isinstance(record.get("context"), dict) else {}
    user_id = _first(event.get("user_id"), context.get("user_id"))
    try:
        user_id = int(user_id)
    except (TypeError, ValueError) as error:
        raise InvalidTrackingEvent(
            _("%(name)s: user id %(value)r is not a number.") % {"name": name, "value": user_id}
        ) from error
    fact = {"name": name, "time": _parse_time(name, record.get("time")), "user_id": user_id}
    course_id = _first(event.get("course_id"), context.get("course_id"))
    if name in ATTEMPT_EVENTS:
        usage_key = _assessment_usage_key(name, event, context)
        fact.update(_attempt_fields(name, event))
        fact["usage_key"] = str(usage_key)
        course_id = course_id or str(usage_key.course_key)
    elif name == PLACEMENT_COMPLETED:
        usage_key = _placement_usage_key(name, context)
        fact.update(_placement_fields(name, event))
        fact["usage_key"] = str(usage_key)
        course_id = course_id or str(usage_key.course_key)
    elif name == COURSE_GRADE_CALCULATED:
        fact["percent_grade"] = _number(name, "percent_grade", event.get("percent_grade"))
        fact["letter_grade"] = _letter_grade(event.get("letter_grade"))
    elif name in CERTIFICATE_EVENTS:
        fact["mode"] = str(event.get("enrollment_mode") or "")
    else:
        fact["mode"] = str(event.get("mode") or "")
    if not course_id:
        raise InvalidTrackingEvent(_("%(name)s: the line names no course_id.") % {"name": name})
    if name == ENROLLMENT_MODE_CHANGED and not fact["mode"]:
        raise InvalidTrackingEvent(_("%(name)s: the line names no mode.") % {"name": name})
    return TrackingFact(course_id=str(course_id), **fact)


def _payload(name: str, record: dict) -> dict:
    """Return the event's payload as a dict; browser events carry it as a JSON-encoded string."""
    event = record.get("event") or {}
    if isinstance(event, str):
        try:
            event = json.loads(event)
        except ValueError as error:
            raise InvalidTrackingEvent(_("%(name)s: the event field is not JSON.") % {"name": name}) from error
    if not isinstance(event, dict):
        raise InvalidTrackingEvent(_("%(name)s: the event field is not an object.") % {"name": name})
    return event


def _assessment_usage_key(name: str, event: dict, context: dict) -> UsageKey:
    """Return the usage key of the block that the attempt is at; raise ``OtherBlock`` if it is not ours."""
    usage_key = _usage_key(name, _first(_module(context).get("usage_key"), event.get("problem_id")))
    if usage_key.block_type != ASSESSMENT_BLOCK_TYPE:
        raise OtherBlock(str(usage_key))
    return usage_key


def _placement_usage_key(name: str, context: dict) -> UsageKey:
    """Return the usage key of the placement block of the event, or raise naming a key of another block."""
    value = _module(context).get("usage_key")
    usage_key = _usage_key(name, value)
    if usage_key.block_type != PLACEMENT_BLOCK_TYPE:
        raise InvalidTrackingEvent(
            _("%(name)s: usage key %(value)r is not a Raqmya placement test.") % {"name": name, "value": value}
        )
    return usage_key


def _module(context: dict) -> dict:
    """Return the block that the event's context names (``context.module``), or an empty dict."""
    return context.get("module") if isinstance(context.get("module"), dict) else {}


def _usage_key(name: str, value) -> UsageKey:
    """Return ``value`` as a usage key, or raise ``InvalidTrackingEvent`` naming it."""
    try:
        return UsageKey.from_string(str(value))
    except InvalidKeyError as error:
        raise InvalidTrackingEvent(
            _("%(name)s: usage key %(value)r is not a block usage key.") % {"name": name, "value": value}
        ) from error


def _placement_fields(name: str, event: dict) -> dict:
    """Return the run number, levels, track and item results of a placement event, checked as the block's are.

    Events written before the block published its item results give none.
    """
    attempt = event.get("attempt")
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise InvalidTrackingEvent(
            _("%(name)s: attempt %(value)r is not a whole number from 1.") % {"name": name, "value": attempt}
        )
    if not event.get("levels"):
        # The block records no run without a level, so neither does the import.
        raise InvalidTrackingEvent(_("%(name)s: the run has no levels.") % {"name": name})
    items = event.get("results")
    try:
        items = facts.checked_placement(event.get("levels"), event.get("track"), items or None)
    except InvalidAssessmentResult as error:
        raise InvalidTrackingEvent(_("%(name)s: %(error)s") % {"name": name, "error": error}) from error
    return {"attempt": attempt, "levels": dict(event["levels"]), "track": event["track"], "items": items or {}}


def _attempt_fields(name: str, event: dict) -> dict:
    """Return the attempt number, points and passed flag of a ``problem_check`` or assessment event."""
    if name == PROBLEM_CHECK:
        # edx-platform's capa names: grade and max_grade in raw points, attempts counted from 1,
        # success "correct" only when every answer is right.
        raw = {"attempt": event.get("attempts"), "earned": event.get("grade"), "possible": event.get("max_grade")}
        passed, track, competences = event.get("success") == "correct", "", {}
    else:
        raw = {"attempt": event.get("attempt"), "earned": event.get("earned"), "possible": event.get("possible")}
        passed = bool(event.get("passed"))
        track = event.get("track") if event.get("track") in Track.values else ""
        competences = _competences(event.get("competences"))
    attempt = raw["attempt"]
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise InvalidTrackingEvent(
            _("%(name)s: attempt %(value)r is not a whole number from 1.") % {"name": name, "value": attempt}
        )
    earned = _number(name, "earned", raw["earned"])
    possible = _number(name, "possible", raw["possible"])
    if earned < 0 or earned > possible:
        raise InvalidTrackingEvent(
            _("%(name)s: %(earned)s points out of %(possible)s is not a score.")
            % {"name": name, "earned": earned, "possible": possible}
        )
    fields = {"attempt": attempt, "earned": earned, "possible": possible, "passed": passed, "track": track,
              "competences": competences}
    # Older events carry an empty object, or nothing, where newer ones give the served questions.
    if name == ASSESSMENT_SUBMITTED and event.get("questions") not in (None, {}):
        fields["questions"] = _questions(name, event["questions"], possible)
    if name == ASSESSMENT_SUBMITTED:
        fields["series"] = _series(name, event.get("series") or "")
    return fields


def _series(name: str, value) -> str:
    """Return the series id of an assessment event, empty for an older event, or raise naming a bad one."""
    try:
        return attempts.checked_series(value)
    except InvalidAssessmentResult as error:
        raise InvalidTrackingEvent(_("%(name)s: %(error)s") % {"name": name, "error": error}) from error


def _questions(name: str, value, possible: float) -> dict:
    """Return the checked points of each served question of an assessment event, or raise naming the bad one.

    The block's event gives earned, possible, correct and the competence of each question. Lines
    written before the event named the competence are stored with an empty one.
    """
    try:
        return checked_questions(value, possible, competence_required=False)
    except InvalidAssessmentResult as error:
        raise InvalidTrackingEvent(_("%(name)s: %(error)s") % {"name": name, "error": error}) from error


def _competences(value) -> dict:
    """Return the points per DigComp competence code of an assessment event, ignoring codes not in DigComp."""
    if not isinstance(value, dict):
        return {}
    kept = {}
    for code, points in value.items():
        if code in DIGCOMP_COMPETENCE_CODES and isinstance(points, dict):
            try:
                kept[code] = {"earned": float(points["earned"]), "possible": float(points["possible"])}
            except (KeyError, TypeError, ValueError):
                continue
    return kept


def _number(name: str, column: str, value) -> float:
    """Return ``value`` as a finite float, or raise naming the field."""
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise InvalidTrackingEvent(
            _("%(name)s: %(field)s %(value)r is not a number.") % {"name": name, "field": column, "value": value}
        ) from error
    if isinstance(value, bool) or not math.isfinite(number):
        raise InvalidTrackingEvent(
            _("%(name)s: %(field)s %(value)r is not a number.") % {"name": name, "field": column, "value": value}
        )
    return number


def _first(*values):
    """Return the first value that is neither ``None`` nor empty."""
    return next((value for value in values if value not in (None, "")), None)


def _parse_time(name: str, value) -> datetime:
    """Return the line's ISO 8601 time as an aware UTC datetime; a time without offset is taken as UTC."""
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


def record_ids(record: dict) -> tuple[object, object]:
    """Return a record's user id and course id for a log line, as far as it has them."""
    event = record.get("event") if isinstance(record.get("event"), dict) else {}
    context = record.get("context") if isinstance(record.get("context"), dict) else {}
    return (_first(event.get("user_id"), context.get("user_id")),
            _first(event.get("course_id"), context.get("course_id")))


def apply_fact(fact: TrackingFact) -> facts.Outcome:
    """Apply one tracking-log fact to the registry.

    Raises ``UnknownUser``, and ``InvalidBeneficiary`` for a placement run of a learner without a
    beneficiary profile.
    """
    event = {"time": fact.time, "source": facts.SOURCE_TRACKING_LOG, "event_key": fact.key, "event_type": fact.name}
    if fact.name == COURSE_GRADE_CALCULATED:
        # NOTE: edx-platform's CourseGrade gives a letter only at or above a cutoff, and passes at
        # the lowest non-zero cutoff, so a letter means passed (unless a cutoff is 0). The line has
        # no passing time, so a new pass is dated by the line's time.
        return facts.apply_course_grade(
            fact.user_id, fact.course_id, percent=fact.percent_grade, letter_grade=fact.letter_grade,
            passed=bool(fact.letter_grade), passed_at=None, **event,
        )
    if fact.name == ENROLLMENT_MODE_CHANGED:
        return facts.apply_enrollment_mode(fact.user_id, fact.course_id, mode=fact.mode, **event)
    if fact.name in CERTIFICATE_EVENTS:
        # The same statuses as the certificate receivers: the platform's "downloadable" when
        # created, and "revoked" since the line does not say which status replaced it.
        status = "downloadable" if fact.name == CERTIFICATE_CREATED else "revoked"
        return facts.apply_certificate(fact.user_id, fact.course_id, status=status, mode=fact.mode, **event)
    if fact.name in ATTEMPT_EVENTS:
        return _apply_attempt(fact, event)
    if fact.name == PLACEMENT_COMPLETED:
        return facts.apply_placement(
            fact.user_id, fact.course_id, usage_key=fact.usage_key, attempt=fact.attempt, levels=fact.levels,
            track=fact.track, items=fact.items or None, **event,
        )
    return facts.apply_enrollment(
        fact.user_id, fact.course_id, is_active=fact.name == ENROLLMENT_ACTIVATED, mode=fact.mode, **event
    )


def _apply_attempt(fact: TrackingFact, event: dict) -> facts.Outcome:
    """Apply an attempt with its question results, if the line has them.

    A ``problem_check`` line names no track, so the attempt gets the learner's track at the line's
    time, which is the track the block records. The block's own event of the same attempt, imported
    before or after, adds the points per competence and the questions. The series id of the block's
    event tells a new attempt after a reset from the same attempt recorded again.
    """
    track = fact.track
    if fact.name == PROBLEM_CHECK:
        track = track_at(fact.user_id, fact.time)
    return facts.apply_assessment_attempt(
        fact.user_id, fact.course_id, usage_key=fact.usage_key, attempt=fact.attempt, earned=fact.earned,
        possible=fact.possible, passed=fact.passed, competences=fact.competences, track=track,
        series=fact.series, questions=fact.questions or None, **event,
    )
