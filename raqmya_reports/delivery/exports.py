"""Exports of the programme reports as CSV, XLSX or JSON, written as a stream of bytes.

CSV is UTF-8, with a byte order mark for Excel unless ``bom=False`` (data tools). XLSX has one
sheet, right to left in Arabic (``xlsx.py``). Learner lists are read and written in
batches, so memory stays flat however many rows there are. Text cells that a spreadsheet
would run as a formula are neutralised; numbers stay numbers.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import gc
import itertools
import json
import logging
import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from raqmya_reports.api import course_names
from raqmya_reports.registry.models import DigCompArea, DigCompCompetence, Region
from raqmya_reports.reports.figures import FIGURES
from raqmya_reports.reports.learners import COLUMNS as LEARNER_COLUMNS
from raqmya_reports.reports.learners import learner_batches
from raqmya_reports.reports.periods import report_time_zone

from .csv_safety import GuardedCsv
from .errors import ExportTooLong, UnknownExportFormat, UnknownLanguage, UnknownReport
from .service import (
    REPORTS,
    OpenedReport,
    label_in,
    label_languages,
    learner_columns,
    learner_data,
    report_data,
    track_names,
)
from .xlsx import xlsx_chunks

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
# One header for the summary, whatever the filters and the caller's scope: the total, then a row per track
# and per region, each with its code (``key``) and its name in the export's language (``label``).
SUMMARY_HEADER = ("breakdown", "key", "label", *FIGURES)
# The course report: each code column (course key, track) beside a column that names it.
COURSE_COLUMNS = (
    "course_key", "course_name", "track", "track_label", "enrolled", "graded", "passed", "completion_rate", "pass_rate",
)
# The funnel's steps as the dashboard names them.
FUNNEL_STEP_LABELS = {
    "registered": gettext_lazy("Registered"), "ever_enrolled": gettext_lazy("Ever enrolled"),
    "enrolled": gettext_lazy("Enrolled"), "active": gettext_lazy("Active"), "completed": gettext_lazy("Passed"),
    "certified": gettext_lazy("Certified"),
}
# Rows written and encoded together: one chunk of bytes each, about 200 kB for learner rows.
CSV_CHUNK_ROWS = 1000
# Rows written between two reads of the clock in an export with a time limit.
CLOCK_ROWS = 1000
# Code points that UTF-8 cannot encode: unpaired surrogates, as ``surrogateescape`` decoding leaves them.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


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
    if report.name == "summary":
        return SUMMARY_HEADER, _summary_rows(report_data(report), language)
    if report.name == "learners":
        return _learner_header(report), _learner_cells(report, language)
    data = report_data(report)
    if report.name == "courses":
        return COURSE_COLUMNS, _course_cells(data["rows"], language)
    if report.name == "competences":
        header = ("grouping", "group", "group_label", "learners", "competence", "competence_label", "result_percent")
        return header, _competence_rows(data, language)
    if report.name == "funnel":
        return ("step", "step_label", "count"), tuple(
            (step, str(FUNNEL_STEP_LABELS.get(step, step)), count) for step, count in data["steps"].items()
        )
    if report.name == "items":
        competences = _competence_names(language)
        columns = list(data["columns"])
        labelled = columns.index("competence") + 1
        rows = (
            (*(row[column] for column in columns[:labelled]), competences.get(row["competence"], ""),
             *(row[column] for column in columns[labelled:]))
            for row in data["rows"]
        )
        return (*columns[:labelled], "competence_label", *columns[labelled:]), rows
    names = track_names() if report.name == "tracks" else {}
    header = ("key", "label", *FIGURES)
    body = [(row["key"], _row_label(row, names, language), *(row[figure] for figure in FIGURES))
            for row in data["rows"]]
    totals = data["totals"]
    body.append(("all", _("All beneficiaries"), *(totals[figure] for figure in FIGURES)))
    return header, body


def _row_label(row: dict, names: dict[str, dict[str, str]], language: str) -> str:
    """Return a breakdown row's name in ``language``; ``names`` (track codes) takes precedence over the row's."""
    return label_in(names.get(row["key"]) or {"fr": row["name_fr"], "ar": row["name_ar"]}, language)


@dataclass(frozen=True)
class TimeLimit:
    """The Unix time ``ends_at`` by which an export must be written, ``seconds`` after it was requested."""

    ends_at: float
    seconds: int


def stream_export(report: OpenedReport, export_format: str, language: str, *, bom: bool = True,
                  time_limit: TimeLimit | None = None) -> Iterator[bytes]:
    """Yield the bytes of ``report`` written as ``export_format`` in ``language``.

    With ``time_limit``, ``ExportTooLong`` is raised once its time has passed while rows are still
    being written. The clock is read before the first row, then every ``CLOCK_ROWS`` rows.

    The rows are closed when the writing stops, at the end, on an error or when the caller closes
    this generator. The exception alone would close them only when it is freed, and a Celery worker
    keeps it for a while: a learner list streamed from MySQL held its query, and the locks of its
    tables, until then.
    """
    check_format(export_format)
    check_language(language)
    with translation.override(language):
        if export_format == "json":
            chunks = _json_chunks(report)
            with contextlib.closing(chunks):
                yield from _within(chunks, time_limit)
            return
        header, rows = table(report, language)
        writer = _csv_chunks if export_format == "csv" else _xlsx_chunks
        try:
            yield from writer(header, _within(rows, time_limit), language=language, bom=bom, report=report.name)
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()


class _CollectorPause:
    """Counter of the exports that pause the collector, so that the last one to end enables it again.

    When each export read ``gc.isenabled()`` for itself, a second thread could find the collector
    disabled by the first. The first then enabled it at its end, and the second disabled it for
    the life of the process.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.exports = 0
        self.was_enabled = False

    def enter(self) -> None:
        """Count one more export. The first one disables the collector."""
        with self.lock:
            if self.exports == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.exports += 1

    def leave(self) -> None:
        """Count one export fewer. The last one enables the collector again if the first found it enabled."""
        with self.lock:
            self.exports -= 1
            if self.exports == 0 and self.was_enabled:
                gc.enable()


