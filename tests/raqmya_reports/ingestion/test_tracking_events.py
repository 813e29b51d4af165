"""Tests of the tracking-log event kinds beyond enrollments and grades: modes, certificates, attempts.

The fixture ``programme.log`` holds lines in the shapes edx-platform writes them (user id as a
number or a string, in ``event`` or ``context``; times with and without an offset), one blank
line, one truncated line, a capa ``problem_check`` and a browser ``problem_check``.
"""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from raqmya_reports.ingestion import tracking_log
from raqmya_reports.ingestion.facts import Outcome
from raqmya_reports.ingestion.tracking_events import OtherBlock, apply_fact, to_fact
from raqmya_reports.registry.models import AssessmentResult, Certificate, DailyActivity, Enrollment, ProcessedEvent
from tests.raqmya_reports.factories import COURSE_KEY, make_user

pytestmark = pytest.mark.django_db

PROGRAMME_LOG = Path(__file__).resolve().parents[2] / "fixtures" / "tracking" / "programme.log"
ASSESSMENT = "block-v1:Raqmya+DIGI101+2026+type@raqmya_assessment+block@final"
UTC = timezone.utc


@pytest.fixture(name="learners")
def fixture_learners():
    """The two users that ``programme.log`` names."""
    return {7: make_user(7), 8: make_user(8)}


def problem_check(**event):
    """Return a server ``problem_check`` record at the assessment block, with ``event`` merged in."""
    return {
        "name": "problem_check",
        "event_source": "server",
        "time": "2026-03-03T09:10:00+00:00",
        "context": {"course_id": COURSE_KEY, "user_id": 8, "module": {"usage_key": ASSESSMENT}},
        "event": {"problem_id": ASSESSMENT, "grade": 3, "max_grade": 4, "success": "incorrect", "attempts": 1,
                  **event},
    }


def test_programme_log_counts_each_line_once(learners):
    counts = tracking_log.import_tracking_logs([PROGRAMME_LOG])
    assert counts.read == 13
    assert counts.imported == 8
    assert dict(counts.skipped) == {"other_block": 1, "other_event": 1, "blank_line": 1}
    assert dict(counts.invalid) == {"not_json": 1, "invalid_event": 1}


def test_programme_log_counts_add_up(learners):
    counts = tracking_log.import_tracking_logs([PROGRAMME_LOG])
    assert counts.imported + counts.duplicates + counts.skipped_total + counts.invalid_total == counts.read


