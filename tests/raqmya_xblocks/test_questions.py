"""Tests of the question model: parsing errors, HTML sanitising, grading by choice id and track selection."""

from __future__ import annotations

import copy
import random

import pytest

from raqmya_xblocks.errors import (
    InvalidAnswer,
    InvalidQuestion,
    MissingAnswer,
    UnexpectedAnswer,
    UnknownChoice,
    UnknownTrack,
)
from raqmya_xblocks.questions import (
    Question,
    QuestionType,
    parse_question,
    parse_questions,
    parse_questions_json,
    sanitize_html,
    select_for_track,
    total_points,
)
from raqmya_xblocks.scoring import grade, score_answers

from .conftest import question


def test_parse_question_valid_fields():
    parsed = parse_question(question("q-phishing", "b", competence="4.2", tracks=["acculturation"], points=2))
    assert parsed.id == "q-phishing"
    assert parsed.type is QuestionType.SINGLE
    assert parsed.stem == "<p>Stem of q-phishing</p>"
    assert [choice.id for choice in parsed.choices] == ["a", "b", "c"]
    assert [choice.correct for choice in parsed.choices] == [False, True, False]
    assert parsed.competence == "4.2"
    assert parsed.tracks == frozenset({"acculturation"})
    assert parsed.points == 2


def test_parse_question_defaults_type_and_points():
    data = question("q1")
    del data["type"], data["points"]
    parsed = parse_question(data)
    assert parsed.type is QuestionType.SINGLE
    assert parsed.points == 1


def test_sanitize_keeps_bold_drops_script():
    assert sanitize_html("<b>ok</b><script>alert(1)</script>") == "<b>ok</b>"


@pytest.mark.parametrize("html, expected", [
    ("<p>Page\x0cnext</p>", "<p>Page next</p>"),
    ("<p>tab\x0bvertical</p>", "<p>tab vertical</p>"),
    ("<p>a\x00b\x08c\x1fd</p>", "<p>abcd</p>"),
    ("<p>a\ufffeb\uffffc\ud800d</p>", "<p>abcd</p>"),
    ("<p>keep\ttab\nline é ع 😀\x7f</p>", "<p>keep\ttab\nline é ع 😀\x7f</p>"),
])
def test_sanitize_removes_non_xml_characters(html, expected):
    assert sanitize_html(html) == expected


def test_parse_question_stem_of_control_characters_only():
    with pytest.raises(InvalidQuestion) as raised:
        parse_question({**question("q1"), "stem": "\x0c\x01"})
    assert raised.value.field == "stem"


def test_sanitize_img_loses_onerror():
    cleaned = sanitize_html('<p>x<img src=x onerror=alert(1)></p>')
    assert "onerror" not in cleaned
    assert cleaned == "<p>x</p>"


def test_sanitize_span_keeps_lang_and_dir_only():
    cleaned = sanitize_html('<span lang="fr" dir="ltr" onclick="steal()" style="color:red">Rabat</span>')
    assert cleaned == '<span lang="fr" dir="ltr">Rabat</span>'


def test_sanitize_span_drops_bad_dir_value():
    assert sanitize_html('<span dir="sideways">x</span>') == "<span>x</span>"


def test_sanitize_drops_links_keeps_text():
    assert sanitize_html('<a href="javascript:alert(1)">lien</a>') == "lien"


def test_parse_question_sanitises_stem_choice_feedback():
    data = question("q1")
    data["stem"] = "<b>ok</b><script>alert(1)</script>"
    data["choices"][0]["text"] = '<i onmouseover="x()">A</i>'
    data["choices"][0]["feedback"] = "<em>Bien</em><style>p{}</style>"
    parsed = parse_question(data)
    assert parsed.stem == "<b>ok</b>"
    assert parsed.choices[0].text == "<i>A</i>"
    assert parsed.choices[0].feedback == "<em>Bien</em>"


def _invalid(change) -> dict:
    data = question("q-bad")
    change(data)
    return data


