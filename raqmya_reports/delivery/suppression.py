"""Small-cell suppression of scoped reports: counts from 1 to ``RAQMYA_MIN_CELL_SIZE - 1`` shown as "< N".

A suppressed cell must not be derivable from what is shown: when a column has exactly one
suppressed cell, the next smallest cell is suppressed too (its sum with the first is then all
that can be derived), and a total below the threshold is suppressed as well.
"""

from __future__ import annotations

from django.conf import settings

from raqmya_reports.reports.errors import ReportConfigurationError


def min_cell_size() -> int:
    """Return ``RAQMYA_MIN_CELL_SIZE``, the smallest count a scoped report shows as a number."""
    value = getattr(settings, "RAQMYA_MIN_CELL_SIZE", 5)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ReportConfigurationError(
            f"Invalid RAQMYA_MIN_CELL_SIZE {value!r}: set a whole number of at least 1, such as 5."
        )
    return value


def hidden_label(threshold: int) -> str:
    """Return the text that stands for a suppressed count, such as ``< 5``."""
    return f"< {threshold}"


def suppress_column(values: list[int], total: int | None = None) -> tuple[list[int | str], int | str | None]:
    """Return ``values`` and ``total`` with small counts and the counts they could be derived from hidden.

    Zero is shown: it tells nothing about a person.
    """
    threshold = min_cell_size()
    hidden = {index for index, value in enumerate(values) if 0 < value < threshold}
    if len(hidden) == 1:
        candidates = sorted((value, index) for index, value in enumerate(values) if value > 0 and index not in hidden)
        if candidates:
            hidden.add(candidates[0][1])
    label = hidden_label(threshold)
    shown: list[int | str] = [label if index in hidden else value for index, value in enumerate(values)]
    if total is None:
        return shown, None
    total_hidden = 0 < total < threshold or (len(hidden) == 1 and len(values) > 0)
    return shown, label if total_hidden else total


def suppress_rows(rows: list[dict], metrics: tuple[str, ...], totals: dict | None = None) -> tuple[list[dict], dict]:
    """Return copies of ``rows`` and ``totals`` with every metric column suppressed as ``suppress_column`` does."""
    rows = [dict(row) for row in rows]
    totals = dict(totals or {})
    for metric in metrics:
        column, total = suppress_column([row[metric] for row in rows], totals.get(metric))
        for row, value in zip(rows, column):
            row[metric] = value
        if metric in totals:
            totals[metric] = total
    return rows, totals
