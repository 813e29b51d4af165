"""Import of the programme catalogue from a CSV file: course key, tracks, hours, competences, level, language.

Every row is checked first. Nothing is written unless every row is valid, or the caller asks
for the valid rows only. The rows are written in one transaction. A course's visibility and
dates are not in the file, because they come from Studio's catalogue events.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from ..errors import InvalidCatalogue
from .choices import DIGCOMP_COMPETENCE_CODES, Track, proficiency_levels
from .models import CatalogueEntry, Course, key_hash

log = logging.getLogger(__name__)

COLUMNS = ("course_key", "tracks", "hours", "competences", "level")
# A column that a file may leave out: an import without it keeps each entry's stored language.
LANGUAGE_COLUMN = "language"
# Items of a list cell (tracks, competences) may be separated by commas, semicolons, bars or spaces.
LIST_SEPARATORS = re.compile(r"[\s,;|]+")
# ``CatalogueEntry.hours`` has 6 digits with 1 decimal place.
MAX_HOURS = Decimal("99999.9")


@dataclass(frozen=True)
class RowError:
    """One bad value of the file: where it is, what it is, and how to fix it."""

    line: int
    column: str
    value: str
    fix: str

    @property
    def message(self) -> str:
        """Return the error in the active language, naming the line, the column and the value."""
        return _("Line %(line)d, column %(column)s: %(value)r is not valid. %(fix)s") % {
            "line": self.line, "column": self.column, "value": self.value, "fix": self.fix,
        }


@dataclass(frozen=True)
class CatalogueRow:
    """One valid row of the file, ready to write."""

    line: int
    course_key: str
    tracks: list[str]
    hours: Decimal
    competences: list[str]
    level: int | None
    # ``None`` when the file has no language column.
    language: str | None = None


@dataclass
class CatalogueFile:
    """The valid rows and the errors of one file."""

    rows: list[CatalogueRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportSummary:
    """Counts of the entries an import wrote, and the errors of the rows it left out."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows_left_out(self) -> int:
        """Return the number of rows with at least one bad value."""
        return len({error.line for error in self.errors})


def read_catalogue(path: Path | str) -> CatalogueFile:
    """Return the file's valid rows and one error per bad value; raise ``InvalidCatalogue`` if unreadable.

    The file is UTF-8, with or without a byte order mark, separated by commas or semicolons.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidCatalogue(
            _("%(path)s is not UTF-8 (byte %(position)d). Save the file as CSV UTF-8 and import it again.")
            % {"path": path, "position": error.start}
        ) from error
    except OSError as error:
        raise InvalidCatalogue(
            _("Cannot read %(path)s (%(error)s). Give the path of a readable CSV file.")
            % {"path": path, "error": error}
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise InvalidCatalogue(
            _("%(path)s line 1: the columns %(missing)s are missing. The header must name %(columns)s.")
            % {"path": path, "missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
        )
    reader.fieldnames = header
    result = CatalogueFile()
    first_lines: dict[str, int] = {}
    for values in reader:
        if not any((value or "").strip() for value in values.values() if isinstance(value, str)):
            continue
        errors_before = len(result.errors)
        row = _check_row(reader.line_num, values, result.errors)
        if row and row.course_key in first_lines:
            result.errors.append(RowError(
                reader.line_num, "course_key", row.course_key,
                _("The course is already on line %(first)d. Keep one row per course.")
                % {"first": first_lines[row.course_key]},
            ))
        elif row and len(result.errors) == errors_before:
            first_lines[row.course_key] = row.line
            result.rows.append(row)
    return result


def _check_row(line: int, values: dict, errors: list[RowError]) -> CatalogueRow | None:
    """Return the row's values when every one is valid; append an error per bad value otherwise."""
    cell = {column: (values.get(column) or "").strip() for column in COLUMNS}
    count_before = len(errors)
    course_key = _course_key(line, cell["course_key"], errors)
    tracks = _codes(line, "tracks", cell["tracks"], Track.values, errors, required=True)
    competences = _codes(line, "competences", cell["competences"], sorted(DIGCOMP_COMPETENCE_CODES), errors)
    hours = _hours(line, cell["hours"], errors)
    level = _level(line, cell["level"], errors)
    language = None
    if LANGUAGE_COLUMN in values:
        language = _language(line, (values.get(LANGUAGE_COLUMN) or "").strip(), errors)
    if len(errors) > count_before:
        return None
    return CatalogueRow(line, course_key, tracks, hours, competences, level, language)


