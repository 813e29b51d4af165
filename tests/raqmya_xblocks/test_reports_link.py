"""Tests of the link between the assessment block and the reports app, through ``raqmya_reports.api`` only."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest
from django.conf import settings
from django.test import override_settings

from raqmya_xblocks import reports_link
from raqmya_xblocks.assessment.block import AssessmentBlock

from .conftest import load_block, submit
from .test_assessment_block import THREE_OF_FOUR

WITHOUT_REPORTS = [app for app in settings.INSTALLED_APPS if not app.startswith("raqmya_reports")]


def reports_api(*names: str):
    """Return ``raqmya_reports.api``, skipping the test when it lacks one of ``names`` (it is still being written)."""
    api = pytest.importorskip("raqmya_reports.api")
    for name in names:
        if not hasattr(api, name):
            pytest.skip(f"raqmya_reports.api has no {name} yet")
    return api


@pytest.fixture
def spy_records(monkeypatch):
    """Record the keyword arguments of every ``record_assessment_result`` call, then make the real call."""
    api = reports_api("record_assessment_result")
    real = api.record_assessment_result
    calls: list[dict] = []

    def record_and_call(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(api, "record_assessment_result", record_and_call)
    return calls


def test_reports_installed_in_devstack():
    assert reports_link.reports_installed() is True


def test_without_app_learner_track_none():
    with override_settings(INSTALLED_APPS=WITHOUT_REPORTS):
        assert reports_link.reports_installed() is False
        assert reports_link.learner_track(41) is None


def test_without_app_submit_grades_and_skips_record(assessment, runtime):
    with override_settings(INSTALLED_APPS=WITHOUT_REPORTS):
        status, body = submit(assessment, THREE_OF_FOUR)
    assert status == 200
    assert body["earned"] == 3
    assert [event for event in runtime.published if event[0] == "grade"] == [("grade", {"value": 3, "max_value": 4})]


def test_without_app_record_returns_false():
    with override_settings(INSTALLED_APPS=WITHOUT_REPORTS):
        recorded = reports_link.record_assessment_result(
            user_id=41, usage_key="u", course_key="", attempt=1, track=None, earned=1, possible=1, passed=True,
            competences={"4.2": {"earned": 1, "possible": 1}}, submitted_at=datetime.now(timezone.utc),
        )
    assert recorded is False


def test_submit_records_result_through_api(assessment, learner, spy_records):
    status, _body = submit(assessment, THREE_OF_FOUR)
    assert status == 200
    assert len(spy_records) == 1
    call = spy_records[0]
    assert call["user_id"] == learner.id
    assert call["usage_key"] == str(assessment.scope_ids.usage_id)
    assert call["course_key"] == ""
    assert call["attempt"] == 1
    assert call["track"] is None
    assert call["earned"] == 3
    assert call["possible"] == 4
    assert call["passed"] is True
    assert call["competences"] == {"4.2": {"earned": 2, "possible": 2}, "1.1": {"earned": 1, "possible": 2}}
    assert call["submitted_at"].tzinfo is not None


def test_submit_stores_served_question_results(assessment, learner, spy_records):
    from raqmya_reports.registry.models import AssessmentQuestionResult  # pylint: disable=import-outside-toplevel

    submit(assessment, THREE_OF_FOUR)
    questions = spy_records[0]["questions"]
    assert sorted(questions) == sorted(THREE_OF_FOUR)
    stored = AssessmentQuestionResult.objects.filter(result__user=learner)
    assert stored.count() == 4
    assert sorted(stored.filter(correct=True).values_list("question_id", flat=True)) == sorted(
        question_id for question_id, result in questions.items() if result["correct"]
    )
    assert stored.filter(correct=True).count() == 3
    assert set(stored.values_list("competence", flat=True)) == {"4.2", "1.1"}


def test_submit_without_lms_user_records_nothing(db, four_questions, spy_records):
    from .conftest import RecordingRuntime, scenario_xml  # pylint: disable=import-outside-toplevel

    block = load_block(RecordingRuntime(), scenario_xml("Anonymous", "", four_questions))
    status, _body = submit(block, THREE_OF_FOUR)
    assert status == 200
    assert spy_records == []


def test_learner_track_from_api_selects_questions(runtime, learner, spy_records):
    api = reports_api("register_beneficiary", "get_learner_track")
    api.register_beneficiary(
        learner, region_code="MA-06", province_code="MA-CAS", sector="general_public", track="acculturation"
    )
    block = load_block(runtime, AssessmentBlock.workbench_scenarios()[0][1])  # preview track: perfectionnement
    html = block.render("student_view", {}).content
    assert 'data-question-id="fr-files"' in html
    assert 'data-question-id="fr-sharing"' not in html
    answers = {"fr-phishing": "b", "fr-password": "c", "fr-search": "a", "fr-files": "b"}
    status, body = submit(block, answers)
    assert status == 200
    assert body["earned"] == 4
    assert spy_records[0]["track"] == "acculturation"


def test_rejected_result_logged_attempt_kept(assessment, runtime, learner, monkeypatch, caplog):
    api = reports_api("record_assessment_result", "InvalidAssessmentResult")

    # No valid submission reaches this branch, because the block checks every value the api checks.
    def reject(**kwargs):
        raise api.InvalidAssessmentResult(f"Attempt {kwargs['attempt']!r} is not valid.")

    monkeypatch.setattr(api, "record_assessment_result", reject)
    with caplog.at_level(logging.ERROR, logger="raqmya_xblocks.reports_link"):
        status, body = submit(assessment, THREE_OF_FOUR)
    assert status == 200
    assert body["earned"] == 3
    assert assessment.attempts == 1
    assert [event for event in runtime.published if event[0] == "grade"] == [("grade", {"value": 3, "max_value": 4})]
    assert f"not recorded for user {learner.id}" in caplog.text
    assert "Attempt 1 is not valid." in caplog.text
