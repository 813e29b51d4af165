"""The permission matrix: each role reaches its own territory or courses, and another province through no filter,
parameter or id, on the dashboard, the API and the downloads."""

# pylint: disable=unused-argument  # fixtures that build data are requested by name
import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from raqmya_reports.delivery.models import AuditLogEntry
from tests.raqmya_reports.delivery.scoping import Role, build_two_provinces, make_reader

pytestmark = pytest.mark.django_db

DASHBOARD = "/raqmya/dashboard/"
API = "/api/raqmya/v1/reports/"


@pytest.fixture(name="data")
def fixture_data():
    return build_two_provinces()


@pytest.fixture(name="casa_operator")
def fixture_casa_operator(client, data):
    client.force_login(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    return client


def _api(client, report, **params):
    return client.get(f"{API}{report}/", {"year": "2026", **params})


# Another province through every filter and parameter: 403.
@pytest.mark.parametrize(
    "params",
    [
        {"province": "MA-RAB"},
        {"region": "MA-04"},
        {"province": "MA-MOH"},
        {"region": "MA-04", "province": "MA-CAS"},
    ],
)
def test_province_operator_dashboard_other_territory_forbidden(casa_operator, params):
    assert casa_operator.get(DASHBOARD, {"year": "2026", **params}).status_code == 403


@pytest.mark.parametrize("report", ["summary", "regions", "provinces", "tracks", "months", "funnel", "courses"])
def test_province_operator_api_other_province_forbidden(casa_operator, report):
    assert _api(casa_operator, report, province="MA-RAB").status_code == 403


def test_province_operator_api_repeated_parameter_forbidden(casa_operator):
    response = casa_operator.get(f"{API}provinces/?year=2026&province=MA-CAS&province=MA-RAB")
    assert response.status_code == 403


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
def test_province_operator_export_other_province_forbidden(casa_operator, export_format):
    url = reverse("raqmya_reports:export", args=["provinces", export_format])
    assert casa_operator.get(url, {"year": "2026", "province": "MA-RAB"}).status_code == 403


def test_province_operator_learner_list_forbidden_without_identities(casa_operator):
    assert casa_operator.get("/api/raqmya/v1/learners/", {"year": "2026"}).status_code == 403


def test_province_operator_audit_log_forbidden(casa_operator):
    assert casa_operator.get(reverse("raqmya_reports:audit_log")).status_code == 403


# Without a filter, only the operator's own province is counted.
def test_province_operator_api_provinces_lists_own_province_only(casa_operator):
    rows = _api(casa_operator, "provinces").json()["rows"]
    assert [row["key"] for row in rows] == ["MA-CAS"]


def test_province_operator_api_province_counts(casa_operator):
    rows = _api(casa_operator, "provinces").json()["rows"]
    assert rows[0]["registered"] == 7


def test_province_operator_api_regions_counts_own_province_only(casa_operator):
    # Mohammedia is in the same region but not in the operator's province.
    rows = _api(casa_operator, "regions").json()["rows"]
    assert [(row["key"], row["registered"]) for row in rows] == [("MA-06", 7)]


def test_province_operator_own_region_filter_allowed(casa_operator):
    response = _api(casa_operator, "provinces", region="MA-06")
    assert response.status_code == 200


def test_province_operator_courses_count_own_learners_only(casa_operator):
    rows = _api(casa_operator, "courses").json()["rows"]
    assert [(row["course_key"], row["track"], row["enrolled"]) for row in rows] == [
        ("course-v1:Raqmya+DIGI101+2026", "acculturation", 7),
        ("course-v1:Raqmya+DIGI101+2026", "all", 7),
    ]


def test_province_operator_export_has_no_other_province(casa_operator):
    url = reverse("raqmya_reports:export", args=["provinces", "csv"])
    text = b"".join(casa_operator.get(url, {"year": "2026"}).streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == ["MA-CAS", "all"]


def test_region_operator_sees_both_provinces_of_region(client, data):
    client.force_login(make_reader("op_region", Role.REGION_OPERATOR, region_id="MA-06"))
    rows = _api(client, "provinces").json()["rows"]
    assert [row["key"] for row in rows] == ["MA-CAS", "MA-MOH"]


def test_region_operator_other_region_province_forbidden(client, data):
    client.force_login(make_reader("op_region", Role.REGION_OPERATOR, region_id="MA-06"))
    assert _api(client, "provinces", province="MA-RAB").status_code == 403


def test_course_staff_sees_learners_of_own_course_only(client, data):
    client.force_login(make_reader("staff_b", Role.COURSE_STAFF, course=data["course_b"]))
    rows = _api(client, "regions").json()["rows"]
    assert [(row["key"], row["ever_enrolled"]) for row in rows] == [("MA-04", "< 5")]


def test_course_staff_other_course_forbidden(client, data):
    client.force_login(make_reader("staff_b", Role.COURSE_STAFF, course=data["course_b"]))
    assert _api(client, "courses", course="course-v1:Raqmya+DIGI101+2026").status_code == 403


def test_course_staff_courses_lists_own_course_only(client, data):
    client.force_login(make_reader("staff_b", Role.COURSE_STAFF, course=data["course_b"]))
    rows = _api(client, "courses").json()["rows"]
    assert {row["course_key"] for row in rows} == {"course-v1:Raqmya+DIGI102+2026"}


def test_learner_without_role_forbidden_everywhere(client, data):
    client.force_login(get_user_model().objects.create_user(username="learner", password="unused"))
    statuses = [
        client.get(DASHBOARD).status_code,
        _api(client, "summary").status_code,
        client.get("/api/raqmya/v1/learners/").status_code,
        client.get(reverse("raqmya_reports:export", args=["summary", "csv"])).status_code,
    ]
    assert statuses == [403, 403, 403, 403]


def test_anonymous_api_refused(client, data):
    assert _api(client, "summary").status_code == 403


def test_unknown_province_is_400_naming_value(casa_operator):
    response = _api(casa_operator, "provinces", province="MA-XXX")
    assert response.status_code == 400
    assert "MA-XXX" in response.json()["detail"]


def test_unknown_report_is_400_naming_value(casa_operator):
    response = _api(casa_operator, "beneficiaries")
    assert response.status_code == 400
    assert "beneficiaries" in response.json()["detail"]


# Programme managers: staff, the permission, or a granted role.
@pytest.mark.parametrize("role", ["permission", Role.PROGRAMME_MANAGER])
def test_programme_manager_sees_every_province(client, data, role):
    client.force_login(make_reader("manager", role))
    rows = _api(client, "provinces").json()["rows"]
    assert len(rows) == 75


def test_programme_manager_sees_small_cells(client, data):
    client.force_login(make_reader("manager", Role.PROGRAMME_MANAGER))
    rows = {row["key"]: row for row in _api(client, "provinces").json()["rows"]}
    assert rows["MA-RAB"]["registered"] == 2


# Identities.
def test_learner_list_with_identities_lists_names_and_emails(client, data):
    client.force_login(make_reader("op_id", Role.PROVINCE_OPERATOR, identities=True, province_id="MA-CAS"))
    rows = client.get("/api/raqmya/v1/learners/", {"year": "2026"}).json()["results"]
    assert sorted(row["email"] for row in rows) == [f"casa{index}@example.org" for index in range(7)]


def test_learner_list_with_identities_stays_in_scope(client, data):
    client.force_login(make_reader("op_id", Role.PROVINCE_OPERATOR, identities=True, province_id="MA-CAS"))
    rows = client.get("/api/raqmya/v1/learners/", {"year": "2026", "course": "course-v1:Raqmya+DIGI102+2026"})
    assert rows.json()["results"] == []


def test_learner_list_without_identities_for_manager_without_them(client, data):
    client.force_login(make_reader("manager", "permission"))
    assert client.get("/api/raqmya/v1/learners/", {"year": "2026"}).status_code == 403


def test_learner_list_paginated(client, data):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER, identities=True))
    page = client.get("/api/raqmya/v1/learners/", {"year": "2026", "page_size": "4", "page": "3"}).json()
    assert page["count"] == 12
    assert len(page["results"]) == 4


