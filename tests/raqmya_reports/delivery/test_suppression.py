"""Small-cell suppression: counts below RAQMYA_MIN_CELL_SIZE hidden, and the cells and totals they could be
derived from hidden too, in scoped reports only."""

# pylint: disable=unused-argument  # fixtures that build data are requested by name
import csv
import io

import pytest
from django.urls import reverse

from raqmya_reports.delivery.suppression import suppress_column
from raqmya_reports.reports.errors import ReportConfigurationError
from tests.raqmya_reports.delivery.scoping import Role, build_two_provinces, make_reader
from tests.raqmya_reports.reports.builders import enroll, local, make_beneficiary, make_course


def test_suppress_column_hides_small_count_and_next_smallest():
    assert suppress_column([7, 3, 9, 0], 19) == (["< 5", "< 5", 9, 0], 19)


def test_suppress_column_keeps_zero():
    assert suppress_column([0, 12], 12) == ([0, 12], 12)


def test_suppress_column_two_small_cells_hide_nothing_more():
    assert suppress_column([2, 3, 9], 14) == (["< 5", "< 5", 9], 14)


def test_suppress_column_single_cell_hides_small_total():
    assert suppress_column([0, 3], 3) == ([0, "< 5"], "< 5")


def test_suppress_column_threshold_from_setting(settings):
    settings.RAQMYA_MIN_CELL_SIZE = 10
    assert suppress_column([9, 10, 11], 30) == (["< 10", "< 10", 11], 30)


def test_suppress_column_bad_setting_names_value(settings):
    settings.RAQMYA_MIN_CELL_SIZE = "five"
    with pytest.raises(ReportConfigurationError, match="'five'"):
        suppress_column([1])


@pytest.fixture(name="region_operator")
def fixture_region_operator(client, db):
    build_two_provinces()
    client.force_login(make_reader("op_region", Role.REGION_OPERATOR, region_id="MA-06"))
    return client


@pytest.mark.django_db
def test_region_operator_provinces_hide_small_province_and_its_complement(region_operator):
    # Casablanca 7, Mohammedia 1: shown as numbers with the total 8, Casablanca would give Mohammedia away.
    data = region_operator.get("/api/raqmya/v1/reports/provinces/", {"year": "2026"}).json()
    assert [(row["key"], row["registered"]) for row in data["rows"]] == [("MA-CAS", "< 5"), ("MA-MOH", "< 5")]


@pytest.mark.django_db
def test_region_operator_provinces_total_shown(region_operator):
    data = region_operator.get("/api/raqmya/v1/reports/provinces/", {"year": "2026"}).json()
    assert data["totals"]["registered"] == 8


@pytest.mark.django_db
def test_region_operator_completed_below_threshold_hidden_with_total(region_operator):
    # Four Casablanca learners passed: the only non-zero cell, so its total is hidden too.
    data = region_operator.get("/api/raqmya/v1/reports/provinces/", {"year": "2026"}).json()
    assert [row["completed"] for row in data["rows"]] == ["< 5", 0]


@pytest.mark.django_db
def test_region_operator_completed_total_hidden(region_operator):
    data = region_operator.get("/api/raqmya/v1/reports/provinces/", {"year": "2026"}).json()
    assert data["totals"]["completed"] == "< 5"


@pytest.mark.django_db
def test_region_operator_csv_export_hides_small_cells(region_operator):
    url = reverse("raqmya_reports:export", args=["provinces", "csv"])
    text = b"".join(region_operator.get(url, {"year": "2026"}).streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[2] == ["MA-MOH", "Mohammadia", "< 5", "< 5", "< 5", "0", "0", "0"]


@pytest.mark.django_db
def test_region_operator_course_rate_on_hidden_count_hidden(region_operator):
    rows = region_operator.get("/api/raqmya/v1/reports/courses/", {"year": "2026"}).json()["rows"]
    assert [row["completion_rate"] for row in rows] == [None, None]


@pytest.mark.django_db
def test_course_small_track_hidden_with_complement(client):
    """8 and 4 enrolled by track, 12 in all: 4 is hidden, and so is 8, or 12 - 8 would give 4 back."""
    course = make_course(101)
    for number in range(12):
        track = "acculturation" if number < 8 else "perfectionnement"
        user = make_beneficiary(f"c{number}", region="MA-06", track=track, created=local(2026, 1, 1))
        enroll(user, course, at=local(2026, 3, 1 + number))
    client.force_login(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    rows = client.get("/api/raqmya/v1/reports/courses/", {"year": "2026"}).json()["rows"]
    assert [(row["track"], row["enrolled"]) for row in rows] == [
        ("acculturation", "< 5"), ("perfectionnement", "< 5"), ("all", 12)]


@pytest.mark.django_db
def test_course_complement_taken_in_the_same_course(client):
    """The second hidden cell is one of the same course's tracks, not a smaller cell of another course.

    Over the whole column, 6 of the other course was the next smallest, and 12 - 8 gave the 4 back.
    """
    first, second = make_course(101), make_course(102)
    for number in range(12):
        track = "acculturation" if number < 8 else "perfectionnement"
        user = make_beneficiary(f"d{number}", region="MA-06", track=track, created=local(2026, 1, 1))
        enroll(user, first, at=local(2026, 3, 1 + number))
        if number < 6:
            enroll(user, second, at=local(2026, 4, 1 + number))
    client.force_login(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    rows = client.get("/api/raqmya/v1/reports/courses/", {"year": "2026"}).json()["rows"]
    assert [(row["course_key"][-12:], row["track"], row["enrolled"]) for row in rows] == [
        ("DIGI101+2026", "acculturation", "< 5"), ("DIGI101+2026", "perfectionnement", "< 5"),
        ("DIGI101+2026", "all", 12), ("DIGI102+2026", "acculturation", 6), ("DIGI102+2026", "all", 6)]
