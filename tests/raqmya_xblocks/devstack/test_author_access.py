"""The devstack's Studio-like checks on author handlers (C08) and its "view as learner" stand-in (C17)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from workbench.scenarios import get_scenarios, init_scenarios

from devstack.services import COURSE_STAFF_GROUP
from raqmya_reports.registry.models import AssessmentResult
from raqmya_xblocks.assessment.scenarios import ARABIC_QUESTIONS, FRENCH_TITLE

NEW_TITLE = "Titre modifié"


@pytest.fixture
def scenario(db):
    init_scenarios()
    return next(s for s in get_scenarios().values() if s.description == FRENCH_TITLE)


def _user(username: str, course_key: str | None = None):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    if course_key:
        group, _ = Group.objects.get_or_create(name=COURSE_STAFF_GROUP.format(course_key=course_key))
        user.groups.add(group)
    return user


def _save(client: Client, scenario, token: str | None):
    headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
    return client.post(f"/handler/{scenario.usage_id}/studio_save/",
                       json.dumps({"settings": {"display_name": NEW_TITLE}}), content_type="application/json",
                       **headers)


def _title(scenario) -> str:
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    return WorkbenchRuntime("reader").get_block(scenario.usage_id).display_name


def _signed_in(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(f"/scenario/{next(iter(get_scenarios()))}/")
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize("who", ["learner", "other-course-staff"])
def test_c08_save_refused_fields_unchanged(scenario, who):
    user = _user(who, None if who == "learner" else "course-v1:Autre+X+2026")
    client, token = _signed_in(user)
    response = _save(client, scenario, token)
    assert response.status_code == 403
    assert _title(scenario) == FRENCH_TITLE


def test_c08_author_without_csrf_token_refused(scenario):
    client, _token = _signed_in(_user("author", settings.RAQMYA_DEVSTACK_COURSE_KEY))
    response = _save(client, scenario, None)
    assert response.status_code == 403
    assert _title(scenario) == FRENCH_TITLE


def test_c08_author_with_token_saves(scenario):
    client, token = _signed_in(_user("author", settings.RAQMYA_DEVSTACK_COURSE_KEY))
    response = _save(client, scenario, token)
    assert response.status_code == 200
    assert _title(scenario) == NEW_TITLE


def test_c17_author_viewing_as_learner_writes_nothing(db):
    init_scenarios()
    arabic = next(s for s in get_scenarios().values() if s.description.endswith("(ar)"))
    learner = _user("learner-amal")
    author = _user("author", settings.RAQMYA_DEVSTACK_COURSE_KEY)
    client = Client()
    client.force_login(author)
    client.get(f"/scenario/{next(iter(get_scenarios()))}/?masquerade={learner.username}")
    served = [q for q in ARABIC_QUESTIONS if "acculturation" in q["tracks"]]
    answers = {q["id"]: next(c["id"] for c in q["choices"] if c["correct"]) for q in served}
    response = client.post(f"/handler/{arabic.usage_id}/submit/", json.dumps({"attempt": 1, "answers": answers}),
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json()["stored"] is False
    assert AssessmentResult.objects.filter(user_id=learner.id).count() == 0
    assert AssessmentResult.objects.filter(user_id=author.id).count() == 0
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel

    assert WorkbenchRuntime(learner.username).get_block(arabic.usage_id).attempts == 0
    assert WorkbenchRuntime(author.username).get_block(arabic.usage_id).attempts == 0


@pytest.mark.parametrize("language, expected", [
    ("fr", "Seuls les auteurs du cours peuvent modifier ce bloc."),
    ("ar", "مؤلفو الدرس وحدهم يمكنهم تعديل هذا المكوّن."),
])
@pytest.mark.parametrize("handler_name", ["studio_save", "import_template", "import_preview"])
@pytest.mark.parametrize("who", ["learner", "anonymous"])
def test_author_refusal_in_caller_language(scenario, language, expected, handler_name, who):
    client = Client()
    if who == "learner":
        client.force_login(_user("learner"))
    response = client.post(f"/handler/{scenario.usage_id}/{handler_name}/", "{}", content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    assert response.json() == {"error": expected}
