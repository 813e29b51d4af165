"""Tests that attempts taken again after a reset give the same rows whether recorded live or imported, in any order.

The events are the real block's: attempts 1 and 2, a reset of the learner state as the instructor
dashboard does it, then attempt 1 of the new series with other answers.
"""

import datetime as dt
import importlib
import itertools
import json

import pytest
from django.apps import apps
from django.core.cache import cache
from django.utils import translation
from workbench.models import XBlockState

from raqmya_reports import api
from raqmya_reports.errors import InvalidAssessmentResult
from raqmya_reports.ingestion import tracking_log
from raqmya_reports.ingestion.facts import Outcome
from raqmya_reports.registry.models import AssessmentQuestionResult, AssessmentResult, DailyActivity, ProcessedEvent
from raqmya_reports.registry.models.facts import LEGACY_SERIES
from raqmya_reports.reports.competences import competence_map
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.items import item_analysis
from raqmya_xblocks.assessment.scenarios import scenario_xml
from tests.raqmya_reports.factories import COURSE_KEY, make_profile, make_user
from tests.raqmya_xblocks.conftest import RecordingRuntime, load_block, question, submit

pytestmark = pytest.mark.django_db

USAGE_KEY = "block-v1:Raqmya+DIGI101+2026+type@raqmya_assessment+block@final"
# Attempts 1 and 2 of the first series, then attempt 1 of the series after the reset.
TIMES = [dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.timezone.utc),
         dt.datetime(2026, 3, 5, 10, 20, tzinfo=dt.timezone.utc),
         dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.timezone.utc)]
QUESTIONS = [question("q1", "a", competence="4.2"), question("q2", "b", competence="4.2"),
             question("q3", "c", competence="1.1"), question("q4", "a", competence="1.1")]
WRONG = {"q1": "b", "q2": "a", "q3": "a", "q4": "b"}
HALF = {"q1": "a", "q2": "b", "q3": "a", "q4": "b"}
ALL_RIGHT = {"q1": "a", "q2": "b", "q3": "c", "q4": "a"}


@pytest.fixture(name="learner")
def fixture_learner():
    learner = make_user(7)
    make_profile(learner, sector="job_seeker")
    return learner


@pytest.fixture(name="events")
def fixture_events(learner):
    """Return the block's three events: WRONG, HALF, then ALL_RIGHT after the platform deleted the state."""
    cache.clear()
    runtime = RecordingRuntime(lms_user_id=learner.id)
    block = load_block(runtime, scenario_xml("Évaluation finale", "", QUESTIONS, max_attempts=2))
    block.render("student_view", {})
    assert submit(block, WRONG)[0] == 200
    assert submit(block, HALF)[0] == 200
    XBlockState.objects.filter(scope_id=str(block.scope_ids.usage_id), user_id=runtime.user_id).delete()
    fresh = runtime.get_block(block.scope_ids.usage_id)
    fresh.render("student_view", {})
    assert submit(fresh, ALL_RIGHT)[0] == 200
    events = [data for name, data in runtime.published if name == "raqmya.assessment.submitted"]
    assert [(event["attempt"], event["earned"]) for event in events] == [(1, 0), (2, 2), (1, 4)]
    _forget_attempts()
    cache.clear()
    return events


def _forget_attempts():
    AssessmentResult.objects.all().delete()
    DailyActivity.objects.all().delete()
    ProcessedEvent.objects.all().delete()


def _record(learner, event, submitted_at, **changes):
    """Record an attempt through the api with the values the block passes it."""
    values = {"user_id": learner.id, "usage_key": USAGE_KEY, "course_key": COURSE_KEY, "attempt": event["attempt"],
              "track": event["track"], "earned": event["earned"], "possible": event["possible"],
              "passed": event["passed"], "competences": event["competences"], "submitted_at": submitted_at,
              "questions": event["questions"], "series": event["series"]}
    api.record_assessment_result(**{**values, **changes})