_PAUSE = _CollectorPause()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the command line or the Celery task writes an export.

    For the 60,058 learner rows of a generated programme year, the collector ran 88 times, once
    over every object of the process: 0.08 s of a CSV export of 1.1 s. The rows contain no
    reference cycles, so reference counting still frees them. A web request shares its process
    with other requests, so its streamed download leaves the collector alone. With
    ``task_always_eager`` (a devstack without a broker) the request runs the task, which pauses it.
    Exports in several threads share one pause, and the last one to end enables the collector again
    if it was enabled when the first began.
    """
    _PAUSE.enter()
    try:
        yield
    finally:
        _PAUSE.leave()


def check_time_limit(time_limit: TimeLimit | None) -> None:
    """Raise ``ExportTooLong`` if the time of ``time_limit`` has passed."""
    if time_limit is not None and time.time() > time_limit.ends_at:
        now = timezone.now()
        duration = timesince(now - dt.timedelta(seconds=time_limit.seconds), now)
        raise ExportTooLong(
            _("The export timed out: it was still being written %(duration)s after it was requested, the "
              "longest this site allows, so it was stopped and nothing was stored. Export a smaller part (one "
              "province, one cohort or a few months), or ask the site's operators to raise "
              "RAQMYA_EXPORT_DEADLINE.")
            % {"duration": duration}
        )


def _within(items: Iterable, time_limit: TimeLimit | None) -> Iterable:
    """Return ``items``, or with a ``time_limit``, an iterator over them that raises ``ExportTooLong`` after it."""
    if time_limit is None:
        return items
    return _until(items, time_limit)


def _until(items: Iterable, time_limit: TimeLimit) -> Iterator:
    """Yield ``items``, raising ``ExportTooLong`` if the time is up before the first or any ``CLOCK_ROWS``-th item."""
    for number, item in enumerate(items):
        if number % CLOCK_ROWS == 0:
            check_time_limit(time_limit)
        yield item


def write_export(report: OpenedReport, export_format: str, stream: TextIO, language: str | None = None) -> None:
    """Write ``report`` as CSV or JSON text to ``stream``, which must not add an encoding's own mark."""
    language = check_language(language or settings.LANGUAGE_CODE)
    decoder = codecs.getincrementaldecoder("utf-8")()
    for chunk in stream_export(report, export_format, language):
        stream.write(decoder.decode(chunk))


