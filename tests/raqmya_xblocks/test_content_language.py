"""The content language: questions carry their own lang and dir, the interface keeps its own, in every view."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from lxml import etree

from devstack.services import DevstackI18nService
from raqmya_xblocks.assessment.scenarios import scenario_xml
from raqmya_xblocks.content_language import content_attributes, direction, is_language_tag

from .conftest import RecordingRuntime, load_block, post_json, submit

ALL_RIGHT = {"q1": "a", "q2": "b", "q3": "c", "q4": "a"}


@pytest.mark.parametrize("tag, expected", [
    ("fr", "ltr"), ("ar", "rtl"), ("ar-MA", "rtl"), ("AR", "rtl"), ("ar-Latn", "ltr"), ("fa", "rtl"),
    ("he-IL", "rtl"), ("zgh-Tfng", "ltr"), ("ber-Arab", "rtl"), ("es-419", "ltr"), ("en-GB-oxendict", "ltr"),
])
def test_direction_of_a_tag(tag, expected):
    assert is_language_tag(tag) is True
    assert direction(tag) == expected


@pytest.mark.parametrize("value", ["", "f", "français", "fr_FR", "ar-", "-ar", "ar MA", "x" * 9, 7, None,
                                   'fr" onmouseover="x'])
def test_not_a_language_tag(value):
    assert is_language_tag(value) is False
    assert content_attributes(value) == ("", "auto")


def _block(db, four_questions, **settings):
    runtime = RecordingRuntime(lms_user_id=None, i18n_factory=DevstackI18nService)
    return load_block(runtime, scenario_xml("Langue", "", four_questions, max_attempts=3, **settings))


def _opening_tags(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<[a-z]+ class="{css_class}"[^>]*>', html)


def test_french_questions_in_arabic_interface(db, four_questions):
    block = _block(db, four_questions, content_language="fr", show_answer="always")
    with translation.override("ar"):
        html = block.render("student_view", {}).content
    root = etree.fromstring(html.encode("utf-8"), etree.HTMLParser()).find(".//div[@class='raqmya-assessment']")
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    stems = _opening_tags(html, "raqmya-assessment__stem")
    assert len(stems) == 4
    assert all('lang="fr" dir="ltr"' in tag for tag in stems)
    assert html.count('dir="ltr">Choice ') == 12
    assert html.count('<span class="raqmya-assessment__answer" lang="ar" dir="rtl">(الإجابة الصحيحة)</span>') == 4
    assert ">إرسال</button>" in html
    assert all('lang="fr" dir="ltr"' in tag for tag in _opening_tags(html, "raqmya-assessment__feedback"))


def test_arabic_questions_in_french_interface(db, four_questions):
    block = _block(db, four_questions, content_language="ar")
    with translation.override("fr"):
        html = block.render("student_view", {}).content
        data = block.student_view_data()
    assert 'lang="fr" dir="ltr"' in html
    assert all('lang="ar" dir="rtl"' in tag for tag in _opening_tags(html, "raqmya-assessment__stem"))
    assert ">Valider</button>" in html
    assert data["content_language"] == "ar"


def test_default_follows_the_interface(db, four_questions):
    block = _block(db, four_questions)
    with translation.override("ar"):
        html = block.render("student_view", {}).content
    stems = _opening_tags(html, "raqmya-assessment__stem")
    assert len(stems) == 4
    assert all('dir="auto"' in tag and "lang=" not in tag for tag in stems)
    assert block.student_view_data()["content_language"] is None


def test_author_view_marks_content_and_keeps_interface(db, four_questions):
    block = _block(db, four_questions, content_language="ar")
    with translation.override("fr"):
        html = block.render("author_view", {}).content
    assert 'class="raqmya-assessment raqmya-assessment--author" lang="fr" dir="ltr"' in html
    assert html.count('class="raqmya-assessment__stem" lang="ar" dir="rtl"') == 8  # 4 questions in each track
    assert html.count('<ul lang="ar" dir="rtl">') == 8
    assert html.count('<strong lang="fr" dir="ltr">(Bonne réponse)</strong>') == 8


def test_studio_view_offers_the_setting(db, four_questions):
    block = _block(db, four_questions, content_language="ar")
    with translation.override("fr"):
        html = block.render("studio_view", {}).content
    assert 'name="content_language" type="text"' in html
    assert "Langue du contenu" in html
    assert '"content_language": "ar"' in html
    assert '"rtl_languages": [' in html


@pytest.mark.parametrize("value", ["fr", "ar", "ar-MA", "zgh-Tfng", ""])
def test_studio_save_accepts_tags(db, four_questions, value):
    block = _block(db, four_questions, content_language="fr")
    status, _body = post_json(block, "studio_save", {"settings": {"content_language": value}})
    assert status == 200
    assert block.content_language == value


@pytest.mark.parametrize("value", ["arabe", "fr_FR", 12, None])
def test_studio_save_refuses_other_values(db, four_questions, value):
    block = _block(db, four_questions, content_language="fr")
    status, body = post_json(block, "studio_save", {"settings": {"content_language": value, "max_attempts": 5}})
    assert status == 400
    assert [error["field"] for error in body["errors"]] == ["content_language"]
    assert "BCP 47" in body["errors"][0]["message"]
    assert (block.content_language, block.max_attempts) == ("fr", 3)


def test_olx_attribute_and_validation(db, four_questions):
    block = _block(db, four_questions, content_language="ar")
    node = etree.Element("root")
    block.add_xml_to_node(node)
    assert node.get("content_language") == "ar"
    bad = _block(db, four_questions, content_language="arabe")
    messages = [message.text for message in bad.validate().messages]
    assert messages == ["Content language arabe is not a language tag; use fr, ar or another BCP 47 tag, "
                        "or leave it empty."]
    html = bad.render("student_view", {}).content
    assert 'lang="arabe"' not in html
    submit(bad, ALL_RIGHT)


@pytest.mark.parametrize("index, expected", [(0, ("fr", "ltr")), (1, ("ar", "rtl"))])
def test_demo_scenarios_carry_their_content_language(db, index, expected):
    """The devstack's demo assessments mark their questions' language under a French interface."""
    from raqmya_xblocks.assessment.block import AssessmentBlock  # pylint: disable=import-outside-toplevel

    runtime = RecordingRuntime(lms_user_id=None, i18n_factory=DevstackI18nService)
    block = load_block(runtime, AssessmentBlock.workbench_scenarios()[index][1])
    with translation.override("fr"):
        html = block.render("student_view", {}).content
    stems = _opening_tags(html, "raqmya-assessment__stem")
    assert stems
    assert all(f'lang="{expected[0]}" dir="{expected[1]}"' in tag for tag in stems)
