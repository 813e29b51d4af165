"""Tests that an attempt imported from the tracking log gives the same rows and reports as the live attempt.

The block's ``raqmya.assessment.submitted`` event is taken from the real block on the workbench,
then written as the LMS writes it to the tracking log. ``problem_check`` lines of the block carry
neither track nor competences: they get the learner's track and are completed by that event.
"""

import datetime as dt

import pytest
from django.core.cache import cache

from raqmya_reports.ingestion.facts import Outcome
from raqmya_reports.registry.models import AssessmentQuestionResult, AssessmentResult, DailyActivity, TrackAssignment
from raqmya_reports.registry.tracks import track_at
from raqmya_reports.reports.competences import competence_map
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.items import item_analysis
from tests.raqmya_reports.factories import make_user
from tests.raqmya_reports.ingestion import block_events
from tests.raqmya_xblocks.conftest import question, submit

pytestmark = pytest.mark.django_db

SUBMITTED_AT = dt.datetime(2026, 3, 5, 10, 0, 12, 345678, tzinfo=dt.timezone.utc)
# Three questions of 4.2 (one worth 2 points) and two of 1.1; the learner misses q2 and q5.
QUESTIONS = [question("q1", "a", competence="4.2"), question("q2", "b", competence="4.2", points=2),
             question("q3", "c", competence="4.2"), question("q4", "a", competence="1.1"),
             question("q5", "b", competence="1.1")]
ANSWERS = {"q1": "a", "q2": "a", "q3": "c", "q4": "a", "q5": "c"}


@pytest.fixture(name="learner")
def fixture_learner():
    """A job seeker: the acculturation track by default."""
    return block_events.make_learner()


@pytest.fixture(name="block_event")
def fixture_block_event(learner):
    """Return what the real block publishes for the attempt, and its live rows removed again."""
    runtime, block = block_events.load_assessment(learner, QUESTIONS)
    status, _body = submit(block, ANSWERS)
    assert status == 200
    events = block_events.submitted_events(runtime)
    assert len(events) == 1
    live = AssessmentResult.objects.get(user=learner)
    block_rows = _result_rows(live)
    block_events.forget_attempts()
    cache.clear()
    return events[0], block_rows


def _result_rows(result):
    """Return the fields of a result that reports read, with its question rows."""
    questions = result.questions.order_by("question_id").values_list(
        "question_id", "competence", "earned", "possible", "correct"
    )
    return {"attempt": result.attempt, "track": result.track, "earned": result.earned, "possible": result.possible,
            "passed": result.passed, "competences": result.competences, "questions": list(questions)}


def _rows(learner):
    """Return the registry's rows of the learner's attempt, and the reports that read them."""
    result = AssessmentResult.objects.get(user=learner)
    filters = ReportFilters(year=2026)
    return {
        **_result_rows(result),
        "usage_key": result.usage_key, "course": result.course.course_key, "submitted_at": result.submitted_at,
        "activity": list(DailyActivity.objects.values_list("day", "attempts")),
        "competence_map": competence_map(filters, "track"),
        "items": item_analysis(filters),
    }


def _line(name, event, time=SUBMITTED_AT):
    return block_events.log_line(name, event, time)


def _problem_check(attempt=1, grade=4, max_grade=6):
    return {"problem_id": block_events.USAGE_KEY, "grade": grade, "max_grade": max_grade, "success": "incorrect",
            "attempts": attempt, "answers": {"q1": "a"}}


def test_block_event_matches_live_record(block_event):
    event, block_rows = block_event
    assert {name: event[name] for name in ("attempt", "track", "earned", "possible", "passed", "competences")} == {
        name: block_rows[name] for name in ("attempt", "track", "earned", "possible", "passed", "competences")
    }
    assert sorted((qid, points["competence"], points["earned"], points["possible"], points["correct"])
                  for qid, points in event["questions"].items()) == block_rows["questions"]
    assert block_rows["track"] == "acculturation"
    assert block_rows["competences"] == {
        "4.2": {"earned": 2.0, "possible": 4.0}, "1.1": {"earned": 1.0, "possible": 2.0},
    }


