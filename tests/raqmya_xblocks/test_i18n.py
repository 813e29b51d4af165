"""C16: labels translated at render time into the learner's language, right to left in Arabic, in every view."""

from __future__ import annotations

from django.utils import translation

from devstack.services import DevstackI18nService
from raqmya_xblocks.assessment.scenarios import scenario_xml
from raqmya_xblocks.conf.js_catalogue import catalogue_js

from .conftest import RecordingRuntime, load_block, post_json, submit

ALL_RIGHT = {"q1": "a", "q2": "b", "q3": "c", "q4": "a"}


def _block(db, four_questions, **settings):
    runtime = RecordingRuntime(i18n_factory=DevstackI18nService)
    return load_block(runtime, scenario_xml("Évaluation", "", four_questions, max_attempts=3, **settings))


def test_c16_arabic_then_french_student_view(db, four_questions):
    block = _block(db, four_questions, show_answer="always")
    with translation.override("ar"):
        submit(block, ALL_RIGHT)
        arabic = block.render("student_view", {}).content
    with translation.override("fr"):
        french = block.render("student_view", {}).content
    assert 'dir="rtl"' in arabic
    assert 'lang="ar"' in arabic
    assert ">إرسال</button>" in arabic
    assert "المحاولات المتبقية: 2" in arabic
    assert "(الإجابة الصحيحة)" in arabic
    assert ">Valider</button>" in french
    assert "Tentatives restantes : 2" in french
    assert "(Bonne réponse)" in french
    assert 'dir="ltr"' in french


def test_c16_submit_json_in_learner_language(db, four_questions):
    block = _block(db, four_questions, show_answer="attempted")
    with translation.override("ar"):
        _status, body = submit(block, ALL_RIGHT)
    assert body["review"]["q1"]["mark"] == "إجابة صحيحة"
    assert body["competences"][0]["text"] == "الكفاءة 1.1: 2 / 2"


def test_c16_studio_view_arabic(db, four_questions):
    block = _block(db, four_questions)
    with translation.override("ar"):
        html = block.render("studio_view", {}).content
    assert 'dir="rtl"' in html
    assert "تعديل التقييم" in html
    assert ">حفظ</button>" in html
    assert "Edit the assessment" not in html


def test_c16_saved_in_french_shown_in_arabic(db, four_questions):
    block = _block(db, four_questions)
    with translation.override("fr"):
        status, _body = post_json(block, "studio_save", {"settings": {"max_attempts": 2}})
    assert status == 200
    with translation.override("ar"):
        html = block.render("student_view", {}).content
    assert "المحاولات المتبقية: 2" in html
    assert "Tentatives" not in html


def test_js_catalogue_defines_namespace():
    script = catalogue_js({"Save": "حفظ"})
    assert "window.RaqmyaAssessmentI18n" in script
    assert '"Save": "حفظ"' in script


def test_block_declares_js_namespace(db, four_questions):
    block = _block(db, four_questions)
    assert block.i18n_js_namespace == "RaqmyaAssessmentI18n"
    with translation.override("ar"):
        fragment = block.render("studio_view", {})
    urls = [resource.data for resource in fragment.resources if resource.kind == "url"]
    assert any(url.endswith("public/js/translations/ar/text.js") for url in urls), urls


def test_french_content_in_arabic_interface_keeps_direction(db, four_questions):
    """Author text takes its direction from its own script, so French stems read left to right in Arabic."""
    block = _block(db, four_questions)
    with translation.override("ar"):
        html = block.render("student_view", {}).content
    stems = html.count('class="raqmya-assessment__stem"')
    assert stems == 4
    assert html.count('-stem" dir="auto"') == stems
    assert html.count('" dir="auto">') >= stems * 2
