"""Tests of placement item results: how a run's items are stored, and how item analysis reports them."""

from __future__ import annotations

import math
import random

import pytest
from django.utils import translation

from raqmya_reports import api
from raqmya_reports.delivery.scope import Scope
from raqmya_reports.delivery.service import OPERATOR_SCOPE, items_data
from raqmya_reports.registry.models import Course, PlacementItemResult, PlacementResult
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.items import item_analysis
from raqmya_xblocks.placement.session import PlacementRun
from raqmya_xblocks.questions import Question
from tests.raqmya_reports.reports.builders import enroll, local
from tests.raqmya_reports.reports.items_data import learner

pytestmark = pytest.mark.django_db

PLACEMENT_KEY = "block-v1:Raqmya+POS+2026+type@raqmya_placement+block@test"
COURSE_KEY = "course-v1:Raqmya+POS+2026"
YEAR_2026 = ReportFilters(year=2026, usage_key=PLACEMENT_KEY)


def item(correct: bool, ability: float, *, competence: str = "1.1", difficulty: float | None = 0.5) -> dict:
    return {"correct": correct, "competence": competence, "difficulty": difficulty, "ability": ability}


def place(user, items: dict[str, dict] | None, *, attempt: int = 1, day: int = 1, course_key: str = COURSE_KEY,
          usage_key: str = PLACEMENT_KEY) -> bool:
    return api.record_placement(user_id=user.pk, usage_key=usage_key, attempt=attempt, levels={"1": 4},
                                track="acculturation", submitted_at=local(2026, 4, day), course_key=course_key,
                                items=items)


def rows() -> dict:
    return {row.question_id: row for row in item_analysis(YEAR_2026)}


def test_run_items_stored_with_course():
    user = learner("amal")
    assert place(user, {"p1": item(True, 1.25), "p2": item(False, -0.5, competence="1.2", difficulty=None)}) is True
    placement = PlacementResult.objects.get(user=user)
    assert placement.course.course_key == COURSE_KEY
    stored = sorted(placement.items.values_list("question_id", "competence", "correct", "difficulty", "ability"))
    assert stored == [("p1", "1.1", True, 0.5, 1.25), ("p2", "1.2", False, None, -0.5)]


def test_repeat_record_adds_missing_items_once():
    user = learner("badr")
    assert place(user, None) is True
    assert PlacementItemResult.objects.count() == 0
    assert place(user, {"p1": item(True, 1.0)}) is False
    assert place(user, {"p1": item(False, -3.0), "p9": item(True, 0.0)}) is False
    assert list(PlacementItemResult.objects.values_list("question_id", "correct", "ability")) == [("p1", True, 1.0)]


@pytest.mark.parametrize("items, message", [
    ({}, "items is {}; give a non-empty dict of served item ids"),
    ({"p1": item(True, 9.5)}, "Ability 9.5 at item p1 is not a number from -6.0 to 6.0 logits"),
    ({"p1": item(True, float("nan"))}, "Ability nan at item p1 is not a number"),
    ({"p1": item(True, 0.0, competence="6.1")}, "Competence '6.1' of item p1 is not a DigComp 2.2 code"),
    ({"p1": item(True, 0.0, difficulty="hard")}, "Difficulty 'hard' of item p1 is not a number"),
    ({"p1": {**item(True, 0.0), "correct": 1}}, "correct of item p1 is 1; give true or false"),
    ({"p1": {"correct": True}}, "Result of item p1 is {'correct': True}; give correct, competence"),
    ({"": item(True, 0.0)}, "Item id '' is not valid"),
    ({f"p{number}": item(True, 0.0) for number in range(201)}, "A run sends 201 items; one run serves at most 200"),
])
def test_bad_items_rejected_nothing_stored(items, message):
    user = learner("chama")
    with translation.override("en"), pytest.raises(api.InvalidAssessmentResult) as raised:
        place(user, items)
    assert message in str(raised.value)
    assert (PlacementResult.objects.count(), PlacementItemResult.objects.count()) == (0, 0)


def test_bad_item_error_in_french():
    with translation.override("fr"), pytest.raises(api.InvalidAssessmentResult) as raised:
        place(learner("driss"), {"p1": item("oui", 0.0)})
    assert "p1" in str(raised.value)
    assert "vrai ou faux" in str(raised.value)


def test_placement_item_estimate_and_discrimination():
    # p1: abilities -1, -1, 1 and 1, and the two at 1 were right. Share 0.5 at mean 0: difficulty 0,
    # and answering right follows the ability exactly: discrimination 1.
    # p2: three learners at 2 logits, one right: 2 + ln 2 = 2.69. Equal abilities give no discrimination.
    for number, (ability, right) in enumerate([(-1.0, False), (-1.0, False), (1.0, True), (1.0, True)]):
        place(learner(f"p1-{number}"), {"p1": item(right, ability)})
    for number, right in enumerate([True, False, False]):
        place(learner(f"p2-{number}"), {"p2": item(right, 2.0, competence="1.2", difficulty=2.5)})
    found = rows()
    p1, p2 = found["p1"], found["p2"]
    assert (p1.served, p1.correct, p1.earned, p1.possible) == (4, 2, 2.0, 4.0)
    assert (p1.estimated_difficulty, p1.discrimination, p1.authored_difficulty) == (0.0, 1.0, 0.5)
    assert (p2.served, p2.correct, p2.estimated_difficulty, p2.discrimination) == (3, 1, 2.69, None)
    assert (p1.competence, p2.competence, p2.authored_difficulty) == ("1.1", "1.2", 2.5)


