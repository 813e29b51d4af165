"""Every reports endpoint and export refused to callers who may not see it; CSRF on every state-changing handler."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from workbench.scenarios import get_scenarios, init_scenarios

from raqmya_reports.delivery.models import AuditLogEntry
from raqmya_reports.delivery.service import REPORTS
from tests.raqmya_reports.delivery.scoping import Role, build_two_provinces, make_reader

pytestmark = pytest.mark.django_db

# The caller, and the query each one adds to ask for what is not theirs.
CALLERS = {
    "anonymous": (None, ""),
    "learner": ("learner", ""),
    "course staff": ("course_staff", "province=MA-RAB"),
    "operator of another province": ("rabat_operator", "province=MA-CAS"),
}
ENDPOINTS = [
    *[f"/api/raqmya/v1/reports/{report}/" for report in REPORTS],
    "/api/raqmya/v1/learners/",
    *[f"/raqmya/exports/{report}.{fmt}" for report in REPORTS for fmt in ("csv", "xlsx", "json")],
    "/raqmya/dashboard/",
    "/raqmya/audit/",
]


@pytest.fixture(name="clients")
def fixture_clients():
    data = build_two_provinces()
    users = {
        "learner": data["users"]["casa0"],
        "course_staff": make_reader("staff_b", Role.COURSE_STAFF, identities=True, course=data["course_b"]),
        "rabat_operator": make_reader("op_rabat", Role.PROVINCE_OPERATOR, identities=True, province_id="MA-RAB"),
    }
    clients = {}
    for name, (username, query) in CALLERS.items():
        client = Client()
        if username:
            client.force_login(users[username])
        clients[name] = (client, query)
    return clients


@pytest.mark.parametrize("caller", CALLERS)
def test_every_endpoint_refused_outside_scope(clients, subtests, caller):
    client, query = clients[caller]
    entries = AuditLogEntry.objects.count()
    for endpoint in ENDPOINTS:
        with subtests.test(endpoint=endpoint):
            response = client.get(f"{endpoint}?{query}" if query else endpoint)
            if caller == "anonymous" and not endpoint.startswith("/api/"):
                assert response.status_code == 302
                assert response["Location"].startswith("/login/")
            else:
                assert response.status_code == 403
    assert AuditLogEntry.objects.count() == entries


def test_download_of_another_users_file_refused(clients):
    client, _query = clients["operator of another province"]
    response = client.get("/raqmya/exports/file/raqmya_exports/1/0123abcd/raqmya-learners-2026.csv")
    assert response.status_code == 403


@pytest.fixture(name="scenario")
def fixture_scenario():
    init_scenarios()
    return next(s for s in get_scenarios().values() if s.description.endswith("(ar)"))


STATE_CHANGING = [("submit", {"attempt": 1, "answers": {}}), ("reset_attempts", {}),
                  ("studio_save", {"settings": {"display_name": "x"}}), ("import_preview", {"olx": "<problem/>"})]


@pytest.mark.parametrize("handler, payload", STATE_CHANGING, ids=[name for name, _ in STATE_CHANGING])
def test_handler_without_csrf_token_refused(scenario, handler, payload):
    author = get_user_model().objects.create_user(username="author-csrf", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post(f"/handler/{scenario.usage_id}/{handler}/", json.dumps(payload),
                           content_type="application/json")
    assert response.status_code == 403
    assert b"CSRF" in response.content


@pytest.mark.parametrize("path, data", [
    ("/register/", {"account-username": "x"}), ("/logout/", {}), ("/i18n/setlang/", {"language": "ar"}),
    ("/login/", {"username": "a", "password": "b"}),
])
def test_view_without_csrf_token_refused(path, data):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, data)
    assert response.status_code == 403