@pytest.mark.parametrize("value", ["0", "-1", "x", "1001", "2.5", "١٠"])
def test_learner_list_bad_page_size_refused(client, data, value):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER, identities=True))
    response = client.get("/api/raqmya/v1/learners/", {"year": "2026", "page_size": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == (f"page_size {value!r} is not valid: give a whole number of rows from 1 to "
                                         "1000 (100 when it is left out).")


def test_learner_list_page_past_the_last_named(client, data):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER, identities=True))
    response = client.get("/api/raqmya/v1/learners/", {"year": "2026", "page": "99"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["detail"] == (
        "Page 99 cannot be read (That page contains no results): ask for a page from 1 to the last one, which the "
        "count and the page size give.")


def test_learner_list_page_past_the_last_in_arabic(client, data):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER, identities=True))
    response = client.get("/api/raqmya/v1/learners/", {"year": "2026", "page": "99"}, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.json()["detail"].startswith("لا يمكن قراءة الصفحة 99")


def test_api_unauthenticated_message_in_french(client):
    response = client.get("/api/raqmya/v1/learners/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Informations d'authentification non fournies."


# Audit log.
def test_every_view_and_export_is_audited(casa_operator):
    casa_operator.get(DASHBOARD, {"year": "2026", "track": "acculturation"})
    _api(casa_operator, "provinces")
    b"".join(casa_operator.get(reverse("raqmya_reports:export", args=["months", "xlsx"])).streaming_content)
    entries = list(AuditLogEntry.objects.order_by("id").values_list("action", "report", "output_format", "scope"))
    assert entries == [
        ("view", "summary", "html", "province:MA-CAS"),
        ("api", "provinces", "json", "province:MA-CAS"),
        ("export", "months", "xlsx", "province:MA-CAS"),
    ]


def test_api_requests_that_deliver_nothing_not_audited(client, data):
    """A list asked for as a report (400), a bad page size (400) and a page past the last (404) deliver nothing."""
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER, identities=True))
    answers = [
        client.get(f"{API}learners/", {"year": "2026"}, HTTP_ACCEPT_LANGUAGE="en"),
        client.get("/api/raqmya/v1/learners/", {"year": "2026", "page_size": "0"}),
        client.get("/api/raqmya/v1/learners/", {"year": "2026", "page": "99"}),
    ]
    assert [answer.status_code for answer in answers] == [400, 400, 404]
    assert answers[0].json()["detail"] == (
        "The report 'learners' is a list of learners: read it page by page at /api/raqmya/v1/learners/, or export "
        "it as CSV, XLSX or JSON.")
    assert AuditLogEntry.objects.count() == 0
    assert client.get("/api/raqmya/v1/learners/", {"year": "2026", "page_size": "4"}).status_code == 200
    assert list(AuditLogEntry.objects.values_list("action", "report", "output_format")) == [
        ("api", "learners", "json")]


