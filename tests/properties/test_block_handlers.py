"""Generated input to the assessment block's handlers: a 200 or a clear 4xx, and no change after a refusal."""

from __future__ import annotations

import base64
import copy
import json

from django.contrib.auth import get_user_model
from django.core.cache import cache
from hypothesis import example, given
from hypothesis import strategies as st
from webob import Request

from raqmya_reports.registry.models import AssessmentResult
from raqmya_xblocks.assessment.scenarios import scenario_xml
from raqmya_xblocks.assessment.validation import EDITABLE_SETTINGS
from tests.raqmya_xblocks.conftest import RecordingRuntime, load_block, question

from .strategies import JSON, MARKUP, TEXT, question_strategy

QUESTION_IDS = ["q1", "q2", "q3"]
CLEAR_REFUSALS = {400, 403, 409}
USER_STATE = ("attempts", "served", "answers", "results", "score", "passed")
AUTHOR_STATE = ("questions", *EDITABLE_SETTINGS)


def _fresh_block(user_id: int, max_attempts: int = 2):
    """Return a new assessment block (its own usage id) for ``user_id``, with no attempt claimed."""
    cache.clear()
    runtime = RecordingRuntime(lms_user_id=user_id)
    questions = [question(question_id) for question_id in QUESTION_IDS]
    return load_block(runtime, scenario_xml("Property", "", questions, max_attempts=max_attempts))


def _call(block, handler: str, body: bytes):
    response = block.handle(handler, Request.blank("/", method="POST", body=body))
    return response.status_code, json.loads(response.body.decode("utf-8"))


def _state(block, names) -> dict:
    return {name: copy.deepcopy(getattr(block, name)) for name in names}


ANSWERS = st.dictionaries(st.sampled_from(QUESTION_IDS) | TEXT,
                          st.sampled_from(["a", "b", "c"]) | st.lists(st.sampled_from(["a", "b", "c"])) | JSON,
                          max_size=4)
SUBMISSIONS = st.fixed_dictionaries({"attempt": st.sampled_from([1, 2, 0, -1, 3]) | JSON, "answers": ANSWERS}) | JSON


@given(payload=SUBMISSIONS)
def test_submit_any_payload_graded_once_or_refused_unchanged(db, payload):
    user = get_user_model().objects.get_or_create(username="property-learner")[0]
    block = _fresh_block(user.id)
    before = _state(block, USER_STATE)
    status, body = _call(block, "submit", json.dumps(payload).encode("utf-8"))
    results = AssessmentResult.objects.filter(user_id=user.id, usage_key=str(block.scope_ids.usage_id))
    if status == 200:
        assert block.attempts == 1
        assert body["attempt"] == 1
        assert [event for event, _data in block.runtime.published].count("grade") == 1
        assert results.count() == 1
    else:
        assert status in CLEAR_REFUSALS
        assert body["error"]
        assert _state(block, USER_STATE) == before
        assert block.runtime.published == []
        assert results.count() == 0


@given(body=st.binary(max_size=200))
def test_submit_any_bytes_refused_unchanged(db, body):
    user = get_user_model().objects.get_or_create(username="property-bytes")[0]
    block = _fresh_block(user.id)
    response = block.handle("submit", Request.blank("/", method="POST", body=body))
    if response.status_code != 200:
        assert response.status_code in CLEAR_REFUSALS
        assert block.attempts == 0


@given(payloads=st.lists(SUBMISSIONS, min_size=3, max_size=6))
def test_submit_sequence_never_beyond_limit(db, payloads):
    user = get_user_model().objects.get_or_create(username="property-sequence")[0]
    block = _fresh_block(user.id, max_attempts=2)
    right = {"attempt": 1, "answers": {"q1": "a", "q2": "a", "q3": "a"}}
    for payload in [right, *payloads, {**right, "attempt": 2}, {**right, "attempt": 3}]:
        status, _body = _call(block, "submit", json.dumps(payload).encode("utf-8"))
        assert status in {200, *CLEAR_REFUSALS}
    assert block.attempts == 2
    grades = [event for event, _data in block.runtime.published].count("grade")
    assert grades == 2
    assert AssessmentResult.objects.filter(user_id=user.id, usage_key=str(block.scope_ids.usage_id)).count() == 2


