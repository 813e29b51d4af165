"""The submit handler through Django's test client with CSRF enforced: bad payloads get a 400 and change nothing."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import get_scenarios, init_scenarios

from raqmya_xblocks.assessment.scenarios import ARABIC_QUESTIONS


@pytest.fixture
def arabic(db):
    init_scenarios()
    return next(s for s in get_scenarios().values() if s.description.endswith("(ar)"))


@pytest.fixture
def signed_in(db):
    user = get_user_model().objects.create_user(username="learner-csrf")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(f"/scenario/{next(iter(get_scenarios()))}/")
    return user, client, client.cookies["csrftoken"].value


def _answers() -> dict:
    served = [q for q in ARABIC_QUESTIONS if "acculturation" in q["tracks"]]
    return {q["id"]: next(c["id"] for c in q["choices"] if c["correct"]) for q in served}


def _attempts(user, scenario) -> int:
    return WorkbenchRuntime(user.username).get_block(scenario.usage_id).attempts


def test_submit_without_csrf_token_refused(arabic, signed_in):
    user, client, _token = signed_in
    response = client.post(f"/handler/{arabic.usage_id}/submit/", json.dumps({"attempt": 1, "answers": _answers()}),
                           content_type="application/json")
    assert response.status_code == 403
    assert _attempts(user, arabic) == 0


@pytest.mark.parametrize(
    "body, fragment",
    [
        (b"not json", "JSON"),
        (json.dumps({"attempt": "one", "answers": {}}).encode(), "attempt"),
        (json.dumps({"attempt": 1, "answers": {"ar-phishing": "z"}}).encode(), None),
        (json.dumps({"attempt": 1, "answers": {"unknown-id": "a"}}).encode(), "unknown-id"),
    ],
    ids=["not-json", "wrong-type", "unknown-choice", "unknown-question"],
)
def test_submit_bad_payload_400_state_unchanged(arabic, signed_in, body, fragment):
    user, client, token = signed_in
    response = client.post(f"/handler/{arabic.usage_id}/submit/", body, content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400
    if fragment is not None:
        assert fragment in response.content.decode("utf-8")
    assert _attempts(user, arabic) == 0


def test_submit_with_token_graded(arabic, signed_in):
    user, client, token = signed_in
    response = client.post(f"/handler/{arabic.usage_id}/submit/", json.dumps({"attempt": 1, "answers": _answers()}),
                           content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert response.json()["passed"] is True
    assert _attempts(user, arabic) == 1
