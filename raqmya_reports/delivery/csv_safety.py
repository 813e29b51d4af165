"""Spreadsheet formula injection guard for CSV cells (CWE-1236).

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula, and some of them skip a leading tab or carriage return first. A cell of text that
starts so gets a leading apostrophe, which spreadsheets show as text. Numbers stay numbers.
"""

from __future__ import annotations

import re
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)
# Types whose cells are written as they are: numbers (``bool`` is not among them: it is text).
_NUMBER_TYPES = frozenset({int, float, Decimal})

# Text that a spreadsheet reads as a plain number and never as a formula: "-3", "0.75", "12.5".
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


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
