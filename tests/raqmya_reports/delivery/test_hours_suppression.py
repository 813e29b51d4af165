"""Tests of training hours in scoped reports: the hours of a course passed by too few learners are left out."""

from decimal import Decimal

import pytest

from raqmya_reports.delivery.scope import scope_of
from raqmya_reports.delivery.service import summary_data
from raqmya_reports.registry.models import CatalogueEntry
from raqmya_reports.reports.filters import ReportFilters
from tests.raqmya_reports.delivery.scoping import Role, beneficiary, build_two_provinces, make_reader
from tests.raqmya_reports.reports.builders import enroll, grade, local

pytestmark = pytest.mark.django_db

YEAR_2026 = ReportFilters(year=2026)


@pytest.fixture(name="programme", autouse=True)
def fixture_programme(settings):
    """The two-province programme (4 Casablanca passes of course A), course A worth 10 hours."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    built = build_two_provinces()
    CatalogueEntry.objects.create(course=built["course_a"], hours=Decimal("10"))
    return built


def hours_of(user) -> dict:
    return summary_data(YEAR_2026, scope_of(user))["hours"]


def test_hours_operator_small_course_left_out():
    operator = make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    assert hours_of(operator) == {
        "delivered": None, "by_track": {"acculturation": None}, "catalogue": 10.0, "suppressed_courses": 1,
    }


def test_hours_manager_sees_every_course():
    manager = make_reader("manager", Role.PROGRAMME_MANAGER)
    assert hours_of(manager)["delivered"] == 40.0


def test_hours_operator_course_of_enough_learners_shown(settings):
    settings.RAQMYA_MIN_CELL_SIZE = 4
    operator = make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    assert (hours_of(operator)["delivered"], hours_of(operator)["suppressed_courses"]) == (40.0, 0)


def test_hours_operator_small_track_left_out_of_the_total(programme):
    # A fifth Casablanca acculturation pass makes 5; two perfectionnement passes stay below 5.
    extra = [beneficiary("casa_extra", "MA-CAS", "MA-06")]
    extra += [beneficiary(f"casa_perf{index}", "MA-CAS", "MA-06", track="perfectionnement") for index in range(2)]
    for user in extra:
        enroll(user, programme["course_a"], at=local(2026, 3, 3))
        grade(user, programme["course_a"], at=local(2026, 3, 11), passed=True)
    operator = make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    assert hours_of(operator) == {
        "delivered": 50.0, "by_track": {"acculturation": 50.0, "perfectionnement": None}, "catalogue": 10.0,
        "suppressed_courses": 1,
    }
