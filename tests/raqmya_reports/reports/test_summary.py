"""Tests of the programme summary: exact counts by track and region, the yearly cut and the query count."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from raqmya_reports.registry.models import BeneficiaryProfile, Region
from raqmya_reports.reports.errors import ReportConfigurationError
from raqmya_reports.reports.summary import Counts, programme_summary, reported_years, share_of_target, yearly_target

from .builders import CASABLANCA, UTC, build_programme, enroll, grade, local, make_beneficiary, make_course

pytestmark = pytest.mark.django_db


def _row(rows, key):
    return next(row for row in rows if row.key == key)


def test_summary_totals_of_2026():
    build_programme()
    totals = programme_summary(2026).totals
    assert totals == Counts(registered=5, enrolled=3, ever_enrolled=4, passed=3)


def test_summary_totals_of_2025():
    build_programme()
    totals = programme_summary(2025).totals
    assert totals == Counts(registered=1, enrolled=0, ever_enrolled=0, passed=0)


def test_summary_by_track_2026():
    build_programme()
    by_track = programme_summary(2026).by_track
    assert [row.key for row in by_track] == ["perfectionnement", "acculturation"]
    assert by_track[0].counts == Counts(registered=3, enrolled=2, ever_enrolled=2, passed=2)
    assert by_track[1].counts == Counts(registered=2, enrolled=1, ever_enrolled=2, passed=1)


def test_summary_by_track_lists_both_tracks_when_empty():
    by_track = programme_summary(2026).by_track
    assert [row.key for row in by_track] == ["perfectionnement", "acculturation"]
    assert by_track[0].counts == Counts()
    assert by_track[1].counts == Counts()


def test_summary_track_names_in_french_and_arabic():
    perfectionnement = programme_summary(2026).by_track[0]
    assert perfectionnement.name_fr == "Perfectionnement digital"
    assert perfectionnement.name_ar == "تطوير الكفاءات الرقمية"


def test_summary_by_region_2026():
    build_programme()
    by_region = programme_summary(2026).by_region
    assert _row(by_region, "MA-01").counts == Counts(registered=1, enrolled=2, ever_enrolled=2, passed=2)
    assert _row(by_region, "MA-06").counts == Counts(registered=2, enrolled=1, ever_enrolled=2, passed=1)
    assert _row(by_region, "MA-09").counts == Counts(registered=1, enrolled=0, ever_enrolled=0, passed=0)
    assert _row(by_region, "MA-04").counts == Counts(registered=1, enrolled=0, ever_enrolled=0, passed=0)
    assert _row(by_region, "MA-12").counts == Counts()


def test_summary_by_region_lists_all_twelve_regions():
    by_region = programme_summary(2026).by_region
    assert [row.key for row in by_region] == [f"MA-{number:02d}" for number in range(1, 13)]


def test_summary_region_names_in_french_and_arabic():
    casablanca = _row(programme_summary(2026).by_region, "MA-06")
    assert casablanca.name_fr == "Casablanca-Settat"
    assert casablanca.name_ar == "الدار البيضاء - سطات"
    assert casablanca.name("ar") == "الدار البيضاء - سطات"
    assert casablanca.name("fr") == "Casablanca-Settat"


def test_summary_region_name_falls_back_to_french():
    Region.objects.filter(code="MA-06").update(name_ar="")
    casablanca = _row(programme_summary(2026).by_region, "MA-06")
    assert casablanca.name("ar") == "Casablanca-Settat"


def test_summary_sums_of_rows_equal_totals():
    build_programme()
    summary = programme_summary(2026)
    assert sum((row.counts for row in summary.by_track), Counts()) == summary.totals
    assert sum((row.counts for row in summary.by_region), Counts()) == summary.totals


def test_summary_blank_track_gets_unassigned_row():
    user = make_beneficiary("blank", region="MA-02", track="acculturation", created=local(2026, 2, 2))
    BeneficiaryProfile.objects.filter(user=user).update(track="")
    summary = programme_summary(2026)
    assert [row.key for row in summary.by_track] == ["perfectionnement", "acculturation", "unassigned"]
    assert summary.by_track[2].counts == Counts(registered=1)
    assert summary.totals == Counts(registered=1)


def test_summary_target_and_share(settings):
    settings.RAQMYA_YEARLY_TARGET = 8
    build_programme()
    summary = programme_summary(2026)
    assert summary.target == 8
    assert summary.target_share_percent == 62.5
    assert summary.target_shares_percent() == {
        "registered": 62.5,
        "enrolled": 37.5,
        "ever_enrolled": 50.0,
        "passed": 37.5,
    }


def test_summary_default_target_is_12500():
    assert programme_summary(2026).target == 12500


def test_summary_default_year_is_year_in_progress():
    year = dt.datetime.now(tz=CASABLANCA).year
    assert programme_summary().year == year


@pytest.mark.parametrize(
    ("count", "target", "expected"),
    [(1, 8, 12.5), (2, 3, 66.7), (1, 3, 33.3), (1, 16, 6.3), (0, 12500, 0.0), (13000, 12500, 104.0), (5, 12500, 0.0)],
)
def test_share_of_target_rounds_half_up(count, target, expected):
    assert share_of_target(count, target) == expected


@pytest.mark.parametrize("value", [0, -1, "many", True, 2.5])
def test_yearly_target_rejects_invalid_setting(settings, value):
    settings.RAQMYA_YEARLY_TARGET = value
    with pytest.raises(ReportConfigurationError, match=f"Invalid RAQMYA_YEARLY_TARGET {value!r}"):
        yearly_target()


def test_yearly_target_accepts_digit_string(settings):
    settings.RAQMYA_YEARLY_TARGET = "20000"
    assert yearly_target() == 20000


def test_summary_casablanca_cut_of_new_year():
    # Casablanca is UTC+1 in winter: 23:30 local on 31 December is 22:30 UTC, 00:10 local on
    # 1 January is 23:10 UTC on 31 December. A cut in UTC would put both in the old year.
    make_beneficiary("late", region="MA-01", track="acculturation", created=local(2025, 12, 31, 23, 30))
    make_beneficiary("early", region="MA-01", track="acculturation", created=local(2026, 1, 1, 0, 10))
    assert local(2026, 1, 1, 0, 10).astimezone(UTC) == dt.datetime(2025, 12, 31, 23, 10, tzinfo=UTC)
    assert programme_summary(2025).totals.registered == 1
    assert programme_summary(2026).totals.registered == 1


def test_summary_cut_applies_to_enrollments_and_passes():
    user = make_beneficiary("cut", region="MA-01", track="acculturation", created=local(2025, 6, 1))
    course = make_course(201)
    enroll(user, course, at=local(2025, 12, 31, 23, 30))
    grade(user, course, at=local(2026, 1, 1, 0, 10), passed=True)
    assert programme_summary(2025).totals == Counts(registered=1, enrolled=1, ever_enrolled=1, passed=0)
    assert programme_summary(2026).totals == Counts(registered=0, enrolled=0, ever_enrolled=0, passed=1)


def test_summary_year_start_in_september(settings):
    settings.RAQMYA_PROGRAMME_YEAR_START = "09-01"
    make_beneficiary("august", region="MA-01", track="acculturation", created=local(2026, 8, 31, 23, 59))
    make_beneficiary("september", region="MA-01", track="acculturation", created=local(2026, 9, 1, 0, 1))
    summary = programme_summary(2026)
    assert summary.period.start == local(2026, 9, 1, 0, 0)
    assert summary.totals.registered == 1
    assert programme_summary(2025).totals.registered == 1


def test_reported_years_from_first_registration(settings):
    make_beneficiary("old", region="MA-01", track="acculturation", created=local(2023, 5, 1))
    years = reported_years()
    assert years[0] == 2023
    assert years[-1] == programme_summary().year


def test_reported_years_without_beneficiaries():
    assert reported_years() == [programme_summary().year]


def _build_learners(count):
    courses = [make_course(300), make_course(301)]
    for number in range(count):
        region = ("MA-01", "MA-02", "MA-04", "MA-06", "MA-09")[number % 5]
        track = ("perfectionnement", "acculturation")[number % 2]
        user = make_beneficiary(f"learner{number}", region=region, track=track, created=local(2026, 2, 1))
        for course in courses:
            enroll(user, course, at=local(2026, 2, 2), active=number % 3 != 0)
            grade(user, course, at=local(2026, 3, 1), passed=number % 4 == 0)


@pytest.mark.parametrize("learners", [5, 50])
def test_summary_query_count_constant(django_assert_num_queries, learners):
    _build_learners(learners)
    with django_assert_num_queries(4):
        summary = programme_summary(2026)
    assert summary.totals.registered == learners
    assert summary.totals.ever_enrolled == learners
    assert summary.totals.enrolled == len([n for n in range(learners) if n % 3 != 0])
    assert summary.totals.passed == len([n for n in range(learners) if n % 4 == 0])


def test_summary_as_dict():
    build_programme()
    data = programme_summary(2026).as_dict()
    assert data["year"] == 2026
    assert data["start"] == "2026-01-01T00:00:00+01:00"
    # The offset on 1 January 2027 comes from the installed tz database (tzdata 2026f: UTC+0).
    assert data["end"] == dt.datetime(2027, 1, 1, tzinfo=ZoneInfo("Africa/Casablanca")).isoformat()
    assert data["time_zone"] == "Africa/Casablanca"
    assert data["totals"] == {"registered": 5, "enrolled": 3, "ever_enrolled": 4, "passed": 3}
    assert data["by_track"][0] == {
        "key": "perfectionnement",
        "name_fr": "Perfectionnement digital",
        "name_ar": "تطوير الكفاءات الرقمية",
        "registered": 3,
        "enrolled": 2,
        "ever_enrolled": 2,
        "passed": 2,
    }
    assert len(data["by_region"]) == 12
