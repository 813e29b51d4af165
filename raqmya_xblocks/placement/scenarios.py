"""The workbench scenarios of the placement test: one in French, one in Arabic, on the assessment's sample items.

The two banks are twins: the items of one DigComp competence ask the same thing in each language, so
both get the same level and come in the same order, and a learner's run takes the same path in both.
"""

from __future__ import annotations

from lxml import etree

from ..assessment.olx import question_to_element
from ..assessment.scenarios import ARABIC_QUESTIONS, FRENCH_QUESTIONS

FRENCH_TITLE = "Test de positionnement"
ARABIC_TITLE = "اختبار تحديد المستوى (ar)"

# The proficiency level of each sample item, by its DigComp competence, in the order of the bank.
# Phishing mail (4.2) and keeping a backup or a named folder (1.3) are first steps, so level 1.
# A strong password (4.1) and sharing a report by a link to shared storage (2.2) are routine tasks, so 3.
# An exact phrase search (1.1) needs search syntax, so 5.
ITEM_LEVELS = {"4.2": 1, "4.1": 3, "1.1": 5, "2.2": 3, "1.3": 1}


def placement_items(questions: list[dict]) -> list[dict]:
    """Give each sample question the level of its competence, in the order of ``ITEM_LEVELS``.

    Raise ``KeyError`` for a question whose competence has no level there.
    """
    order = list(ITEM_LEVELS)
    ranked = sorted(questions, key=lambda question: order.index(question["competence"]))
    return [{**question, "level": ITEM_LEVELS[question["competence"]]} for question in ranked]


def scenario_xml(display_name: str, questions: list[dict], content_language: str) -> str:
    """Return the OLX of one placement block, with each item as a ``<question>`` child element."""
    node = etree.Element("raqmya_placement", display_name=display_name, content_language=content_language)
    for data in placement_items(questions):
        node.append(question_to_element(data))
    etree.indent(node)
    return etree.tostring(node, encoding="unicode")


def workbench_scenarios() -> list[tuple[str, str]]:
    """Return the (title, OLX) pairs of the French and the Arabic placement test."""
    return [
        (FRENCH_TITLE, scenario_xml(FRENCH_TITLE, FRENCH_QUESTIONS, "fr")),
        (ARABIC_TITLE, scenario_xml("اختبار تحديد المستوى", ARABIC_QUESTIONS, "ar")),
    ]
