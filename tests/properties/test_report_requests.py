"""Generated filters and export options on the API, the dashboard and the exports: a 2xx, 3xx or clear 4xx."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from raqmya_reports.delivery.models import AuditLogEntry
from raqmya_reports.delivery.service import REPORTS
from raqmya_reports.reports.filters import FILTER_NAMES
from tests.raqmya_reports.delivery.scoping import build_two_provinces, make_reader

from .strategies import TEXT

VALUES = {
    "year": st.sampled_from(["2026", "2025", "1900", "99999", "-1", "2026.5", "0x7E6"]),
    "track": st.sampled_from(["perfectionnement", "acculturation", "expert"]),
    "phase": st.sampled_from(["pilot", "generalisation", "x"]),
    "cohort": st.sampled_from(["1", "999999", "-1", "١"]),
    "region": st.sampled_from(["MA-06", "MA-04", "MA-99"]),
    "province": st.sampled_from(["MA-CAS", "MA-RAB", "MA-XXX"]),
    "sector": st.sampled_from(["general_public", "public_administration", "other"]),
    "course": st.sampled_from(["course-v1:Raqmya+C101+2026", "course-v1:X+Y+Z", "not a key"]),
    "date_from": st.sampled_from(["2026-03-01", "2026-02-30", "01/03/2026", "2026-13-01"]),
    "date_to": st.sampled_from(["2026-03-31", "2025-01-01", "9999-12-31"]),
    "page": st.sampled_from(["1", "2", "0", "-1", "last", "99999"]),
    "page_size": st.sampled_from(["1", "1000", "100000", "0", "x"]),
    "bom": st.sampled_from(["0", "1", ""]),
}
PARAMS = st.fixed_dictionaries({}, optional={name: strategy | TEXT for name, strategy in VALUES.items()})
REPORT_NAMES = st.sampled_from([*REPORTS, "unknown", "..", "summary;drop"])
FORMATS = st.sampled_from(["csv", "xlsx", "json", "pdf", "CSV"])
# Codes a bad filter, a denied scope or an unknown page may get; 500 is never one of them.
CLEAR_CODES = {200, 202, 302, 400, 403, 404}


@pytest.fixture
def manager(db):
    build_two_provinces()
    client = Client()
    client.force_login(make_reader("manager", "programme_manager", identities=True))
    return client


def _query(params: dict) -> str:
    return "?" + urlencode(params) if params else ""


@given(report=REPORT_NAMES, params=PARAMS)
def test_report_api_any_filters_answer_clearly(manager, report, params):
    response = manager.get(f"/api/raqmya/v1/reports/{report}/{_query(params)}")
    assert response.status_code in CLEAR_CODES
    if response.status_code == 400:
        assert response.json()["detail"]


@given(params=PARAMS)
def test_learner_api_any_filters_and_pages_answer_clearly(manager, params):
    response = manager.get(f"/api/raqmya/v1/learners/{_query(params)}")
    assert response.status_code in CLEAR_CODES


@given(params=PARAMS)
def test_dashboard_any_filters_answer_clearly(manager, params):
    response = manager.get(f"/raqmya/dashboard/{_query(params)}")
    assert response.status_code in {200, 400}


@given(report=REPORT_NAMES.filter(lambda name: "." not in name and ";" not in name), export_format=FORMATS,
       params=PARAMS)
def test_export_any_options_answer_clearly_and_log_only_served(manager, report, export_format, params):
    entries = AuditLogEntry.objects.count()
    response = manager.get(f"/raqmya/exports/{report}.{export_format}{_query(params)}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code in CLEAR_CODES
    if response.status_code == 400:
        assert body.decode("utf-8")
        assert AuditLogEntry.objects.count() == entries


@pytest.mark.parametrize("url", ["/raqmya/dashboard/", "/api/raqmya/v1/reports/summary/"])
def test_last_representable_date_to_answers_400(manager, url):
    response = manager.get(f"{url}?date_to=9999-12-31")
    assert response.status_code == 400
