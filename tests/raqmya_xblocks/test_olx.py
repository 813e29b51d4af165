"""Tests of the assessment OLX: questions as child elements, round trips with Arabic, accents, emoji and HTML."""

from __future__ import annotations

import json

import pytest
from lxml import etree
from xblock.fields import Scope

from raqmya_xblocks.assessment.block import AssessmentBlock
from raqmya_xblocks.errors import InvalidQuestion

from .conftest import load_block, question

C04_STEM = "Quelle est la bonne réponse ? 😀"
C05_TAGS = ["communication", "تواصل", "gestion de projet"]

REQUEST_EXAMPLE = """<raqmya_assessment display_name="Sécurité" pool_size="10" max_attempts="2" pass_mark="70"
                   weight="1">
  <question id="q1" type="single" competence="4.2" level="3" tracks="perfectionnement acculturation" points="1">
    <stem>&lt;p&gt;Un lien suspect ?&lt;/p&gt;</stem>
    <choice id="a" correct="true">Je le signale<feedback>Bien vu 👍</feedback></choice>
    <choice id="b">Je clique</choice>
    <explanation>Les banques ne demandent jamais de mot de passe.</explanation>
  </question>
</raqmya_assessment>"""


def export(block) -> bytes:
    node = etree.Element("root")
    block.add_xml_to_node(node)
    return etree.tostring(node, encoding="utf-8")


def rich_question() -> dict:
    data = question("q-riche", "a", competence="2.1", points=2.5)
    data.update(level=6, stem=f"<p>{C04_STEM}</p>", explanation="<p>Parce que <b>c'est sûr</b> — voilà.</p>",
                tags=C05_TAGS)
    data["choices"][0].update(text="صحيح", feedback="Très bien 🎉 <i>exact</i>")
    data["choices"][1].update(text="<b>Faux</b> &amp; <code>x &lt; y</code>", feedback="")
    return data


def test_request_example_parses(runtime):
    block = load_block(runtime, REQUEST_EXAMPLE)
    assert block.pool_size == 10
    assert block.pass_mark == 70
    assert block.weight == 1
    assert block.questions[0]["choices"][0] == {"id": "a", "text": "Je le signale", "correct": True,
                                                "feedback": "Bien vu 👍"}
    assert block.questions[0]["stem"] == "<p>Un lien suspect ?</p>"
    assert block.questions[0]["level"] == 3


def test_export_writes_question_elements(runtime):
    exported = export(load_block(runtime, REQUEST_EXAMPLE)).decode("utf-8")
    root = etree.fromstring(exported.encode("utf-8"))
    assert [child.tag for child in root] == ["question"]
    assert [child.tag for child in root[0]] == ["stem", "choice", "choice", "explanation"]
    assert root[0].get("tracks") == "perfectionnement acculturation"
    assert "questions=" not in exported


def test_c04_export_is_utf8_with_real_characters(runtime):
    block = load_block(runtime, "<raqmya_assessment/>")
    block.questions = [rich_question()]
    exported = export(block)
    assert C04_STEM.encode("utf-8") in exported
    assert "صحيح".encode("utf-8") in exported
    assert "🎉".encode("utf-8") in exported
    assert b"\\u" not in exported
    assert b"&#" not in exported


def test_c04_c05_round_trip_same_values(runtime):
    block = load_block(runtime, "<raqmya_assessment/>")
    block.questions = [rich_question()]
    reloaded = load_block(runtime, export(block).decode("utf-8"))
    assert reloaded.questions == [rich_question()]
    assert reloaded.questions[0]["tags"] == C05_TAGS


def test_c05_tags_are_strict_json(runtime):
    block = load_block(runtime, "<raqmya_assessment/>")
    block.questions = [rich_question()]
    node = etree.fromstring(export(block))
    assert json.loads(node[0].get("tags")) == C05_TAGS


