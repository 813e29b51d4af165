"""Tests of what reaches the learner's browser: show-answer policies, replays, the mobile data and XSS."""

from __future__ import annotations

import json

import pytest

from raqmya_xblocks.assessment.scenarios import scenario_xml

from .conftest import load_block, post_json, question, submit

WRONG = {"q1": "b", "q2": "a", "q3": "a", "q4": "b"}
ALL_RIGHT = {"q1": "a", "q2": "b", "q3": "c", "q4": "a"}
SECRET_FEEDBACK = "Secret feedback"
SECRET_EXPLANATION = "Secret explanation"


def _pool() -> list[dict]:
    pool = []
    for question_id, correct in (("q1", "a"), ("q2", "b"), ("q3", "c"), ("q4", "a")):
        data = question(question_id, correct)
        data["explanation"] = f"<p>{SECRET_EXPLANATION} {question_id}</p>"
        for choice in data["choices"]:
            choice["feedback"] = f"{SECRET_FEEDBACK} {question_id}{choice['id']}"
        pool.append(data)
    return pool


def _block(runtime, policy: str, max_attempts: int = 2):
    return load_block(runtime, scenario_xml("Policy", "", _pool(), max_attempts=max_attempts, show_answer=policy))


def _leaks(text: str) -> bool:
    return SECRET_EXPLANATION in text or SECRET_FEEDBACK in text or "Correct answer" in text


@pytest.mark.parametrize("policy", ["attempted", "finished", "never"])
def test_html_before_attempt_hides_answers(runtime, policy):
    html = _block(runtime, policy).render("student_view", {}).content
    assert _leaks(html) is False
    assert '"correct"' not in html


def test_html_before_attempt_always_marks_answers(runtime):
    html = _block(runtime, "always").render("student_view", {}).content
    assert html.count("(Correct answer)") == 4
    assert f"{SECRET_EXPLANATION} q1" in html


@pytest.mark.parametrize(
    "policy, visible", [("always", True), ("attempted", True), ("finished", False), ("never", False)]
)
def test_json_after_failed_first_of_two(runtime, policy, visible):
    _status, body = submit(_block(runtime, policy), WRONG)
    assert (body["review"] != {}) is visible
    assert _leaks(json.dumps(body, ensure_ascii=False)) is visible


def test_json_finished_after_pass(runtime):
    _status, body = submit(_block(runtime, "finished"), ALL_RIGHT)
    assert body["review"]["q1"]["correct_ids"] == ["a"]
    assert body["review"]["q1"]["feedback"] == [f"{SECRET_FEEDBACK} q1a"]


THREE_RIGHT = {**ALL_RIGHT, "q4": "b"}


def test_finished_pass_below_full_marks_hides_answers(runtime):
    """A pass of 3 out of 4 with an attempt left reveals nothing that the retry could copy."""
    block = _block(runtime, "finished")
    _status, body = submit(block, THREE_RIGHT)
    html = block.render("student_view", {}).content
    assert (body["passed"], body["attempts_remaining"]) == (True, 1)
    assert body["review"] == {}
    assert _leaks(html) is False
    assert _leaks(json.dumps(body, ensure_ascii=False)) is False


def test_finished_pass_reveals_after_last_attempt(runtime):
    block = _block(runtime, "finished")
    submit(block, THREE_RIGHT)
    _status, body = submit(block, THREE_RIGHT)
    assert body["review"]["q4"]["correct_ids"] == ["a"]
    assert block.render("student_view", {}).content.count("(Correct answer)") == 4


def test_finished_full_marks_reveals_at_once(runtime):
    block = _block(runtime, "finished")
    _status, body = submit(block, ALL_RIGHT)
    assert body["attempts_remaining"] == 1
    assert sorted(body["review"]) == ["q1", "q2", "q3", "q4"]


def test_json_finished_after_last_attempt(runtime):
    block = _block(runtime, "finished")
    submit(block, WRONG)
    _status, body = submit(block, WRONG)
    assert body["review"]["q2"]["correct_ids"] == ["b"]
    assert body["review"]["q2"]["mark"] == "Incorrect"