def _competence_rows(data: dict, language: str) -> Iterator[tuple]:
    """Yield one row per group and competence, then per group and area (written ``area 2``), groups named."""
    labels = {"all": {"fr": _("All beneficiaries"), "ar": _("All beneficiaries")}, **track_names()}
    labels.update(
        (code, {"fr": name_fr, "ar": name_ar})
        for code, name_fr, name_ar in Region.objects.values_list("code", "name_fr", "name_ar")
    )
    competences = _competence_names(language)
    for grouping in ("all", "track", "region"):
        for row in data[grouping]:
            group = row["group"]
            label = label_in(labels[group], language) if group in labels else group
            for code, result in row["competences"].items():
                yield grouping, group, label, row["learners"], code, competences.get(code, ""), result
            for area, result in row["areas"].items():
                name = competences.get(f"area {area}", "")
                yield grouping, group, label, row["learners"], f"area {area}", name, result


def _competence_names(language: str) -> dict[str, str]:
    """Return the DigComp competence names by code (``2.4``) and the area names by ``area 2``, in ``language``."""
    names = {
        code: label_in({"fr": name_fr, "ar": name_ar}, language)
        for code, name_fr, name_ar in DigCompCompetence.objects.values_list("code", "name_fr", "name_ar")
    }
    names.update(
        (f"area {code}", label_in({"fr": name_fr, "ar": name_ar}, language))
        for code, name_fr, name_ar in DigCompArea.objects.values_list("code", "name_fr", "name_ar")
    )
    return names


def _course_cells(rows: list[dict], language: str) -> Iterator[tuple]:
    """Yield the course rows in the order of ``COURSE_COLUMNS``, the track named in ``language``."""
    for row in rows:
        track_label = label_in({"fr": row["track_name_fr"], "ar": row["track_name_ar"]}, language)
        yield tuple(track_label if column == "track_label" else row[column] for column in COURSE_COLUMNS)


def _summary_rows(data: dict, language: str) -> Iterator[tuple]:
    """Yield the summary's total, then its rows by track and by region, each with its code and its name."""
    yield ("total", "all", _("All beneficiaries"), *(data["totals"][figure] for figure in FIGURES))
    names = track_names()
    for breakdown, rows in (("track", data["by_track"]), ("region", data["by_region"])):
        for row in rows:
            label = _row_label(row, names if breakdown == "track" else {}, language)
            yield (breakdown, row["key"], label, *(row[figure] for figure in FIGURES))


def _cell(value: object, zone: dt.tzinfo | None = None) -> object:
    """Return a value ready for a cell: times as ISO 8601 in ``zone`` (``RAQMYA_TIME_ZONE``), booleans as 0 or 1."""
    if isinstance(value, dt.datetime):
        return value.astimezone(zone or report_time_zone()).isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _learner_header(report: OpenedReport) -> tuple[str, ...]:
    """Return the learner export's columns: ``learner_columns``, each of track and course key followed by its name."""
    columns = list(learner_columns(report.scope))
    columns.insert(columns.index("course_key") + 1, "course_name")
    columns.insert(columns.index("track") + 1, "track_label")
    return tuple(columns)


class _Names:
    """The names of the track codes in one language, and of the course keys met so far, for the learner export."""

    def __init__(self, language: str):
        self.tracks = {code: label_in(names, language)
                       for code, names in track_names(label_languages(language)).items()}
        self.courses: dict[str, str] = {}

    def track(self, code: str) -> str:
        """Return the name of track ``code``; a blank or retired code is "No track"."""
        return self.tracks.get(code) or self.tracks["unassigned"]

    def course(self, course_key: str) -> str:
        """Return the name of ``course_key``, looked up once per course and export."""
        if course_key not in self.courses:
            self.learn((course_key,))
        return self.courses[course_key]

    def learn(self, course_keys) -> None:
        """Look up, in one call, the names of those ``course_keys`` not met before in this export."""
        missing = set(course_keys).difference(self.courses)
        if missing:
            self.courses.update(course_names(missing))


