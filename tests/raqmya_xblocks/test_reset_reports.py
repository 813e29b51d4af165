"""Attempts taken again after a reset reach the reports: the row of each attempt number is the latest series' one.

The learner state is deleted as the instructor dashboard's reset deletes it, or cleared by the
block's own staff reset; the learner's next submission is attempt 1 again, in a new series.
"""

from __future__ import annotations

import pytest
from workbench.models import XBlockState

from raqmya_reports import api
from raqmya_reports.registry.models import AssessmentQuestionResult, AssessmentResult
from raqmya_reports.reports.competences import competence_map
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.items import item_analysis
from raqmya_reports.reports.periods import current_programme_year
from raqmya_xblocks.assessment import claims
from raqmya_xblocks.assessment.scenarios import scenario_xml
from tests.raqmya_reports.factories import make_profile

from .conftest import LmsUserService, load_block, post_json, submit

ALL_RIGHT = {"q1": "a", "q2": "b", "q3": "c", "q4": "a"}
WRONG = {"q1": "b", "q2": "a", "q3": "a", "q4": "b"}
# Right on the two questions of competence 4.2, wrong on those of 1.1.
HALF = {"q1": "a", "q2": "b", "q3": "a", "q4": "b"}


@pytest.fixture(name="block")
def fixture_block(runtime, four_questions, learner):
    make_profile(learner)
    return load_block(runtime, scenario_xml("Reset", "", four_questions, max_attempts=2))


def delete_learner_state(runtime, block):
    """Delete the learner's state of ``block`` as the instructor dashboard's reset does; return the fresh block."""
    deleted, _kinds = XBlockState.objects.filter(scope_id=str(block.scope_ids.usage_id),
                                                 user_id=block.scope_ids.user_id).delete()
    assert deleted >= 1
    return runtime.get_block(block.scope_ids.usage_id)


def stored_rows(learner) -> list[tuple]:
    """Return (attempt, earned, possible, passed, series) of each stored result, and its question rows."""
    return [(result.attempt, result.earned, result.possible, result.passed, result.series,
             list(result.questions.order_by("question_id").values_list("question_id", "earned", "correct")))
            for result in AssessmentResult.objects.filter(user=learner).order_by("attempt")]


def submitted_events(runtime) -> list[dict]:
    return [data for name, data in runtime.published if name == "raqmya.assessment.submitted"]


def reports() -> tuple:
    """Return the competence map of all learners and the item analysis as (question, served, correct)."""
    filters = ReportFilters(year=current_programme_year())
    items = [(row.question_id, row.served, row.correct) for row in item_analysis(filters)]
    return competence_map(filters)[0], items


def test_platform_reset_replaces_report_row(runtime, block, learner):
    block.render("student_view", {})
    first_token = block.form_token
    assert submit(block, WRONG)[0] == 200
    assert stored_rows(learner)[0][:4] == (1, 0.0, 4.0, False)
    fresh = delete_learner_state(runtime, block)
    fresh.render("student_view", {})
    status, body = submit(fresh, ALL_RIGHT)
    assert (status, body["attempt"], body["earned"]) == (200, 1, 4)
    assert fresh.form_token not in ("", first_token)
    assert stored_rows(learner) == [(1, 4.0, 4.0, True, claims.series_id(fresh.form_token),
                                     [("q1", 1.0, True), ("q2", 1.0, True), ("q3", 1.0, True), ("q4", 1.0, True)])]
    assert AssessmentQuestionResult.objects.count() == 4
    learners_row, items = reports()
    assert (learners_row["learners"], learners_row["competences"]["4.2"], learners_row["competences"]["1.1"]) == (
        1, 100.0, 100.0)
    assert items == [("q1", 1, 1), ("q2", 1, 1), ("q3", 1, 1), ("q4", 1, 1)]


def test_reset_drops_ended_series_attempts(runtime, block, learner):
    """Attempt 2 of the ended series must not stay the learner's latest attempt in the reports."""
    block.render("student_view", {})
    assert submit(block, WRONG)[0] == 200
    assert submit(block, HALF)[0] == 200
    assert [row[:2] for row in stored_rows(learner)] == [(1, 0.0), (2, 2.0)]
    fresh = delete_learner_state(runtime, block)
    fresh.render("student_view", {})
    assert submit(fresh, ALL_RIGHT)[0] == 200
    assert [row[:2] for row in stored_rows(learner)] == [(1, 4.0)]
    learners_row, items = reports()
    assert (learners_row["competences"]["4.2"], learners_row["competences"]["1.1"]) == (100.0, 100.0)
    assert items == [("q1", 1, 1), ("q2", 1, 1), ("q3", 1, 1), ("q4", 1, 1)]
    assert submit(fresh, HALF)[0] == 200
    assert [row[:2] for row in stored_rows(learner)] == [(1, 4.0), (2, 2.0)]
    learners_row, items = reports()
    assert (learners_row["competences"]["4.2"], learners_row["competences"]["1.1"]) == (100.0, 0.0)
    assert items == [("q1", 1, 1), ("q2", 1, 1), ("q3", 1, 0), ("q4", 1, 0)]


def test_staff_reset_replaces_report_row(block, learner, monkeypatch):
    block.render("student_view", {})
    assert submit(block, ALL_RIGHT)[0] == 200
    monkeypatch.setattr(LmsUserService, "staff", True)
    assert post_json(block, "reset_attempts", {})[0] == 200
    monkeypatch.setattr(LmsUserService, "staff", False)
    block.render("student_view", {})
    assert submit(block, HALF)[0] == 200
    assert stored_rows(learner) == [(1, 2.0, 4.0, True, claims.series_id(block.form_token),
                                     [("q1", 1.0, True), ("q2", 1.0, True), ("q3", 0.0, False), ("q4", 0.0, False)])]


def test_event_series_hides_token(runtime, block):
    block.render("student_view", {})
    submit(block, WRONG)
    old_token = block.form_token
    fresh = delete_learner_state(runtime, block)
    fresh.render("student_view", {})
    submit(fresh, ALL_RIGHT)
    series = [event["series"] for event in submitted_events(runtime)]
    assert series == [claims.series_id(old_token), claims.series_id(fresh.form_token)]
    assert series[0] != series[1]
    assert all(len(value) == 64 and old_token not in value and fresh.form_token not in value for value in series)


def test_repeated_record_changes_nothing(runtime, block, learner):
    block.render("student_view", {})
    submit(block, HALF)
    event = submitted_events(runtime)[0]
    before = stored_rows(learner)
    result = AssessmentResult.objects.get(user=learner)
    api.record_assessment_result(
        user_id=learner.id, usage_key=result.usage_key, course_key=None, attempt=1, track=event["track"],
        earned=event["earned"], possible=event["possible"], passed=event["passed"],
        competences=event["competences"], submitted_at=result.submitted_at.replace(year=2099),
        questions=event["questions"], series=event["series"],
    )
    assert stored_rows(learner) == before
    assert AssessmentResult.objects.get(user=learner).submitted_at == result.submitted_at
