"""Attempt claims against resets: a reset learner state never inherits the claims of the state it replaced."""

from __future__ import annotations

import pytest
from django.test import override_settings
from workbench.models import XBlockState

from raqmya_reports.registry.models import AssessmentResult
from raqmya_xblocks.assessment.scenarios import scenario_xml

from .conftest import LmsUserService, load_block, post_json

ALL_RIGHT = {"q1": "a", "q2": "b", "q3": "c", "q4": "a"}
WRONG = {"q1": "b", "q2": "a", "q3": "a", "q4": "b"}


def grades(runtime) -> list[dict]:
    return [data for event, data in runtime.published if event == "grade"]


def delete_learner_state(runtime, block) -> int:
    """Delete the learner's state of ``block`` as the instructor dashboard's reset does; return the rows deleted."""
    deleted, _kinds = XBlockState.objects.filter(scope_id=str(block.scope_ids.usage_id),
                                                 user_id=block.scope_ids.user_id).delete()
    return deleted


@pytest.fixture
def block(runtime, four_questions):
    return load_block(runtime, scenario_xml("Claims", "", four_questions, max_attempts=1))


def _send(block, answers: dict, form: str | None, attempt: int = 1):
    payload = {"attempt": attempt, "answers": answers}
    if form is not None:
        payload["form"] = form
    return post_json(block, "submit", payload)


def test_form_token_issued_once(block):
    assert block.form_token == ""
    html = block.render("student_view", {}).content
    token = block.form_token
    assert len(token) == 22
    assert f'data-form="{token}"' in html
    block.render("student_view", {})
    assert block.form_token == token
    assert block.student_view_data()["form"] == token


@override_settings(RAQMYA_ASSESSMENT_CLAIM_SECONDS=3600)
def test_platform_reset_then_stale_form_is_graded(runtime, block, learner):
    """The learner submits, the platform deletes their state, the same page submits again: graded."""
    block.render("student_view", {})
    served = block.form_token
    status, body = _send(block, WRONG, served)
    assert (status, body["earned"], body["form"]) == (200, 0, served)
    assert delete_learner_state(runtime, block) >= 1
    fresh = runtime.get_block(block.scope_ids.usage_id)
    assert (fresh.attempts, fresh.form_token) == (0, "")
    status, body = _send(fresh, ALL_RIGHT, served)
    assert status == 200
    assert body["earned"] == 4
    assert body["stored"] is True
    assert grades(runtime) == [{"value": 0, "max_value": 4}, {"value": 4, "max_value": 4}]
    assert fresh.attempts == 1
    assert fresh.form_token not in ("", served)
    assert body["form"] == fresh.form_token
    # The reset state's attempt is attempt 1 of a new series; the reports app keeps it instead of the first.
    assert list(AssessmentResult.objects.filter(user_id=learner.id).values_list("attempt", "earned")) == [(1, 4.0)]


def test_platform_reset_then_reloaded_page_is_graded(runtime, block):
    block.render("student_view", {})
    assert _send(block, WRONG, block.form_token)[0] == 200
    delete_learner_state(runtime, block)
    fresh = runtime.get_block(block.scope_ids.usage_id)
    fresh.render("student_view", {})
    status, body = _send(fresh, ALL_RIGHT, fresh.form_token)
    assert (status, body["earned"]) == (200, 4)
    assert len(grades(runtime)) == 2


def test_stale_form_double_submit_counts_once(runtime, block):
    """Two requests that both read the deleted state, from the same page, share one claim."""
    block.render("student_view", {})
    served = block.form_token
    _send(block, WRONG, served)
    delete_learner_state(runtime, block)
    first = runtime.get_block(block.scope_ids.usage_id)
    second = runtime.get_block(block.scope_ids.usage_id)
    assert (first.attempts, first.form_token, second.attempts, second.form_token) == (0, "", 0, "")
    assert _send(first, ALL_RIGHT, served)[0] == 200
    status, body = _send(second, WRONG, served)
    assert status == 409
    assert body["attempt"] == 1
    assert grades(runtime) == [{"value": 0, "max_value": 4}, {"value": 4, "max_value": 4}]


def test_parallel_submits_of_a_served_form_count_once(runtime, block):
    block.render("student_view", {})
    twins = [runtime.get_block(block.scope_ids.usage_id) for _ in range(3)]
    assert {(twin.attempts, twin.form_token) for twin in twins} == {(0, block.form_token)}
    statuses = [_send(twin, ALL_RIGHT, block.form_token)[0] for twin in [block, *twins]]
    assert statuses == [200, 409, 409, 409]
    assert len(grades(runtime)) == 1


def test_staff_reset_through_the_block_then_graded(runtime, block, monkeypatch):
    block.render("student_view", {})
    served = block.form_token
    _send(block, WRONG, served)
    monkeypatch.setattr(LmsUserService, "staff", True)
    status, body = post_json(block, "reset_attempts", {})
    assert (status, body["attempts"]) == (200, 0)
    assert block.form_token == ""
    monkeypatch.setattr(LmsUserService, "staff", False)
    status, body = _send(block, ALL_RIGHT, served)
    assert (status, body["earned"]) == (200, 4)
    assert len(grades(runtime)) == 2


def test_staff_reset_frees_formless_client(runtime, block, monkeypatch):
    assert _send(block, WRONG, None)[0] == 200
    monkeypatch.setattr(LmsUserService, "staff", True)
    assert post_json(block, "reset_attempts", {})[0] == 200
    monkeypatch.setattr(LmsUserService, "staff", False)
    assert _send(block, ALL_RIGHT, None)[0] == 200
    assert len(grades(runtime)) == 2


@pytest.mark.parametrize("sent", ["", "x" * 65, "<script>", 7, None])
def test_unusable_sent_token_still_claims_once(runtime, block, sent):
    twin = runtime.get_block(block.scope_ids.usage_id)
    assert (twin.attempts, twin.form_token) == (0, "")
    assert _send(block, ALL_RIGHT, sent)[0] == 200
    assert _send(twin, ALL_RIGHT, sent)[0] == 409
    assert len(grades(runtime)) == 1