def _line(name, event, time, user_id=7):
    return json.dumps({
        "name": name, "event_type": name, "event_source": "server", "time": time.isoformat(), "page": "x_module",
        "context": {"course_id": COURSE_KEY, "user_id": user_id, "org_id": "Raqmya",
                    "module": {"display_name": "Évaluation finale", "usage_key": USAGE_KEY}},
        "event": event,
    }, ensure_ascii=False)


def _import(tmp_path, lines):
    path = tmp_path / "tracking.log"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return tracking_log.import_tracking_logs([path])


def _rows():
    """Return each stored attempt with its series and question rows, and the reports that read them."""
    filters = ReportFilters(year=2026)
    results = [(result.attempt, result.earned, result.passed, result.series, result.submitted_at,
                list(result.questions.order_by("question_id").values_list("question_id", "earned", "correct")))
               for result in AssessmentResult.objects.order_by("attempt")]
    items = [(row.question_id, row.served, row.correct) for row in item_analysis(filters)]
    activity = list(DailyActivity.objects.order_by("day").values_list("day", "attempts"))
    return {"results": results, "competences": competence_map(filters)[0], "items": items, "activity": activity}


def _lines(events):
    return [_line("raqmya.assessment.submitted", event, time) for event, time in zip(events, TIMES)]


def test_live_reset_keeps_new_series(learner, events):
    for event, time in zip(events, TIMES):
        _record(learner, event, time)
    rows = _rows()
    assert rows["results"] == [(1, 4.0, True, events[2]["series"], TIMES[2],
                                [("q1", 1.0, True), ("q2", 1.0, True), ("q3", 1.0, True), ("q4", 1.0, True)])]
    assert (rows["competences"]["learners"], rows["competences"]["competences"]["4.2"],
            rows["competences"]["competences"]["1.1"]) == (1, 100.0, 100.0)
    assert rows["items"] == [("q1", 1, 1), ("q2", 1, 1), ("q3", 1, 1), ("q4", 1, 1)]
    assert AssessmentQuestionResult.objects.count() == 4
    # Each of the three submissions counts in the learner's activity, the replaced ones too.
    assert rows["activity"] == [(dt.date(2026, 3, 5), 2), (dt.date(2026, 3, 9), 1)]
    assert events[0]["series"] == events[1]["series"] != events[2]["series"]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_import_any_order_equals_live(learner, events, tmp_path, order):
    for event, time in zip(events, TIMES):
        _record(learner, event, time)
    live = _rows()
    _forget_attempts()
    lines = _lines(events)
    counts = _import(tmp_path, [lines[index] for index in order])
    assert counts.invalid_total == 0
    assert sum(counts.outcomes.values()) == 3
    assert _rows() == live


def test_import_outcomes_both_orders(learner, events, tmp_path):
    assert _import(tmp_path, _lines(events)).outcomes == {Outcome.APPLIED: 3}
    _forget_attempts()
    assert _import(tmp_path, list(reversed(_lines(events)))).outcomes == {Outcome.APPLIED: 1, Outcome.STALE: 2}


def test_import_after_live_unchanged(learner, events, tmp_path):
    for event, time in zip(events, TIMES):
        _record(learner, event, time)
    live = _rows()
    question_ids = sorted(AssessmentQuestionResult.objects.values_list("pk", flat=True))
    # The log's times of the live attempts differ a little from the block's own clock.
    lines = [_line("raqmya.assessment.submitted", event, time + dt.timedelta(milliseconds=40))
             for event, time in zip(events, TIMES)]
    counts = _import(tmp_path, lines)
    assert counts.outcomes == {Outcome.STALE: 2, Outcome.UNCHANGED: 1}
    assert _rows() == live
    assert sorted(AssessmentQuestionResult.objects.values_list("pk", flat=True)) == question_ids
    assert _import(tmp_path, lines).duplicates == 3


