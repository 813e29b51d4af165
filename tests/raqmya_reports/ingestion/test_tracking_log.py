"""Tests of the tracking-log import: formats, idempotency, skipped lines and the command's counts."""

import gzip
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from raqmya_reports.ingestion import tracking_log
from raqmya_reports.ingestion.facts import Outcome
from raqmya_reports.registry.models import CourseGrade, Enrollment, EnrollmentChange, ProcessedEvent
from tests.raqmya_reports.factories import COURSE_KEY, make_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "tracking"
PLAIN_LOG = FIXTURES / "tracking.log"
GZIP_LOG = FIXTURES / "tracking.log.gz"


@pytest.fixture(name="learners")
def fixture_learners():
    """The users that the fixture logs name; user 404 is left out on purpose."""
    return {7: make_user(7), 8: make_user(8)}


def registry_state():
    """Return what the import writes, in a form two imports can be compared by."""
    return {
        "enrollments": sorted(Enrollment.objects.values_list("user_id", "is_active", "mode", "first_enrolled_at")),
        "changes": sorted(EnrollmentChange.objects.values_list("enrollment__user_id", "action", "time")),
        "grades": sorted(CourseGrade.objects.values_list("user_id", "percent", "letter_grade", "passed")),
        "processed": ProcessedEvent.objects.count(),
    }


def test_import_counts_each_kind_of_line(learners):
    counts = tracking_log.import_tracking_logs([PLAIN_LOG])
    assert counts.read == 8
    assert counts.applied == 5
    assert counts.duplicates == 0
    assert dict(counts.skipped) == {"other_event": 1, "unknown_user": 1}
    assert dict(counts.invalid) == {"not_json": 1}


def test_import_reenrollment_history(learners):
    tracking_log.import_tracking_logs([PLAIN_LOG])
    assert Enrollment.objects.filter(user_id=7, is_active=True).count() == 1
    assert Enrollment.objects.filter(user_id=7).count() == 1
    assert EnrollmentChange.objects.filter(enrollment__user_id=7).count() == 3


def test_import_reads_the_line_after_a_syslog_prefix(learners):
    tracking_log.import_tracking_logs([PLAIN_LOG])
    enrollment = Enrollment.objects.get(user_id=8)
    assert enrollment.first_enrolled_at.isoformat() == "2026-02-02T10:02:11.540219+00:00"


def test_import_grade_letter_means_passed(learners):
    tracking_log.import_tracking_logs([PLAIN_LOG])
    grade = CourseGrade.objects.get(user_id=7)
    assert (grade.percent, grade.letter_grade, grade.passed) == (0.82, "Pass", True)


def test_second_import_reports_every_recorded_line_as_duplicate(learners):
    tracking_log.import_tracking_logs([PLAIN_LOG])
    first = registry_state()
    counts = tracking_log.import_tracking_logs([PLAIN_LOG])
    assert registry_state() == first
    assert counts.duplicates == 5
    assert counts.applied == 0


def test_gzip_and_plain_logs_give_the_same_registry(learners):
    tracking_log.import_tracking_logs([PLAIN_LOG])
    from_plain = registry_state()
    Enrollment.objects.all().delete()
    CourseGrade.objects.all().delete()
    ProcessedEvent.objects.all().delete()
    tracking_log.import_tracking_logs([GZIP_LOG])
    assert registry_state() == from_plain


def test_import_gzip_detected_by_magic_bytes(learners, tmp_path):
    renamed = tmp_path / "tracking.log.1"
    shutil.copyfile(GZIP_LOG, renamed)
    counts = tracking_log.import_tracking_logs([renamed])
    assert counts.applied == 5


def test_import_plain_then_gzip_duplicates(learners):
    tracking_log.import_tracking_logs([PLAIN_LOG])
    counts = tracking_log.import_tracking_logs([GZIP_LOG])
    assert counts.duplicates == 5


def test_small_batches_give_the_same_registry(learners):
    tracking_log.import_tracking_logs([PLAIN_LOG], batch_size=2)
    small = registry_state()
    Enrollment.objects.all().delete()
    CourseGrade.objects.all().delete()
    ProcessedEvent.objects.all().delete()
    tracking_log.import_tracking_logs([PLAIN_LOG])
    assert registry_state() == small


def test_import_line_without_course_skipped(learners, tmp_path):
    line = {"name": "edx.course.enrollment.activated", "time": "2026-02-02T09:15:04+00:00", "event": {"user_id": 7}}
    path = tmp_path / "no-course.log"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    counts = tracking_log.import_tracking_logs([path])
    assert dict(counts.invalid) == {"invalid_event": 1}


def test_event_as_json_string_is_decoded(learners):
    record = {
        "event_type": "edx.course.enrollment.deactivated",
        "time": "2026-02-02T09:15:04+01:00",
        "context": {"user_id": 7},
        "event": json.dumps({"course_id": COURSE_KEY, "mode": "audit"}),
    }
    fact = tracking_log.to_fact(record)
    assert (fact.name, fact.user_id, fact.course_id, fact.mode) == (
        "edx.course.enrollment.deactivated", 7, COURSE_KEY, "audit"
    )
    assert fact.time.isoformat() == "2026-02-02T08:15:04+00:00"


def test_grade_line_key_depends_on_the_percent():
    record = {
        "name": "edx.grades.course.grade_calculated",
        "time": "2026-02-10T14:20:37+00:00",
        "event": {"user_id": "7", "course_id": COURSE_KEY, "percent_grade": 0.5, "letter_grade": ""},
    }
    first = tracking_log.to_fact(record).key
    record["event"]["percent_grade"] = 0.6
    assert tracking_log.to_fact(record).key != first


def test_grade_line_letter_none_means_not_passed():
    record = {
        "name": "edx.grades.course.grade_calculated",
        "time": "2026-02-10T14:20:37+00:00",
        "event": {"user_id": "7", "course_id": COURSE_KEY, "percent_grade": 0.1, "letter_grade": "None"},
    }
    assert tracking_log.to_fact(record).letter_grade == ""


def test_apply_fact_of_an_enrollment_returns_applied(learners):
    record = {
        "name": "edx.course.enrollment.activated",
        "time": "2026-02-02T09:15:04+00:00",
        "event": {"user_id": 8, "course_id": COURSE_KEY, "mode": "audit"},
    }
    assert tracking_log.apply_fact(tracking_log.to_fact(record)) is Outcome.APPLIED


def test_command_prints_the_counts(learners):
    out = io.StringIO()
    with translation.override("en"):
        call_command("raqmya_import_tracking_log", str(PLAIN_LOG), str(GZIP_LOG), stdout=out)
    lines = out.getvalue().splitlines()
    assert "Lines read: 16" in lines
    assert "Imported: 5" in lines
    assert "Duplicates (already imported): 5" in lines
    assert "Skipped: 4" in lines
    assert "  user unknown to the platform: 2" in lines
    assert "Invalid: 2" in lines
    assert "  not a JSON event (truncated or corrupt line): 2" in lines


def test_command_rejects_a_missing_file(tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="missing.log is not a file"):
        call_command("raqmya_import_tracking_log", str(tmp_path / "missing.log"))


def test_fixture_gzip_holds_the_plain_lines():
    with gzip.open(GZIP_LOG, "rt", encoding="utf-8") as unpacked:
        assert unpacked.read() == PLAIN_LOG.read_text(encoding="utf-8")
