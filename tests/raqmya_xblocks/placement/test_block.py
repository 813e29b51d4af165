"""Tests of the placement block on the workbench runtime: a run, its record, retakes, reset, grading, views, OLX."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from html import escape

import pytest
from django.utils import translation
from lxml import etree
from webob import Request

from devstack.services import DevstackI18nService
from raqmya_reports.registry.models import BeneficiaryProfile, CatalogueEntry, Course, PlacementResult
from raqmya_xblocks import reports_link
from raqmya_xblocks.placement.scenarios import workbench_scenarios
from tests.raqmya_reports.factories import make_profile

from ..conftest import LmsUserService, RecordingRuntime, load_block, post_json, question

ITEMS = [
    {**question("s1", "a", competence="4.1"), "level": 2, "difficulty": -2.0},
    {**question("s2", "b", competence="4.2"), "level": 5, "discrimination": 1.5},
    {**question("s3", "c", competence="4.3"), "level": 7},
    {**question("i1", "a", competence="1.1"), "level": 3},
    {**question("i2", "a", competence="1.2"), "level": 6},
]


def placement_xml(**settings: object) -> str:
    from raqmya_xblocks.assessment.olx import question_to_element  # pylint: disable=import-outside-toplevel

    node = etree.Element("raqmya_placement", display_name="Positionnement",
                         **{name: str(value) for name, value in settings.items()})
    for data in ITEMS:
        node.append(question_to_element(data))
    return etree.tostring(node, encoding="unicode")


def correct_choice(block, item_id: str) -> str:
    data = next(item for item in block.questions if item["id"] == item_id)
    return next(choice["id"] for choice in data["choices"] if choice["correct"])


def wrong_choice(block, item_id: str) -> str:
    data = next(item for item in block.questions if item["id"] == item_id)
    return next(choice["id"] for choice in data["choices"] if not choice["correct"])


def take_test(block, *, right: bool = True, self_levels: dict | None = None) -> tuple[list[str], dict]:
    """Start and answer every item; return the ids served and the last reply."""
    status, body = post_json(block, "start", {"self_levels": self_levels or {}})
    assert status == 200
    served = []
    while body["status"] == "item":
        served.append(body["item"])
        answer = correct_choice(block, body["item"]) if right else wrong_choice(block, body["item"])
        status, body = post_json(block, "answer", {"item": body["item"], "answer": answer})
    return served, body


@pytest.fixture(name="block")
def fixture_block(runtime):
    return load_block(runtime, placement_xml())


def test_placement_serves_each_item_once(block):
    served, _body = take_test(block)
    assert sorted(served) == ["i1", "i2", "s1", "s2", "s3"]


def test_placement_all_right_gives_a_high_level_per_area(block):
    _served, body = take_test(block)
    assert body["levels"] == {"1": 6, "4": 6}


def test_placement_all_wrong_gives_a_low_level_per_area(block):
    _served, body = take_test(block, right=False)
    assert body["levels"] == {"1": 3, "4": 3}


def test_placement_all_right_recommends_perfectionnement(block):
    _served, body = take_test(block)
    assert body["track"] == "perfectionnement"


def test_placement_all_wrong_recommends_acculturation(block):
    _served, body = take_test(block, right=False)
    assert body["track"] == "acculturation"


def test_placement_track_rule_follows_its_setting(block, settings):
    settings.RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL = 8
    _served, body = take_test(block)
    assert body["track"] == "acculturation"


def test_placement_stops_at_the_setting_of_max_items_per_area(block, settings):
    settings.RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA = 1
    served, _body = take_test(block)
    assert len(served) == 2


def test_placement_records_the_result_and_sets_the_track(block, learner):
    make_profile(learner, sector="job_seeker")
    take_test(block)
    assert PlacementResult.objects.get(user=learner).levels == {"1": 6, "4": 6}
    assert BeneficiaryProfile.objects.get(user=learner).track == "perfectionnement"


def test_placement_shows_the_recommended_courses(block, learner):
    make_profile(learner)
    CatalogueEntry.objects.create(course=Course.objects.create(course_key="course-v1:R+P+1"),
                                  tracks=["perfectionnement"], hours=10, level=8)
    CatalogueEntry.objects.create(course=Course.objects.create(course_key="course-v1:R+A+1"),
                                  tracks=["acculturation"], hours=10, level=8)
    _served, body = take_test(block)
    assert body["recommended"] == ["course-v1:R+P+1"]


@pytest.mark.parametrize(("content_language", "expected"), [
    ("", ["course-v1:R+F+1", "course-v1:R+A+1"]), ("ar", ["course-v1:R+A+1", "course-v1:R+F+1"]),
])
def test_placement_recommends_its_language_first(runtime, learner, content_language, expected):
    make_profile(learner)
    for key, language in (("course-v1:R+F+1", "fr"), ("course-v1:R+A+1", "ar")):
        CatalogueEntry.objects.create(course=Course.objects.create(course_key=key), tracks=["perfectionnement"],
                                      hours=10, level=8, language=language)
    block = load_block(runtime, placement_xml(content_language=content_language))
    _served, body = take_test(block)
    assert body["recommended"] == expected


NOT_SAVED = ("Your account has no beneficiary profile in the programme, so these levels and this track were not "
             "saved to your programme record. Ask your programme contact to register you.")


def test_placement_without_a_profile_keeps_the_learner_result(block):
    _served, body = take_test(block)
    assert body["status"] == "result"
    assert PlacementResult.objects.count() == 0
    # The page and the mobile apps' data both say that nothing was saved to the programme.
    assert NOT_SAVED in body["html"]
    assert NOT_SAVED in block.render("student_view", {}).content
    assert block.student_view_data()["not_saved"] is True


def test_placement_notice_gone_once_stored(block, learner):
    # The operator registers the learner, then imports the tracking log, which stores the run.
    _served, body = take_test(block)
    make_profile(learner)
    assert block.student_view_data()["not_saved"] is True
    event = next(data for name, data in block.runtime.published if name == "raqmya.placement.completed")
    reports_link.record_placement(
        user_id=learner.pk, usage_key=block._usage_key(),  # pylint: disable=protected-access
        attempt=event["attempt"], levels=event["levels"], track=event["track"],
        submitted_at=datetime.now(timezone.utc), items=event["results"])
    assert block.student_view_data()["not_saved"] is False
    assert NOT_SAVED not in block.render("student_view", {}).content


def test_placement_profile_no_notice(block, learner):
    make_profile(learner)
    _served, body = take_test(block)
    assert PlacementResult.objects.filter(user=learner).count() == 1
    assert "beneficiary profile" not in body["html"]
    assert block.student_view_data()["not_saved"] is False


def test_placement_answer_to_another_item_is_refused(block):
    post_json(block, "start", {})
    status, body = post_json(block, "answer", {"item": "not-shown", "answer": "a"})
    assert status == 409
    assert body["item"] == block.current_item


def test_placement_answer_of_the_wrong_shape_is_refused_and_kept_open(block):
    _status, started = post_json(block, "start", {})
    status, _body = post_json(block, "answer", {"item": started["item"], "answer": ["a", "b"]})
    assert status == 400
    assert block.current_item == started["item"]


def test_placement_start_while_running_returns_the_item_shown(block):
    _status, started = post_json(block, "start", {})
    _status, again = post_json(block, "start", {})
    assert again["item"] == started["item"]


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ({"4": 9}, "The level \u20689\u2069 given for area 4 is not a level from 1 to 8: choose one, or leave it "
                   "empty."),
        ({"4": "3"}, 'The level \u2068"3"\u2069 given for area 4 is not a level from 1 to 8: choose one, or leave it '
                     "empty."),
        ({"4": True}, "The level \u2068true\u2069 given for area 4 is not a level from 1 to 8: choose one, or leave "
                      "it empty."),
        ({"4": "x" * 60}, 'The level \u2068"' + "x" * 38 + '…\u2069 given for area 4 is not a level from 1 to 8: '
                          "choose one, or leave it empty."),
        ([4, 9], "Choose a level from 1 to 8 for each area, or leave it empty."),
    ],
)
def test_placement_invalid_self_level_named(block, levels, expected):
    status, body = post_json(block, "start", {"self_levels": levels})
    assert status == 400
    assert body["error"] == expected
    assert block.attempt == 0


@pytest.mark.parametrize(
    ("levels", "shown"),
    [({"\ud800": 3}, '"\\ud800"'), ({"4": "\udfff"}, '"\\udfff"')],
)
def test_placement_lone_surrogate_escaped(block, levels, shown):
    # Valid JSON that UTF-8 cannot encode: the message quotes JSON's escape, and the status is 400.
    request = Request.blank("/", method="POST", body=json.dumps({"self_levels": levels}).encode("utf-8"))
    response = block.handle("start", request)
    assert response.status_code == 400
    assert shown in json.loads(response.body.decode("utf-8"))["error"]


def test_placement_huge_level_rejected(block):
    request = Request.blank("/", method="POST", body=b'{"self_levels": {"4": ' + b"9" * 5000 + b"}}")
    response = block.handle("start", request)
    assert response.status_code == 400
    assert json.loads(response.body.decode("utf-8"))["error"] == "The request is not UTF-8 JSON; send JSON."


def test_placement_unknown_area_named(block):
    status, body = post_json(block, "start", {"self_levels": {"9": 3}})
    assert status == 400
    assert body["error"].startswith('This placement test has no area \u2068"9"\u2069: send levels for areas ')
    assert body["error"].endswith(" only.")
    assert block.attempt == 0


def test_placement_unknown_area_in_arabic(db):  # pylint: disable=unused-argument
    from webob import Request  # pylint: disable=import-outside-toplevel

    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), placement_xml())
    body = json.dumps({"self_levels": {"مجال": 3}}).encode("utf-8")
    with translation.override("ar"):
        response = block.handle("start", Request.blank("/", method="POST", body=body))
    assert response.status_code == 400
    # The areas are listed with the Arabic comma, and the learner's text is isolated in its own direction.
    assert response.json["error"] == ("لا يتضمن اختبار تحديد المستوى هذا المجال \u2068\"مجال\"\u2069: أرسل مستويات "
                                      "للمجالات 1، 4 فقط.")


def test_placement_self_assessment_starts_the_estimate(block):
    _status, body = post_json(block, "start", {"self_levels": {"1": 8}})
    assert body["item"] == "i2"


def test_placement_retake_is_refused_before_the_delay(block):
    take_test(block)
    status, _body = post_json(block, "start", {})
    assert status == 409


def test_placement_retake_is_allowed_after_the_delay(block, settings):
    take_test(block)
    settings.RAQMYA_PLACEMENT_RETAKE_DAYS = 0
    status, body = post_json(block, "start", {})
    assert status == 200
    assert body["attempt"] == 2


def test_placement_reset_by_a_learner_is_refused(block):
    take_test(block)
    status, _body = post_json(block, "reset_attempts", {})
    assert status == 403


def test_placement_reset_by_staff_allows_a_new_run(block, monkeypatch):
    take_test(block)
    monkeypatch.setattr(LmsUserService, "staff", True)
    post_json(block, "reset_attempts", {})
    status, body = post_json(block, "start", {})
    assert status == 200
    assert body["attempt"] == 2


def test_placement_masquerading_staff_cannot_start(block, monkeypatch):
    monkeypatch.setattr(LmsUserService, "masquerading_staff_id", 99)
    status, _body = post_json(block, "start", {})
    assert status == 403
    assert block.attempt == 0


def test_placement_is_not_graded_by_default(block, runtime):
    take_test(block)
    assert [event for event, _data in runtime.published if event == "grade"] == []
    assert block.has_score is False


def test_placement_graded_publishes_one_completion_grade(runtime):
    block = load_block(runtime, placement_xml(graded="true"))
    take_test(block)
    assert [data for event, data in runtime.published if event == "grade"] == [{"value": 1, "max_value": 1}]


def test_placement_event_carries_recorded_item_results(block, runtime, learner):
    make_profile(learner)
    served, _body = take_test(block, right=False)
    [event] = [data for name, data in runtime.published if name == "raqmya.placement.completed"]
    placement = PlacementResult.objects.get(user=learner)
    stored = {row.question_id: {"correct": row.correct, "competence": row.competence,
                                "difficulty": row.difficulty, "ability": row.ability}
              for row in placement.items.all()}
    assert sorted(event["results"]) == sorted(served)
    assert event["results"] == stored
    assert (event["attempt"], event["items"], event["levels"], event["track"]) == (
        1, len(served), placement.levels, placement.track)


def test_placement_student_view_data_hides_correct_flags(block):
    post_json(block, "start", {})
    data = block.student_view_data()
    assert set(data["item"]["choices"][0]) == {"id", "text"}


def test_placement_student_view_in_french_is_translated(db):
    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), placement_xml())
    with translation.override("fr"):
        html = block.render("student_view", {}).content
    assert "Commencer le test" in html
    assert 'lang="fr"' in html


def test_placement_student_view_in_arabic_is_right_to_left(db):
    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), placement_xml())
    with translation.override("ar"):
        html = block.render("student_view", {}).content
    assert 'dir="rtl"' in html
    assert ">ابدأ الاختبار</button>" in html


def test_placement_result_in_french_names_the_track_and_areas(db):
    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), placement_xml())
    with translation.override("fr"):
        _served, body = take_test(block)
    assert "<strong>Perfectionnement digital</strong>" in body["html"]
    assert '<th scope="row">Sécurité</th>' in body["html"]


def test_placement_studio_view_uses_the_shared_question_editor(block):
    html = block.render("studio_view", {}).content
    assert "raqmya-studio__questions" in html
    assert 'name="graded"' in html


def test_placement_studio_save_keeps_difficulty_and_discrimination(block, runtime):
    items = [{**ITEMS[0], "difficulty": 1.25, "discrimination": 0.8}]
    status, _body = post_json(block, "studio_save", {"settings": {"graded": True}, "questions": items})
    assert status == 200
    assert block.questions[0]["difficulty"] == 1.25
    assert block.graded is True


def test_placement_studio_save_rejects_a_bad_setting(block):
    status, body = post_json(block, "studio_save", {"settings": {"graded": "yes"}})
    assert status == 400
    assert body["errors"][0]["message"] == "Graded: 'yes' is not valid; tick or clear the box."


def test_placement_olx_round_trip_keeps_item_parameters(block, runtime):
    node = etree.Element("raqmya_placement")
    block.add_xml_to_node(node)
    again = load_block(runtime, etree.tostring(node, encoding="unicode"))
    assert again.questions == block.questions
    assert again.questions[0]["difficulty"] == -2.0
    assert again.questions[1]["discrimination"] == 1.5


def test_placement_serves_its_own_and_the_shared_resources():
    from raqmya_xblocks.placement.block import PlacementBlock  # pylint: disable=import-outside-toplevel

    assert PlacementBlock.open_local_resource("public/js/placement.js").read(21) == b"/* Learner view of th"
    assert PlacementBlock.open_local_resource("public/js/studio.js").read(21) == b"/* Studio editor of t"


def test_workbench_scenarios_are_french_and_arabic():
    assert [title for title, _xml in workbench_scenarios()] == ["Test de positionnement", "اختبار تحديد المستوى (ar)"]


def test_workbench_french_scenario_runs_to_a_result(db):
    block = load_block(RecordingRuntime(lms_user_id=None), workbench_scenarios()[0][1])
    _served, body = take_test(block)
    assert body["status"] == "result"


def test_placement_item_removed_during_a_run_moves_to_the_next(block):
    _status, started = post_json(block, "start", {})
    block.questions = [item for item in block.questions if item["id"] != started["item"]]
    status, body = post_json(block, "answer", {"item": started["item"], "answer": "a"})
    assert status == 200
    assert body["item"] not in (None, started["item"])


def test_placement_setting_error_in_arabic(db):  # pylint: disable=unused-argument
    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), placement_xml())
    with translation.override("ar"):
        status, body = post_json(block, "studio_save", {"settings": {"graded": "yes", "weight": -1}})
    assert status == 400
    assert [error["message"] for error in body["errors"]] == [
        "مُقيَّم بعلامة: القيمة 'yes' غير صالحة؛ ضع علامة في المربع أو أزلها.",
        "وزن التمرين: القيمة -1 غير صالحة؛ اكتب عددًا، 0 أو أكثر، أو اتركه فارغًا.",
    ]


def test_result_counts_items_per_area(db):  # pylint: disable=unused-argument
    """A short run, its bank used up, shows how many questions each area took and why it stopped."""
    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), workbench_scenarios()[0][1])
    with translation.override("fr"):
        served, body = take_test(block)
    assert len(served) == 5
    assert body["status"] == "result"
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d)</td><td>(\d+)</td></tr>', body["html"])
    assert [int(items) for _name, _level, items in rows] == [2, 1, 2]  # areas 1, 2 and 4, in order
    assert rows[2][0] == "Sécurité"
    assert "Questions répondues" in body["html"]
    assert "Chaque domaine est mesuré avec 8 questions au plus." in body["html"]


@pytest.mark.parametrize("method, body, status, expected", [
    ("POST", b"{not json", 400, "الطلب ليس JSON بترميز UTF-8؛ أرسل JSON."),
    ("GET", b"", 405, "أرسل هذا الطلب بطريقة POST."),
])
def test_run_handler_refusals_in_arabic(db, method, body, status, expected):  # pylint: disable=unused-argument
    from webob import Request  # pylint: disable=import-outside-toplevel

    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), placement_xml())
    for handler in ("start", "answer", "reset_attempts"):
        with translation.override("ar"):
            response = block.handle(handler, Request.blank("/", method=method, body=body))
        assert response.status_code == status
        assert response.json["error"] == expected


def test_placement_records_each_served_item_for_item_analysis(block, learner):
    make_profile(learner)
    served, _body = take_test(block, right=False)
    placement = PlacementResult.objects.get(user=learner)
    items = {row.question_id: row for row in placement.items.all()}
    assert sorted(items) == sorted(served)
    assert {item_id: (row.competence, row.correct) for item_id, row in items.items()} == {
        "s1": ("4.1", False), "s2": ("4.2", False), "s3": ("4.3", False), "i1": ("1.1", False), "i2": ("1.2", False)}
    # s1 has the author's difficulty; i1 and s3 have their level's centre (3: -1.5, 7: 2.5 logits).
    assert (items["s1"].difficulty, items["i1"].difficulty, items["s3"].difficulty) == (-2.0, -1.5, 2.5)
    # Items of one area carry the run's one estimate in that area, which fell in level 3 (-2 to -1 logits).
    assert items["s1"].ability == items["s2"].ability == items["s3"].ability
    assert -2.0 <= items["s1"].ability < -1.0
    assert -2.0 <= items["i1"].ability < -1.0
    # The workbench's usage ids carry no course.
    assert placement.course is None


def test_placement_staff_reset_marks_the_reports_run(block, learner, monkeypatch):
    make_profile(learner)
    take_test(block)
    monkeypatch.setattr(LmsUserService, "staff", True)
    post_json(block, "reset_attempts", {})
    placement = PlacementResult.objects.get(user=learner)
    assert placement.reset_at is not None
    assert placement.reset_at >= placement.submitted_at


EMPTY_GRADED = '<raqmya_placement display_name="Positionnement" graded="true"/>'


def test_placement_empty_bank_start_is_refused(runtime, learner):
    make_profile(learner)
    block = load_block(runtime, EMPTY_GRADED)
    status, body = post_json(block, "start", {})
    assert status == 409
    assert body["error"] == "This placement test has no questions yet. Please come back later."
    assert block.attempt == 0
    assert block.completed_at == ""
    assert block.levels == {}
    assert block.track == ""
    assert [event for event, _data in runtime.published if event == "grade"] == []
    assert PlacementResult.objects.count() == 0
    assert block._retake_at() is None  # pylint: disable=protected-access


@pytest.mark.parametrize("language, expected", [
    ("fr", "Ce test de positionnement n'a pas encore de questions. Merci de revenir plus tard."),
    ("ar", "لا يحتوي اختبار تحديد المستوى هذا على أسئلة بعد. يرجى العودة لاحقًا."),
])
def test_placement_empty_bank_refusal_translated(db, language, expected):  # pylint: disable=unused-argument
    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), EMPTY_GRADED)
    with translation.override(language):
        status, body = post_json(block, "start", {})
    assert status == 409
    assert body["error"] == expected


@pytest.mark.parametrize("graded, severity", [("true", "error"), ("false", "warning")])
def test_placement_empty_bank_validation(runtime, graded, severity):
    block = load_block(runtime, f'<raqmya_placement display_name="Positionnement" graded="{graded}"/>')
    messages = block.validate().messages
    assert [(message.type, message.text) for message in messages] == [
        (severity, "This placement test has no items, so learners cannot start it. Add items in the editor.")]


def test_placement_bank_with_items_validates(block):
    assert block.validate().messages == []


@pytest.mark.parametrize("self_levels", [{"1": 8, "4": 8}, {"1": 9}, "high"])
def test_placement_self_levels_ignored_when_off(runtime, self_levels):
    expected = load_block(RecordingRuntime(lms_user_id=None), placement_xml(self_assessment="false"))
    expected_served, expected_body = take_test(expected, right=False)
    block = load_block(runtime, placement_xml(self_assessment="false"))
    status, body = post_json(block, "start", {"self_levels": self_levels})
    assert status == 200
    assert body["item"] == expected_served[0]
    assert block.self_levels == {}
    served = []
    while body["status"] == "item":
        served.append(body["item"])
        _status, body = post_json(block, "answer", {"item": body["item"], "answer": wrong_choice(block, body["item"])})
    assert served == expected_served
    assert body["levels"] == expected_body["levels"]
    assert body["track"] == expected_body["track"]


REMOVED_NOTICE = ("The question you were shown was removed from the test by the course team, "
                  "so the test went on without it.")


def test_placement_removed_item_page_has_next_button(block):
    _status, started = post_json(block, "start", {})
    block.questions = [item for item in block.questions if item["id"] != started["item"]]
    html = block.render("student_view", {}).content
    assert "This question was removed from the test by the course team. Press Next to go on." in html
    assert 'data-handler="start"' in html
    assert ">Next</button>" in html


def test_placement_removed_item_start_shows_another(block):
    _status, started = post_json(block, "start", {})
    block.questions = [item for item in block.questions if item["id"] != started["item"]]
    status, body = post_json(block, "start", {})
    assert status == 200
    assert body["status"] == "item"
    assert body["item"] not in (None, started["item"])
    assert REMOVED_NOTICE in body["html"]
    assert 'data-handler="answer"' in body["html"]


def test_placement_removed_last_item_finishes_with_answers(block, runtime):
    _status, body = post_json(block, "start", {})
    answered = body["item"]
    _status, body = post_json(block, "answer", {"item": answered, "answer": correct_choice(block, answered)})
    block.questions = [item for item in block.questions if item["id"] == answered]
    status, body = post_json(block, "start", {})
    assert status == 200
    assert body["status"] == "result"
    assert REMOVED_NOTICE in body["html"]
    area = "1" if answered.startswith("i") else "4"
    assert list(body["levels"]) == [area]
    assert [name for name, _data in runtime.published].count("raqmya.placement.completed") == 1


def test_placement_every_item_removed_before_an_answer(runtime):
    block = load_block(runtime, placement_xml(graded="true"))
    post_json(block, "start", {})
    block.questions = []
    status, body = post_json(block, "start", {})
    assert status == 200
    assert body["status"] == "intro"
    assert REMOVED_NOTICE in body["html"]
    assert block.current_item == ""
    assert block.completed_at == ""
    assert block.levels == {}
    assert [event for event, _data in runtime.published if event == "grade"] == []
    status, body = post_json(block, "start", {})
    assert status == 409
    assert body["error"] == "This placement test has no questions yet. Please come back later."


@pytest.mark.parametrize("language, expected", [
    ("fr", "La question qui vous était posée a été retirée du test par l'équipe du cours, donc le test a continué "
           "sans elle."),
    ("ar", "أزال فريق الدرس السؤال الذي كان معروضًا عليك من الاختبار، لذا تابع الاختبار من دونه."),
])
def test_placement_removed_item_notice_translated(db, language, expected):  # pylint: disable=unused-argument
    block = load_block(RecordingRuntime(i18n_factory=DevstackI18nService), placement_xml())
    with translation.override(language):
        _status, started = post_json(block, "start", {})
        block.questions = [item for item in block.questions if item["id"] != started["item"]]
        _status, body = post_json(block, "start", {})
    assert escape(expected) in body["html"]


def test_placement_item_ids_by_position(runtime):
    # With ids taken from the item, an item "title" with a choice "x" would give "<block>-title-x",
    # and an item "self" ids of the form of the self-assessment's levels.
    node = etree.fromstring(placement_xml())
    for element in node:
        element.set("id", {"s1": "title", "s2": "self"}.get(element.get("id"), element.get("id")))
    block = load_block(runtime, etree.tostring(node, encoding="unicode"))
    _status, body = post_json(block, "start", {})
    page = block.render("student_view", {}).content
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    prefix = block._dom_id()  # pylint: disable=protected-access
    assert f'id="{prefix}-item-stem"' in body["html"]
    assert re.findall(r'<input[^>]*\sid="([^"]+)"', body["html"]) == [f"{prefix}-item-c{n}" for n in (1, 2, 3)]
    for label in re.findall(r'<label for="([^"]+)"', body["html"]):
        assert label in ids