def test_duplicate_record_changes_nothing(learner, events):
    _record(learner, events[2], TIMES[2])
    before = _rows()
    result_pk = AssessmentResult.objects.get().pk
    _record(learner, events[2], TIMES[2] + dt.timedelta(hours=1))
    _record(learner, events[2], TIMES[2], earned=0, questions=events[0]["questions"])
    assert _rows() == before
    assert AssessmentResult.objects.get().pk == result_pk
    assert list(DailyActivity.objects.values_list("attempts", flat=True)) == [1]


def test_older_series_never_overwrites(learner, events):
    _record(learner, events[2], TIMES[2])
    before = _rows()
    _record(learner, events[0], TIMES[0])
    _record(learner, events[1], TIMES[1])
    after = _rows()
    assert {**after, "activity": None} == {**before, "activity": None}
    # The older submissions were made all the same: they count in the activity of their day, once.
    assert after["activity"] == [(dt.date(2026, 3, 5), 2), (dt.date(2026, 3, 9), 1)]
    _record(learner, events[0], TIMES[0])
    assert _rows() == after


def test_record_without_series_never_replaces(learner, events):
    _record(learner, events[0], TIMES[0])
    before = _rows()
    _record(learner, events[2], TIMES[2], series="")
    assert _rows() == before
    assert before["results"][0][1] == 0.0


def test_problem_check_never_replaces(learner, events, tmp_path):
    _record(learner, events[0], TIMES[0])
    before = _rows()
    old_event = {key: value for key, value in events[2].items() if key != "series"}
    problem_check = {"problem_id": USAGE_KEY, "grade": 4, "max_grade": 4, "success": "correct", "attempts": 1}
    counts = _import(tmp_path, [_line("raqmya.assessment.submitted", old_event, TIMES[2]),
                                _line("problem_check", problem_check, TIMES[2] + dt.timedelta(seconds=1))])
    assert counts.outcomes == {Outcome.UNCHANGED: 2}
    assert _rows() == before


def test_problem_check_takes_event_series(learner, events, tmp_path):
    problem_check = {"problem_id": USAGE_KEY, "grade": 4, "max_grade": 4, "success": "correct", "attempts": 1}
    counts = _import(tmp_path, [_line("problem_check", problem_check, TIMES[2]),
                                _line("raqmya.assessment.submitted", events[2],
                                      TIMES[2] + dt.timedelta(microseconds=1))])
    assert counts.outcomes == {Outcome.APPLIED: 2}
    result = AssessmentResult.objects.get()
    assert (result.series, result.earned, result.submitted_at, result.questions.count()) == (
        events[2]["series"], 4.0, TIMES[2], 4)
    _record(learner, events[2], TIMES[2] + dt.timedelta(milliseconds=40))
    assert AssessmentResult.objects.get().submitted_at == TIMES[2]


def test_legacy_result_replaced_after_reset(learner, events):
    """A result stored before series ids existed is put in the legacy series, which a new series replaces."""
    _record(learner, events[0], TIMES[0], series="")
    migration = importlib.import_module("raqmya_reports.migrations.0010_assessment_result_series")
    migration.mark_legacy(apps, None)
    assert AssessmentResult.objects.get().series == LEGACY_SERIES == migration.LEGACY_SERIES
    _record(learner, events[2], TIMES[2])
    assert _rows()["results"][0][:4] == (1, 4.0, True, events[2]["series"])


@pytest.mark.parametrize("series", ["x" * 65, "a b", "<script>", 7])
def test_bad_series_rejected(learner, events, series):
    with translation.override("en"), pytest.raises(InvalidAssessmentResult, match="^Series id .* is not valid"):
        _record(learner, events[0], TIMES[0], series=series)
    with translation.override("ar"), pytest.raises(InvalidAssessmentResult, match="^معرّف السلسلة"):
        _record(learner, events[0], TIMES[0], series=series)
    assert not AssessmentResult.objects.exists()


def test_bad_series_line_invalid(learner, events, tmp_path):
    counts = _import(tmp_path, [_line("raqmya.assessment.submitted", {**events[0], "series": "a b"}, TIMES[0])])
    assert counts.invalid == {tracking_log.INVALID_EVENT: 1}
    assert not AssessmentResult.objects.exists()
