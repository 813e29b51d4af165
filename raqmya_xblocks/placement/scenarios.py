"""The workbench scenarios of the placement test: one in French, one in Arabic, on the assessment's sample items."""

from __future__ import annotations

from lxml import etree

from ..assessment.olx import question_to_element
from ..assessment.scenarios import ARABIC_QUESTIONS, FRENCH_QUESTIONS

FRENCH_TITLE = "Test de positionnement"
ARABIC_TITLE = "اختبار تحديد المستوى (ar)"


def placement_items(questions: list[dict]) -> list[dict]:
    """Give the sample questions rising proficiency levels (1, 3, 5...), so that the test has easy and hard items."""
    return [{**question, "level": min(1 + 2 * (index % 4), 8)} for index, question in enumerate(questions)]


def scenario_xml(display_name: str, questions: list[dict]) -> str:
    """Return the OLX of one placement block, with each item as a ``<question>`` child element."""
    node = etree.Element("raqmya_placement", display_name=display_name)
    for data in placement_items(questions):
        node.append(question_to_element(data))
    etree.indent(node)
    return etree.tostring(node, encoding="unicode")


def workbench_scenarios() -> list[tuple[str, str]]:
    """Return the (title, OLX) pairs of the French and the Arabic placement test."""
    return [
        (FRENCH_TITLE, scenario_xml(FRENCH_TITLE, FRENCH_QUESTIONS)),
        (ARABIC_TITLE, scenario_xml("اختبار تحديد المستوى", ARABIC_QUESTIONS)),
    ]