def test_json_never_after_last_attempt(runtime):
    block = _block(runtime, "never", max_attempts=1)
    _status, body = submit(block, WRONG)
    html = block.render("student_view", {}).content
    assert body["review"] == {}
    assert _leaks(html) is False
    assert "Your score: 0 / 4 (0%) Not passed" in html


def test_html_finished_failed_first_attempt_hides_answers(runtime):
    block = _block(runtime, "finished")
    submit(block, WRONG)
    html = block.render("student_view", {}).content
    assert _leaks(html) is False


def test_html_finished_after_last_attempt_reviews(runtime):
    block = _block(runtime, "finished", max_attempts=1)
    submit(block, WRONG)
    html = block.render("student_view", {}).content
    assert html.count("(Correct answer)") == 4
    assert html.count(">Incorrect</p>") == 4


def test_student_view_data_has_no_correct_flags(runtime):
    data = _block(runtime, "finished").student_view_data()
    assert data["attempt"] == 1
    assert [item["id"] for item in data["questions"]] == ["q1", "q2", "q3", "q4"]
    assert sorted(choice["id"] for choice in data["questions"][0]["choices"]) == ["a", "b", "c"]
    assert _leaks(json.dumps(data)) is False
    assert "correct" not in json.dumps(data)


def test_replayed_submission_refused(runtime):
    block = _block(runtime, "finished")
    submit(block, WRONG, attempt=1)
    status, body = submit(block, ALL_RIGHT, attempt=1)
    assert status == 409
    assert body["error"] == "This attempt was already submitted. Reload the page to see your result."
    assert block.attempts == 1
    assert [event for event, _data in runtime.published].count("grade") == 1


def test_claimed_attempt_refused_without_writing(runtime):
    """A second request that read the same learner state finds the attempt claimed."""
    block = _block(runtime, "finished")
    block.render("student_view", {})  # the form is served, so the learner state gets its token
    twin = runtime.get_block(block.scope_ids.usage_id)
    # The twin reads the learner state before the first request stores it, as the LMS loads it whole.
    assert (twin.attempts, twin.form_token) == (0, block.form_token)
    assert len(block.form_token) == 22
    submit(block, WRONG)
    status, _body = post_json(twin, "submit", {"attempt": 1, "answers": ALL_RIGHT})
    assert status == 409
    assert [event for event, _data in runtime.published].count("grade") == 1
    assert block.score["earned"] == 0


@pytest.mark.parametrize(
    "payload, fragment",
    [
        ({"answers": ALL_RIGHT}, '"attempt"'),
        ({"attempt": "1", "answers": ALL_RIGHT}, '"attempt"'),
        ({"attempt": True, "answers": ALL_RIGHT}, '"attempt"'),
        ({"attempt": 1, "answers": {**ALL_RIGHT, "q1": ["a"]}}, "wrong form"),
        ({"attempt": 1, "answers": {**ALL_RIGHT, "q1": 3}}, "wrong form"),
    ],
)
def test_bad_payload_is_400_state_unchanged(runtime, payload, fragment):
    block = _block(runtime, "finished")
    status, body = post_json(block, "submit", payload)
    assert status == 400
    assert fragment in body["error"]
    assert block.attempts == 0
    assert runtime.published == []


def test_pool_size_draw_stable_across_renders(runtime):
    pool = [question(f"q{n}") for n in range(10)]
    block = load_block(runtime, scenario_xml("Draw", "", pool, max_attempts=3, pool_size=4))
    first = [item["id"] for item in block.student_view_data()["questions"]]
    again = [item["id"] for item in block.student_view_data()["questions"]]
    assert first == again
    assert len(first) == 4
    assert block.max_score() == 4


