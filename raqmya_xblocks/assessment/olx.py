"""OLX of the assessment block: settings as attributes, each question as a ``<question>`` child element.

Stems, choice texts, feedback and explanations are written as element text, so the sanitised HTML
goes through XML escaping and comes back character for character. Hand-written OLX may instead put
the HTML as markup inside the element; it is read back as the same HTML string.
"""

from __future__ import annotations

import json

from lxml import etree

from ..errors import InvalidQuestion
from ..questions import parse_questions, xml_text

# Keys of a question written as attributes, in this order; "tracks" is written separately.
_ATTRIBUTE_KEYS = ("id", "type", "competence", "level", "difficulty", "discrimination")
_NUMBER_KEYS = ("level", "difficulty", "discrimination")
_FIELDS_NOT_IN_ATTRIBUTES = ("questions",)


def _inner_html(element) -> str:
    """Return the HTML held by ``element``: its text, or its markup when it has child elements."""
    children = [child for child in element if child.tag != "feedback"]
    if not children:
        return element.text or ""
    parts = [escape_text(element.text or "")]
    for child in children:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts)


def escape_text(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` as XML does for text between elements."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _json_attribute(element, name: str, where: str):
    try:
        return json.loads(element.get(name))
    except json.JSONDecodeError as error:
        raise InvalidQuestion(
            f"Invalid {where}: {name}={element.get(name)!r} is not JSON ({error.msg}); "
            f"write {name} as a number or a JSON list."
        ) from error


def question_from_element(element, position: int) -> dict:
    """Read one ``<question>`` element into the question's JSON object (not validated yet)."""
    data: dict = {key: element.get(key) for key in _ATTRIBUTE_KEYS if element.get(key) is not None}
    where = f"question {data.get('id', position)!r} (index {position})"
    for key in _NUMBER_KEYS:
        if key in data:
            data[key] = _json_attribute(element, key, where)
    if element.get("points") is not None:
        data["points"] = _json_attribute(element, "points", where)
    if element.get("tracks") is not None:
        data["tracks"] = element.get("tracks").split()
    if element.get("tags") is not None:
        data["tags"] = _json_attribute(element, "tags", where)
    choices = []
    for child in element:
        if child.tag == "stem":
            data["stem"] = _inner_html(child)
        elif child.tag == "explanation":
            data["explanation"] = _inner_html(child)
        elif child.tag == "choice":
            choice = {"id": child.get("id"), "text": _inner_html(child), "correct": child.get("correct") == "true"}
            feedback = child.find("feedback")
            if feedback is not None:
                choice["feedback"] = _inner_html(feedback)
            choices.append(choice)
    data["choices"] = choices
    return data


def question_to_element(data: dict):
    """Write one question's JSON object as a ``<question>`` element.

    Characters that XML 1.0 does not allow are left out (see ``xml_text``). Saving removes them, but a
    block saved before it did may still contain some.
    """
    element = etree.Element("question")
    for key in _ATTRIBUTE_KEYS:
        if data.get(key) is not None:
            element.set(key, xml_text(data[key] if isinstance(data[key], str) else json.dumps(data[key])))
    element.set("tracks", xml_text(" ".join(data.get("tracks", []))))
    if "points" in data:
        element.set("points", json.dumps(data["points"]))
    if "tags" in data:
        element.set("tags", xml_text(json.dumps(data["tags"], ensure_ascii=False)))
    etree.SubElement(element, "stem").text = xml_text(data.get("stem", ""))
    for choice in data.get("choices", []):
        node = etree.SubElement(element, "choice", id=xml_text(choice["id"]))
        if choice.get("correct"):
            node.set("correct", "true")
        node.text = xml_text(choice.get("text", ""))
        if "feedback" in choice:
            etree.SubElement(node, "feedback").text = xml_text(choice["feedback"])
    if "explanation" in data:
        etree.SubElement(element, "explanation").text = xml_text(data["explanation"])
    return element


class OlxMixin:
    """``parse_xml`` and ``add_xml_to_node`` of a block whose ``questions`` field lives in child elements."""

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build the block from OLX; raise ``InvalidQuestion`` naming the question when one is malformed."""
        question_nodes = [child for child in node if child.tag == "question"]
        for child in question_nodes:
            node.remove(child)
        try:
            block = super().parse_xml(node, runtime, keys)
        finally:
            for child in question_nodes:
                node.append(child)
        if question_nodes:
            block.questions = [question_from_element(child, index) for index, child in enumerate(question_nodes)]
        parse_questions(block.questions)
        return block

    def add_xml_to_node(self, node):
        """Write settings that are set as attributes and each question as a child element."""
        super().add_xml_to_node(node)
        for name in _FIELDS_NOT_IN_ATTRIBUTES:
            if name in node.attrib:
                del node.attrib[name]
        for data in self.questions:
            node.append(question_to_element(data))