def test_imported_attempt_equals_live_attempt(learner, block_event, tmp_path):
    event, _block_rows = block_event
    block_events.record_attempt(learner, event, SUBMITTED_AT)
    live = _rows(learner)
    block_events.forget_attempts()
    counts = block_events.import_lines(tmp_path, [_line(block_events.SUBMITTED, event)])
    assert counts.outcomes == {Outcome.APPLIED: 1}
    assert _rows(learner) == live
    assert live["questions"] == [("q1", "4.2", 1.0, 1.0, True), ("q2", "4.2", 0.0, 2.0, False),
                                 ("q3", "4.2", 1.0, 1.0, True), ("q4", "1.1", 1.0, 1.0, True),
                                 ("q5", "1.1", 0.0, 1.0, False)]
    assert live["competence_map"][0]["group"] == "acculturation"
    assert (live["competence_map"][0]["competences"]["4.2"], live["competence_map"][0]["competences"]["1.1"]) == (
        50.0, 50.0)
    assert [(row.question_id, row.competence, row.served, row.correct) for row in live["items"]] == [
        ("q1", "4.2", 1, 1), ("q2", "4.2", 1, 0), ("q3", "4.2", 1, 1), ("q4", "1.1", 1, 1), ("q5", "1.1", 1, 0)]


def test_import_after_live_changes_nothing(learner, block_event, tmp_path):
    event, _block_rows = block_event
    block_events.record_attempt(learner, event, SUBMITTED_AT)
    live = _rows(learner)
    counts = block_events.import_lines(tmp_path, [_line(block_events.SUBMITTED, event)])
    assert counts.outcomes == {Outcome.UNCHANGED: 1}
    assert _rows(learner) == live


def test_older_event_imports_as_before(learner, block_event, tmp_path):
    event, _block_rows = block_event
    older = {**event, "questions": {qid: {key: value for key, value in points.items() if key != "competence"}
                                    for qid, points in event["questions"].items()}}
    block_events.import_lines(tmp_path, [_line(block_events.SUBMITTED, older)])
    rows = _rows(learner)
    assert (rows["track"], rows["competences"]) == ("acculturation", event["competences"])
    assert {competence for _qid, competence, *_points in rows["questions"]} == {""}


def test_problem_check_alone_gets_track_only(learner, tmp_path):
    counts = block_events.import_lines(tmp_path, [_line("problem_check", _problem_check())])
    assert counts.outcomes == {Outcome.APPLIED: 1}
    result = AssessmentResult.objects.get(user=learner)
    assert (result.track, result.earned, result.possible, result.competences) == ("acculturation", 4.0, 6.0, {})


def test_problem_check_then_event_equals_live(learner, block_event, tmp_path):
    event, _block_rows = block_event
    block_events.record_attempt(learner, event, SUBMITTED_AT)
    live = _rows(learner)
    block_events.forget_attempts()
    lines = [_line("problem_check", _problem_check(grade=event["earned"])),
             _line(block_events.SUBMITTED, event, SUBMITTED_AT + dt.timedelta(microseconds=1))]
    counts = block_events.import_lines(tmp_path, lines)
    assert counts.outcomes == {Outcome.APPLIED: 2}
    assert _rows(learner) == live
    assert AssessmentQuestionResult.objects.count() == 5


def test_problem_check_never_changes_a_live_attempt(learner, block_event, tmp_path):
    event, _block_rows = block_event
    block_events.record_attempt(learner, event, SUBMITTED_AT)
    live = _rows(learner)
    counts = block_events.import_lines(tmp_path, [_line("problem_check", _problem_check(grade=0))])
    assert counts.outcomes == {Outcome.UNCHANGED: 1}
    assert _rows(learner) == live


def test_problem_check_track_at_line_time(learner, tmp_path):
    TrackAssignment.objects.create(user=learner, track="acculturation", source="sector",
                                   assigned_at=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    TrackAssignment.objects.create(user=learner, track="perfectionnement", source="placement",
                                   assigned_at=dt.datetime(2026, 3, 10, tzinfo=dt.timezone.utc))
    before, after = (dt.datetime(2026, 3, day, tzinfo=dt.timezone.utc) for day in (5, 12))
    block_events.import_lines(tmp_path, [_line("problem_check", _problem_check(attempt=1), time=before),
                                         _line("problem_check", _problem_check(attempt=2), time=after)])
    assert list(AssessmentResult.objects.order_by("attempt").values_list("track", flat=True)) == [
        "acculturation", "perfectionnement"]


def test_track_at_is_unknown_before_the_first_decision(learner):
    TrackAssignment.objects.create(user=learner, track="perfectionnement", source="staff",
                                   assigned_at=dt.datetime(2026, 3, 10, tzinfo=dt.timezone.utc))
    assert track_at(learner.id, dt.datetime(2026, 3, 9, tzinfo=dt.timezone.utc)) == ""
    assert track_at(learner.id, dt.datetime(2026, 3, 10, tzinfo=dt.timezone.utc)) == "perfectionnement"


def test_track_at_without_decisions_is_profile_track(learner):
    assert track_at(learner.id, dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)) == "acculturation"
    assert track_at(make_user(8).id, dt.datetime(2026, 3, 9, tzinfo=dt.timezone.utc)) == ""
