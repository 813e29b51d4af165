"""Tests of item analysis as delivered: the REST API with its usage_key filter, scopes, small cells, the export."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from raqmya_reports.delivery.scope import scope_of
from raqmya_reports.delivery.service import competences_data, items_data
from raqmya_reports.registry.models import Course, DigCompCompetence, Enrollment
from raqmya_reports.reports.filters import ReportFilters
from tests.raqmya_reports.delivery.scoping import Role, make_reader
from tests.raqmya_reports.reports.builders import local
from tests.raqmya_reports.reports.items_data import USAGE_KEY, build_pool_of_ten, learner, record_attempt

pytestmark = pytest.mark.django_db

ITEMS_URL = "/api/raqmya/v1/reports/items/"
QUERY = {"year": "2026", "usage_key": USAGE_KEY}


def build_casablanca_six():
    """Six Casablanca learners all served q01-q05: q01 right for all, q02 right for one, q03 right for three."""
    for number in range(6):
        record_attempt(learner(f"casa{number}"), ["q01", "q02", "q03", "q04", "q05"],
                       {"q01", "q04"} | ({"q02"} if number == 0 else set()) | ({"q03"} if number < 3 else set()))


def rows_of(response) -> dict:
    return {row["question_id"]: row for row in response.json()["rows"]}


def test_items_api_manager_reads_rows_by_question_id(client):
    build_pool_of_ten()
    client.force_login(make_reader("manager", Role.PROGRAMME_MANAGER))
    response = client.get(ITEMS_URL, QUERY)
    assert {question: row["served"] for question, row in rows_of(response).items()}["q07"] == 4


def test_items_api_manager_sees_small_questions_unsuppressed(client):
    build_pool_of_ten()
    client.force_login(make_reader("manager", Role.PROGRAMME_MANAGER))
    assert rows_of(client.get(ITEMS_URL, QUERY))["q02"]["correct_rate"] == 66.7


def test_items_api_bad_usage_key_is_400_naming_it(client):
    client.force_login(make_reader("manager", Role.PROGRAMME_MANAGER))
    response = client.get(ITEMS_URL, {"usage_key": "final-quiz"})
    assert response.status_code == 400
    assert "usage_key='final-quiz'" in response.json()["detail"]


def test_items_api_operator_of_another_province_sees_no_rows(client):
    build_pool_of_ten()
    client.force_login(make_reader("op_rabat", Role.PROVINCE_OPERATOR, province_id="MA-RAB"))
    assert client.get(ITEMS_URL, QUERY).json()["rows"] == []


def test_items_api_operator_filter_on_another_province_is_403(client):
    client.force_login(make_reader("op_rabat", Role.PROVINCE_OPERATOR, province_id="MA-RAB"))
    assert client.get(ITEMS_URL, {**QUERY, "province": "MA-CAS"}).status_code == 403


def test_items_api_operator_small_served_count_hidden(client):
    build_pool_of_ten()
    client.force_login(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    row = rows_of(client.get(ITEMS_URL, QUERY))["q01"]
    assert (row["served"], row["correct"], row["correct_rate"], row["discrimination"]) == ("< 5", None, None, None)


def test_items_api_operator_small_competence_result_hidden(client):
    build_pool_of_ten()
    client.force_login(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    [block] = client.get(ITEMS_URL, QUERY).json()["blocks"]
    assert block["competences"] == {"1.1": None, "2.4": None, "3.1": None, "4.2": None, "5.2": None}


def test_items_operator_sees_a_question_of_enough_learners():
    build_casablanca_six()
    scope = scope_of(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    rows = {row["question_id"]: row for row in items_data(ReportFilters.from_params(QUERY), scope)["rows"]}
    assert (rows["q01"]["served"], rows["q01"]["correct"], rows["q01"]["correct_rate"]) == (6, 6, 100.0)


def test_items_operator_few_correct_answers_hidden():
    build_casablanca_six()
    scope = scope_of(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    rows = {row["question_id"]: row for row in items_data(ReportFilters.from_params(QUERY), scope)["rows"]}
    # q02: 1 of 6 right, q03: 3 of 6 right; either count is small, and the share would give it away.
    assert [(rows[q]["served"], rows[q]["correct"], rows[q]["correct_rate"]) for q in ("q02", "q03")] == [
        (6, "< 5", None), (6, "< 5", None)
    ]


def test_items_operator_competence_of_a_hidden_question_hidden():
    """A competence result would give back the hidden count of one of its questions, the others being shown.

    1.1 is q01 (6 of 6) and q02 (1 of 6, hidden): 58.3 % of 12 points is 7, so q02's count is 1.
    """
    build_casablanca_six()
    scope = scope_of(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    [block] = items_data(ReportFilters.from_params(QUERY), scope)["blocks"]
    assert block["competences"] == {"1.1": None, "2.4": None, "3.1": 0.0}


def test_items_manager_sees_every_competence_result():
    build_casablanca_six()
    scope = scope_of(make_reader("manager", Role.PROGRAMME_MANAGER))
    [block] = items_data(ReportFilters.from_params(QUERY), scope)["blocks"]
    assert block["competences"] == {"1.1": 58.3, "2.4": 75.0, "3.1": 0.0}


def test_competences_operator_few_points_missed_hidden():
    """Six learners are enough for the group, but 3 points missed of 12 in 2.4 (and area 2) would be a small count."""
    build_casablanca_six()
    scope = scope_of(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    [row] = competences_data(ReportFilters.from_params({"year": "2026"}), scope)["all"]
    served = {code: result for code, result in row["competences"].items() if code in ("1.1", "2.4", "3.1")}
    assert row["learners"] == 6
    assert served == {"1.1": 58.3, "2.4": None, "3.1": 0.0}
    assert {area: row["areas"][area] for area in ("1", "2", "3")} == {"1": 58.3, "2": None, "3": 0.0}
    assert "points" not in row


def test_competences_manager_sees_few_points_missed():
    build_casablanca_six()
    scope = scope_of(make_reader("manager", Role.PROGRAMME_MANAGER))
    [row] = competences_data(ReportFilters.from_params({"year": "2026"}), scope)["all"]
    assert (row["competences"]["2.4"], row["areas"]["2"]) == (75.0, 75.0)


def test_items_course_staff_of_another_course_sees_no_rows(client):
    build_pool_of_ten()
    other = Course.objects.create(course_key="course-v1:Raqmya+DIGI999+2026")
    client.force_login(make_reader("staff_other", Role.COURSE_STAFF, course=other))
    assert client.get(ITEMS_URL, QUERY).json()["rows"] == []


def test_items_course_staff_of_the_course_sees_its_learners(client):
    users = build_pool_of_ten()
    course = Course.objects.get(course_key="course-v1:Raqmya+DIGI101+2026")
    for user in users.values():
        Enrollment.objects.create(user=user, course=course, first_enrolled_at=local(2026, 4, 1),
                                  changed_at=local(2026, 4, 1), last_event_at=local(2026, 4, 1))
    client.force_login(make_reader("staff", Role.COURSE_STAFF, course=course))
    assert len(client.get(ITEMS_URL, QUERY).json()["rows"]) == 10


def test_items_export_command_csv_columns_keyed_by_question_id(tmp_path):
    build_pool_of_ten()
    output = tmp_path / "items.csv"
    call_command("raqmya_export", "items", "--format", "csv", "--output", str(output), "--year", "2026",
                 "--usage-key", USAGE_KEY)
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert {row["question_id"]: row["served"] for row in rows} == {
        "q01": "4", "q02": "3", "q03": "3", "q04": "2", "q05": "3",
        "q06": "3", "q07": "4", "q08": "3", "q09": "3", "q10": "2",
    }


def test_items_export_command_header(tmp_path):
    build_pool_of_ten()
    output = tmp_path / "items.csv"
    call_command("raqmya_export", "items", "--format", "csv", "--output", str(output), "--year", "2026")
    lines = output.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ("usage_key,question_id,competence,competence_label,served,correct,correct_rate,"
                        "discrimination,authored_difficulty,estimated_difficulty")
    first = next(csv.DictReader(io.StringIO("\n".join(lines))))
    assert first["competence_label"] == DigCompCompetence.objects.get(code=first["competence"]).name_fr


def test_items_export_xlsx_through_the_dashboard_link(client):
    build_pool_of_ten()
    client.force_login(make_reader("manager", Role.PROGRAMME_MANAGER))
    response = client.get(reverse("raqmya_reports:export", args=["items", "xlsx"]), QUERY)
    assert response.status_code == 200
