"""Tests of the difficulty that item analysis estimates from results, on the placement test's ability scale."""

import math

import pytest
from django.utils import translation

from raqmya_reports import api
from raqmya_reports.delivery.service import OPERATOR_SCOPE, items_data
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.items import item_analysis
from tests.raqmya_reports.reports.builders import local
from tests.raqmya_reports.reports.items_data import USAGE_KEY, build_pool_of_ten, learner, record_attempt

pytestmark = pytest.mark.django_db

YEAR_2026 = ReportFilters(year=2026, usage_key=USAGE_KEY)
PLACEMENT_KEY = "block-v1:Raqmya+DIGI101+2026+type@raqmya_placement+block@placement"


def place(user, levels: dict[str, int], attempt: int = 1, day: int = 1):
    api.record_placement(user_id=user.pk, usage_key=PLACEMENT_KEY, attempt=attempt, levels=levels,
                         track="acculturation", submitted_at=local(2026, 4, day))


def estimates() -> dict:
    return {row.question_id: row.estimated_difficulty for row in item_analysis(YEAR_2026)}


def test_estimate_without_placements_is_logit_of_share_wrong():
    build_pool_of_ten()
    found = estimates()
    # q01: 4 of 4 right, a share of 4.5 / 5: ln(0.5 / 4.5) = -2.20. q07: 2 of 4: 0. q08: 1 of 3: ln 2.
    # q09: 0 of 3, a share of 0.5 / 4: ln 7 = 1.95.
    assert (found["q01"], found["q07"], found["q08"], found["q09"]) == (-2.2, 0.0, 0.69, 1.95)


def test_estimate_uses_latest_placement_level_of_the_area():
    users = build_pool_of_ten()
    # q08 (competence 4.2) was served to third (right), fourth and fifth (wrong).
    place(users["third"], {"4": 1}, attempt=1, day=1)
    place(users["third"], {"4": 6}, attempt=2, day=2)  # latest: level 6, 1.5 logits
    place(users["fourth"], {"1": 8, "4": 3})  # level 3 of area 4: -1.5 logits; area 1 does not count
    # fifth has no placement: 0. Mean 0, variance 1.5, so 0.69315 x sqrt(1 + 1.5 / 2.89) = 0.85.
    assert estimates()["q08"] == 0.85


def test_estimate_shifted_by_mean_ability():
    users = build_pool_of_ten()
    # q02 (competence 1.1): first and third right, fifth wrong, all three at level 7 of area 1 (2.5 logits).
    for name in ("first", "third", "fifth"):
        place(users[name], {"1": 7})
    assert estimates()["q02"] == round(2.5 + math.log(0.5), 2)


def _simulated_cohort(difficulties: dict[str, float]) -> None:
    """Record 80 learners of levels 2 to 7 (bell-shaped counts) answering Rasch items of known difficulty.

    In each level, the number who answer an item right is the model's chance times the learners, rounded.
    """
    counts = {2: 4, 3: 12, 4: 24, 5: 24, 6: 12, 7: 4}
    for level, count in counts.items():
        ability = level - 4.5
        right = {question: round(count / (1.0 + math.exp(b - ability))) for question, b in difficulties.items()}
        for number in range(count):
            user = learner(f"level{level}-{number}")
            place(user, {"1": level, "2": level})
            record_attempt(user, sorted(difficulties), {q for q, r in right.items() if number < r})


def test_estimate_recovers_simulated_difficulties():
    """Known difficulties of 0.8 (q01, area 1) and -1.0 (q03, area 2) are estimated within 0.1 logits."""
    _simulated_cohort({"q01": 0.8, "q03": -1.0})
    found = estimates()
    assert found["q01"] == pytest.approx(0.8, abs=0.1)
    assert found["q03"] == pytest.approx(-1.0, abs=0.1)


def test_items_data_shows_estimate_column():
    build_pool_of_ten()
    data = items_data(YEAR_2026, OPERATOR_SCOPE)
    assert "estimated_difficulty" in data["columns"]
    assert {row["question_id"]: row["estimated_difficulty"] for row in data["rows"]}["q08"] == 0.69


def test_items_data_hides_estimate_in_small_cells(settings):
    build_pool_of_ten()
    from raqmya_reports.delivery.scope import Scope  # pylint: disable=import-outside-toplevel

    scoped = Scope(user_id=None, unrestricted=False, can_see_identities=False, regions=frozenset({"MA-06"}))
    rows = {row["question_id"]: row for row in items_data(YEAR_2026, scoped)["rows"]}
    assert rows["q08"]["estimated_difficulty"] is None
    assert rows["q08"]["served"] == "< 5"


def test_estimate_ignores_placements_of_learners_not_served():
    build_pool_of_ten()
    place(learner("outsider"), {"4": 8})
    assert estimates()["q08"] == 0.69


def _attempt_with_difficulty(user, difficulty, day: int):
    questions = {"q01": {"earned": 1, "possible": 1, "correct": True, "competence": "1.1", "difficulty": difficulty},
                 "q03": {"earned": 0, "possible": 1, "correct": False, "competence": "2.4"}}
    api.record_assessment_result(
        user_id=user.pk, usage_key=USAGE_KEY, course_key="course-v1:Raqmya+DIGI101+2026", attempt=1,
        track="acculturation", earned=1, possible=2, passed=True,
        competences={"1.1": {"earned": 1, "possible": 1}, "2.4": {"earned": 0, "possible": 1}},
        submitted_at=local(2026, 5, day), questions=questions,
    )


def test_authored_difficulty_of_latest_attempt():
    _attempt_with_difficulty(learner("early"), 0.5, day=2)
    _attempt_with_difficulty(learner("late"), -1.25, day=9)
    rows = {row.question_id: row for row in item_analysis(YEAR_2026)}
    assert rows["q01"].authored_difficulty == -1.25
    assert rows["q03"].authored_difficulty is None


def test_authored_and_estimated_side_by_side_in_items_data():
    _attempt_with_difficulty(learner("early"), 0.5, day=2)
    _attempt_with_difficulty(learner("late"), 0.5, day=9)
    data = items_data(YEAR_2026, OPERATOR_SCOPE)
    columns = list(data["columns"])
    assert columns[-2:] == ["authored_difficulty", "estimated_difficulty"]
    q01 = next(row for row in data["rows"] if row["question_id"] == "q01")
    # 2 of 2 right, a share of 2.5 / 3: ln(0.5 / 2.5) = -1.61.
    assert (q01["authored_difficulty"], q01["estimated_difficulty"]) == (0.5, -1.61)


@pytest.mark.parametrize("value", [7, "1", True, float("nan")])
def test_authored_difficulty_out_of_range_rejected(value):
    with translation.override("en"), pytest.raises(api.InvalidAssessmentResult) as raised:
        _attempt_with_difficulty(learner("bad"), value, day=2)
    assert f"Difficulty {value!r} of question q01 is not a number from -6 to 6 logits" in str(raised.value)


def test_authored_difficulty_error_in_french():
    with translation.override("fr"), pytest.raises(api.InvalidAssessmentResult) as raised:
        _attempt_with_difficulty(learner("bad"), 7, day=2)
    assert str(raised.value).startswith("La difficulté 7 de la question q01 n’est pas un nombre de -6 à 6 logits")
