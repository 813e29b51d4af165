"""``manage.py raqmya_reconcile``: replay the events and follow-ups that a receiver could not finish."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from raqmya_reports.ingestion.replay import reconcile


class Command(BaseCommand):
    """Replay every unresolved failed event, oldest first; replaying one that already took effect changes nothing."""

    @property
    def help(self):
        """Return the command's description in the active language, for ``--help``."""
        return _(
            "Replay the platform events and cohort follow-ups that the receivers recorded as failed "
            "(the failed events table), oldest first."
        )

    def add_arguments(self, parser):
        """Declare the limit."""
        parser.add_argument("--limit", type=int, default=None, help=_("Replay at most this many failed events."))

    def handle(self, *args, **options):
        """Replay and print the counts; exit with an error when some still fail."""
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError(_("--limit %(limit)d is not valid; give 1 or more.") % {"limit": options["limit"]})
        repaired, failing = reconcile(limit=options["limit"])
        self.stdout.write(_("Repaired: %(count)d") % {"count": repaired})
        self.stdout.write(_("Still failing: %(count)d") % {"count": failing})
        if failing:
            raise CommandError(
                _("%(count)d failed events failed again; read the log lines of raqmya_reports.ingestion, fix the "
                  "cause and run raqmya_reconcile again.") % {"count": failing}
            )