def _language(line: int, value: str, errors: list[RowError]) -> str:
    """Return the language code of a course, "" for an empty cell, or record why it is not one of the site's."""
    codes = [code for code, _name in settings.LANGUAGES]
    if not value or value in codes:
        return value
    errors.append(RowError(line, LANGUAGE_COLUMN, value, _(
        "Give the code of the language the course is taught in, one of %(codes)s, or leave the cell empty."
    ) % {"codes": ", ".join(codes)}))
    return ""


def _course_key(line: int, value: str, errors: list[RowError]) -> str:
    """Return the course key in its canonical form, or record why it is not one."""
    try:
        return str(CourseKey.from_string(value))
    except InvalidKeyError:
        errors.append(RowError(line, "course_key", value, _(
            "Give a course key such as course-v1:Raqmya+DIGI101+2026, as Studio shows it."
        )))
        return ""


def _codes(  # pylint: disable=too-many-positional-arguments
    line: int, column: str, value: str, known, errors: list[RowError], required: bool = False
) -> list[str]:
    """Return the list of codes of a cell, each known; record an error naming the first unknown one."""
    codes = [code for code in LIST_SEPARATORS.split(value) if code]
    unknown = [code for code in codes if code not in known]
    if unknown or (required and not codes):
        errors.append(RowError(line, column, unknown[0] if unknown else value, _(
            "Use one or more of %(codes)s, separated by semicolons."
        ) % {"codes": ", ".join(known)}))
    return sorted(set(codes), key=codes.index)


def _hours(line: int, value: str, errors: list[RowError]) -> Decimal:
    """Return the learning hours (a decimal comma is accepted), or record why they are not valid."""
    try:
        hours = Decimal(value.replace(",", "."))
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite() or hours <= 0 or hours > MAX_HOURS or hours != round(hours, 1):
        errors.append(RowError(line, "hours", value, _(
            "Give the learning hours as a number above 0 and at most %(max)s, with one decimal at most, such as 12.5."
        ) % {"max": MAX_HOURS}))
        return Decimal(0)
    return hours


def _level(line: int, value: str, errors: list[RowError]) -> int | None:
    """Return the proficiency level, ``None`` for an empty cell, or record why it is not valid."""
    if not value:
        return None
    levels = proficiency_levels()
    if value.isdigit() and int(value) in levels:
        return int(value)
    errors.append(RowError(line, "level", value, _(
        "Give a proficiency level from 1 to %(top)d, or leave the cell empty."
    ) % {"top": levels[-1]}))
    return None


def import_catalogue(path: Path | str, *, skip_invalid: bool = False) -> ImportSummary:
    """Create or update the catalogue entry of every row of ``path`` in one transaction.

    When a row is invalid, raises ``InvalidCatalogue`` listing every bad value and writes
    nothing. With ``skip_invalid``, writes the valid rows and returns the errors instead.
    """
    catalogue = read_catalogue(path)
    if catalogue.errors and not skip_invalid:
        raise InvalidCatalogue(
            _("%(count)d values of %(path)s are not valid, so nothing was imported. Fix them, "
              "or import the valid rows only with --skip-invalid.") % {"count": len(catalogue.errors), "path": path},
            errors=catalogue.errors,
        )
    summary = ImportSummary(errors=catalogue.errors)
    with transaction.atomic():
        for row in catalogue.rows:
            course, _created = Course.objects.get_or_create(
                course_key_hash=key_hash(row.course_key), defaults={"course_key": row.course_key}
            )
            values = {"tracks": row.tracks, "hours": row.hours, "competences": row.competences, "level": row.level}
            if row.language is not None:
                values["language"] = row.language
            _entry, created = CatalogueEntry.objects.update_or_create(course=course, defaults=values)
            if created:
                summary.created += 1
            else:
                summary.updated += 1
    log.info(
        "Catalogue %s imported: %d entries created, %d updated, %d invalid rows left out.",
        path, summary.created, summary.updated, summary.rows_left_out,
    )
    return summary
