"""XLSX cells of the learner and report exports: text stays text, numbers stay numbers, nothing runs."""

import io
import zipfile

from openpyxl import load_workbook

from raqmya_reports.delivery.exports import _xlsx_chunks

HEADER = ("name", "note", "count", "share")
ROWS = [
    ("Zoé", "=1+1", 3, 0.5),
    ("#N/A", "=", None, 1.0),
    ("أمينة", "#DIV/0!", 7, 0.25),
]


def _sheet_xml(language: str = "fr") -> str:
    content = b"".join(_xlsx_chunks(HEADER, ROWS, language=language, bom=False, report="learners"))
    return zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()


def _values() -> list[tuple]:
    content = b"".join(_xlsx_chunks(HEADER, ROWS, language="fr", bom=False, report="learners"))
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_xlsx_formula_text_is_not_a_formula():
    assert "<f>" not in _sheet_xml()


def test_xlsx_error_code_text_is_not_an_error():
    assert 't="e"' not in _sheet_xml()


def test_xlsx_text_cells_are_inline_strings():
    first_cells = '<row r="2"><c t="inlineStr"><is><t>Zoé</t></is></c><c t="inlineStr"><is><t>=1+1</t></is></c>'
    assert first_cells in _sheet_xml()


def test_xlsx_numbers_are_numeric():
    # A cell with no type is a number (ECMA-376 Part 1, 18.18.11): the sheet writes none for numbers.
    assert '<is><t>=1+1</t></is></c><c><v>3</v></c><c><v>0.5</v></c></row>' in _sheet_xml()


def test_xlsx_cell_after_gap_has_reference():
    assert '<row r="3"><c t="inlineStr"><is><t>#N/A</t></is></c><c t="inlineStr"><is><t>=</t></is></c>' \
        '<c r="D3"><v>1.0</v></c></row>' in _sheet_xml()


def test_xlsx_values_read_back_unchanged():
    assert _values() == [HEADER, *ROWS]


def test_xlsx_arabic_sheet_is_right_to_left():
    assert 'rightToLeft="1"' in _sheet_xml("ar")
