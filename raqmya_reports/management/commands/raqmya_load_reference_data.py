"""``manage.py raqmya_load_reference_data``: reload Morocco's regions and provinces from the CSV file."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from raqmya_reports.errors import InvalidReferenceData
from raqmya_reports.registry.reference import DIVISIONS_FILE, load_divisions


class Command(BaseCommand):
    """Create or update every region and province of the file, in one transaction."""

    @property
    def help(self):
        """Return the command's description in the active language, for ``--help``."""
        return _("Reload Morocco's regions and prefectures/provinces from the reference CSV file.")

    def add_arguments(self, parser):
        """Declare the command's options."""
        parser.add_argument(
            "--file",
            default=str(DIVISIONS_FILE),
            help=_("CSV file with the columns of raqmya_reports/data/morocco_divisions.csv (default: that file)."),
        )

    def handle(self, *args, **options):
        """Reload the regions and provinces."""
        try:
            summary = load_divisions(path=options["file"])
        except InvalidReferenceData as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Regions: %(regions_created)d created, %(regions_updated)d updated. "
                "Prefectures and provinces: %(provinces_created)d created, %(provinces_updated)d updated."
            )
            % vars(summary)
        )
