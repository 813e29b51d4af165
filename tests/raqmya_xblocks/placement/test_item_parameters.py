"""Tests of the item difficulty and discrimination in the shared question model and spreadsheet import."""

from __future__ import annotations

import pytest

from raqmya_xblocks.errors import InvalidQuestion
from raqmya_xblocks.questions import parse_question
from raqmya_xblocks.spreadsheet import COLUMNS, question_from_row

from ..conftest import question


def test_question_without_parameters_is_a_rasch_item_of_its_level():
    parsed = parse_question(question("q"))
    assert parsed.difficulty is None
    assert parsed.discrimination == 1.0


def test_question_keeps_its_difficulty_and_discrimination():
    parsed = parse_question({**question("q"), "difficulty": -1.5, "discrimination": 2})
    assert (parsed.difficulty, parsed.discrimination) == (-1.5, 2.0)


@pytest.mark.parametrize(("name", "value"), [("difficulty", 7), ("difficulty", "1"), ("discrimination", 0),
                                             ("discrimination", True), ("difficulty", float("nan"))])
def test_question_with_a_bad_parameter_is_refused(name, value):
    with pytest.raises(InvalidQuestion, match=f"{name} .* is not a number from"):
        parse_question({**question("q"), name: value})


def test_question_bad_difficulty_message_names_value_and_fix():
    with pytest.raises(InvalidQuestion) as raised:
        parse_question({**question("q"), "difficulty": 7})
    assert str(raised.value) == ("Invalid question 1 ('q'): difficulty 7 is not a number from -6 to 6; "
                                 "set difficulty to a number in that range, such as 1, or leave it out.")


def test_spreadsheet_columns_end_with_the_item_parameters():
    assert COLUMNS[-2:] == ("difficulty", "discrimination")


def test_spreadsheet_row_reads_decimal_commas_of_item_parameters():
    row = {"id": "q", "competence": "4.2", "tracks": "acculturation", "stem": "s", "choice 1": "a",
           "choice 1 correct": "oui", "choice 2": "b", "difficulty": "-0,5", "discrimination": "1,2"}
    data = question_from_row(row)
    assert (data["difficulty"], data["discrimination"]) == (-0.5, 1.2)


def test_spreadsheet_row_without_item_parameters_leaves_them_out():
    row = {"id": "q", "competence": "4.2", "tracks": "acculturation", "stem": "s", "choice 1": "a",
           "choice 1 correct": "oui", "choice 2": "b"}
    assert "difficulty" not in question_from_row(row)
