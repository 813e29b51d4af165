"""Every JSON handler of the assessment and placement blocks rejects other methods than POST, in the user's language."""

from __future__ import annotations

import pytest
from django.utils import translation
from webob import Request

from devstack.services import DevstackI18nService
from raqmya_xblocks.assessment.scenarios import scenario_xml

from .conftest import RecordingRuntime, load_block, question
from .placement.test_block import placement_xml

ASSESSMENT_HANDLERS = ("submit", "reset_attempts", "studio_save", "import_preview", "import_confirm")
PLACEMENT_HANDLERS = ("start", "answer", "reset_attempts", "studio_save", "import_preview", "import_confirm")
MESSAGES = {"en": "Send this request with the POST method.", "fr": "Envoyez cette requête avec la méthode POST.",
            "ar": "أرسل هذا الطلب بطريقة POST."}


def _assessment():
    return load_block(RecordingRuntime(lms_user_id=None, i18n_factory=DevstackI18nService),
                      scenario_xml("Méthodes", "", [question("q1")]))


def _placement():
    return load_block(RecordingRuntime(lms_user_id=None, i18n_factory=DevstackI18nService), placement_xml())


def _call(block, handler: str, method: str, body: bytes = b"", language: str = "en"):
    with translation.override(language):
        return block.handle(handler, Request.blank("/", method=method, body=body))


@pytest.mark.parametrize("make, handlers", [(_assessment, ASSESSMENT_HANDLERS), (_placement, PLACEMENT_HANDLERS)])
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "HEAD"])
@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_other_methods_get_405_with_allow_post(db, make, handlers, method, language):  # pylint: disable=W0613
    block = make()
    for handler in handlers:
        response = _call(block, handler, method, language=language)
        assert (handler, response.status_code) == (handler, 405)
        assert response.headers["Allow"] == "POST"
        assert response.content_type == "application/json"
        if method != "HEAD":
            assert response.json == {"error": MESSAGES[language]}


def test_rejected_get_stores_nothing(db):  # pylint: disable=unused-argument
    block = _assessment()
    response = _call(block, "submit", "GET", b'{"attempt": 1, "answers": {"q1": "a"}}')
    assert response.status_code == 405
    assert block.attempts == 0


def test_template_download_accepts_get(db):  # pylint: disable=unused-argument
    response = _call(_assessment(), "import_template", "GET")
    assert response.status_code == 200
    assert response.content_type == "text/csv"


@pytest.mark.parametrize("make, handler, body, status, message", [
    (_assessment, "submit", b"{not json", 400, "The request is not UTF-8 JSON; send JSON."),
    (_assessment, "submit", b"[]", 400,
     'The request must be a JSON object with "attempt", the attempt number shown on the form, '
     'and "answers", an object that maps each question id to its answer.'),
    (_assessment, "reset_attempts", b"{}", 403, "Only course staff can reset attempts."),
    (_assessment, "studio_save", b"{not json", 400, "The request is not UTF-8 JSON; send JSON."),
    (_placement, "start", b"{not json", 400, "The request is not UTF-8 JSON; send JSON."),
    (_placement, "reset_attempts", b"{}", 403, "Only course staff can reset attempts."),
])
def test_post_refusals_stay_as_they_were(db, make, handler, body, status, message):  # pylint: disable=W0613
    response = _call(make(), handler, "POST", body)
    assert response.status_code == status
    assert response.json["error"] == message
    assert "Allow" not in response.headers