def test_audit_entry_keeps_filters(casa_operator):
    casa_operator.get(DASHBOARD, {"year": "2026", "track": "acculturation"})
    assert AuditLogEntry.objects.get().filters["track"] == "acculturation"


def test_refused_request_writes_no_audit_entry(casa_operator):
    _api(casa_operator, "provinces", province="MA-RAB")
    assert AuditLogEntry.objects.count() == 0


def test_audit_log_page_for_programme_manager(client, casa_operator):
    casa_operator.get(DASHBOARD, {"year": "2026"})
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    html = client.get(reverse("raqmya_reports:audit_log")).content.decode()
    assert "Province\u00a0: MA-CAS" in html


def test_api_schema_lists_report_paths(client, data):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    schema = client.get("/api/raqmya/v1/schema/", {"format": "json"})
    assert sorted(json.loads(schema.content)["paths"]) == [
        "/api/raqmya/v1/learners/", "/api/raqmya/v1/me/", "/api/raqmya/v1/reports/{report}/",
    ]


def test_api_schema_describes_the_learner_summary(client, data):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    schema = json.loads(client.get("/api/raqmya/v1/schema/", {"format": "json"}).content)
    answer = schema["paths"]["/api/raqmya/v1/me/"]["get"]["responses"]["200"]["content"]["application/json"]
    summary = schema["components"]["schemas"][answer["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert sorted(summary["properties"]) == ["areas", "cohort", "courses", "hours", "placement_retake", "track"]
    course = schema["components"]["schemas"]["RecommendedCourse"]
    assert sorted(course["properties"]) == ["about_url", "course_key", "done", "name"]
    assert course["properties"]["about_url"] == {"type": "string", "nullable": True}
    assert schema["components"]["schemas"]["AreaLevel"]["properties"]["placement_level"] == {
        "type": "integer", "nullable": True,
    }
