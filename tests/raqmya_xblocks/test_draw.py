"""Tests of the question draw and choice order: stable per learner and attempt, new per attempt."""

from __future__ import annotations

from raqmya_xblocks.draw import choice_order, draw_questions
from raqmya_xblocks.questions import parse_question, parse_questions

from .conftest import question

POOL = parse_questions([question(f"q{n}") for n in range(10)])


def _ids(questions) -> list[str]:
    return [q.id for q in questions]


def test_draw_size_is_pool_size():
    assert len(draw_questions(POOL, 5, learner=7, usage_key="u1", attempt=1)) == 5


def test_draw_zero_serves_all_questions_in_bank_order():
    assert _ids(draw_questions(POOL, 0, learner=7, usage_key="u1", attempt=1)) == _ids(POOL)


def test_draw_keeps_bank_order():
    drawn = _ids(draw_questions(POOL, 5, learner=7, usage_key="u1", attempt=1))
    assert drawn == sorted(drawn, key=lambda question_id: int(question_id[1:]))


def test_draw_larger_than_pool_serves_all():
    assert len(draw_questions(POOL, 50, learner=7, usage_key="u1", attempt=1)) == 10


def test_draw_stable_for_learner_and_attempt():
    first = _ids(draw_questions(POOL, 5, learner=7, usage_key="u1", attempt=1))
    again = _ids(draw_questions(list(POOL), 5, learner=7, usage_key="u1", attempt=1))
    assert first == again


def test_draw_changes_with_attempt():
    draws = {tuple(_ids(draw_questions(POOL, 5, learner=7, usage_key="u1", attempt=n))) for n in range(1, 6)}
    assert len(draws) > 1


def test_draw_differs_between_learners():
    draws = {tuple(_ids(draw_questions(POOL, 5, learner=n, usage_key="u1", attempt=1))) for n in range(1, 6)}
    assert len(draws) > 1


def test_draw_of_empty_pool_is_empty():
    assert draw_questions([], 5, learner=7, usage_key="u1", attempt=1) == []


def test_choice_order_stable_and_complete():
    parsed = parse_question(dict(question("q1"), choices=[{"id": c, "text": c, "correct": c == "a"} for c in "abcdef"]))
    first = choice_order(parsed, learner=7, usage_key="u1", attempt=1)
    assert first == choice_order(parsed, learner=7, usage_key="u1", attempt=1)
    assert sorted(first) == list("abcdef")


def test_choice_order_changes_across_attempts():
    parsed = parse_question(dict(question("q1"), choices=[{"id": c, "text": c, "correct": c == "a"} for c in "abcdef"]))
    orders = {tuple(choice_order(parsed, learner=7, usage_key="u1", attempt=n)) for n in range(1, 6)}
    assert len(orders) > 1


def test_choice_order_true_false_kept():
    choices = [{"id": "true", "text": "Vrai", "correct": True}, {"id": "false", "text": "Faux", "correct": False}]
    data = dict(question("tf"), type="true_false", choices=choices)
    assert choice_order(parse_question(data), learner=7, usage_key="u1", attempt=3) == ["true", "false"]
