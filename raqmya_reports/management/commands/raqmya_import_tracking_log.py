"""``manage.py raqmya_import_tracking_log PATH [PATH...]``: record enrollments and grades from tracking logs."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from raqmya_reports.ingestion.facts import Outcome
from raqmya_reports.ingestion.tracking_log import BATCH_SIZE, import_tracking_logs


class Command(BaseCommand):
    """Import edx-platform tracking logs, plain or gzip; each line counts once however often it is read."""

    @property
    def help(self):
        """Return the command's description in the active language, for ``--help``."""
        return _(
            "Record enrollments, unenrollments and course grades from edx-platform tracking logs "
            "(JSON lines, plain or gzip). Lines already imported are counted as duplicates."
        )

    def add_arguments(self, parser):
        """Declare the paths and the batch size."""
        parser.add_argument("paths", nargs="+", metavar="PATH", help=_("Tracking log file, plain or gzip."))
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=_("Lines applied per transaction (default: %(default)s)."),
        )

    def handle(self, *args, **options):
        """Import each file in turn and print its counts."""
        paths = [Path(path) for path in options["paths"]]
        for path in paths:
            if not path.is_file():
                raise CommandError(_("%(path)s is not a file. Give the path of a tracking log.") % {"path": path})
        if options["batch_size"] < 1:
            raise CommandError(
                _("--batch-size %(size)d is not valid; give 1 or more.") % {"size": options["batch_size"]}
            )
        counts = import_tracking_logs(paths, batch_size=options["batch_size"])
        self.stdout.write(_("Lines read: %(count)d") % {"count": counts.read})
        for outcome, label in (
            (Outcome.APPLIED, _("Applied")),
            (Outcome.ALREADY_PROCESSED, _("Duplicates (already imported)")),
            (Outcome.UNCHANGED, _("Unchanged (the registry already had the fact)")),
            (Outcome.STALE, _("Older than the stored fact")),
        ):
            self.stdout.write(_("%(label)s: %(count)d") % {"label": label, "count": counts.outcomes[outcome]})
        for reason, count in sorted(counts.skipped.items()):
            self.stdout.write(_("Skipped (%(reason)s): %(count)d") % {"reason": reason, "count": count})
