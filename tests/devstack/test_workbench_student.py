"""The workbench's ``?student=`` in the devstack: a signed-in learner acts as themselves only."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import get_scenarios, init_scenarios

from devstack.services import COURSE_STAFF_GROUP
from raqmya_reports.registry.models import AssessmentResult
from raqmya_xblocks.assessment.scenarios import ARABIC_QUESTIONS


@pytest.fixture
def arabic(db):
    init_scenarios()
    return next(s for s in get_scenarios().values() if s.description.endswith("(ar)"))


def _answers() -> dict:
    served = [q for q in ARABIC_QUESTIONS if "acculturation" in q["tracks"]]
    return {q["id"]: next(c["id"] for c in q["choices"] if c["correct"]) for q in served}


def _scenario_id(scenario) -> str:
    return next(key for key, value in get_scenarios().items() if value is scenario)


def _attempts(username: str, scenario) -> int:
    return WorkbenchRuntime(username).get_block(scenario.usage_id).attempts


def test_learner_submit_other_student_own_state(arabic):
    """A learner who adds ?student=<other> submits as themselves: their attempt and result, none of the other's."""
    users = get_user_model().objects
    amal, badr = users.create_user(username="learner-amal"), users.create_user(username="learner-badr")
    client = Client()
    client.force_login(amal)
    response = client.post(f"/handler/{arabic.usage_id}/submit/?student={badr.username}",
                           json.dumps({"attempt": 1, "answers": _answers()}), content_type="application/json")
    assert response.status_code == 200
    assert _attempts(amal.username, arabic) == 1
    assert _attempts(badr.username, arabic) == 0
    assert AssessmentResult.objects.filter(user_id=amal.id).count() == 1
    assert AssessmentResult.objects.filter(user_id=badr.id).count() == 0


def test_learner_page_other_student_own(arabic):
    users = get_user_model().objects
    amal = users.create_user(username="learner-amal")
    users.create_user(username="learner-badr")
    client = Client()
    client.force_login(amal)
    html = client.get(f"/scenario/{_scenario_id(arabic)}/?student=learner-badr").content.decode()
    assert "studentId = 'learner-amal';" in html
    assert "learner-badr" not in html


def test_author_student_views_as_learner(arabic):
    """An author's ?student=<learner> reads the learner's state for that request and writes nothing."""
    users = get_user_model().objects
    learner = users.create_user(username="learner-amal")
    author = users.create_user(username="author-hind")
    course_key = settings.RAQMYA_DEVSTACK_COURSE_KEY
    group, _ = Group.objects.get_or_create(name=COURSE_STAFF_GROUP.format(course_key=course_key))
    author.groups.add(group)
    client = Client()
    client.force_login(author)
    html = client.get(f"/scenario/{_scenario_id(arabic)}/?student={learner.username}").content.decode()
    assert f"studentId = '{learner.username}';" in html
    response = client.post(f"/handler/{arabic.usage_id}/submit/?student={learner.username}",
                           json.dumps({"attempt": 1, "answers": _answers()}), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["stored"] is False
    assert _attempts(learner.username, arabic) == 0
    assert _attempts(author.username, arabic) == 0
    assert AssessmentResult.objects.count() == 0
    # Without the parameter the author is themselves again: nothing was kept in the session.
    assert f"studentId = '{author.username}';" in client.get(f"/scenario/{_scenario_id(arabic)}/").content.decode()
