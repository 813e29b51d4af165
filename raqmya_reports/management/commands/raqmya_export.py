"""Management command that writes a programme report as CSV, XLSX or JSON, to a file or to standard output."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from raqmya_reports.delivery import audit
from raqmya_reports.delivery.exports import (
    EXPORTS,
    FORMATS,
    check_format,
    check_language,
    collector_paused,
    export_for,
    stream_export,
)
from raqmya_reports.delivery.models import AuditLogEntry
from raqmya_reports.delivery.service import OPERATOR_SCOPE, open_report_in_scope
from raqmya_reports.errors import RaqmyaReportsError
from raqmya_reports.reports.filters import FILTER_NAMES

from ._output import operator_log_quieted

log = logging.getLogger(__name__)


class Command(BaseCommand):
    """``raqmya_export REPORT --format csv|xlsx|json [--output PATH] [--year YYYY] [filters] [--language fr|ar]``."""

    @property
    def help(self):
        """Return the command's description in the active language: argparse takes text, not a lazy string."""
        return _(
            "Write a programme report as CSV, XLSX or JSON. CSV is UTF-8 and starts with a byte order mark for Excel "
            "unless --no-bom is given."
        )

    def add_arguments(self, parser):
        """Declare the report name, the format and output, and one option per report filter."""
        parser.add_argument("report", help=_("Report to write: %(names)s.") % {"names": ", ".join(EXPORTS)})
        parser.add_argument(
            "--format",
            dest="export_format",
            default="json",
            help=_("File format: %(formats)s (default: json).") % {"formats": ", ".join(FORMATS)},
        )
        parser.add_argument("--output", help=_("File to write, replaced whole. Standard output when omitted."))
        parser.add_argument("--language", help=_("Language of the labels, fr or ar. LANGUAGE_CODE by default."))
        parser.add_argument("--no-bom", action="store_true", help=_("Write CSV without a byte order mark."))
        for name in FILTER_NAMES:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=_("Report filter %(name)s.") % {
                "name": name})

    def handle(self, *args, **options):
        """Check every argument, then write the report to the ``--output`` file or to standard output."""
        with operator_log_quieted(options["verbosity"]):
            self._handle(options)

    def _handle(self, options) -> None:
        export_format = options["export_format"]
        try:
            export_for(options["report"])
            check_format(export_format)
            language = check_language(options["language"] or settings.LANGUAGE_CODE)
            if export_format == "xlsx" and not options["output"]:
                raise CommandError(_("XLSX is a binary file: give --output PATH."))
            output = Path(options["output"]) if options["output"] else None
            if output is not None:
                self._check_output(output)
            params = {name: options[name] for name in FILTER_NAMES if options[name] is not None}
            report = open_report_in_scope(
                OPERATOR_SCOPE, None, options["report"], params, AuditLogEntry.Action.EXPORT,
                output_format=export_format, audited=False,
            )
            chunks = stream_export(report, export_format, language, bom=not options["no_bom"])
            with collector_paused():
                if output is not None:
                    self._write_file(output, chunks, report.name, export_format)
                else:
                    # The writers end their own lines; the wrapper must add nothing.
                    self.stdout.write(b"".join(chunks).decode("utf-8"), ending="")
        except RaqmyaReportsError as error:
            raise CommandError(str(error)) from error
        # Only an export written to its end is audited.
        entry = audit.record(None, OPERATOR_SCOPE, AuditLogEntry.Action.EXPORT, report.name, report.filters,
                             output_format=export_format)
        message = _("Wrote the %(report)s report as %(format)s to %(output)s; audit log entry %(entry)d, "
                    "user: %(user)s, scope: the whole programme.") % {
            "report": report.name, "format": export_format.upper(),
            "output": output if output is not None else _("standard output"), "entry": entry.pk,
            "user": _("none (command line)")}
        self.stderr.write(message)

    def _check_output(self, path: Path) -> None:
        """Raise ``CommandError`` for an ``--output`` that cannot be written, before any figure is read or audited."""
        directory = path.parent.resolve()
        if not directory.is_dir():
            raise CommandError(
                _("The folder %(folder)s of --output %(path)s does not exist: create it or choose another path.")
                % {"folder": directory, "path": path}
            )
        if path.is_dir():
            raise CommandError(_("--output %(path)s is a folder: give a file name.") % {"path": path})
        if not os.access(directory, os.W_OK):
            raise CommandError(
                _("The folder %(folder)s of --output %(path)s cannot be written: choose a folder you may write to.")
                % {"folder": directory, "path": path}
            )

    def _write_file(self, path: Path, chunks, report: str, export_format: str) -> None:
        """Write the export to a temporary file beside ``path``, then replace ``path`` with it.

        A failure leaves any existing file at ``path`` as it was.
        """
        directory = path.parent.resolve()
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                for chunk in chunks:
                    stream.write(chunk)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        log.info("Wrote the %s report as %s to %s", report, export_format, path)
