"""``manage.py raqmya_import_tracking_log PATH [PATH...]``: record learning facts from tracking logs."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from raqmya_reports.ingestion.facts import Outcome
from raqmya_reports.ingestion.tracking_log import (
    BATCH_SIZE,
    REASON_LABELS,
    SKIP_UNKNOWN_USER,
    ImportCounts,
    import_tracking_logs,
)

from ._output import operator_log_quieted


class Command(BaseCommand):
    """Import edx-platform tracking logs, plain or gzip; each line counts once however often it is read."""

    @property
    def help(self):
        """Return the command's description in the active language, for ``--help``."""
        return _(
            "Record enrollments, enrollment modes, course grades, certificates and Raqmya assessment attempts "
            "from edx-platform tracking logs (JSON lines, plain or gzip). Lines already imported are counted "
            "as duplicates, so the same files can be imported again."
        )

    def add_arguments(self, parser):
        """Declare the paths, the batch size and the progress display."""
        parser.add_argument("paths", nargs="+", metavar="PATH", help=_("Tracking log file, plain or gzip."))
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=_("Lines applied per transaction (default: %(default)s)."),
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help=_("Show the progress on standard error even when it is not a terminal."),
        )

    def handle(self, *args, **options):
        """Import each file in turn, print the counts, and fail when a file could not be read to its end."""
        with operator_log_quieted(options["verbosity"]):
            self._handle(options)

    def _handle(self, options) -> None:
        paths = [Path(path) for path in options["paths"]]
        for path in paths:
            if not path.is_file():
                raise CommandError(_("%(path)s is not a file. Give the path of a tracking log.") % {"path": path})
        if options["batch_size"] < 1:
            raise CommandError(
                _("--batch-size %(size)d is not valid; give 1 or more.") % {"size": options["batch_size"]}
            )
        show_progress = options["progress"] or self.stderr.isatty()
        counts = import_tracking_logs(
            paths, batch_size=options["batch_size"], progress=self._show_progress if show_progress else None
        )
        if show_progress:
            self.stderr.write("")
        self._write_counts(counts, options["verbosity"])
        for file_error in counts.file_errors:
            self.stderr.write(file_error.message)
        if counts.file_errors:
            raise CommandError(
                _("%(count)d of %(total)d files could not be read to their end; see the messages above.")
                % {"count": len(counts.file_errors), "total": len(paths)}
            )

    def _show_progress(self, path: Path, position: int, size: int) -> None:
        """Rewrite one progress line on standard error: the file and the share of it read."""
        percent = 100 if not size else min(100, position * 100 // size)
        self.stderr.write(
            "\r" + _("%(path)s: %(percent)d%% read") % {"path": path.name, "percent": percent}, ending=""
        )
        self.stderr.flush()

    def _write_counts(self, counts: ImportCounts, verbosity: int) -> None:
        """Print the counts; the four totals under "Lines read" add up to it.

        Below ``--verbosity 2`` the English log is kept off the terminal, so a line says where to find each
        invalid line's file and number.
        """
        write = self.stdout.write
        write(_("Lines read: %(count)d") % {"count": counts.read})
        write(_("Imported: %(count)d") % {"count": counts.imported})
        for outcome, label in (
            (Outcome.APPLIED, _("changed the registry")),
            (Outcome.UNCHANGED, _("the registry already had the fact")),
            (Outcome.STALE, _("older than the stored fact, so it changed nothing")),
        ):
            write("  " + _("%(label)s: %(count)d") % {"label": label, "count": counts.outcomes[outcome]})
        write(_("Duplicates (already imported): %(count)d") % {"count": counts.duplicates})
        write(_("Skipped: %(count)d") % {"count": counts.skipped_total})
        for reason, count in sorted(counts.skipped.items()):
            write("  " + _("%(label)s: %(count)d") % {"label": REASON_LABELS[reason], "count": count})
        write(_("Invalid: %(count)d") % {"count": counts.invalid_total})
        for reason, count in sorted(counts.invalid.items()):
            write("  " + _("%(label)s: %(count)d") % {"label": REASON_LABELS[reason], "count": count})
        if (counts.invalid_total or counts.skipped[SKIP_UNKNOWN_USER]) and verbosity < 2:
            write(_("The log names the file and number of each invalid line or unknown user: give --verbosity 2 "
                    "to show it here."))
