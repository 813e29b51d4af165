"""Exports of the programme reports as CSV, XLSX or JSON, written as a stream of bytes.

CSV is UTF-8, with a byte order mark for Excel unless ``bom=False`` (data tools). XLSX uses
openpyxl's write-only mode, right to left in Arabic. Learner lists are read and written in
batches, so memory stays flat however many rows there are. Text cells that a spreadsheet
would run as a formula are neutralised; numbers stay numbers.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator
from typing import TextIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

from raqmya_reports.reports.figures import FIGURES
from raqmya_reports.reports.learners import COLUMNS as LEARNER_COLUMNS
from raqmya_reports.reports.learners import learner_table
from raqmya_reports.reports.periods import report_time_zone
from raqmya_reports.reports.summary import METRICS, ProgrammeSummary, programme_summary, summary_rows

from .csv_safety import neutralise_row
from .errors import UnknownExportFormat, UnknownLanguage, UnknownReport
from .service import BREAKDOWNS, REPORTS, OpenedReport, learner_columns, learner_data, report_data

log = logging.getLogger(__name__)

# A byte order mark at the start of a CSV file makes Excel read it as UTF-8, so Arabic shows.
BYTE_ORDER_MARK = "\ufeff"
FORMATS = ("json", "csv", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The report names the exports accept: the programme-wide summary layout, then the scoped reports.
EXPORTS = REPORTS
SUMMARY_HEADER = ("breakdown", "key", "label", *METRICS)
# Rows written and encoded together: one chunk of bytes each, about 200 kB for learner rows.
CSV_CHUNK_ROWS = 1000


def check_format(export_format: str) -> str:
    """Return ``export_format`` if the exports write it, or raise ``UnknownExportFormat``."""
    if export_format not in FORMATS:
        raise UnknownExportFormat(
            _("Unknown format %(format)r: choose one of %(accepted)s.")
            % {"format": export_format, "accepted": ", ".join(FORMATS)}
        )
    return export_format


def check_language(language: str) -> str:
    """Return ``language`` if it is one of ``settings.LANGUAGES``, or raise ``UnknownLanguage``."""
    accepted = [code for code, _name in settings.LANGUAGES]
    if language not in accepted:
        raise UnknownLanguage(
            _("Unknown language %(language)r: choose one of %(accepted)s.")
            % {"language": language, "accepted": ", ".join(accepted)}
        )
    return language


def export_for(name: str) -> str:
    """Return ``name`` if it is a report the exports write, or raise ``UnknownReport`` naming the accepted ones."""
    if name not in EXPORTS:
        raise UnknownReport(
            _("Unknown report %(name)r: choose one of %(accepted)s.") % {"name": name, "accepted": ", ".join(EXPORTS)}
        )
    return name


def table(report: OpenedReport, language: str) -> tuple[tuple[str, ...], Iterable[tuple]]:
    """Return the header and the rows of ``report`` as a table, labels in ``language``."""
    if _programme_wide(report):
        summary = programme_summary(report.filters.year)
        return SUMMARY_HEADER, _summary_rows(summary, language)
    if report.name == "learners":
        return learner_columns(report.scope), _learner_cells(report)
    data = report_data(report)
    if report.name == "courses":
        columns = (
            "course_key", "display_name", "track", "enrolled", "graded", "passed", "completion_rate", "pass_rate",
        )
        return columns, (tuple(row[column] for column in columns) for row in data["rows"])
    if report.name == "competences":
        return ("grouping", "group", "learners", "competence", "result_percent"), _competence_rows(data)
    if report.name == "funnel":
        return ("step", "count"), tuple(data["steps"].items())
    if report.name == "items":
        return data["columns"], (tuple(row[column] for column in data["columns"]) for row in data["rows"])
    rows = data["rows"] if report.name in BREAKDOWNS else data["by_region"]
    name_key = "name_ar" if language == "ar" else "name_fr"
    header = ("key", "label", *FIGURES)
    body = [(row["key"], row[name_key], *(row[figure] for figure in FIGURES)) for row in rows]
    totals = data["totals"]
    body.append(("all", _("All beneficiaries"), *(totals[figure] for figure in FIGURES)))
    return header, body


def _programme_wide(report: OpenedReport) -> bool:
    """Return whether ``report`` is the summary of the whole programme: unrestricted, filtered by the year alone.

    A summary narrowed by any other filter (track, phase, cohort, territory, dates...) is written from the
    scoped report instead, so that a download from the dashboard counts what the page shows.
    """
    narrowed = any(value for name, value in report.filters.as_dict().items() if name != "year")
    return report.name == "summary" and report.scope.unrestricted and not narrowed


def stream_export(report: OpenedReport, export_format: str, language: str, *, bom: bool = True) -> Iterator[bytes]:
    """Yield the bytes of ``report`` written as ``export_format`` in ``language``."""
    check_format(export_format)
    check_language(language)
    with translation.override(language):
        if export_format == "json":
            yield from _json_chunks(report)
            return
        header, rows = table(report, language)
        writer = _csv_chunks if export_format == "csv" else _xlsx_chunks
        yield from writer(header, rows, language=language, bom=bom, report=report.name)


def write_export(report: OpenedReport, export_format: str, stream: TextIO, language: str | None = None) -> None:
    """Write ``report`` as CSV or JSON text to ``stream``, which must not add an encoding's own mark."""
    language = check_language(language or settings.LANGUAGE_CODE)
    decoder = codecs.getincrementaldecoder("utf-8")()
    for chunk in stream_export(report, export_format, language):
        stream.write(decoder.decode(chunk))