def test_pool_size_answer_to_undrawn_question_refused(runtime):
    pool = [question(f"q{n}") for n in range(10)]
    block = load_block(runtime, scenario_xml("Draw", "", pool, max_attempts=3, pool_size=4))
    drawn = [item["id"] for item in block.student_view_data()["questions"]]
    other = next(f"q{n}" for n in range(10) if f"q{n}" not in drawn)
    status, body = submit(block, {**{question_id: "a" for question_id in drawn}, other: "a"})
    assert status == 400
    assert body["question_id"] == other


XSS_STEM = "<b>ok</b><script>alert(1)</script>"
XSS_FEEDBACK = "<img src=x onerror=alert(1)>"
XSS_TAG = '"><svg onload=alert(1)>'


def _xss_block(runtime, policy="always"):
    data = question("q1", "a")
    data["stem"] = XSS_STEM
    data["choices"][0]["feedback"] = XSS_FEEDBACK + "Bravo"
    data["tags"] = [XSS_TAG]
    return load_block(runtime, scenario_xml("XSS", "", [data], max_attempts=1, show_answer=policy))


def test_c07_learner_view_keeps_bold_drops_script(runtime):
    html = _xss_block(runtime).render("student_view", {}).content
    assert "<b>ok</b>" in html
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "onload" not in html


def test_c07_handler_json_has_no_active_html(runtime):
    _status, body = submit(_xss_block(runtime), {"q1": "a"})
    text = json.dumps(body)
    assert "onerror" not in text
    assert "<script" not in text
    assert body["review"]["q1"]["feedback"] == ["Bravo"]


@pytest.mark.parametrize("policy, visible", [
    ("always", True), ("attempted", True), ("finished", True), ("never", False),
])
def test_json_last_attempt_review(runtime, policy, visible):
    """The reply to the final submit contains the correct choices that the page marks at once."""
    block = _block(runtime, policy, max_attempts=1)
    _status, body = submit(block, WRONG)
    html = block.render("student_view", {}).content
    assert sorted(body["review"]) == (["q1", "q2", "q3", "q4"] if visible else [])
    if visible:
        assert [body["review"][q]["correct_ids"] for q in ("q1", "q2", "q3", "q4")] == [["a"], ["b"], ["c"], ["a"]]
    assert html.count("(Correct answer)") == (4 if visible else 0)


def test_lowered_limit_names_attempts_used(runtime):
    block = _block(runtime, "finished", max_attempts=3)
    submit(block, WRONG, attempt=1)
    submit(block, WRONG, attempt=2)
    block.max_attempts = 1  # the course team lowers the limit in Studio
    status, body = submit(block, ALL_RIGHT, attempt=3)
    assert status == 403
    assert body["error"] == ("You have used 2 attempts and this assessment now allows 1, so this answer was not "
                             "graded.")
    assert block.attempts == 2


def test_attempt_past_next_named(runtime):
    block = _block(runtime, "finished", max_attempts=3)
    submit(block, WRONG, attempt=1)
    status, body = submit(block, ALL_RIGHT, attempt=7)
    assert status == 409
    assert body["error"] == ("Attempt \u20687\u2069 is not your next attempt, which is attempt 2. Reload the page "
                             "and answer again.")
    assert body["attempt"] == 1
    assert block.attempts == 1
    assert [event for event, _data in runtime.published].count("grade") == 1


def test_form_before_reset_names_next(runtime):
    block = _block(runtime, "finished", max_attempts=3)
    submit(block, WRONG, attempt=1)
    submit(block, WRONG, attempt=2)
    block.attempts = 0  # what "Reset Student Attempts" leaves, while the page of attempt 3 stays open
    status, body = submit(block, ALL_RIGHT, attempt=3)
    assert status == 409
    assert body["error"] == ("Attempt \u20683\u2069 is not your next attempt, which is attempt 1. Reload the page "
                             "and answer again.")


def test_long_attempt_number_cut(runtime):
    block = _block(runtime, "finished", max_attempts=3)
    status, body = submit(block, ALL_RIGHT, attempt=10**40)
    assert status == 409
    assert body["error"].startswith("Attempt \u2068" + "1" + "0" * 19 + "…\u2069 is not your next attempt")
