"""Management command that writes a programme report as JSON or CSV, to a file or to standard output."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from raqmya_reports.delivery.exports import EXPORTS, FORMATS, check_format, check_language, export_for, write_export
from raqmya_reports.errors import RaqmyaReportsError
from raqmya_reports.reports.periods import validate_year

log = logging.getLogger(__name__)


class Command(BaseCommand):
    """``raqmya_export REPORT --format json|csv [--output PATH] [--year YYYY] [--language fr|ar]``."""

    help = gettext_lazy(
        "Write a programme report as JSON or CSV, in UTF-8. CSV starts with a byte order mark for Excel."
    )

    def add_arguments(self, parser):
        """Declare the report name and the options. ``handle`` checks them, so that errors name the accepted values."""
        parser.add_argument("report", help=_("Report to write: %(names)s.") % {"names": ", ".join(EXPORTS)})
        parser.add_argument(
            "--format",
            dest="export_format",
            default="json",
            help=_("File format: %(formats)s (default: json).") % {"formats": ", ".join(FORMATS)},
        )
        parser.add_argument("--output", help=_("File to write, replaced whole. Standard output when omitted."))
        parser.add_argument("--year", help=_("Programme year, such as 2026. The year in progress by default."))
        parser.add_argument("--language", help=_("Language of the CSV labels, fr or ar. LANGUAGE_CODE by default."))

    def handle(self, *args, **options):
        """Check every argument, then write the report to the ``--output`` file or to standard output."""
        try:
            export_for(options["report"])
            check_format(options["export_format"])
            if options["language"]:
                check_language(options["language"])
            year = validate_year(options["year"]) if options["year"] is not None else None
        except RaqmyaReportsError as error:
            raise CommandError(str(error)) from error
        arguments = (options["report"], options["export_format"])
        keywords = {"year": year, "language": options["language"]}
        try:
            if options["output"]:
                self._write_file(Path(options["output"]), arguments, keywords)
            else:
                # The JSON and CSV writers end their own lines; the wrapper must add nothing.
                self.stdout.ending = ""
                write_export(*arguments, self.stdout, **keywords)
        except RaqmyaReportsError as error:
            raise CommandError(str(error)) from error

    def _write_file(self, path: Path, arguments: tuple, keywords: dict) -> None:
        """Write the export to a temporary file beside ``path``, then replace ``path`` with it.

        A failure leaves any existing file at ``path`` as it was.
        """
        directory = path.parent.resolve()
        if not directory.is_dir():
            raise CommandError(
                _("The folder %(folder)s of --output does not exist: create it or choose another path.")
                % {"folder": directory}
            )
        if path.is_dir():
            raise CommandError(_("--output %(path)s is a folder: give a file name.") % {"path": path})
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                write_export(*arguments, stream, **keywords)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        log.info("Wrote the %s report as %s to %s", arguments[0], arguments[1], path)