def _competence_rows(data: dict) -> Iterator[tuple]:
    """Yield one row per group and competence, then per group and area (written ``area 2``)."""
    for grouping in ("all", "track", "region"):
        for row in data[grouping]:
            for code, result in row["competences"].items():
                yield grouping, row["group"], row["learners"], code, result
            for area, result in row["areas"].items():
                yield grouping, row["group"], row["learners"], f"area {area}", result


def _summary_rows(summary: ProgrammeSummary, language: str) -> Iterator[tuple]:
    for breakdown, row in summary_rows(summary):
        yield (breakdown, row.key, row.name(language), *(getattr(row.counts, metric) for metric in METRICS))


def _cell(value: object, zone: dt.tzinfo | None = None) -> object:
    """Return a value ready for a cell: times as ISO 8601 in ``zone`` (``RAQMYA_TIME_ZONE``), booleans as 0 or 1."""
    if isinstance(value, dt.datetime):
        return value.astimezone(zone or report_time_zone()).isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _learner_cells(report: OpenedReport) -> Iterator[tuple]:
    """Yield the learner rows of ``report`` as cells, in the order of ``learner_columns``.

    Only the columns that hold times or booleans are converted: the others go out as read.
    """
    zone = report_time_zone()
    identities = report.scope.can_see_identities
    width = len(learner_columns(report.scope))
    times, flags = LEARNER_COLUMNS.index("first_enrolled_at"), LEARNER_COLUMNS.index("passed")
    passed_at = LEARNER_COLUMNS.index("passed_at")
    for row in learner_table(report.filters, report.scope, identities=identities):
        cells = list(row[:width])
        cells[times] = cells[times].astimezone(zone).isoformat()
        cells[flags] = 1 if cells[flags] else 0
        if cells[passed_at] is not None:
            cells[passed_at] = cells[passed_at].astimezone(zone).isoformat()
        yield cells


def _csv_chunks(header, rows: Iterable[tuple], *, language: str, bom: bool, report: str) -> Iterator[bytes]:
    """Yield the CSV bytes: the header, then one chunk per ``CSV_CHUNK_ROWS`` rows.

    A chunk whose text cannot be encoded is written again row by row, and the bad rows are
    logged and skipped, so one bad row never costs the others.
    """
    del language  # The same signature as the XLSX writer, which sets the sheet's direction from it.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield (BYTE_ORDER_MARK.encode("utf-8") if bom else b"") + _csv_text(writer, buffer, [header]).encode("utf-8")
    number = 0
    for chunk in _chunked(rows, CSV_CHUNK_ROWS):
        safe = [neutralise_row(row) for row in chunk]
        try:
            yield _csv_text(writer, buffer, safe).encode("utf-8")
        except UnicodeEncodeError:
            yield from _csv_rows_one_by_one(writer, buffer, chunk, safe, first=number + 1, report=report)
        number += len(chunk)


def _csv_rows_one_by_one(  # pylint: disable=too-many-arguments
    writer, buffer: io.StringIO, rows: list, safe: list, *, first: int, report: str
) -> Iterator[bytes]:
    for number, (row, safe_row) in enumerate(zip(rows, safe), start=first):
        try:
            yield _csv_text(writer, buffer, [safe_row]).encode("utf-8")
        except UnicodeEncodeError:
            log.warning("Skipped row %s of the %s export: its text is not valid Unicode (first cell %s)",
                        number, report, row[0] if row else "")


def _csv_text(writer, buffer: io.StringIO, rows: list) -> str:
    """Return ``rows`` written as CSV text, reusing ``buffer``."""
    buffer.seek(0)
    buffer.truncate()
    writer.writerows(rows)
    return buffer.getvalue()


def _chunked(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _xlsx_chunks(header, rows: Iterable[tuple], *, language: str, bom: bool, report: str) -> Iterator[bytes]:
    del bom  # A byte order mark is a CSV matter: XLSX is a zip archive.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=report[:31])
    sheet.sheet_view.rightToLeft = language == "ar"
    sheet.append([_xlsx_value(sheet, value) for value in header])
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    # openpyxl writes rows to a temporary file as they come. The finished file is then read in chunks.
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as output:
        workbook.save(output)
        output.seek(0)
        yield from iter(lambda: output.read(64 * 1024), b"")


def _xlsx_value(sheet, value: object):
    """Return what to append for ``value``: numbers as numbers, text always as text, never a formula.

    openpyxl would write text that starts with ``=`` as a formula and an error code such as
    ``#N/A`` as an error, so only such text is wrapped in a cell forced to text. Every other
    value goes out as it is: one cell object of our own per text cell took about 15 % of a
    learners export (see ``docs/benchmarks.md``).
    """
    if value is None or isinstance(value, (int, float)):
        return value
    text = value if type(value) is str else str(value)  # pylint: disable=unidiomatic-typecheck
    if not (len(text) > 1 and text[0] == "=") and text not in ERROR_CODES:
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def _json_chunks(report: OpenedReport) -> Iterator[bytes]:
    if _programme_wide(report):
        data = programme_summary(report.filters.year).as_dict()
        yield (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        return
    if report.name != "learners":
        data = {"report": report.name, **report_data(report)}
        yield (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        return
    columns = learner_columns(report.scope)
    head = {"report": "learners", "filters": report.filters.as_dict()}
    yield json.dumps(head, ensure_ascii=False)[:-1].encode("utf-8") + b', "rows": ['
    separator = b"\n"
    zone = report_time_zone()
    for row in learner_data(report):
        yield separator + json.dumps({c: _cell(row[c], zone) for c in columns}, ensure_ascii=False).encode("utf-8")
        separator = b",\n"
    yield b"\n]}\n"
