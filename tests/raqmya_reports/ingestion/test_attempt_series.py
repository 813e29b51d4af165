"""Tests that attempts taken again after a reset give the same rows whether recorded live or imported, in any order.

The events are the real block's: attempts 1 and 2, a reset of the learner state as the instructor
dashboard does it, then attempt 1 of the new series with other answers.
"""

import datetime as dt
import importlib
import itertools

import pytest
from django.apps import apps
from django.core.cache import cache
from django.utils import translation
from workbench.models import XBlockState

from raqmya_reports.errors import InvalidAssessmentResult
from raqmya_reports.ingestion import tracking_log
from raqmya_reports.ingestion.facts import Outcome
from raqmya_reports.registry.models import AssessmentQuestionResult, AssessmentResult, DailyActivity
from raqmya_reports.registry.models.facts import LEGACY_SERIES
from raqmya_reports.reports.competences import competence_map
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.items import item_analysis
from tests.raqmya_reports.ingestion.block_events import (
    SUBMITTED,
    USAGE_KEY,
    forget_attempts,
    import_lines,
    load_assessment,
    log_line,
    make_learner,
    record_attempt,
    submitted_events,
)
from tests.raqmya_xblocks.conftest import question, submit

pytestmark = pytest.mark.django_db

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
    return make_learner()


@pytest.fixture(name="events")
def fixture_events(learner):
    """Return the block's three events: WRONG, HALF, then ALL_RIGHT after the platform deleted the state."""
    runtime, block = load_assessment(learner, QUESTIONS)
    block.render("student_view", {})
    assert submit(block, WRONG)[0] == 200
    assert submit(block, HALF)[0] == 200
    XBlockState.objects.filter(scope_id=str(block.scope_ids.usage_id), user_id=block.scope_ids.user_id).delete()
    fresh = runtime.get_block(block.scope_ids.usage_id)
    fresh.render("student_view", {})
    assert submit(fresh, ALL_RIGHT)[0] == 200
    events = submitted_events(runtime)
    assert [(event["attempt"], event["earned"]) for event in events] == [(1, 0), (2, 2), (1, 4)]
    forget_attempts()
    cache.clear()
    return events


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
    return [log_line(SUBMITTED, event, time) for event, time in zip(events, TIMES)]


def test_live_reset_keeps_new_series(learner, events):
    for event, time in zip(events, TIMES):
        record_attempt(learner, event, time)
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
        record_attempt(learner, event, time)
    live = _rows()
    forget_attempts()
    lines = _lines(events)
    counts = import_lines(tmp_path, [lines[index] for index in order])
    assert counts.invalid_total == 0
    assert sum(counts.outcomes.values()) == 3
    assert _rows() == live


def test_import_outcomes_both_orders(learner, events, tmp_path):
    assert import_lines(tmp_path, _lines(events)).outcomes == {Outcome.APPLIED: 3}
    forget_attempts()
    assert import_lines(tmp_path, list(reversed(_lines(events)))).outcomes == {Outcome.APPLIED: 1, Outcome.STALE: 2}


def test_import_after_live_unchanged(learner, events, tmp_path):
    for event, time in zip(events, TIMES):
        record_attempt(learner, event, time)
    live = _rows()
    question_ids = sorted(AssessmentQuestionResult.objects.values_list("pk", flat=True))
    # The log's times of the live attempts differ a little from the block's own clock.
    lines = [log_line(SUBMITTED, event, time + dt.timedelta(milliseconds=40))
             for event, time in zip(events, TIMES)]
    counts = import_lines(tmp_path, lines)
    assert counts.outcomes == {Outcome.STALE: 2, Outcome.UNCHANGED: 1}
    assert _rows() == live
    assert sorted(AssessmentQuestionResult.objects.values_list("pk", flat=True)) == question_ids
    assert import_lines(tmp_path, lines).duplicates == 3


