"""Generated tracking-log lines and platform events: recorded, or counted and skipped; never an exception."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st
from openedx_events.learning.signals import (
    COURSE_ENROLLMENT_CREATED,
    COURSE_PASSING_STATUS_UPDATED,
    PERSISTENT_GRADE_SUMMARY_CHANGED,
)

from raqmya_reports.ingestion import tracking_log
from raqmya_reports.registry.models import CourseGrade, Enrollment, EnrollmentChange, ProcessedEvent
from tests.raqmya_reports.factories import (
    COURSE_KEY,
    enrollment_data,
    grade_data,
    make_user,
    passing_status_data,
)

from .strategies import JSON, TEXT

KNOWN_USERS = (7, 8)
NAMES = st.sampled_from([
    "edx.course.enrollment.activated", "edx.course.enrollment.deactivated", "edx.course.enrollment.mode_changed",
    "edx.grades.course.grade_calculated", "edx.certificate.created", "edx.certificate.revoked",
    "raqmya.assessment.submitted", "problem_check", "edx.ui.lms.link_clicked",
]) | TEXT
TIMES = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
                     timezones=st.just(timezone.utc)).map(lambda value: value.isoformat()) | TEXT | JSON
USER_IDS = st.sampled_from([*KNOWN_USERS, 404, 0, -1]) | JSON
COURSES = st.sampled_from([COURSE_KEY, "course-v1:Raqmya+DIGI102+2026", "not a key", ""]) | JSON
EVENT_BODIES = st.fixed_dictionaries({}, optional={
    "user_id": USER_IDS, "course_id": COURSES, "mode": st.sampled_from(["audit", "verified", ""]) | JSON,
    "percent_grade": st.floats(-1, 2) | JSON, "letter_grade": TEXT, "status": TEXT, "attempt": JSON,
    "earned": JSON, "possible": JSON,
})
CONTEXTS = st.fixed_dictionaries({}, optional={"user_id": USER_IDS, "course_id": COURSES})
EVENTS = st.fixed_dictionaries({"name": NAMES, "time": TIMES, "event": EVENT_BODIES | JSON},
                               optional={"context": CONTEXTS,
                                         "event_source": st.sampled_from(["server", "browser"]),
                                         "username": TEXT})
LINES = st.lists(
    EVENTS.map(json.dumps) | EVENTS.map(lambda event: "Feb  2 10:02:11 lms-1 [tracking] - " + json.dumps(event))
    | TEXT.filter(lambda text: "\n" not in text and "\r" not in text),
    min_size=1, max_size=12,
)


def _registry() -> dict:
    return {
        "enrollments": sorted(Enrollment.objects.values_list("user_id", "is_active", "mode")),
        "changes": EnrollmentChange.objects.count(),
        "grades": sorted(CourseGrade.objects.values_list("user_id", "percent", "passed")),
        "processed": ProcessedEvent.objects.count(),
    }


@given(lines=LINES)
def test_tracking_log_any_lines_counted_once_and_reimport_changes_nothing(db, lines):
    for user_id in KNOWN_USERS:
        if not get_user_model().objects.filter(pk=user_id).exists():
            make_user(user_id)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracking.log"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        first = tracking_log.import_tracking_logs([path])
        after_first = _registry()
        second = tracking_log.import_tracking_logs([path])
    assert first.read == len(lines)
    assert first.read == first.imported + first.duplicates + first.skipped_total + first.invalid_total
    assert second.read == len(lines)
    assert second.applied == 0
    assert _registry() == after_first


ENROLLMENT_MODES = st.sampled_from(["audit", "verified", "honor", ""]) | TEXT


@given(user_id=st.sampled_from([*KNOWN_USERS, 404, 0]), mode=ENROLLMENT_MODES, is_active=st.booleans(),
       percent=st.floats(-10, 10, allow_nan=False), passed=st.booleans(), letter=TEXT)
def test_event_receivers_any_data_recorded_or_skipped(db, user_id, mode, is_active, percent, passed, letter):
    for known in KNOWN_USERS:
        if not get_user_model().objects.filter(pk=known).exists():
            make_user(known)
    before = _registry()
    COURSE_ENROLLMENT_CREATED.send_event(enrollment=enrollment_data(user_id, mode=mode, is_active=is_active))
    PERSISTENT_GRADE_SUMMARY_CHANGED.send_event(grade=grade_data(
        user_id, percent=percent, letter=letter, passed_at=datetime(2026, 3, 2, tzinfo=timezone.utc) if passed else None
    ))
    COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=passing_status_data(user_id, is_passing=passed))
    after = _registry()
    if user_id not in KNOWN_USERS:
        assert after == before
    else:
        assert Enrollment.objects.filter(user_id=user_id).count() == 1