PARSE_ERRORS = [
    # (case, question data, fragments the message must contain)
    ("not an object", ["q1"], ["Invalid question 1:", "'q1'", "JSON object"]),
    ("unknown key", _invalid(lambda d: d.update(answer="a")), ["'q-bad'", "['answer']", "use only"]),
    ("missing key", _invalid(lambda d: d.pop("competence")), ["'q-bad'", "['competence']", "add competence"]),
    ("bad id", _invalid(lambda d: d.update(id="q bad!")), ["'q bad!'", "letters, digits"]),
    ("essay type", _invalid(lambda d: d.update(type="essay")), ["'q-bad'", "'essay'", "single, multiple, true_false"]),
    ("level 9", _invalid(lambda d: d.update(level=9)), ["'q-bad'", "level 9", "from 1 to 8"]),
    ("level as string", _invalid(lambda d: d.update(level="3")), ["level '3'", "whole number"]),
    ("tags not list", _invalid(lambda d: d.update(tags="web")), ["tags 'web'", "list of non-empty strings"]),
    ("true_false 3 choices", _invalid(lambda d: d.update(type="true_false")), ["3 choices", "exactly 2"]),
    ("multiple none correct", _invalid(lambda d: d.update(type="multiple", choices=[
        dict(c, correct=False) for c in d["choices"]])), ["no choice is marked correct", "at least one"]),
    ("competence 6.1", _invalid(lambda d: d.update(competence="6.1")), ["'q-bad'", "'6.1'", "5.1 to 5.4"]),
    ("competence 1.10", _invalid(lambda d: d.update(competence="1.10")), ["'1.10'", "DigComp 2.2"]),
    ("competence as number", _invalid(lambda d: d.update(competence=4.2)), ["4.2", "as a string"]),
    ("competence as list", _invalid(lambda d: d.update(competence=["4.2"])), ["['4.2']", "DigComp 2.2"]),
    ("empty tracks", _invalid(lambda d: d.update(tracks=[])), ["'q-bad'", "tracks []", "perfectionnement"]),
    ("tracks as string", _invalid(lambda d: d.update(tracks="acculturation")), ["tracks 'acculturation'", "list"]),
    ("unknown track", _invalid(lambda d: d.update(tracks=["expert"])), ["['expert']", "acculturation"]),
    ("zero points", _invalid(lambda d: d.update(points=0)), ["points 0", "greater than 0"]),
    ("negative points", _invalid(lambda d: d.update(points=-1)), ["points -1", "greater than 0"]),
    ("boolean points", _invalid(lambda d: d.update(points=True)), ["points True", "such as 1"]),
    ("string points", _invalid(lambda d: d.update(points="1")), ["points '1'", "such as 1"]),
    ("infinite points", _invalid(lambda d: d.update(points=float("inf"))), ["points inf"]),
    ("stem only script", _invalid(lambda d: d.update(stem="<script>x()</script>")), ["stem", "no text"]),
    ("stem not string", _invalid(lambda d: d.update(stem=None)), ["stem None", "HTML string"]),
    ("one choice", _invalid(lambda d: d.update(choices=d["choices"][:1])), ["2 or more choices"]),
    ("choices not list", _invalid(lambda d: d.update(choices={"a": 1})), ["choices {'a': 1}"]),
    ("choice not object", _invalid(lambda d: d["choices"].append("d")), ["choice 4 is not an object", "JSON object"]),
    ("choice unknown key", _invalid(lambda d: d["choices"][1].update(points=1)),
     ["choice 2 has unknown keys", "['points']"]),
    ("choice missing text", _invalid(lambda d: d["choices"][2].pop("text")), ["choice 3 is missing", "['text']"]),
    ("choice correct string", _invalid(lambda d: d["choices"][0].update(correct="true")), ["correct='true'"]),
    ("duplicate choice ids", _invalid(lambda d: d["choices"][1].update(id="a")), ["['a']", "own id"]),
    ("no correct choice", _invalid(lambda d: d["choices"][0].update(correct=False)), ["0 choices", "exactly one"]),
    ("two correct choices", _invalid(lambda d: d["choices"][1].update(correct=True)), ["2 choices", "exactly one"]),
]


@pytest.mark.parametrize("data, fragments", [case[1:] for case in PARSE_ERRORS], ids=[c[0] for c in PARSE_ERRORS])
def test_parse_questions_error_names_value_and_fix(data, fragments):
    with pytest.raises(InvalidQuestion) as raised:
        parse_questions([data])
    for fragment in fragments:
        assert fragment in str(raised.value)
    assert raised.value.position == 0


def test_parse_questions_error_names_position():
    with pytest.raises(InvalidQuestion) as raised:
        parse_questions([question("q1"), question("q2", competence="9.9")])
    assert raised.value.position == 1
    assert raised.value.question_id == "q2"
    assert "Invalid question 2 ('q2'): " in str(raised.value)


