"""Tests of the assessment block's grade flow: weight and rescore, overrides, empty pools, resets, masquerade."""

from __future__ import annotations

import pytest
from xblock.scorable import Score as RawScore

from raqmya_reports.registry.models import AssessmentResult
from raqmya_xblocks.assessment.scenarios import scenario_xml
from raqmya_xblocks.learner_context import MASQUERADE_ATTRIBUTE

from .conftest import LmsUserService, RecordingRuntime, load_block, post_json, question, submit

THREE_OF_FOUR = {"q1": "a", "q2": "b", "q3": "c", "q4": "b"}
ALL_RIGHT = {"q1": "a", "q2": "b", "q3": "c", "q4": "a"}


def platform_weighted(raw_earned: float, raw_possible: float, weight: float | None) -> tuple[float, float]:
    """The weighted score that the gradebook shows: raw points scaled to ``weight`` when one is set."""
    if weight is None or raw_possible == 0:
        return raw_earned, raw_possible
    return raw_earned * weight / raw_possible, weight


def grades(runtime) -> list[dict]:
    return [data for event, data in runtime.published if event == "grade"]


@pytest.fixture
def weighted(runtime, four_questions):
    return load_block(runtime, scenario_xml("Weighted", "", four_questions, max_attempts=1, weight=10))


def test_c01_published_grade_is_raw(weighted, runtime):
    submit(weighted, THREE_OF_FOUR)
    assert grades(runtime) == [{"value": 3, "max_value": 4}]


def test_c01_get_score_raw(weighted):
    submit(weighted, THREE_OF_FOUR)
    assert weighted.get_score() == RawScore(raw_earned=3, raw_possible=4)


def test_c01_weight_10_gradebook_7_5(weighted):
    submit(weighted, THREE_OF_FOUR)
    score = weighted.get_score()
    assert platform_weighted(score.raw_earned, score.raw_possible, weighted.weight) == (7.5, 10)


def test_c01_weight_change_then_rescore_gives_15_of_20(weighted, runtime):
    submit(weighted, THREE_OF_FOUR)
    weighted.weight = 20
    weighted.rescore(only_if_higher=False)
    last = grades(runtime)[-1]
    assert last == {"value": 3, "max_value": 4, "only_if_higher": False}
    assert platform_weighted(last["value"], last["max_value"], weighted.weight) == (15, 20)
    assert weighted.attempts == 1


def test_rescore_uses_current_answer_key(weighted, runtime):
    submit(weighted, THREE_OF_FOUR)
    bank = [dict(data) for data in weighted.questions]
    bank[3] = question("q4", "b", competence="1.1")
    weighted.questions = bank
    weighted.rescore(only_if_higher=False)
    assert grades(runtime)[-1]["value"] == 4


def test_rescore_removed_choice_earns_0(weighted, runtime, caplog):
    submit(weighted, THREE_OF_FOUR)
    bank = [dict(data) for data in weighted.questions]
    bank[0] = {**bank[0], "choices": [{"id": "x", "text": "Choice x", "correct": True},
                                      {"id": "y", "text": "Choice y", "correct": False}]}
    weighted.questions = bank
    with caplog.at_level("WARNING", logger="raqmya_xblocks.assessment.block"):
        weighted.rescore(only_if_higher=False)
    assert grades(runtime)[-1] == {"value": 2, "max_value": 4, "only_if_higher": False}
    assert "question 'q1'" in caplog.text
    assert str(weighted.scope_ids.usage_id) in caplog.text


def test_rescore_changed_type_earns_0(weighted, runtime):
    submit(weighted, THREE_OF_FOUR)
    bank = [dict(data) for data in weighted.questions]
    bank[1] = {**bank[1], "type": "multiple"}
    weighted.questions = bank
    assert weighted.calculate_score() == RawScore(raw_earned=2, raw_possible=4)
    weighted.rescore(only_if_higher=False)
    assert grades(runtime)[-1] == {"value": 2, "max_value": 4, "only_if_higher": False}


def test_rescore_all_served_deleted_keeps_score(weighted, runtime, caplog):
    submit(weighted, THREE_OF_FOUR)
    weighted.questions = [question("new", "a")]
    with caplog.at_level("WARNING", logger="raqmya_xblocks.assessment.block"):
        weighted.rescore(only_if_higher=False)
    assert grades(runtime) == [{"value": 3, "max_value": 4}]
    assert weighted.get_score() == RawScore(raw_earned=3, raw_possible=4)
    assert "rescore of user" in caplog.text
    assert "no longer has any of the served questions" in caplog.text


def test_rescore_unanswered_raises(weighted):
    with pytest.raises(ValueError) as raised:
        weighted.rescore(only_if_higher=False)
    assert "has no scored attempt" in str(raised.value)


def test_c02_empty_pool_max_score_zero(runtime):
    block = load_block(runtime, scenario_xml("Empty", "acculturation", [question("pro", tracks=["perfectionnement"])]))
    assert block.max_score() == 0
    assert block.get_score() == RawScore(raw_earned=0, raw_possible=0)


def test_c02_staff_reset_of_attempts(learner, four_questions):
    staff = RecordingRuntime(lms_user_id=learner.id)
    block = load_block(staff, scenario_xml("Reset", "", four_questions, max_attempts=1))
    submit(block, THREE_OF_FOUR)
    LmsUserService.staff = True
    try:
        status, body = post_json(block, "reset_attempts", {})
    finally:
        LmsUserService.staff = False
    assert status == 200
    assert body == {"attempts": 0, "attempts_remaining": 1}
    assert block.score == {}
    assert submit(block, ALL_RIGHT)[0] == 200


