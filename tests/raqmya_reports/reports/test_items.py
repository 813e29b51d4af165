"""Tests of item analysis: a pool of 10 with 5 served per learner, counted only among learners served each question."""

import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from raqmya_reports.delivery.service import OPERATOR_SCOPE, items_data
from raqmya_reports.reports.competences import competence_map
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.items import item_analysis, point_biserial
from tests.raqmya_reports.reports.items_data import USAGE_KEY, build_pool_of_ten, learner, record_attempt

pytestmark = pytest.mark.django_db

YEAR_2026 = ReportFilters(year=2026, usage_key=USAGE_KEY)


@pytest.fixture(name="rows")
def fixture_rows():
    build_pool_of_ten()
    return {row.question_id: row for row in item_analysis(YEAR_2026)}


def test_item_analysis_one_row_per_question_id(rows):
    assert list(rows) == [f"q{number:02d}" for number in range(1, 11)]


def test_item_analysis_served_counts_only_learners_served(rows):
    served = [rows[question].served for question in rows]
    assert served == [4, 3, 3, 2, 3, 3, 4, 3, 3, 2]


def test_item_analysis_correct_counts_latest_attempt(rows):
    correct = [rows[question].correct for question in rows]
    assert correct == [4, 2, 3, 2, 2, 2, 2, 1, 0, 0]


def test_item_analysis_correct_rate_over_served(rows):
    rates = [rows[question].correct_rate for question in rows]
    assert rates == [100.0, 66.7, 100.0, 100.0, 66.7, 66.7, 50.0, 33.3, 0.0, 0.0]


def test_item_analysis_competence_of_each_question(rows):
    assert [rows[question].competence for question in ("q01", "q04", "q06", "q07", "q10")] == [
        "1.1", "2.4", "3.1", "4.2", "5.2"
    ]


def test_item_analysis_discrimination_point_biserial_q07(rows):
    # Served to second (wrong, 40 %), fourth (wrong, 0 %), fifth (right, 60 %), sixth (right, 80 %):
    # r = (4 x 1.4 - 2 x 1.8) / sqrt((4 x 2 - 4) x (4 x 1.16 - 1.8^2)) = 2 / sqrt(5.6) = 0.845.
    assert rows["q07"].discrimination == 0.845


def test_item_analysis_discrimination_point_biserial_q02(rows):
    # first (right, 100 %), third (right, 80 %), fifth (wrong, 60 %): 0.6 / sqrt(2 x 0.24) = 0.866.
    assert rows["q02"].discrimination == 0.866


def test_item_analysis_discrimination_matches_pearson(rows):
    expected = round(statistics.correlation([0, 0, 1, 1], [0.4, 0.0, 0.6, 0.8]), 3)
    assert rows["q07"].discrimination == expected


def test_item_analysis_discrimination_none_when_all_correct(rows):
    assert rows["q01"].discrimination is None


def test_item_analysis_discrimination_none_when_all_wrong(rows):
    assert rows["q09"].discrimination is None


def test_point_biserial_one_learner_is_none():
    assert point_biserial({"served": 1, "correct_count": 1, "sum_y": 1.0, "sum_yy": 1.0, "sum_xy": 1.0}) is None


def test_items_data_competences_over_served_questions_only():
    build_pool_of_ten()
    [block] = items_data(YEAR_2026, OPERATOR_SCOPE)["blocks"]
    # 1.1: q01 4 of 4 and q02 2 of 3 = 6 of 7; 4.2: q07 2 of 4 and q08 1 of 3 = 3 of 7.
    assert block["competences"] == {"1.1": 85.7, "2.4": 100.0, "3.1": 66.7, "4.2": 42.9, "5.2": 0.0}


def test_competence_map_agrees_with_item_analysis():
    build_pool_of_ten()
    [row] = competence_map(ReportFilters(year=2026))
    assert [row["competences"][code] for code in ("1.1", "2.4", "3.1", "4.2", "5.2")] == [
        85.7, 100.0, 66.7, 42.9, 0.0
    ]


def test_items_data_rows_keyed_by_question_id_whatever_the_serving_order():
    build_pool_of_ten()
    rows = items_data(YEAR_2026, OPERATOR_SCOPE)["rows"]
    assert {row["question_id"]: row["served"] for row in rows}["q08"] == 3


def test_item_analysis_other_block_not_counted():
    users = build_pool_of_ten()
    other = USAGE_KEY.replace("block@final", "block@quiz")
    record_attempt(users["first"], ["q01"], set(), usage_key=other)
    rows = item_analysis(YEAR_2026)
    assert [row.served for row in rows if row.question_id == "q01"] == [4]


def test_item_analysis_without_usage_key_lists_every_block():
    users = build_pool_of_ten()
    other = USAGE_KEY.replace("block@final", "block@quiz")
    record_attempt(users["first"], ["q01"], set(), usage_key=other)
    rows = item_analysis(ReportFilters(year=2026))
    assert [(row.usage_key[-5:], row.question_id) for row in rows][:2] == [("final", "q01"), ("final", "q02")]
    assert [(row.usage_key[-4:], row.question_id, row.served) for row in rows][-1] == ("quiz", "q01", 1)


def test_item_analysis_attempt_outside_the_year_not_counted():
    build_pool_of_ten()
    assert item_analysis(ReportFilters(year=2027, usage_key=USAGE_KEY)) == []


def _queries_for(learners: int) -> int:
    for number in range(learners):
        user = learner(f"size{learners}-{number}")
        record_attempt(user, ["q01", "q02", "q03", "q04", "q05"], {"q01"})
    with CaptureQueriesContext(connection) as queries:
        items_data(YEAR_2026, OPERATOR_SCOPE)
    return len(queries)


def test_items_data_query_count_does_not_grow_with_learners():
    small = _queries_for(3)
    assert _queries_for(30) == small
