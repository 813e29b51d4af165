"""A huge request body to any handler of the assessment block: a clear 400, and nothing stored or published."""

from __future__ import annotations

import json

import pytest
from webob import Request

from raqmya_xblocks.assessment.scenarios import scenario_xml
from raqmya_xblocks.assessment.studio import MAX_IMPORT_BYTES, MAX_SAVE_BYTES
from raqmya_xblocks.assessment.submission import MAX_SUBMIT_BYTES

from .conftest import LmsUserService, load_block

# Each handler, its limit, and a body just over it that would otherwise be a valid request.
HANDLERS = [
    ("submit", MAX_SUBMIT_BYTES, lambda size: {"attempt": 1, "answers": {"q1": "a"}, "padding": "x" * size}),
    ("studio_save", MAX_SAVE_BYTES, lambda size: {"settings": {"display_name": "x" * size}}),
    ("import_preview", MAX_IMPORT_BYTES, lambda size: {"olx": "<problem>" + " " * size + "</problem>"}),
    ("import_confirm", MAX_IMPORT_BYTES, lambda size: {"questions": [], "sources": [], "padding": "x" * size}),
    ("reset_attempts", MAX_SUBMIT_BYTES, lambda size: {"padding": "x" * size}),
]


@pytest.fixture
def block(runtime, four_questions, monkeypatch):
    monkeypatch.setattr(LmsUserService, "staff", True)  # so that reset_attempts reaches its body
    return load_block(runtime, scenario_xml("Limits", "", four_questions, max_attempts=2))


def _state(block) -> tuple:
    return (block.display_name, block.questions, block.attempts, block.score, block.form_token)


@pytest.mark.parametrize("handler, limit, payload", HANDLERS, ids=[case[0] for case in HANDLERS])
def test_huge_body_refused_with_400(runtime, block, handler, limit, payload):
    body = json.dumps(payload(limit)).encode("utf-8")
    assert len(body) > limit
    before = _state(block)
    response = block.handle(handler, Request.blank("/", method="POST", body=body))
    assert response.status_code == 400
    assert json.loads(response.body) == {
        "error": f"The request is {len(body)} bytes; send at most {limit} bytes."
    }
    assert _state(block) == before
    assert runtime.published == []


@pytest.mark.parametrize("handler, limit, payload", HANDLERS, ids=[case[0] for case in HANDLERS])
def test_declared_length_refused_before_reading(block, handler, limit, payload):
    """A Content-Length over the limit is refused without reading the body."""
    request = Request.blank("/", method="POST", body=b"{}")
    request.content_length = limit + 1
    response = block.handle(handler, request)
    assert response.status_code == 400
    assert json.loads(response.body)["error"] == f"The request is {limit + 1} bytes; send at most {limit} bytes."
    assert block.attempts == 0


def test_huge_body_message_translated(block):
    from django.utils import translation  # pylint: disable=import-outside-toplevel

    from devstack.services import DevstackI18nService  # pylint: disable=import-outside-toplevel

    block.runtime.i18n_factory = DevstackI18nService
    body = json.dumps({"attempt": 1, "answers": {}, "padding": "x" * MAX_SUBMIT_BYTES}).encode("utf-8")
    with translation.override("fr"):
        response = block.handle("submit", Request.blank("/", method="POST", body=body))
    assert response.status_code == 400
    assert "octets" in json.loads(response.body)["error"]


@pytest.mark.parametrize("handler", [case[0] for case in HANDLERS])
def test_deeply_nested_json_refused_with_400(runtime, block, handler):
    """5,000 nested lists fit in 10 kB, far under every limit, but exceed Python's recursion limit."""
    body = ('{"attempt": 1, "answers": ' + "[" * 5000 + "]" * 5000 + "}").encode("utf-8")
    before = _state(block)
    response = block.handle(handler, Request.blank("/", method="POST", body=body))
    assert response.status_code == 400
    assert json.loads(response.body) == {"error": "The request is not UTF-8 JSON; send JSON."}
    assert _state(block) == before
    assert runtime.published == []


@pytest.mark.parametrize("handler", ["start", "answer"])
def test_placement_nested_json_refused_with_400(runtime, handler):
    from .placement.test_block import placement_xml  # pylint: disable=import-outside-toplevel

    placement = load_block(runtime, placement_xml())
    body = ('{"item": ' + "[" * 5000 + "]" * 5000 + "}").encode("utf-8")
    response = placement.handle(handler, Request.blank("/", method="POST", body=body))
    assert response.status_code == 400
    assert json.loads(response.body) == {"error": "The request is not UTF-8 JSON; send JSON."}
    assert (placement.attempt, placement.responses, placement.current_item) == (0, [], "")