def test_c02_learner_cannot_reset(assessment):
    submit(assessment, THREE_OF_FOUR)
    status, body = post_json(assessment, "reset_attempts", {})
    assert status == 403
    assert body["error"] == "Only course staff can reset attempts."
    assert assessment.attempts == 1


def test_c03_all_correct_one_grade_event_full(assessment, runtime):
    submit(assessment, ALL_RIGHT)
    assert grades(runtime) == [{"value": 4, "max_value": 4}]


def test_c03_override_then_get_score(assessment):
    submit(assessment, ALL_RIGHT)
    assessment.set_score(RawScore(raw_earned=2, raw_possible=4))
    assert assessment.get_score() == RawScore(raw_earned=2, raw_possible=4)
    assert assessment.results["q1"] == {"earned": 1, "possible": 1, "correct": True}


def test_c03_rescore_after_all_correct(assessment, runtime):
    submit(assessment, ALL_RIGHT)
    assessment.rescore(only_if_higher=True)
    assert grades(runtime)[-1] == {"value": 4, "max_value": 4, "only_if_higher": True}


def test_has_submitted_answer(assessment):
    assert assessment.has_submitted_answer() is False
    submit(assessment, ALL_RIGHT)
    assert assessment.has_submitted_answer() is True


def test_c17_masquerade_writes_nothing(learner, four_questions):
    runtime = RecordingRuntime(lms_user_id=learner.id)
    block = load_block(runtime, scenario_xml("Masquerade", "", four_questions, max_attempts=1))
    LmsUserService.masquerading_staff_id = 7
    try:
        status, body = submit(block, ALL_RIGHT)
    finally:
        LmsUserService.masquerading_staff_id = None
    assert status == 200
    assert body["stored"] is False
    assert body["earned"] == 4
    assert block.attempts == 0
    assert block.score == {}
    assert runtime.published == []
    assert AssessmentResult.objects.filter(user_id=learner.id).count() == 0
    assert MASQUERADE_ATTRIBUTE == "raqmya.real_user_id"


def test_tracking_event_per_question_served_only(runtime):
    pool = [question(f"q{n}", "a", competence="4.2" if n % 2 else "1.1") for n in range(10)]
    block = load_block(runtime, scenario_xml("Pool", "", pool, max_attempts=1, pool_size=5))
    served = [item["id"] for item in block.student_view_data()["questions"]]
    submit(block, {question_id: "a" for question_id in served})
    events = [data for event, data in runtime.published if event == "raqmya.assessment.submitted"]
    assert len(events) == 1
    assert sorted(events[0]["questions"]) == sorted(served)
    assert len(served) == 5
    competence = "4.2" if int(served[0][1:]) % 2 else "1.1"
    assert events[0]["questions"][served[0]] == {"earned": 1, "possible": 1, "correct": True, "competence": competence,
                                                 "difficulty": None}
    assert events[0]["earned"] == 5
    assert events[0]["possible"] == 5


def test_authored_difficulty_in_event_and_question_results(runtime):
    from raqmya_reports.registry.models import AssessmentQuestionResult  # pylint: disable=import-outside-toplevel

    pool = [{**question("hard", "a", competence="4.2"), "difficulty": 1.75}, question("plain", "a", competence="1.1")]
    block = load_block(runtime, scenario_xml("Pool", "", pool, max_attempts=1))
    submit(block, {"hard": "a", "plain": "a"})
    [event] = [data for event, data in runtime.published if event == "raqmya.assessment.submitted"]
    assert event["questions"]["hard"]["difficulty"] == 1.75
    assert event["questions"]["plain"]["difficulty"] is None
    stored = dict(AssessmentQuestionResult.objects.values_list("question_id", "difficulty"))
    assert stored == {"hard": 1.75, "plain": None}


@pytest.fixture
def request_by():
    """Serve the block's handlers inside a request of a given Django user, as django-crum's middleware does."""
    from crum import set_current_request  # pylint: disable=import-outside-toplevel
    from django.test import RequestFactory  # pylint: disable=import-outside-toplevel

    def serve(user):
        request = RequestFactory().post("/handler/submit")
        request.user = user
        set_current_request(request)

    yield serve
    set_current_request(None)


@pytest.mark.parametrize("backend", ["raqmya_reports.platform_backends.edx",
                                     "raqmya_reports.platform_backends.standalone"])
def test_c17_platform_masquerade_writes_nothing(settings, learner, four_questions, request_by, backend):
    """The LMS sets no user service attribute: the platform adapter names the staff member behind the request."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    settings.RAQMYA_PLATFORM_BACKEND = backend
    staff = get_user_model().objects.create_user(username="staff-masquerade", is_staff=True)
    runtime = RecordingRuntime(lms_user_id=learner.id)
    block = load_block(runtime, scenario_xml("Masquerade", "", four_questions, max_attempts=1))
    request_by(staff)
    html = block.render("student_view", {}).content
    status, body = submit(block, ALL_RIGHT)
    assert 'data-form=""' in html
    assert (status, body["stored"], body["earned"]) == (200, False, 4)
    assert (block.attempts, block.score, block.form_token) == (0, {}, "")
    assert runtime.published == []
    assert AssessmentResult.objects.filter(user_id=learner.id).count() == 0
    assert block._is_staff() is True  # pylint: disable=protected-access


def test_c17_learner_own_request_is_stored(settings, learner, four_questions, request_by):
    settings.RAQMYA_PLATFORM_BACKEND = "raqmya_reports.platform_backends.edx"
    runtime = RecordingRuntime(lms_user_id=learner.id)
    block = load_block(runtime, scenario_xml("Own", "", four_questions, max_attempts=1))
    request_by(learner)
    status, body = submit(block, ALL_RIGHT)
    assert (status, body["stored"]) == (200, True)
    assert block.attempts == 1
    assert AssessmentResult.objects.filter(user_id=learner.id).count() == 1