SETTINGS = st.dictionaries(st.sampled_from(EDITABLE_SETTINGS) | TEXT, JSON | st.integers(0, 5) | MARKUP, max_size=4)
SAVES = st.fixed_dictionaries({}, optional={
    "settings": SETTINGS | JSON,
    "questions": st.lists(st.sampled_from(QUESTION_IDS).flatmap(question_strategy), max_size=4) | JSON,
}) | JSON


@given(payload=SAVES)
def test_studio_save_all_or_nothing(db, payload):
    user = get_user_model().objects.get_or_create(username="property-author")[0]
    block = _fresh_block(user.id)
    before = _state(block, AUTHOR_STATE)
    status, body = _call(block, "studio_save", json.dumps(payload).encode("utf-8"))
    if status == 200:
        assert body["saved"] is True
        assert body["questions"] == len(block.questions)
    else:
        assert status == 400
        assert body["error"]
        assert _state(block, AUTHOR_STATE) == before


@given(body=st.binary(max_size=300))
def test_studio_save_any_bytes_refused_unchanged(db, body):
    user = get_user_model().objects.get_or_create(username="property-author-bytes")[0]
    block = _fresh_block(user.id)
    before = _state(block, AUTHOR_STATE)
    response = block.handle("studio_save", Request.blank("/", method="POST", body=body))
    assert response.status_code in {200, 400}
    if response.status_code == 400:
        assert _state(block, AUTHOR_STATE) == before


CSV_CELLS = TEXT | MARKUP | st.sampled_from(["single", "1.1", "perfectionnement", "yes", "no", "1", ";", ","])
CSV_FILES = st.lists(st.lists(CSV_CELLS, max_size=12), max_size=6).map(
    lambda rows: "\n".join(",".join(json.dumps(cell) if "," in cell else cell for cell in row) for row in rows)
)


@given(filename=st.sampled_from(["bank.csv", "bank.xlsx", "bank.CSV", "bank.txt", ""]) | TEXT,
       content=st.binary(max_size=300) | CSV_FILES.map(lambda text: text.encode("utf-8")),
       valid_base64=st.booleans())
@example(filename="bank.csv", content=b"\x80", valid_base64=False)  # non-ASCII base64 was a 500
@example(filename="bank.csv", content=b"\n\n\r\x00", valid_base64=True)  # csv.Error on a bare CR or NUL was a 500
def test_import_preview_spreadsheet_saves_nothing(db, filename, content, valid_base64):
    user = get_user_model().objects.get_or_create(username="property-import")[0]
    block = _fresh_block(user.id)
    before = _state(block, AUTHOR_STATE)
    encoded = base64.b64encode(content).decode("ascii") if valid_base64 else content.decode("latin-1")
    status, body = _call(block, "import_preview", json.dumps({"filename": filename, "content": encoded}).encode())
    assert status in {200, 400}
    if status == 400:
        assert body["error"]
    assert _state(block, AUTHOR_STATE) == before


PROBLEM_OLX = st.builds(
    lambda stem, choices: "<problem><multiplechoiceresponse><p>%s</p><choicegroup>%s</choicegroup>"
                          "</multiplechoiceresponse></problem>" % (stem, "".join(choices)),
    TEXT | MARKUP,
    st.lists(st.builds(lambda correct, text: f'<choice correct="{correct}">{text}</choice>',
                       st.sampled_from(["true", "false", "maybe"]), TEXT | MARKUP), max_size=4),
)


@given(olx=PROBLEM_OLX | TEXT | MARKUP, competence=st.sampled_from(["1.1", "9.9", ""]) | TEXT, tracks=JSON)
@example(olx="", competence="1.1", tracks=1)  # tracks that are not a list were a 500
def test_import_preview_problem_olx_saves_nothing(db, olx, competence, tracks):
    user = get_user_model().objects.get_or_create(username="property-olx")[0]
    block = _fresh_block(user.id)
    before = _state(block, AUTHOR_STATE)
    status, body = _call(block, "import_preview", json.dumps({"olx": olx, "competence": competence,
                                                              "tracks": tracks}).encode("utf-8"))
    assert status in {200, 400}
    if status == 400:
        assert body["error"]
    assert _state(block, AUTHOR_STATE) == before
