"""Import of Open edX multiple-choice and checkbox problems (``<problem>`` OLX) as Raqmya questions.

``multiplechoiceresponse`` becomes a ``single`` question and ``choiceresponse`` a ``multiple`` one;
each ``choicehint`` becomes the choice's feedback. A problem carries no competence, level, track
or points: the author's values for the import fill them in, and the preview lets the author change
them problem by problem. Other response types are reported, not imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from .errors import InvalidProblem
from .imports import EDITABLE_KEYS, ImportPreview

_SUPPORTED = {"multiplechoiceresponse": "single", "choiceresponse": "multiple"}
_PROBLEM_ID = re.compile(r"[^A-Za-z0-9_.:-]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Pasted problems are read inside this element, so that several <problem> elements side by side,
# as copied from a course export, form one document.
_WRAPPER = "<raqmya-paste>"


def _parse(olx: str, gettext: Callable[[str], str]):
    """Return the root element of the pasted OLX, read as one document with every element under a wrapper.

    Raise ``InvalidProblem`` with the line and column of the first syntax error, in ``gettext``'s language.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    body = _XML_DECLARATION.sub("", olx, count=1)
    try:
        root = etree.fromstring((_WRAPPER + body + "</raqmya-paste>").encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        if line == 1:  # the wrapper is on the first line, before the pasted text
            column = max(column - len(_WRAPPER), 1)
        raise InvalidProblem(gettext(
            "The pasted text is not well-formed XML: the first error is on line %(line)s, column %(column)s. "
            "Paste one or more <problem> elements as a course export contains them, each with its closing tag."
        ) % {"line": line, "column": column}) from error
    return root


def _text_html(element) -> str:
    """Return the HTML of ``element``'s content, leaving out its ``choicehint`` children."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "choicehint":
            parts.append(child.tail or "")
        else:
            parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def _stem(problem, response) -> str:
    """Return the problem's question text: the response's ``<label>``, else the paragraphs before the response."""
    label = response.find(".//label")
    if label is not None:
        return _text_html(label)
    paragraphs = [etree.tostring(node, encoding="unicode", with_tail=False) for node in problem.iter("p")]
    return "".join(paragraphs)


def _identity(text: str) -> str:
    return text


def _problem_question(problem, position: int, defaults: dict, gettext: Callable[[str], str]) -> dict:
    responses = [node for node in problem.iter() if isinstance(node.tag, str) and node.tag.endswith("response")]
    if len(responses) != 1 or responses[0].tag not in _SUPPORTED:
        kinds = ", ".join(node.tag for node in responses) or "none"
        raise ValueError(gettext(
            "response types %(kinds)s: only one multiplechoiceresponse or choiceresponse is imported"
        ) % {"kinds": kinds})
    response = responses[0]
    choices = []
    for index, choice in enumerate(response.iter("choice")):
        data = {"id": choice.get("name") or f"c{index + 1}",
                "text": _text_html(choice), "correct": choice.get("correct", "false").lower() == "true"}
        hints = [_text_html(hint) for hint in choice.iter("choicehint")]
        if hints:
            data["feedback"] = " ".join(hints)
        choices.append(data)
    problem_id = _PROBLEM_ID.sub("-", problem.get("url_name") or f"problem-{position + 1}")[:64]
    data = {"id": problem_id, "type": _SUPPORTED[response.tag], "stem": _stem(problem, response), "choices": choices}
    data.update({key: list(value) if isinstance(value, list) else value for key, value in defaults.items()})
    return data


def preview_problems(olx: str, defaults: dict, existing_ids: set[str],
                     gettext: Callable[[str], str] | None = None) -> ImportPreview:
    """Read one ``<problem>`` or several (side by side, or under any root element) into an import preview.

    ``defaults`` contains the author's competence, level, tracks and points for every problem.
    Messages are in the language of ``gettext``, English without it.
    """
    gettext = gettext or _identity
    problems = list(_parse(olx, gettext).iter("problem"))
    if not problems:
        raise InvalidProblem(gettext(
            "No <problem> element found; paste one or more <problem> elements from a course export."))
    defaults = {key: defaults[key] for key in EDITABLE_KEYS if key in defaults}
    preview = ImportPreview()
    seen = set(existing_ids)
    for position, problem in enumerate(problems):
        source = {"problem": problem.get("display_name") or problem.get("url_name") or f"#{position + 1}"}
        try:
            data = _problem_question(problem, position, defaults, gettext)
        except ValueError as error:
            preview.reject(source, str(error))
            continue
        preview.offer(source, data, seen, gettext)
    return preview
