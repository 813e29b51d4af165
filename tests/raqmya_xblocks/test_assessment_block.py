"""Tests of the assessment XBlock on xblock-sdk's WorkbenchRuntime: grading, attempts, views, OLX and i18n."""

from __future__ import annotations

import json
import re
from xml.sax.saxutils import quoteattr

import pytest
from django.utils import translation
from lxml import etree
from webob import Request

from devstack.services import DevstackI18nService
from raqmya_xblocks.assessment.block import AssessmentBlock
from raqmya_xblocks.assessment.olx import question_from_element
from raqmya_xblocks.assessment.scenarios import ARABIC_TITLE, FRENCH_TITLE, scenario_xml
from raqmya_xblocks.errors import InvalidQuestion

from .conftest import CatalogueI18nService, RecordingRuntime, load_block, post_json, question, submit

THREE_OF_FOUR = {"q1": "a", "q2": "b", "q3": "c", "q4": "b"}


def grades(runtime) -> list[tuple[str, dict]]:
    """The grade events that the block published, in order."""
    return [event for event in runtime.published if event[0] == "grade"]


def test_submit_three_of_four_publishes_raw_grade(assessment, runtime):
    status, body = submit(assessment, THREE_OF_FOUR)
    assert status == 200
    assert grades(runtime) == [("grade", {"value": 3, "max_value": 4})]


def test_submit_returns_score_and_flags(assessment):
    _status, body = submit(assessment, THREE_OF_FOUR)
    assert body["earned"] == 3
    assert body["possible"] == 4
    assert body["percent"] == 75.0
    assert body["passed"] is True
    assert {question_id: review["correct"] for question_id, review in body["review"].items()} == {
        "q1": True, "q2": True, "q3": True, "q4": False
    }
    assert body["attempts_remaining"] == 0


def test_submit_stores_learner_state(assessment):
    submit(assessment, THREE_OF_FOUR)
    assert assessment.attempts == 1
    assert assessment.answers == THREE_OF_FOUR
    assert assessment.score == {
        "earned": 3,
        "possible": 4,
        "competences": {"4.2": {"earned": 2, "possible": 2}, "1.1": {"earned": 1, "possible": 2}},
        "areas": {"4": {"earned": 2, "possible": 2}, "1": {"earned": 1, "possible": 2}},
    }
    assert assessment.served == ["q1", "q2", "q3", "q4"]
    assert assessment.results["q4"] == {"earned": 0, "possible": 1, "correct": False}
    assert assessment.passed is True


def test_submit_below_pass_mark_not_passed(assessment):
    _status, body = submit(assessment, {"q1": "a", "q2": "a", "q3": "a", "q4": "b"})
    assert body["percent"] == 25.0
    assert body["passed"] is False


def test_resubmit_beyond_max_attempts_rejected(assessment, runtime):
    submit(assessment, THREE_OF_FOUR)
    status, body = submit(assessment, {"q1": "a", "q2": "b", "q3": "c", "q4": "a"})
    assert status == 403
    assert body["error"] == "You have used your one attempt, so this answer was not graded."
    assert grades(runtime) == [("grade", {"value": 3, "max_value": 4})]
    assert assessment.attempts == 1
    assert assessment.answers == THREE_OF_FOUR


def test_second_attempt_allowed_when_remaining(runtime, four_questions):
    block = load_block(runtime, scenario_xml("Two attempts", "", four_questions, max_attempts=2))
    submit(block, THREE_OF_FOUR)
    status, body = submit(block, {"q1": "a", "q2": "b", "q3": "c", "q4": "a"})
    assert status == 200
    assert body["attempts"] == 2
    assert grades(runtime)[-1] == ("grade", {"value": 4, "max_value": 4})
    assert len(grades(runtime)) == 2
    third_status, _body = submit(block, THREE_OF_FOUR)
    assert third_status == 403