def test_duplicate_record_changes_nothing(learner, events):
    record_attempt(learner, events[2], TIMES[2])
    before = _rows()
    result_pk = AssessmentResult.objects.get().pk
    record_attempt(learner, events[2], TIMES[2] + dt.timedelta(hours=1))
    record_attempt(learner, events[2], TIMES[2], earned=0, questions=events[0]["questions"])
    assert _rows() == before
    assert AssessmentResult.objects.get().pk == result_pk
    assert list(DailyActivity.objects.values_list("attempts", flat=True)) == [1]


def test_older_series_never_overwrites(learner, events):
    record_attempt(learner, events[2], TIMES[2])
    before = _rows()
    record_attempt(learner, events[0], TIMES[0])
    record_attempt(learner, events[1], TIMES[1])
    after = _rows()
    assert {**after, "activity": None} == {**before, "activity": None}
    # The older submissions were made all the same: they count in the activity of their day, once.
    assert after["activity"] == [(dt.date(2026, 3, 5), 2), (dt.date(2026, 3, 9), 1)]
    record_attempt(learner, events[0], TIMES[0])
    assert _rows() == after


def test_record_without_series_never_replaces(learner, events):
    record_attempt(learner, events[0], TIMES[0])
    before = _rows()
    record_attempt(learner, events[2], TIMES[2], series="")
    assert _rows() == before
    assert before["results"][0][1] == 0.0


def test_problem_check_never_replaces(learner, events, tmp_path):
    record_attempt(learner, events[0], TIMES[0])
    before = _rows()
    old_event = {key: value for key, value in events[2].items() if key != "series"}
    problem_check = {"problem_id": USAGE_KEY, "grade": 4, "max_grade": 4, "success": "correct", "attempts": 1}
    counts = import_lines(tmp_path, [log_line(SUBMITTED, old_event, TIMES[2]),
                                     log_line("problem_check", problem_check, TIMES[2] + dt.timedelta(seconds=1))])
    assert counts.outcomes == {Outcome.UNCHANGED: 2}
    assert _rows() == before


def test_problem_check_takes_event_series(learner, events, tmp_path):
    problem_check = {"problem_id": USAGE_KEY, "grade": 4, "max_grade": 4, "success": "correct", "attempts": 1}
    counts = import_lines(tmp_path, [log_line("problem_check", problem_check, TIMES[2]),
                                     log_line(SUBMITTED, events[2], TIMES[2] + dt.timedelta(microseconds=1))])
    assert counts.outcomes == {Outcome.APPLIED: 2}
    result = AssessmentResult.objects.get()
    assert (result.series, result.earned, result.submitted_at, result.questions.count()) == (
        events[2]["series"], 4.0, TIMES[2], 4)
    record_attempt(learner, events[2], TIMES[2] + dt.timedelta(milliseconds=40))
    assert AssessmentResult.objects.get().submitted_at == TIMES[2]


def test_legacy_result_replaced_after_reset(learner, events):
    """A result stored before series ids existed is put in the legacy series, which a new series replaces."""
    record_attempt(learner, events[0], TIMES[0], series="")
    migration = importlib.import_module("raqmya_reports.migrations.0010_assessment_result_series")
    migration.mark_legacy(apps, None)
    assert AssessmentResult.objects.get().series == LEGACY_SERIES == migration.LEGACY_SERIES
    record_attempt(learner, events[2], TIMES[2])
    assert _rows()["results"][0][:4] == (1, 4.0, True, events[2]["series"])


@pytest.mark.parametrize("series", ["x" * 65, "a b", "<script>", 7])
def test_bad_series_rejected(learner, events, series):
    with translation.override("en"), pytest.raises(InvalidAssessmentResult, match="^Series id .* is not valid"):
        record_attempt(learner, events[0], TIMES[0], series=series)
    with translation.override("ar"), pytest.raises(InvalidAssessmentResult, match="^معرّف السلسلة"):
        record_attempt(learner, events[0], TIMES[0], series=series)
    assert not AssessmentResult.objects.exists()


def test_bad_series_line_invalid(learner, events, tmp_path):
    counts = import_lines(tmp_path, [log_line(SUBMITTED, {**events[0], "series": "a b"}, TIMES[0])])
    assert counts.invalid == {tracking_log.INVALID_EVENT: 1}
    assert not AssessmentResult.objects.exists()
