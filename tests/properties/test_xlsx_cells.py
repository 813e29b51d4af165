"""Generated rows through the XLSX writer: the same XML by template as cell by cell, and read back by openpyxl."""

from __future__ import annotations

import io
import math
import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from raqmya_reports.delivery.xlsx import _column_letters, _RowWriter, _utf8, row_xml, xlsx_chunks

from .strategies import MARKUP, TEXT

# Any text, with characters that XML 1.0 forbids or that need care at a text's edge.
CELL_TEXT = TEXT | MARKUP | st.text(alphabet=st.sampled_from(" \t\r\n\x00\x1f&<>]a\ufffe\udc80é"), max_size=6)
VALUES = (
    st.none() | st.booleans() | st.integers(min_value=-(2**62), max_value=2**62) | st.floats()
    | st.decimals(places=3) | CELL_TEXT
)
ROWS = st.lists(st.lists(VALUES, max_size=6).map(tuple), max_size=8)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _expected(value):
    """Return what openpyxl reads back for ``value``."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        try:
            finite = math.isfinite(value)
        except ValueError:
            finite = False
        if not finite:
            return str(value)
        text = str(value)
        return float(text) if any(mark in text for mark in ".eE") else int(text)
    return NOT_XML.sub("\ufffd", value)


@given(rows=ROWS, first=st.integers(min_value=1, max_value=1_000_000))
def test_templates_write_as_cell_by_cell(rows, first):
    letters = _column_letters(max(map(len, rows), default=0))
    by_cells = _utf8("".join(row_xml(number, row, letters) for number, row in enumerate(rows, first)))
    assert _RowWriter().rows_xml(first, rows) == by_cells


@given(rows=ROWS)
def test_rows_read_back(rows):
    width = max(map(len, rows), default=0)
    header = tuple(f"c{index}" for index in range(max(width, 1)))
    content = b"".join(xlsx_chunks(header, rows, title="learners", right_to_left=False))
    read = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    expected = [tuple(_expected(value) for value in row) + (None,) * (len(header) - len(row)) for row in rows]
    # openpyxl's rows end at the last row that has a cell.
    while expected and expected[-1] == (None,) * len(header):
        expected.pop()
    assert read[0] == header
    assert [tuple(row) for row in read[1:]] == expected
