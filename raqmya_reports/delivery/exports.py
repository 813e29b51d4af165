"""Exports of the programme reports as JSON or CSV text, one registered entry per report name.

A report plugs in by adding a ``ReportExport`` to ``EXPORTS``: a function that computes the
report for a programme year, one that turns it into JSON-ready data, and the CSV header and rows.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from raqmya_reports.reports.summary import METRICS, ProgrammeSummary, programme_summary, summary_rows

from .csv_safety import neutralise_row
from .errors import UnknownExportFormat, UnknownLanguage, UnknownReport

# A byte order mark at the start of a CSV file makes Excel read it as UTF-8, so Arabic shows.
BYTE_ORDER_MARK = "\ufeff"
FORMATS = ("json", "csv")


@dataclass(frozen=True)
class ReportExport:
    """The computation of one report and its layout in each export format."""

    name: str
    compute: Callable[[int | None], Any]
    to_data: Callable[[Any], dict]
    csv_header: tuple[str, ...]
    csv_rows: Callable[[Any, str], Iterable[tuple]]


def _summary_csv_rows(summary: ProgrammeSummary, language: str) -> Iterable[tuple]:
    """Yield one CSV row per breakdown row of the summary, labelled in ``language``."""
    for breakdown, row in summary_rows(summary):
        yield (breakdown, row.key, row.name(language), *(getattr(row.counts, metric) for metric in METRICS))


EXPORTS: dict[str, ReportExport] = {
    "summary": ReportExport(
        name="summary",
        compute=programme_summary,
        to_data=ProgrammeSummary.as_dict,
        csv_header=("breakdown", "key", "label", *METRICS),
        csv_rows=_summary_csv_rows,
    ),
}


def export_for(name: str) -> ReportExport:
    """Return the export of the report ``name``, or raise ``UnknownReport`` naming the accepted names."""
    try:
        return EXPORTS[name]
    except KeyError:
        raise UnknownReport(
            _("Unknown report %(name)r: choose one of %(accepted)s.") % {"name": name, "accepted": ", ".join(EXPORTS)}
        ) from None


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


def write_export(
    name: str, export_format: str, stream: TextIO, *, year: int | None = None, language: str | None = None
) -> None:
    """Compute the report ``name`` for programme year ``year`` and write it to ``stream`` as ``export_format``.

    Every argument is checked before the report is computed and before anything is written.
    CSV text starts with a byte order mark, so write it to a stream encoded as plain UTF-8.
    """
    export = export_for(name)
    check_format(export_format)
    language = check_language(language or settings.LANGUAGE_CODE)
    with translation.override(language):
        report = export.compute(year)
        if export_format == "json":
            stream.write(json.dumps(export.to_data(report), ensure_ascii=False, indent=2) + "\n")
            return
        stream.write(BYTE_ORDER_MARK)
        writer = csv.writer(stream)
        writer.writerow(export.csv_header)
        for row in export.csv_rows(report, language):
            writer.writerow(neutralise_row(row))