def test_unlimited_attempts_when_zero(runtime, four_questions):
    block = load_block(runtime, scenario_xml("Unlimited", "", four_questions, max_attempts=0))
    statuses = [submit(block, THREE_OF_FOUR)[0] for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert block.attempts == 3


def test_unknown_choice_rejected_state_unchanged(assessment, runtime):
    status, body = submit(assessment, {**THREE_OF_FOUR, "q2": "z"})
    assert status == 400
    assert body["error"] == 'Question 2 has no choice \u2068"z"\u2069. Reload the page and answer again.'
    assert body["question_id"] == "q2"
    assert body["choice_id"] == "z"
    assert grades(runtime) == []
    assert assessment.attempts == 0
    assert assessment.answers == {}


def test_unknown_question_id_quoted(assessment):
    # A right-to-left override in the learner's text is shown as an escape, and the text is cut.
    status, body = submit(assessment, {**THREE_OF_FOUR, "q4": "a", "\u202e" + "x" * 200: "a"})
    assert status == 400
    assert body["error"] == ('Question \u2068"\\u202e' + "x" * 32 + '…\u2069 is not part of this assessment. '
                             "Reload the page and answer again.")


def test_lone_surrogate_answer_rejected(assessment):
    # Valid JSON that UTF-8 cannot encode: the reply escapes it and is a 400, not a server error.
    request = Request.blank("/", method="POST", body=json.dumps(
        {"attempt": 1, "answers": {**THREE_OF_FOUR, "q2": "\ud800"}}).encode("utf-8"))
    response = assessment.handle("submit", request)
    assert response.status_code == 400
    body = json.loads(response.body.decode("utf-8"))
    assert body["choice_id"] == "\ud800"
    assert body["error"] == 'Question 2 has no choice \u2068"\\ud800"\u2069. Reload the page and answer again.'
    assert assessment.attempts == 0


def test_missing_answer_names_question(assessment, runtime):
    answers = dict(THREE_OF_FOUR)
    del answers["q3"]
    status, body = submit(assessment, answers)
    assert status == 400
    assert body["error"] == "Question 3 has no answer. Answer every question and submit again."
    assert body["question_id"] == "q3"
    assert grades(runtime) == []


def test_missing_checkbox_answer_names_question(runtime, four_questions):
    """An unanswered multiple-response question, sent as [], gets the message of any unanswered question."""
    four_questions[1] = {**four_questions[1], "type": "multiple"}
    block = load_block(runtime, scenario_xml("Test assessment", "", four_questions, max_attempts=1))
    status, body = submit(block, {**THREE_OF_FOUR, "q2": []})
    assert status == 400
    assert body["error"] == "Question 2 has no answer. Answer every question and submit again."
    assert body["question_id"] == "q2"
    assert grades(runtime) == []
    assert block.attempts == 0


def test_stored_result_after_questions_replaced(assessment):
    """The last attempt's result stays visible when the author replaces every question the learner was served."""
    status, _body = submit(assessment, THREE_OF_FOUR)
    assert status == 200
    assessment.questions = [question("n1"), question("n2")]
    html = assessment.render("student_view", {}).content
    assert "This assessment has no questions for your track." in html
    assert "Your score: 3 / 4 (75%) Passed" in html
    assert 'data-competence="4.2"' in html
    assert "Attempts remaining: 0" in html


def test_answer_to_unserved_question_rejected(assessment, runtime):
    status, body = submit(assessment, {**THREE_OF_FOUR, "q-other": "a"})
    assert status == 400
    assert body["question_id"] == "q-other"
    assert assessment.attempts == 0


@pytest.mark.parametrize("payload", [{}, {"answers": ["a", "b"]}, ["q1"], {"answers": "q1=a"}])
def test_malformed_request_rejected(assessment, runtime, payload):
    status, body = post_json(assessment, "submit", payload)
    assert status == 400
    assert '"answers"' in body["error"]
    assert grades(runtime) == []


def test_empty_pool_max_score_zero(runtime):
    block = load_block(runtime, scenario_xml("Empty", "", []))
    assert block.max_score() is not None
    assert block.max_score() == 0


def test_empty_pool_submit_rejected(runtime):
    block = load_block(runtime, scenario_xml("Empty", "", []))
    status, body = submit(block, {})
    assert status == 400
    assert body["error"] == "This assessment has no questions for your track."
    assert grades(runtime) == []


def test_preview_track_selects_questions(runtime):
    pool = [
        question("both", tracks=["perfectionnement", "acculturation"]),
        question("pro", tracks=["perfectionnement"], points=2),
        question("public", tracks=["acculturation"], points=5),
    ]
    professional = load_block(runtime, scenario_xml("Pro", "perfectionnement", pool))
    public = load_block(runtime, scenario_xml("Public", "acculturation", pool))
    everyone = load_block(runtime, scenario_xml("All", "", pool))
    assert professional.max_score() == 3
    assert public.max_score() == 6
    assert everyone.max_score() == 8


def test_invalid_stored_questions_max_score_zero(assessment):
    assessment.questions = [question("q1", competence="7.7")]
    assert assessment.max_score() == 0


def test_invalid_stored_questions_view_shows_alert(assessment):
    assessment.questions = [question("q1", competence="7.7")]
    html = assessment.render("student_view", {}).content
    assert 'role="alert"' in html
    assert "its questions are invalid" in html
    assert "<fieldset" not in html


def test_student_view_hides_correct_flags(assessment):
    html = assessment.render("student_view", {}).content
    assert "correct" not in html.lower()
    assert "true" not in html.lower()


def test_student_view_choices_identical_but_ids(assessment):
    html = assessment.render("student_view", {}).content
    right = html.split('value="a"')[0].rsplit("<input", 1)[1]
    wrong = html.split('value="b"')[0].rsplit("<input", 1)[1]
    # Only the position in the input's id (``-c1``, ``-c2``) and the value differ.
    assert re.sub(r'-c\d"', '-cN"', right.replace('value="a', 'value="x')) == re.sub(
        r'-c\d"', '-cN"', wrong.replace('value="b', 'value="x'))


def test_student_view_ids_unique(runtime):
    # With ids taken from the questions, "q1" with a choice "a-stem" and "q1-a" would give the same
    # id, and a choice "stem" its stem's id.
    first, second = question("q1", "a-stem"), question("q1-a")
    first["choices"] = [{"id": "a-stem", "text": "Right", "correct": True},
                        {"id": "stem", "text": "Wrong", "correct": False}]
    second["choices"] = second["choices"][:2]
    colliding = [first, second]
    block = load_block(runtime, scenario_xml("Ids", "", colliding, max_attempts=1))
    html = block.render("student_view", {}).content
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == 7  # the block, two stems, four choices
    assert len(set(ids)) == len(ids)
    for label in re.findall(r'<label for="([^"]+)"', html):
        assert label in ids


def test_student_view_structure(assessment):
    html = assessment.render("student_view", {}).content
    assert html.count("<fieldset") == 4
    assert html.count("<legend") == 4
    assert html.count('type="radio"') == 12
    assert html.count("<label for=") == 12
    assert 'aria-live="polite"' in html
    assert '<button type="submit"' in html


def test_student_view_after_attempt_shows_marks(assessment):
    submit(assessment, THREE_OF_FOUR)
    html = assessment.render("student_view", {}).content
    assert html.count(">Correct</p>") == 3
    assert html.count(">Incorrect</p>") == 1
    assert "Your score: 3 / 4 (75%) Passed" in html
    assert "disabled" in html


def test_student_view_french_left_to_right(assessment):
    with translation.override("fr"):
        html = assessment.render("student_view", {}).content
    assert 'lang="fr"' in html
    assert 'dir="ltr"' in html


@pytest.mark.parametrize(
    "i18n_factory",
    [
        lambda block: CatalogueI18nService("ar"),
        DevstackI18nService,
    ],
    ids=["edx-platform-catalogue", "devstack-service"],
)
def test_student_view_arabic_right_to_left(db, four_questions, i18n_factory):
    runtime = RecordingRuntime(i18n_factory=i18n_factory)
    block = load_block(runtime, scenario_xml("تقييم", "", four_questions))
    with translation.override("ar"):
        html = block.render("student_view", {}).content
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
    assert ">إرسال</button>" in html
    assert "المحاولات المتبقية: 2" in html


def test_student_view_french_catalogue_submit(db, four_questions):
    runtime = RecordingRuntime(i18n_factory=lambda block: CatalogueI18nService("fr"))
    block = load_block(runtime, scenario_xml("Évaluation", "", four_questions))
    with translation.override("fr"):
        html = block.render("student_view", {}).content
    assert ">Valider</button>" in html
    assert "Question 1 sur 4" in html


def test_submit_arabic_messages_translated(db, four_questions):
    runtime = RecordingRuntime(i18n_factory=lambda block: CatalogueI18nService("ar"))
    block = load_block(runtime, scenario_xml("تقييم", "", four_questions, max_attempts=1))
    with translation.override("ar"):
        _status, body = submit(block, THREE_OF_FOUR)
    assert body["review"]["q1"]["mark"] == "إجابة صحيحة"
    assert body["review"]["q4"]["mark"] == "إجابة خاطئة"
    assert body["summary"] == "نتيجتك: 3 / 4 (75%) ناجح"


def test_student_view_loads_own_js_and_css(assessment):
    fragment = assessment.student_view({})
    urls = [resource.data for resource in fragment.resources if resource.kind == "url"]
    assert any(url.endswith("public/js/assessment.js") for url in urls)
    assert any(url.endswith("public/css/assessment.css") for url in urls)
    assert fragment.js_init_fn == "RaqmyaAssessment"


@pytest.mark.parametrize("uri", ["public/js/assessment.js", "public/css/assessment.css"])
def test_public_resources_are_served(uri):
    with AssessmentBlock.open_local_resource(uri) as resource:
        assert resource.read(2)


def test_olx_round_trip_keeps_utf8(runtime):
    stem = "<p>ما هي كلمة المرور الأكثر أمانًا؟</p>"
    pool = [dict(question("ar-1"), stem=stem)]
    block = load_block(runtime, scenario_xml("تقييم", "acculturation", pool))
    node = etree.Element("root")
    block.add_xml_to_node(node)
    exported = etree.tostring(node, encoding="utf-8")
    assert "ما هي كلمة المرور".encode("utf-8") in exported
    assert b"\\u0" not in exported
    assert b"&#" not in exported
    reloaded = load_block(runtime, exported.decode("utf-8"))
    assert reloaded.questions == block.questions
    assert reloaded.questions[0]["stem"] == stem
    assert reloaded.preview_track == "acculturation"


def test_olx_questions_attribute_accepted(runtime, four_questions):
    block = load_block(runtime, f"<raqmya_assessment questions={quoteattr(json.dumps(four_questions))}/>")
    assert block.max_score() == 4


def test_olx_invalid_question_rejected(runtime):
    with pytest.raises(InvalidQuestion) as raised:
        load_block(runtime, scenario_xml("Bad", "", [question("q1", competence="6.2")]))
    assert "Invalid question 1 ('q1'): " in str(raised.value)
    assert "'6.2'" in str(raised.value)


def test_olx_invalid_json_rejected(runtime):
    xml = '<raqmya_assessment xmlns:option="http://code.edx.org/xblock/option">' \
          '<option:questions>[{"id": "q1",]</option:questions></raqmya_assessment>'
    with pytest.raises(InvalidQuestion) as raised:
        load_block(runtime, xml)
    assert "fix the JSON syntax" in str(raised.value)


def test_validate_reports_invalid_questions(assessment):
    assessment.questions = [question("q1", tracks=["expert"])]
    messages = assessment.validate().to_json()["messages"]
    assert len(messages) == 1
    assert "['expert']" in messages[0]["text"]


def test_workbench_scenario_titles():
    titles = [title for title, _xml in AssessmentBlock.workbench_scenarios()]
    assert titles == [FRENCH_TITLE, ARABIC_TITLE]
    assert titles[0] == "Évaluation - Perfectionnement digital"
    assert "(ar)" in titles[1]
    assert "عربية" in titles[1]


def test_french_scenario_serves_four_questions(runtime):
    block = load_block(runtime, AssessmentBlock.workbench_scenarios()[0][1])
    html = block.render("student_view", {}).content
    assert block.max_score() == 4
    assert 'data-question-id="fr-sharing"' in html
    assert 'data-question-id="fr-files"' not in html


def test_arabic_scenario_serves_four_questions(runtime):
    block = load_block(runtime, AssessmentBlock.workbench_scenarios()[1][1])
    html = block.render("student_view", {}).content
    assert block.max_score() == 4
    assert 'data-question-id="ar-backup"' in html
    assert 'data-question-id="ar-sharing"' not in html
    assert "بريد إلكتروني" in html


def test_scenarios_cover_tracks_and_competences():
    for _title, xml in AssessmentBlock.workbench_scenarios():
        node = etree.fromstring(xml.encode("utf-8"))
        questions = [question_from_element(child, index) for index, child in enumerate(node)]
        assert len(questions) >= 4
        assert {track for q in questions for track in q["tracks"]} == {"perfectionnement", "acculturation"}
        assert len({q["competence"] for q in questions}) >= 4
