"""``manage.py raqmya_import_catalogue PATH``: create or update the programme catalogue from a CSV file."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from raqmya_reports.errors import InvalidCatalogue
from raqmya_reports.registry.catalogue import COLUMNS, import_catalogue


class Command(BaseCommand):
    """Import the catalogue: all rows or nothing, unless ``--skip-invalid`` leaves the bad rows out."""

    @property
    def help(self):
        """Return the command's description in the active language, for ``--help``."""
        return _(
            "Create or update the programme catalogue from a UTF-8 CSV file with the columns %(columns)s. "
            "tracks and competences hold codes separated by semicolons; level may be empty."
        ) % {"columns": ", ".join(COLUMNS)}

    def add_arguments(self, parser):
        """Declare the file and ``--skip-invalid``."""
        parser.add_argument("path", metavar="PATH", help=_("Catalogue CSV file."))
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=_("Import the valid rows and list the invalid ones, instead of importing nothing."),
        )

    def handle(self, *args, **options):
        """Import the file; list every bad value on standard error."""
        try:
            summary = import_catalogue(options["path"], skip_invalid=options["skip_invalid"])
        except InvalidCatalogue as error:
            for row_error in error.errors:
                self.stderr.write(row_error.message)
            raise CommandError(str(error)) from error
        for row_error in summary.errors:
            self.stderr.write(row_error.message)
        self.stdout.write(
            _("Catalogue entries: %(created)d created, %(updated)d updated, %(skipped)d invalid rows left out.")
            % {"created": summary.created, "updated": summary.updated, "skipped": summary.rows_left_out}
        )