def test_programme_log_second_run_counts_duplicates(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    counts = tracking_log.import_tracking_logs([PROGRAMME_LOG])
    assert (counts.read, counts.imported, counts.duplicates) == (13, 0, 8)


def test_mode_changed_sets_the_mode_and_keeps_the_enrollment_active(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    enrollment = Enrollment.objects.get(user_id=7)
    assert (enrollment.mode, enrollment.is_active) == ("verified", True)


def test_mode_changed_time_without_offset_is_utc(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    assert Enrollment.objects.get(user_id=7).last_event_at == datetime(2026, 3, 2, 8, 5, tzinfo=UTC)


def test_mode_changed_older_than_the_stored_state_is_stale(learners):
    newer = {"name": "edx.course.enrollment.activated", "time": "2026-03-05T08:00:00+00:00",
             "event": {"user_id": 7, "course_id": COURSE_KEY, "mode": "audit"}}
    older = {"name": "edx.course.enrollment.mode_changed", "time": "2026-03-04T08:00:00+00:00",
             "event": {"user_id": 7, "course_id": COURSE_KEY, "mode": "verified"}}
    apply_fact(to_fact(newer))
    assert apply_fact(to_fact(older)) is Outcome.STALE


def test_mode_changed_stale_leaves_the_mode(learners):
    newer = {"name": "edx.course.enrollment.activated", "time": "2026-03-05T08:00:00+00:00",
             "event": {"user_id": 7, "course_id": COURSE_KEY, "mode": "audit"}}
    older = {"name": "edx.course.enrollment.mode_changed", "time": "2026-03-04T08:00:00+00:00",
             "event": {"user_id": 7, "course_id": COURSE_KEY, "mode": "verified"}}
    apply_fact(to_fact(newer))
    apply_fact(to_fact(older))
    assert Enrollment.objects.get(user_id=7).mode == "audit"


def test_certificate_created_is_valid(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    certificate = Certificate.objects.get(user_id=7)
    assert (certificate.status, certificate.is_valid, certificate.mode) == ("downloadable", True, "verified")


def test_certificate_revoked_after_created(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    certificate = Certificate.objects.get(user_id=8)
    assert (certificate.status, certificate.is_valid) == ("revoked", False)


def test_certificate_revoked_keeps_the_creation_date(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    certificate = Certificate.objects.get(user_id=8)
    assert (certificate.created_at, certificate.revoked_at) == (
        datetime(2026, 3, 4, 11, tzinfo=UTC), datetime(2026, 3, 5, 11, tzinfo=UTC)
    )


def test_problem_check_of_the_assessment_records_the_attempt(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    result = AssessmentResult.objects.get(user_id=8)
    assert (result.usage_key, result.attempt, result.earned, result.possible, result.passed) == (
        ASSESSMENT, 1, 3.0, 4.0, False
    )


def test_problem_check_offset_time_stored_in_utc(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    assert AssessmentResult.objects.get(user_id=8).submitted_at == datetime(2026, 3, 3, 8, 10, tzinfo=UTC)


def test_problem_check_counts_the_day_activity(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    assert list(DailyActivity.objects.filter(user_id=8).values_list("day", "attempts")) == [
        (datetime(2026, 3, 3).date(), 1)
    ]


def test_assessment_event_keeps_the_competences_and_track(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    result = AssessmentResult.objects.get(user_id=7, attempt=1)
    assert (result.track, result.competences) == (
        "perfectionnement", {"2.4": {"earned": 2.0, "possible": 2.0}, "4.2": {"earned": 2.0, "possible": 2.0}}
    )


def test_problem_check_usage_key_from_problem_id_and_grade_as_string(learners):
    tracking_log.import_tracking_logs([PROGRAMME_LOG])
    result = AssessmentResult.objects.get(user_id=7, attempt=2)
    assert (result.earned, result.possible) == (2.0, 4.0)


def test_problem_check_of_a_capa_problem_is_another_block():
    record = problem_check(problem_id="block-v1:Raqmya+DIGI101+2026+type@problem+block@q1")
    record["context"]["module"]["usage_key"] = "block-v1:Raqmya+DIGI101+2026+type@problem+block@q1"
    with pytest.raises(OtherBlock):
        to_fact(record)


def test_problem_check_user_id_as_string_in_context():
    record = problem_check()
    record["context"]["user_id"] = "8"
    assert to_fact(record).user_id == 8


def test_problem_check_course_from_the_usage_key_when_context_has_none():
    record = problem_check()
    del record["context"]["course_id"]
    assert to_fact(record).course_id == COURSE_KEY


def test_problem_check_attempt_stored_by_the_block_is_unchanged(learners):
    AssessmentResult.objects.create(
        user_id=8, usage_key=ASSESSMENT, attempt=1, track="acculturation", earned=3, possible=4, passed=False,
        competences={"1.1": {"earned": 3.0, "possible": 4.0}}, submitted_at=datetime(2026, 3, 3, 8, 10, tzinfo=UTC),
    )
    assert apply_fact(to_fact(problem_check())) is Outcome.UNCHANGED


def test_problem_check_attempt_stored_by_the_block_keeps_its_competences(learners):
    AssessmentResult.objects.create(
        user_id=8, usage_key=ASSESSMENT, attempt=1, track="acculturation", earned=3, possible=4, passed=False,
        competences={"1.1": {"earned": 3.0, "possible": 4.0}}, submitted_at=datetime(2026, 3, 3, 8, 10, tzinfo=UTC),
    )
    apply_fact(to_fact(problem_check()))
    assert AssessmentResult.objects.get(user_id=8).competences == {"1.1": {"earned": 3.0, "possible": 4.0}}


def test_problem_check_earned_above_possible_is_invalid(learners, tmp_path):
    path = tmp_path / "bad.log"
    path.write_text(json.dumps(problem_check(grade=5)) + "\n", encoding="utf-8")
    counts = tracking_log.import_tracking_logs([path])
    assert dict(counts.invalid) == {"invalid_event": 1}


def test_problem_check_of_an_unknown_user_is_skipped(tmp_path):
    path = tmp_path / "unknown.log"
    path.write_text(json.dumps(problem_check()) + "\n", encoding="utf-8")
    counts = tracking_log.import_tracking_logs([path])
    assert dict(counts.skipped) == {"unknown_user": 1}


def test_problem_check_of_an_unknown_user_writes_nothing(tmp_path):
    path = tmp_path / "unknown.log"
    path.write_text(json.dumps(problem_check()) + "\n", encoding="utf-8")
    tracking_log.import_tracking_logs([path])
    assert ProcessedEvent.objects.count() == 0
