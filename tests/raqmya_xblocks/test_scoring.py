"""Tests of the grading rule: single, true/false and multiple-response questions, rounding, totals."""

from __future__ import annotations

import pytest

from raqmya_xblocks.errors import InvalidAnswer, UnknownChoice
from raqmya_xblocks.questions import parse_question, parse_questions
from raqmya_xblocks.scoring import grade, percent, round_points, score_answers

from .conftest import question


def multiple(question_id: str = "m1", correct=("a", "b"), points=1, competence="2.1") -> dict:
    """A multiple-response question with choices a to d, ``correct`` marked correct."""
    data = question(question_id, competence=competence, points=points)
    data["type"] = "multiple"
    data["choices"] = [{"id": c, "text": f"Choice {c}", "correct": c in correct} for c in "abcd"]
    return data


def true_false(question_id: str = "tf1") -> dict:
    data = question(question_id)
    data["type"] = "true_false"
    data["choices"] = [
        {"id": "true", "text": "Vrai", "correct": True},
        {"id": "false", "text": "Faux", "correct": False},
    ]
    return data


@pytest.mark.parametrize(
    "answer, expected",
    [
        (["a", "b"], 3),
        (["a"], 1.5),
        (["a", "b", "c"], 1.5),
        (["a", "c"], 0),
        (["c", "d"], 0),
        (["a", "b", "c", "d"], 0),
    ],
    ids=["all-correct", "half", "all-plus-one-wrong", "one-right-one-wrong", "all-wrong", "everything"],
)
def test_grade_multiple_partial_credit(answer, expected):
    assert grade(parse_question(multiple(points=3)), answer) == expected


def test_grade_multiple_thirds_round_half_up():
    parsed = parse_question(multiple(correct=("a", "b", "c"), points=1))
    assert grade(parsed, ["a"]) == 0.33
    assert grade(parsed, ["a", "b"]) == 0.67


def test_grade_multiple_order_of_ids_irrelevant():
    parsed = parse_question(multiple(points=2))
    assert grade(parsed, ["b", "a"]) == grade(parsed, ["a", "b"])


@pytest.mark.parametrize("answer", ["a", [], ["a", "a"], [1], {"a": True}])
def test_grade_multiple_bad_shape(answer):
    with pytest.raises(InvalidAnswer):
        grade(parse_question(multiple()), answer)


def test_grade_multiple_unknown_choice():
    with pytest.raises(UnknownChoice):
        grade(parse_question(multiple()), ["a", "z"])


def test_grade_true_false():
    parsed = parse_question(true_false())
    assert grade(parsed, "true") == 1
    assert grade(parsed, "false") == 0


def test_grade_single_list_is_invalid():
    with pytest.raises(InvalidAnswer):
        grade(parse_question(question("q1")), ["a"])


@pytest.mark.parametrize(
    "value, expected", [(0.125, 0.13), (0.135, 0.14), (2.0, 2), (66.665, 66.67), (1 / 3, 0.33), (0, 0)]
)
def test_round_points_half_up(value, expected):
    assert round_points(value) == expected


def test_round_points_whole_is_int():
    assert isinstance(round_points(3.0), int)


@pytest.mark.parametrize("earned, possible, expected", [(2, 3, 66.67), (1, 3, 33.33), (7, 10, 70), (0, 0, 0)])
def test_percent_rounded(earned, possible, expected):
    assert percent(earned, possible) == expected


def test_score_answers_per_question_competence_area():
    pool = parse_questions([question("q1", "a", competence="4.2"), multiple("m1", competence="2.1", points=2),
                            question("q3", "c", competence="2.2")])
    score = score_answers(pool, {"q1": "a", "m1": ["a"], "q3": "a"})
    assert score.earned == 2
    assert score.possible == 4
    assert score.percent == 50
    assert {k: v.to_json() for k, v in score.questions.items()} == {
        "q1": {"earned": 1, "possible": 1, "correct": True},
        "m1": {"earned": 1, "possible": 2, "correct": False},
        "q3": {"earned": 0, "possible": 1, "correct": False},
    }
    assert score.competences == {
        "4.2": {"earned": 1, "possible": 1}, "2.1": {"earned": 1, "possible": 2}, "2.2": {"earned": 0, "possible": 1}
    }
    assert score.areas == {"4": {"earned": 1, "possible": 1}, "2": {"earned": 1, "possible": 3}}


def test_score_total_is_sum_of_rounded_question_points():
    pool = parse_questions([multiple(f"m{n}", correct=("a", "b", "c")) for n in range(3)])
    score = score_answers(pool, {f"m{n}": ["a"] for n in range(3)})
    assert score.earned == 0.99
    assert score.percent == 33
