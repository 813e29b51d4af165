"""Tests of the CSV formula-injection guard: text that could start a formula is neutralised, numbers are kept."""

from decimal import Decimal

import pytest

from raqmya_reports.delivery.csv_safety import neutralise_cell, neutralise_row


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
