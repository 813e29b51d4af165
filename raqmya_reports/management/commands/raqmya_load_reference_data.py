"""``manage.py raqmya_load_reference_data``: reload the territories, DigComp 2.2 and the tracks from the data files."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from raqmya_reports.errors import InvalidReferenceData
from raqmya_reports.registry.framework import DIGCOMP_FILE, TRACKS_FILE, load_digcomp, load_tracks
from raqmya_reports.registry.reference import DIVISIONS_FILE, load_divisions


class Command(BaseCommand):
    """Create or update every region, province, DigComp area and competence, and track; all or nothing."""

    @property
    def help(self):
        """Return the command's description in the active language, for ``--help``."""
        return _(
            "Reload Morocco's regions and prefectures/provinces, the DigComp 2.2 areas and competences "
            "and the programme's tracks from the reference CSV files."
        )

    def add_arguments(self, parser):
        """Declare one option per file, each defaulting to the file shipped with the app."""
        parser.add_argument(
            "--file",
            default=str(DIVISIONS_FILE),
            help=_("CSV file with the columns of raqmya_reports/data/morocco_divisions.csv (default: that file)."),
        )
        parser.add_argument(
            "--digcomp-file",
            default=str(DIGCOMP_FILE),
            help=_("CSV file with the columns of raqmya_reports/data/digcomp_2_2.csv (default: that file)."),
        )
        parser.add_argument(
            "--tracks-file",
            default=str(TRACKS_FILE),
            help=_("CSV file with the columns of raqmya_reports/data/tracks.csv (default: that file)."),
        )

    def handle(self, *args, **options):
        """Reload the three files in one transaction, so a bad file leaves every table as it was."""
        try:
            with transaction.atomic():
                summary = load_divisions(path=options["file"])
                competences = load_digcomp(path=options["digcomp_file"])
                tracks = load_tracks(path=options["tracks_file"])
        except InvalidReferenceData as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Regions: %(regions_created)d created, %(regions_updated)d updated. "
                "Prefectures and provinces: %(provinces_created)d created, %(provinces_updated)d updated."
            )
            % vars(summary)
        )
        self.stdout.write(
            _("DigComp 2.2 competences loaded: %(competences)d. Tracks loaded: %(tracks)d.")
            % {"competences": competences, "tracks": tracks}
        )