def test_c05_block_renders_both_views(runtime):
    block = load_block(runtime, "<raqmya_assessment/>")
    block.questions = [rich_question()]
    reloaded = load_block(runtime, export(block).decode("utf-8"))
    assert C04_STEM in reloaded.render("student_view", {}).content
    assert "تواصل" in reloaded.render("studio_view", {}).content


NON_DEFAULT_SETTINGS = {
    "display_name": "Évaluation finale — التقييم 😀",
    "content_language": "ar-MA",
    "weight": 7.5,
    "preview_track": "acculturation",
    "pool_size": 3,
    "max_attempts": 4,
    "pass_mark": 62.5,
    "show_answer": "never",
    "name": "évaluation-1",  # XBlock's own fields, exported like the block's
    "tags": ["sécurité", "أمن"],
}


def test_c06_every_editable_field_survives(runtime):
    editable = {name for name, field in AssessmentBlock.fields.items()
                if field.scope in (Scope.settings, Scope.content)}
    editable -= {"questions"}
    assert editable == set(NON_DEFAULT_SETTINGS)
    block = load_block(runtime, "<raqmya_assessment/>")
    for name, value in NON_DEFAULT_SETTINGS.items():
        setattr(block, name, value)
    block.questions = [rich_question(), question("q2", "b")]
    reloaded = load_block(runtime, export(block).decode("utf-8"))
    for name, value in NON_DEFAULT_SETTINGS.items():
        assert getattr(reloaded, name) == value, name
    assert reloaded.questions == block.questions


def test_c06_second_export_identical(runtime):
    block = load_block(runtime, "<raqmya_assessment/>")
    for name, value in NON_DEFAULT_SETTINGS.items():
        setattr(block, name, value)
    block.questions = [rich_question()]
    first = export(block)
    second = export(load_block(runtime, first.decode("utf-8")))
    assert second == first


def test_defaults_stay_defaults(runtime):
    block = load_block(runtime, "<raqmya_assessment/>")
    reloaded = load_block(runtime, export(block).decode("utf-8"))
    for name in NON_DEFAULT_SETTINGS:
        assert reloaded.fields[name].is_set_on(reloaded) is False, name
    assert reloaded.max_attempts == 1
    assert reloaded.show_answer == "finished"


def test_markup_inside_stem_read_as_html(runtime):
    xml = ('<raqmya_assessment><question id="q1" competence="1.1" tracks="acculturation">'
           '<stem><p>Un <b>mot</b> &amp; plus</p></stem><choice id="a" correct="true">Oui</choice>'
           '<choice id="b">Non</choice></question></raqmya_assessment>')
    block = load_block(runtime, xml)
    assert block.questions[0]["stem"] == "<p>Un <b>mot</b> &amp; plus</p>"


def test_bad_level_attribute_names_question(runtime):
    xml = ('<raqmya_assessment><question id="q1" competence="1.1" level="trois" tracks="acculturation">'
           '<stem>S</stem><choice id="a" correct="true">Oui</choice><choice id="b">Non</choice>'
           '</question></raqmya_assessment>')
    with pytest.raises(InvalidQuestion) as raised:
        load_block(runtime, xml)
    assert "question 'q1'" in str(raised.value)
    assert "level='trois'" in str(raised.value)


def test_export_drops_non_xml_characters_of_old_saves(runtime):
    """A bank stored before saving removed control characters still exports, without them."""
    block = load_block(runtime, "<raqmya_assessment/>")
    data = question("q1")
    data["stem"] = "<p>Copié\x0cd'un PDF\x01</p>"
    data["choices"][0].update(text="Oui\x0b", feedback="Bien\ufffe")
    data.update(explanation="Fin\x1f", tags=["pdf\ud800"])
    block.questions = [data]
    root = etree.fromstring(export(block))
    question_element = root[0]
    assert question_element.find("stem").text == "<p>Copié d'un PDF</p>"
    assert question_element.find("choice").text == "Oui "
    assert question_element.find("choice/feedback").text == "Bien"
    assert question_element.find("explanation").text == "Fin"
    assert json.loads(question_element.get("tags")) == ["pdf"]