def _learner_cells(report: OpenedReport, language: str) -> Iterator[tuple]:
    """Yield the learner rows of ``report`` as cells, in the order of ``_learner_header``.

    Only the columns that hold booleans are converted, and the names added: the others go out as
    read. Each batch is handled column by column, so that the rows are taken apart and put together
    again by ``zip``, in C. Row by row, with one call per course name, it took 0.2 s more for
    60,000 rows.
    """
    identities = report.scope.can_see_identities
    width = len(learner_columns(report.scope))
    flags = LEARNER_COLUMNS.index("passed")
    track, course_key = LEARNER_COLUMNS.index("track"), LEARNER_COLUMNS.index("course_key")
    names = _Names(language)
    # Both times come as ISO 8601 text in the report's time zone. The batches are closed as soon as
    # these rows are, so that a stream of them ends its query then (``stream_export``).
    batches = learner_batches(report.filters, report.scope, identities=identities, time_zone=report_time_zone())
    with contextlib.closing(batches):
        for batch in batches:
            columns: list = list(zip(*batch))[:width]
            names.learn(columns[course_key])
            columns[flags] = map(int, map(bool, columns[flags]))
            # The later column first, so that the earlier insertion does not move it.
            columns.insert(course_key + 1, map(names.courses.__getitem__, columns[course_key]))
            # Each code of the batch is named once, and the column mapped by ``dict``, in C.
            labels = {code: names.track(code) for code in set(columns[track])}
            columns.insert(track + 1, map(labels.__getitem__, columns[track]))
            yield from zip(*columns)


def _csv_chunks(header, rows: Iterable[tuple], *, language: str, bom: bool, report: str) -> Iterator[bytes]:
    """Yield the CSV bytes: the header, then one chunk per ``CSV_CHUNK_ROWS`` rows, formulas neutralised.

    A lone surrogate (text decoded with ``surrogateescape``) cannot be written as UTF-8: it is
    written as U+FFFD, the replacement character, as the XLSX writer writes it, and the rows of its
    chunk are logged. The row and its other cells are kept.
    """
    del language  # The same signature as the XLSX writer, which sets the sheet's direction from it.
    guarded = GuardedCsv()
    yield (BYTE_ORDER_MARK.encode("utf-8") if bom else b"") + _utf8(guarded.text([header]), report, 0, 0)
    number = 0
    for chunk in _chunked(rows, CSV_CHUNK_ROWS):
        yield _utf8(guarded.text(chunk), report, number + 1, number + len(chunk))
        number += len(chunk)


def _utf8(text: str, report: str, first: int, last: int) -> bytes:
    """Return ``text``, rows ``first`` to ``last`` of the ``report`` export (0 for the header), as UTF-8.

    Each lone surrogate becomes U+FFFD, with a log line that names the rows.
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        log.warning("Rows %s to %s of the %s export contain text that is not valid Unicode: each lone surrogate "
                    "is written as U+FFFD", first, last, report)
        return _LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")


def _chunked(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _xlsx_chunks(header, rows: Iterable[tuple], *, language: str, bom: bool, report: str) -> Iterator[bytes]:
    del bom  # A byte order mark is a CSV matter: XLSX is a zip archive.
    yield from xlsx_chunks(header, rows, title=report[:31], right_to_left=language == "ar")


def _json_chunks(report: OpenedReport) -> Iterator[bytes]:
    if report.name != "learners":
        data = {"report": report.name, **report_data(report)}
        yield (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        return
    columns = _learner_header(report)
    names = _Names(translation.get_language() or settings.LANGUAGE_CODE)
    head = {"report": "learners", "filters": report.filters.as_dict()}
    yield json.dumps(head, ensure_ascii=False)[:-1].encode("utf-8") + b', "rows": ['
    separator = b"\n"
    zone = report_time_zone()
    rows = learner_data(report)
    with contextlib.closing(rows):
        for row in rows:
            row = {**row, "track_label": names.track(row["track"]), "course_name": names.course(row["course_key"])}
            yield separator + json.dumps({c: _cell(row[c], zone) for c in columns}, ensure_ascii=False).encode("utf-8")
            separator = b",\n"
    yield b"\n]}\n"
