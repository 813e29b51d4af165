"""Tests of the beneficiary figures by dimension, the funnel, training hours, course rates and targets.

Every expected value is counted by hand from the data each test builds.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openedx_events.learning.signals import (
    COURSE_ENROLLMENT_CHANGED,
    COURSE_ENROLLMENT_CREATED,
    COURSE_UNENROLLMENT_COMPLETED,
)

from raqmya_reports.registry.models import CatalogueEntry, Certificate, CohortMembership, Course, DailyActivity
from raqmya_reports.reports.courses import course_rates
from raqmya_reports.reports.errors import InvalidReportFilter
from raqmya_reports.reports.figures import beneficiary_breakdown, funnel
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.hours import training_hours
from raqmya_reports.reports.periods import programme_year
from raqmya_reports.reports.targets import pilot_target, year_end_projection
from tests.raqmya_reports.factories import enrollment_data, make_cohort
from tests.raqmya_reports.reports.builders import (
    UTC,
    build_programme,
    enroll,
    grade,
    local,
    make_beneficiary,
    make_course,
)

pytestmark = pytest.mark.django_db

YEAR_2026 = ReportFilters(year=2026)


def _row(breakdown, key):
    return next(row.counts for row in breakdown.rows if row.key == key)


def test_breakdown_by_track_totals():
    build_programme()
    totals = beneficiary_breakdown(YEAR_2026, "track").totals
    assert totals == {"registered": 5, "enrolled": 3, "ever_enrolled": 4, "active": 0, "completed": 3, "certified": 0}


def test_breakdown_by_region_rows():
    build_programme()
    assert _row(beneficiary_breakdown(YEAR_2026, "region"), "MA-01") == {
        "registered": 1, "enrolled": 2, "ever_enrolled": 2, "active": 0, "completed": 2, "certified": 0,
    }


@pytest.mark.parametrize("dimension", ["track", "region", "province", "sector", "gender", "month", "day", "cohort"])
def test_breakdown_rows_add_up_to_funnel_free_totals(dimension):
    build_programme()
    breakdown = beneficiary_breakdown(YEAR_2026, dimension)
    assert sum(row.counts["completed"] for row in breakdown.rows) == 3


def test_breakdown_unknown_dimension_names_value():
    with pytest.raises(InvalidReportFilter, match="'colour'"):
        beneficiary_breakdown(YEAR_2026, "colour")


# C12: a completion at 23:30 on 31 March and one at 00:10 on 1 April, Casablanca time (UTC+1 then).
@pytest.fixture(name="month_end_completions")
def fixture_month_end_completions():
    course = make_course(101)
    late = make_beneficiary("late", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    early = make_beneficiary("early", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    grade(late, course, at=local(2026, 3, 31, 23, 30), passed=True)
    grade(early, course, at=local(2026, 4, 1, 0, 10), passed=True)
    return late, early


def test_completions_at_month_end_both_fall_on_31_march_in_utc(month_end_completions):
    # The premise: in UTC both passes are on 31 March, so cutting in UTC would count both in March.
    late, early = month_end_completions
    utc_days = [user.raqmya_grades.get().passed_at.astimezone(UTC).date() for user in (late, early)]
    assert utc_days == [dt.date(2026, 3, 31), dt.date(2026, 3, 31)]


def test_completions_at_month_end_counted_in_local_month(month_end_completions):
    breakdown = beneficiary_breakdown(YEAR_2026, "month")
    assert [_row(breakdown, "2026-03")["completed"], _row(breakdown, "2026-04")["completed"]] == [1, 1]


def test_completions_at_month_end_counted_on_local_day(month_end_completions):
    breakdown = beneficiary_breakdown(YEAR_2026, "day")
    assert [_row(breakdown, "2026-03-31")["completed"], _row(breakdown, "2026-04-01")["completed"]] == [1, 1]


def test_completions_daily_figures_add_up_to_total(month_end_completions):
    breakdown = beneficiary_breakdown(YEAR_2026, "day")
    assert sum(row.counts["completed"] for row in breakdown.rows) == breakdown.totals["completed"] == 2


def test_completions_date_filter_cuts_at_local_midnight(month_end_completions):
    april = ReportFilters(year=2026, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 30))
    assert beneficiary_breakdown(april, "track").totals["completed"] == 1


# C19: A enrolls, unenrolls and re-enrolls; B enrolls then unenrolls; through the platform's events.
@pytest.fixture(name="churn")
def fixture_churn():
    learner_a = make_beneficiary("learner_a", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    learner_b = make_beneficiary("learner_b", region="MA-04", track="acculturation", created=local(2026, 3, 1))
    moment = dt.datetime(2026, 3, 2, 10, tzinfo=UTC)
    for learner in (learner_a, learner_b):
        COURSE_ENROLLMENT_CREATED.send_event(time=moment, enrollment=enrollment_data(learner.id, created=moment))
        COURSE_UNENROLLMENT_COMPLETED.send_event(
            time=moment + dt.timedelta(days=1), enrollment=enrollment_data(learner.id, is_active=False, created=moment)
        )
    COURSE_ENROLLMENT_CHANGED.send_event(
        time=moment + dt.timedelta(days=2), enrollment=enrollment_data(learner_a.id, created=moment)
    )
    return learner_a, learner_b


def test_churn_currently_enrolled_one(churn):
    assert beneficiary_breakdown(YEAR_2026, "track").totals["enrolled"] == 1


def test_churn_ever_enrolled_two(churn):
    assert beneficiary_breakdown(YEAR_2026, "track").totals["ever_enrolled"] == 2


def test_churn_region_and_province_totals_agree(churn):
    regions = beneficiary_breakdown(YEAR_2026, "region").totals
    provinces = beneficiary_breakdown(YEAR_2026, "province").totals
    assert regions == provinces


def test_churn_region_rows(churn):
    regions = beneficiary_breakdown(YEAR_2026, "region")
    counts = [(_row(regions, code)["enrolled"], _row(regions, code)["ever_enrolled"]) for code in ("MA-06", "MA-04")]
    assert counts == [(1, 1), (0, 1)]


# Active, certified, cohort and phase.
def test_active_counted_once_at_first_local_day():
    learner = make_beneficiary("busy", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    DailyActivity.objects.create(user=learner, day=dt.date(2026, 3, 31), logins=1)
    DailyActivity.objects.create(user=learner, day=dt.date(2026, 4, 1), attempts=2)
    breakdown = beneficiary_breakdown(YEAR_2026, "month")
    assert [_row(breakdown, "2026-03")["active"], _row(breakdown, "2026-04")["active"]] == [1, 0]


def test_active_outside_year_not_counted():
    learner = make_beneficiary("old", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    DailyActivity.objects.create(user=learner, day=dt.date(2025, 12, 31), logins=1)
    assert beneficiary_breakdown(YEAR_2026, "track").totals["active"] == 0


def test_certified_counts_valid_certificates_only():
    course = make_course(101)
    holder = make_beneficiary("holder", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    revoked = make_beneficiary("revoked", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    for user, valid in ((holder, True), (revoked, False)):
        Certificate.objects.create(user=user, course=course, status="downloadable", is_valid=valid,
                                   created_at=local(2026, 5, 1), last_event_at=local(2026, 5, 1))
    assert beneficiary_breakdown(YEAR_2026, "track").totals["certified"] == 1


def test_breakdown_by_cohort_and_phase():
    pilot = make_cohort("Pilote Casablanca 2026")
    first = make_beneficiary("first", region="MA-06", track="perfectionnement", created=local(2026, 3, 1))
    make_beneficiary("second", region="MA-06", track="perfectionnement", created=local(2026, 3, 1))
    CohortMembership.objects.create(user=first, cohort=pilot, programme_year=2026)
    cohorts = beneficiary_breakdown(YEAR_2026, "cohort")
    phases = beneficiary_breakdown(YEAR_2026, "phase")
    assert [(row.key, row.counts["registered"]) for row in cohorts.rows] == [(str(pilot.pk), 1), ("unassigned", 1)]
    assert [(row.key, row.counts["registered"]) for row in phases.rows] == [
        ("pilot", 1), ("generalisation", 0), ("unassigned", 1),
    ]


def test_phase_filter_keeps_cohort_members_only():
    pilot = make_cohort("Pilote Casablanca 2026")
    first = make_beneficiary("first", region="MA-06", track="perfectionnement", created=local(2026, 3, 1))
    make_beneficiary("second", region="MA-06", track="perfectionnement", created=local(2026, 3, 1))
    CohortMembership.objects.create(user=first, cohort=pilot, programme_year=2026)
    filters = ReportFilters.from_params({"year": "2026", "phase": "pilot"})
    assert beneficiary_breakdown(filters, "track").totals["registered"] == 1


# The funnel.
def test_funnel_of_year_registrants():
    build_programme()
    # accu_tanger_2025 registered in 2025; perf_rabat enrolled only in 2027, which the funnel follows.
    assert funnel(YEAR_2026) == {
        "registered": 5, "ever_enrolled": 4, "enrolled": 3, "active": 0, "completed": 2, "certified": 0,
    }


# Training hours and course rates.
def _course(number):
    return Course.objects.get_or_create(course_key=f"course-v1:Raqmya+DIGI{number}+2026")[0]


def test_training_hours_delivered_and_catalogue():
    build_programme()
    CatalogueEntry.objects.create(course=_course(101), hours=Decimal("12.5"))
    CatalogueEntry.objects.create(course=_course(102), hours=Decimal("4.0"))
    # Passes in 2026: perf_tanger A, perf_casa A and B, accu_tanger_2025 A: 3 x 12.5 + 4.0.
    assert training_hours(YEAR_2026) == {
        "delivered": 41.5, "by_track": {"acculturation": 12.5, "perfectionnement": 29.0}, "catalogue": 16.5,
        "suppressed_courses": 0,
    }


def test_course_rates_by_course_and_track():
    build_programme()
    rows = [(row.course_key[-12:], row.track, row.enrolled, row.graded, row.passed, row.completion_rate, row.pass_rate)
            for row in course_rates(YEAR_2026)]
    assert rows == [
        ("DIGI101+2026", "acculturation", 2, 1, 1, 50.0, 100.0),
        ("DIGI101+2026", "perfectionnement", 2, 3, 2, 100.0, 66.7),
        ("DIGI101+2026", "all", 4, 4, 3, 75.0, 75.0),
        ("DIGI102+2026", "perfectionnement", 1, 1, 1, 100.0, 100.0),
        ("DIGI102+2026", "all", 1, 1, 1, 100.0, 100.0),
    ]


# Targets.
def test_year_end_projection_from_pace():
    period = programme_year(2026)
    # A quarter of the way through the year, 3,000 registered: 12,000 by the end at that pace.
    now = period.start + (period.end - period.start) / 4
    assert year_end_projection(3000, period, now) == 12000


def test_year_end_projection_before_year_is_none():
    period = programme_year(2026)
    assert year_end_projection(10, period, period.start - dt.timedelta(days=1)) is None


def test_pilot_target_ends_after_third_month(settings):
    settings.RAQMYA_PILOT_START = "2026-02-15"
    pilot = pilot_target()
    assert (pilot.target, pilot.end.isoformat()) == (1350, "2026-05-01T00:00:00+01:00")


# Query counts do not grow with learners.
def _programme_of(size: int):
    courses = [_course(number) for number in (101, 102)]
    for index in range(size):
        user = make_beneficiary(f"l{size}_{index}", region="MA-06", track="acculturation", created=local(2026, 3, 1))
        enroll(user, courses[index % 2], at=local(2026, 3, 2))
        grade(user, courses[index % 2], at=local(2026, 3, 9), passed=index % 3 == 0)


@pytest.mark.parametrize("dimension", ["track", "month", "province"])
def test_breakdown_query_count_independent_of_learners(dimension):
    counts = []
    for size in (3, 30):
        _programme_of(size)
        with CaptureQueriesContext(connection) as queries:
            beneficiary_breakdown(YEAR_2026, dimension)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_course_rates_and_hours_query_count_independent_of_learners():
    counts = []
    for size in (3, 30):
        _programme_of(size)
        with CaptureQueriesContext(connection) as queries:
            course_rates(YEAR_2026)
            training_hours(YEAR_2026)
            funnel(YEAR_2026)
        counts.append(len(queries))
    # Two for the course rates, two for the hours, one for the funnel.
    assert counts == [5, 5]
