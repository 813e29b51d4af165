"""Tests of the CSV formula-injection guard: text that could start a formula is neutralised, numbers are kept."""

import csv
import io
import random
from decimal import Decimal

import pytest

from raqmya_reports.delivery import csv_safety
from raqmya_reports.delivery.csv_safety import GuardedCsv, neutralise_cell, neutralise_row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x.test","y")', '\'=HYPERLINK("http://x.test","y")'),
        ("+SUM(1,1)", "'+SUM(1,1)"),
        ("@cohort", "'@cohort"),
        ("-2+3", "'-2+3"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
    ],
)
def test_neutralise_cell_prefixes_formula(value, expected):
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize("value", [0.75, 12.5, -3, 0, Decimal("-1.5"), 12500])
def test_neutralise_cell_keeps_number(value):
    result = neutralise_cell(value)
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize("value", ["-3", "0.75", "12.5", "-0.5"])
def test_neutralise_cell_keeps_number_text(value):
    assert neutralise_cell(value) == value


@pytest.mark.parametrize("value", ["Casablanca-Settat", "الدار البيضاء - سطات", "a=b", "", "MA-06"])
def test_neutralise_cell_keeps_plain_text(value):
    assert neutralise_cell(value) == value


def test_neutralise_cell_none_is_empty():
    assert neutralise_cell(None) == ""


def test_neutralise_cell_bool_is_text():
    assert neutralise_cell(True) == "True"


def test_neutralise_row_each_cell():
    assert neutralise_row(["region", "=1+1", 3, -3]) == ["region", "'=1+1", 3, -3]


def _plain_csv(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def _guarded_each_cell(rows) -> str:
    return _plain_csv([neutralise_row(row) for row in rows])


# Characters that matter to the guard or to csv.writer's quoting, and plain ones.
_ALPHABET = ["=", "+", "-", "@", "\t", "\r", "\n", ",", '"', "'", " ", "a", "1", ".", "é", "ب"]
_OTHER_CELLS = [None, 0, -3, 2.5, -0.75, Decimal("-1.5"), True, False, ""]


def _random_cell(draws: random.Random) -> object:
    if draws.random() < 0.2:
        return draws.choice(_OTHER_CELLS)
    return "".join(draws.choice(_ALPHABET) for _character in range(draws.randrange(5)))


def test_guarded_csv_matches_cell_guard():
    draws = random.Random(1236)
    guarded = GuardedCsv()
    for _chunk in range(2_000):
        widths = [draws.randrange(1, 5) for _row in range(draws.randrange(1, 6))]
        rows = [[_random_cell(draws) for _cell in range(width)] for width in widths]
        assert guarded.text(rows) == _guarded_each_cell(rows), rows


@pytest.mark.parametrize(
    "rows",
    [
        [["=1+1", "a"]],  # the text's first cell
        [["a", "b"], ["c", "@SUM(A1)"]],  # a later row's last cell
        [["a", "\t=1"]],  # a bare tab
        [["a", "\r=1"], ["b"]],  # a carriage return, which csv.writer quotes
        [["a", '-1,"x"']],  # a quoted cell
        [["x", "a\n=b", "-2+3"]],  # a line break inside a quoted cell, then a formula
    ],
)
def test_guarded_csv_neutralises_each_place(rows):
    text = GuardedCsv().text(rows)
    assert text == _guarded_each_cell(rows)
    assert text != _plain_csv(rows)


def test_guarded_csv_plain_rows_written_once(monkeypatch):
    """Rows without a formula prefix at the start of a cell are written once, without the cell guard."""
    def fail_if_called(_row):
        raise AssertionError("guarded cell by cell")

    monkeypatch.setattr(csv_safety, "neutralise_row", fail_if_called)
    rows = [
        [1, "MA-06", "2026-04-02T09:15:00+01:00", 0.75, None, ""],  # empty last cells, then "\r\n"
        [2, "a-b", "x=1", 3, "", None],
        ["", "Aït-Lahcen", "a,b", 'say "hi"', "line\nbreak", "é"],
    ]
    assert GuardedCsv().text(rows) == _plain_csv(rows)