def test_parse_questions_duplicate_id():
    with pytest.raises(InvalidQuestion) as raised:
        parse_questions([question("q1"), question("q1")])
    assert "id is already used by question 1;" in str(raised.value)
    assert raised.value.position == 1


def test_parse_questions_not_a_list():
    with pytest.raises(InvalidQuestion) as raised:
        parse_questions({"id": "q1"})
    assert "is not a list" in str(raised.value)


def test_parse_questions_json_syntax_error():
    with pytest.raises(InvalidQuestion) as raised:
        parse_questions_json('[{"id": "q1",}]')
    assert "line 1, column 14" in str(raised.value)
    assert "fix the JSON syntax" in str(raised.value)


def test_parse_questions_json_empty_list():
    assert parse_questions_json("[]") == []


def test_grade_correct_choice_earns_points():
    parsed = parse_question(question("q1", "b", points=3))
    assert grade(parsed, "b") == 3


def test_grade_wrong_choice_earns_zero():
    parsed = parse_question(question("q1", "b", points=3))
    assert grade(parsed, "a") == 0


def test_grade_shuffled_choices_same_grade():
    data = question("q1", "c")
    shuffled = copy.deepcopy(data)
    random.Random(7).shuffle(shuffled["choices"])
    shuffled["choices"].reverse()
    original, reordered = parse_question(data), parse_question(shuffled)
    assert [choice.id for choice in reordered.choices] != [choice.id for choice in original.choices]
    for choice_id in ("a", "b", "c"):
        assert grade(reordered, choice_id) == grade(original, choice_id)


def test_grade_unknown_choice_raises():
    parsed = parse_question(question("q1"))
    with pytest.raises(UnknownChoice) as raised:
        grade(parsed, "z")
    assert str(raised.value) == "Question 'q1' has no choice 'z'; answer with one of its choice ids: a, b, c."


def test_grade_position_number_is_invalid_answer():
    parsed = parse_question(question("q1", "a"))
    with pytest.raises(InvalidAnswer):
        grade(parsed, 0)


def test_grade_position_string_is_unknown_choice():
    parsed = parse_question(question("q1", "a"))
    with pytest.raises(UnknownChoice):
        grade(parsed, "0")


def _pool() -> list[Question]:
    return parse_questions(
        [
            question("both", tracks=["perfectionnement", "acculturation"]),
            question("pro", tracks=["perfectionnement"], points=2),
            question("public", tracks=["acculturation"], points=3),
        ]
    )


def test_select_for_track_perfectionnement():
    assert [q.id for q in select_for_track(_pool(), "perfectionnement")] == ["both", "pro"]


def test_select_for_track_acculturation():
    assert [q.id for q in select_for_track(_pool(), "acculturation")] == ["both", "public"]


def test_select_for_track_none_gives_all():
    assert [q.id for q in select_for_track(_pool(), None)] == ["both", "pro", "public"]


def test_select_for_track_unknown_raises():
    with pytest.raises(UnknownTrack) as raised:
        select_for_track(_pool(), "expert")
    assert "'expert'" in str(raised.value)
    assert "perfectionnement, acculturation" in str(raised.value)


def test_total_points_of_empty_pool_is_zero():
    assert total_points([]) == 0


def test_score_answers_sums_per_competence():
    pool = parse_questions(
        [question("q1", "a", competence="4.2"), question("q2", "b", competence="4.2", points=2),
         question("q3", "c", competence="1.1")]
    )
    score = score_answers(pool, {"q1": "a", "q2": "a", "q3": "c"})
    assert score.earned == 2
    assert score.possible == 4
    assert score.percent == 50.0
    assert score.correct == {"q1": True, "q2": False, "q3": True}
    assert score.competences == {"4.2": {"earned": 1, "possible": 3}, "1.1": {"earned": 1, "possible": 1}}


def test_score_answers_missing_answer():
    pool = parse_questions([question("q1"), question("q2")])
    with pytest.raises(MissingAnswer) as raised:
        score_answers(pool, {"q1": "a"})
    assert raised.value.question_id == "q2"


def test_score_answers_unexpected_question():
    pool = parse_questions([question("q1")])
    with pytest.raises(UnexpectedAnswer) as raised:
        score_answers(pool, {"q1": "a", "q9": "a"})
    assert raised.value.question_id == "q9"
