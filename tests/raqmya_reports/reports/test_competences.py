"""Tests of the competence map: latest attempts only, served questions only, by track and by region."""

import pytest

from raqmya_reports.registry.models import AssessmentResult
from raqmya_reports.reports.competences import competence_map
from raqmya_reports.reports.filters import ReportFilters
from tests.raqmya_reports.reports.builders import local, make_beneficiary

pytestmark = pytest.mark.django_db

USAGE_KEY = "block-v1:Raqmya+DIGI101+2026+type@raqmya_assessment+block@final"
YEAR_2026 = ReportFilters(year=2026)


def _result(user, attempt, competences, day=2):
    earned = sum(points["earned"] for points in competences.values())
    possible = sum(points["possible"] for points in competences.values())
    AssessmentResult.objects.create(
        user=user, usage_key=USAGE_KEY, attempt=attempt, earned=earned, possible=possible, passed=earned > 1,
        competences=competences, submitted_at=local(2026, 4, day),
    )


@pytest.fixture(name="two_learners")
def fixture_two_learners():
    """A pool where each learner is served different questions: only 2.4 is served to both."""
    first = make_beneficiary("first", region="MA-06", track="acculturation", created=local(2026, 3, 1))
    second = make_beneficiary("second", region="MA-01", track="perfectionnement", created=local(2026, 3, 1))
    _result(first, 1, {"2.4": {"earned": 0, "possible": 2}, "1.1": {"earned": 0, "possible": 1}}, day=1)
    _result(first, 2, {"2.4": {"earned": 2, "possible": 2}, "1.1": {"earned": 1, "possible": 1}}, day=2)
    _result(second, 1, {"2.4": {"earned": 1, "possible": 2}, "5.2": {"earned": 0, "possible": 3}})
    return first, second


def test_competence_map_uses_latest_attempt_and_served_questions(two_learners):
    [row] = competence_map(YEAR_2026)
    # 2.4: (2 + 1) of (2 + 2); 1.1 served to the first learner only: 1 of 1; 5.2 to the second only: 0 of 3.
    assert [row["competences"][code] for code in ("2.4", "1.1", "5.2", "3.1")] == [75.0, 100.0, 0.0, None]


def test_competence_map_areas(two_learners):
    [row] = competence_map(YEAR_2026)
    assert row["areas"] == {"1": 100.0, "2": 75.0, "3": None, "4": None, "5": 0.0}


def test_competence_map_by_track(two_learners):
    rows = competence_map(YEAR_2026, "track")
    assert [(row["group"], row["learners"], row["competences"]["2.4"]) for row in rows] == [
        ("acculturation", 1, 100.0), ("perfectionnement", 1, 50.0),
    ]


def test_competence_map_by_region(two_learners):
    rows = competence_map(YEAR_2026, "region")
    assert [(row["group"], row["competences"]["1.1"]) for row in rows] == [("MA-01", None), ("MA-06", 100.0)]
