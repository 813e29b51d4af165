"""Tests of the tracking-log import over whole files: gzip, broken gzip, progress and the command's output."""

import gzip
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from raqmya_reports.ingestion import tracking_log
from raqmya_reports.registry.models import AssessmentResult, Certificate, Enrollment
from tests.raqmya_reports.factories import make_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "tracking"
PROGRAMME_LOG = FIXTURES / "programme.log"
PLAIN_LOG = FIXTURES / "tracking.log"


@pytest.fixture(name="learners")
def fixture_learners():
    """The two users that the fixture logs name."""
    return {7: make_user(7), 8: make_user(8)}


@pytest.fixture(name="gzipped")
def fixture_gzipped(tmp_path):
    """``programme.log`` compressed: 13 lines, one blank, one truncated, one with a field missing."""
    path = tmp_path / "programme.log.gz"
    path.write_bytes(gzip.compress(PROGRAMME_LOG.read_bytes()))
    return path


@pytest.fixture(name="truncated_gzip")
def fixture_truncated_gzip(tmp_path):
    """A gzip file cut short, as a copy interrupted mid-way leaves it; its first lines are whole."""
    lines = PLAIN_LOG.read_bytes() * 40
    packed = gzip.compress(lines)
    path = tmp_path / "cut.log.gz"
    path.write_bytes(packed[: len(packed) // 2])
    return path


@pytest.fixture(name="corrupt_gzip")
def fixture_corrupt_gzip(tmp_path):
    """A gzip file whose compressed bytes were overwritten in the middle."""
    packed = bytearray(gzip.compress(PROGRAMME_LOG.read_bytes() * 40))
    middle = len(packed) // 2
    packed[middle:middle + 64] = b"\xff" * 64
    path = tmp_path / "corrupt.log.gz"
    path.write_bytes(bytes(packed))
    return path


def test_gzip_with_bad_lines_first_run_counts(learners, gzipped):
    counts = tracking_log.import_tracking_logs([gzipped])
    assert (counts.read, counts.imported, counts.duplicates, counts.skipped_total, counts.invalid_total) == (
        13, 8, 0, 3, 2
    )


def test_gzip_with_bad_lines_second_run_counts(learners, gzipped):
    tracking_log.import_tracking_logs([gzipped])
    counts = tracking_log.import_tracking_logs([gzipped])
    assert (counts.read, counts.imported, counts.duplicates, counts.skipped_total, counts.invalid_total) == (
        13, 0, 8, 3, 2
    )


def test_gzip_with_bad_lines_second_run_changes_nothing(learners, gzipped):
    tracking_log.import_tracking_logs([gzipped])
    first = (Enrollment.objects.count(), Certificate.objects.count(), AssessmentResult.objects.count())
    tracking_log.import_tracking_logs([gzipped])
    assert (Enrollment.objects.count(), Certificate.objects.count(), AssessmentResult.objects.count()) == first


def test_counts_add_up_over_several_files(learners, gzipped):
    counts = tracking_log.import_tracking_logs([PLAIN_LOG, gzipped, PROGRAMME_LOG])
    assert counts.imported + counts.duplicates + counts.skipped_total + counts.invalid_total == counts.read


def test_truncated_gzip_is_a_file_error_with_the_line_reached(learners, truncated_gzip):
    counts = tracking_log.import_tracking_logs([truncated_gzip])
    assert [(error.path, error.line) for error in counts.file_errors] == [(truncated_gzip, counts.read)]


def test_truncated_gzip_keeps_the_lines_before_the_error(learners, truncated_gzip):
    counts = tracking_log.import_tracking_logs([truncated_gzip])
    assert Enrollment.objects.filter(user_id=7).count() == 1
    assert counts.read > 8


def test_truncated_gzip_then_the_next_file_is_imported(learners, truncated_gzip):
    counts = tracking_log.import_tracking_logs([truncated_gzip, PROGRAMME_LOG])
    assert Certificate.objects.filter(user_id=8, status="revoked").count() == 1
    assert len(counts.file_errors) == 1


def test_corrupt_gzip_is_a_file_error(learners, corrupt_gzip):
    counts = tracking_log.import_tracking_logs([corrupt_gzip])
    assert [error.path for error in counts.file_errors] == [corrupt_gzip]


def test_corrupt_gzip_counts_still_add_up(learners, corrupt_gzip):
    counts = tracking_log.import_tracking_logs([corrupt_gzip])
    assert counts.imported + counts.duplicates + counts.skipped_total + counts.invalid_total == counts.read


def test_file_error_message_names_the_file_and_the_line(truncated_gzip):
    error = tracking_log.FileError(path=truncated_gzip, line=41, error="Compressed file ended")
    with translation.override("en"):
        assert error.message.startswith(f"{truncated_gzip} could not be read after line 41 (Compressed file ended).")


def test_progress_called_per_batch_and_at_the_end(learners):
    calls = []
    tracking_log.import_tracking_logs([PROGRAMME_LOG], batch_size=5, progress=lambda *args: calls.append(args))
    size = PROGRAMME_LOG.stat().st_size
    assert [call[0] for call in calls] == [PROGRAMME_LOG] * 3
    assert calls[-1][1:] == (size, size)


def command_output(*arguments, language="en"):
    """Run the import command; return its standard output, standard error and the error it raised."""
    out, err = io.StringIO(), io.StringIO()
    raised = None
    with translation.override(language):
        try:
            call_command("raqmya_import_tracking_log", *map(str, arguments), stdout=out, stderr=err)
        except CommandError as error:
            raised = error
    return out.getvalue(), err.getvalue(), raised


def test_command_prints_counts_that_add_up(learners, gzipped):
    out, _, _ = command_output(gzipped)
    assert out.splitlines() == [
        "Lines read: 13",
        "Imported: 8",
        "  changed the registry: 8",
        "  the registry already had the fact: 0",
        "  older than the stored fact, so it changed nothing: 0",
        "Duplicates (already imported): 0",
        "Skipped: 3",
        "  blank line: 1",
        "  problem of a block that is not a Raqmya assessment: 1",
        "  event that Raqmya does not record: 1",
        "Invalid: 2",
        "  event with a missing or bad field: 1",
        "  not a JSON event (truncated or corrupt line): 1",
        "The log names the file and number of each invalid line or unknown user: give --verbosity 2 to show it here.",
    ]


def test_command_prints_no_reason_code(learners, gzipped):
    out, _, _ = command_output(gzipped)
    assert [code for code in tracking_log.REASON_LABELS if code in out] == []


def test_command_truncated_gzip_fails_after_importing_the_rest(learners, truncated_gzip):
    out, err, raised = command_output(truncated_gzip, PROGRAMME_LOG)
    assert str(raised) == "1 of 2 files could not be read to their end; see the messages above."
    assert f"{truncated_gzip} could not be read after line" in err
    assert "Imported: " in out


def test_command_progress_on_request(learners):
    _, err, _ = command_output("--progress", PROGRAMME_LOG)
    assert "\rprogramme.log: 100% read" in err


def test_command_no_progress_when_not_a_terminal(learners):
    _, err, _ = command_output(PROGRAMME_LOG)
    assert err == ""