def test_placement_items_latest_run_only():
    user = learner("elias")
    place(user, {"p1": item(False, -2.0)}, attempt=1, day=1)
    place(user, {"p1": item(True, 1.5, difficulty=1.0)}, attempt=2, day=3)
    p1 = rows()["p1"]
    assert (p1.served, p1.correct, p1.authored_difficulty) == (1, 1, 1.0)
    # 1 of 1 right, a share of 1.5 / 2: 1.5 + ln(0.5 / 1.5) = 0.40.
    assert p1.estimated_difficulty == 0.4


def test_course_filter_selects_placement_items():
    place(learner("fadwa"), {"p1": item(True, 0.0)})
    other_course = ReportFilters(year=2026, course="course-v1:Raqmya+OTHER+2026")
    assert [row for row in item_analysis(other_course) if row.usage_key == PLACEMENT_KEY] == []
    own_course = ReportFilters(year=2026, course=COURSE_KEY)
    assert [row.question_id for row in item_analysis(own_course)] == ["p1"]


def test_course_staff_see_own_placements():
    user = learner("ghita")
    place(user, {"p1": item(True, 0.0)})
    own = Course.objects.get(course_key=COURSE_KEY)
    other = Course.objects.create(course_key="course-v1:Raqmya+OTHER+2026")
    for course in (own, other):  # The learner is in both courses, so both staffs may see her.
        enroll(user, course, at=local(2026, 3, 1))
    for course, expected in ((own, ["p1"]), (other, [])):
        scope = Scope(user_id=None, unrestricted=False, can_see_identities=False, course_ids=frozenset({course.pk}))
        assert [row.question_id for row in item_analysis(YEAR_2026, scope)] == expected


def test_province_scope_hides_small_placement_cells():
    place(learner("hiba"), {"p1": item(True, 1.5)})
    scoped = Scope(user_id=None, unrestricted=False, can_see_identities=False, regions=frozenset({"MA-06"}))
    shown = {row["question_id"]: row for row in items_data(YEAR_2026, scoped)["rows"]}
    assert (shown["p1"]["served"], shown["p1"]["estimated_difficulty"]) == ("< 5", None)
    whole = {row["question_id"]: row for row in items_data(YEAR_2026, OPERATOR_SCOPE)["rows"]}
    # 1 of 1 right at ability 1.5, a share of 1.5 / 2: 1.5 + ln(0.5 / 1.5) = 0.40.
    assert (whole["p1"]["served"], whole["p1"]["estimated_difficulty"]) == (1, 0.4)


def test_items_ordered_by_block_then_item():
    place(learner("idriss"), {"p2": item(True, 0.0), "p1": item(False, 0.0)})
    place(learner("jamila"), {"x1": item(True, 0.0)}, usage_key=PLACEMENT_KEY.replace("@test", "@another"))
    keys = [(row.usage_key.rsplit("@", 1)[1], row.question_id) for row in item_analysis(ReportFilters(year=2026))]
    assert keys == [("another", "x1"), ("test", "p1"), ("test", "p2")]


def _bank(difficulties: list[float]) -> list[Question]:
    choices = ({"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B", "correct": False})
    from raqmya_xblocks.questions import parse_questions  # pylint: disable=import-outside-toplevel

    return parse_questions([
        {"id": f"b{number:02d}", "stem": f"Item {number}", "choices": list(choices), "competence": "2.1",
         "tracks": ["acculturation"], "level": 4, "difficulty": value}
        for number, value in enumerate(difficulties)
    ])


def test_simulated_runs_recover_difficulties():
    """300 seeded learners of N(0, 1.2) abilities take the adaptive test on a bank of 12 items of known difficulty.

    Each answers by the Rasch model. Item analysis then estimates each item from the runs alone,
    authored difficulties aside. Every item is served to at least 30 learners (67 to 300 with this
    seed), and every estimate comes out within 0.4 logits of the true difficulty, 0.15 on average
    (0.37 and 0.10 with this seed).
    """
    truth = [-2.75, -2.25, -1.75, -1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75]
    bank = _bank(truth)
    draw = random.Random(20261204)
    for number in range(300):
        ability = draw.gauss(0.0, 1.2)
        run = PlacementRun(bank)
        following = run.next_item()
        while following is not None:
            chance = 1.0 / (1.0 + math.exp(following.difficulty - ability))
            run.record(following.id, draw.random() < chance)
            following = run.next_item()
        items = {item_id: {**result, "difficulty": None} for item_id, result in run.item_results().items()}
        place(learner(f"sim{number}"), items)
    errors = {row.question_id: abs(row.estimated_difficulty - truth[int(row.question_id[1:])])
              for row in item_analysis(YEAR_2026) if row.served >= 30}
    assert len(errors) == 12
    assert max(errors.values()) < 0.4
    assert sum(errors.values()) / len(errors) < 0.15
