"""Loader of the DigComp 2.2 areas and competences and of the programme's tracks, from the app's data files.

Both files are CSV with a header, after comment lines starting with "#" that name their
sources. Every row is checked before anything is written, and each file is applied in one
transaction. Rows missing from a file are kept, because results and profiles refer to them.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import InvalidReferenceData
from .choices import DIGCOMP_COMPETENCE_CODES, Track

log = logging.getLogger(__name__)

DATA_DIRECTORY = Path(__file__).resolve().parents[1] / "data"
DIGCOMP_FILE = DATA_DIRECTORY / "digcomp_2_2.csv"
TRACKS_FILE = DATA_DIRECTORY / "tracks.csv"

DIGCOMP_COLUMNS = (
    "area_code",
    "area_name_en",
    "area_name_fr",
    "area_name_ar",
    "competence_code",
    "competence_name_en",
    "competence_name_fr",
    "competence_name_ar",
)
TRACK_COLUMNS = ("code", "name_fr", "name_ar")


def read_rows(path: Path | str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Return ``(line number, row)`` pairs of a commented CSV file; raise naming the first bad line."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as source:
            numbered = [(number, text) for number, text in enumerate(source, start=1) if not text.startswith("#")]
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidReferenceData(
            _("Cannot read %(path)s (%(error)s). Give the path of a readable UTF-8 CSV file.")
            % {"path": path, "error": error}
        ) from error
    rows = []
    for index, (number, text) in enumerate(numbered):
        values = [value.strip() for value in next(csv.reader([text]), [])]
        if index == 0:
            if tuple(values) != columns:
                raise InvalidReferenceData(
                    _("%(path)s line %(line)d: the header is %(header)r; it must be %(columns)s.")
                    % {"path": path, "line": number, "header": ",".join(values), "columns": ",".join(columns)}
                )
            continue
        if not any(values):
            continue
        if len(values) != len(columns):
            raise InvalidReferenceData(
                _("%(path)s line %(line)d: %(count)d values instead of %(expected)d. Give one value per column.")
                % {"path": path, "line": number, "count": len(values), "expected": len(columns)}
            )
        row = dict(zip(columns, values))
        for column, value in row.items():
            if not value:
                raise InvalidReferenceData(
                    _("%(path)s line %(line)d: the column %(column)s is empty. Fill it in.")
                    % {"path": path, "line": number, "column": column}
                )
        rows.append((number, row))
    return rows


def read_digcomp(path: Path | str = DIGCOMP_FILE) -> list[dict[str, str]]:
    """Return the checked competence rows: every DigComp 2.2 competence once, each under its own area."""
    rows = read_rows(path, DIGCOMP_COLUMNS)
    seen: dict[str, int] = {}
    areas: dict[str, tuple[int, tuple[str, ...]]] = {}
    for number, row in rows:
        code = row["competence_code"]
        names = (row["area_name_en"], row["area_name_fr"], row["area_name_ar"])
        first_line, first_names = areas.setdefault(row["area_code"], (number, names))
        if names != first_names:
            raise InvalidReferenceData(
                _("%(path)s line %(line)d: area %(area)s has other names than on line %(first)d. "
                  "Give the area the same names on every row.")
                % {"path": path, "line": number, "area": row["area_code"], "first": first_line}
            )
        if code not in DIGCOMP_COMPETENCE_CODES or code.split(".")[0] != row["area_code"]:
            raise InvalidReferenceData(
                _("%(path)s line %(line)d: competence %(code)r is not a DigComp 2.2 competence of area %(area)s; "
                  "use a code from 1.1 to 5.4 that starts with its area code.")
                % {"path": path, "line": number, "code": code, "area": row["area_code"]}
            )
        if code in seen:
            raise InvalidReferenceData(
                _("%(path)s line %(line)d: competence %(code)s is already on line %(first)d. Keep one row.")
                % {"path": path, "line": number, "code": code, "first": seen[code]}
            )
        seen[code] = number
    missing = sorted(DIGCOMP_COMPETENCE_CODES - set(seen))
    if missing:
        raise InvalidReferenceData(
            _("%(path)s lacks the competences %(codes)s. Give one row per DigComp 2.2 competence.")
            % {"path": path, "codes": ", ".join(missing)}
        )
    return [row for _number, row in rows]


def read_tracks(path: Path | str = TRACKS_FILE) -> list[dict[str, str]]:
    """Return the checked track rows: each of the programme's track codes once."""
    rows = read_rows(path, TRACK_COLUMNS)
    codes = [row["code"] for _number, row in rows]
    for number, row in rows:
        if row["code"] not in Track.values:
            raise InvalidReferenceData(
                _("%(path)s line %(line)d: track %(code)r is not known; use one of %(codes)s.")
                % {"path": path, "line": number, "code": row["code"], "codes": ", ".join(Track.values)}
            )
    if sorted(codes) != sorted(Track.values):
        raise InvalidReferenceData(
            _("%(path)s lists the tracks %(found)s; it must list each of %(codes)s once.")
            % {"path": path, "found": ", ".join(codes), "codes": ", ".join(Track.values)}
        )
    return [row for _number, row in rows]


def load_digcomp(area_model=None, competence_model=None, path: Path | str = DIGCOMP_FILE) -> int:
    """Create or update the 5 areas and 21 competences in one transaction; return the competences loaded.

    The models default to the registry's; a data migration passes its historical ones.
    """
    if area_model is None or competence_model is None:
        from .models import DigCompArea, DigCompCompetence  # pylint: disable=import-outside-toplevel

        area_model, competence_model = DigCompArea, DigCompCompetence
    rows = read_digcomp(path)
    with transaction.atomic():
        for row in rows:
            area_model.objects.update_or_create(
                code=row["area_code"],
                defaults={name: row[f"area_{name}"] for name in ("name_en", "name_fr", "name_ar")},
            )
            competence_model.objects.update_or_create(
                code=row["competence_code"],
                defaults={
                    "area_id": row["area_code"],
                    **{name: row[f"competence_{name}"] for name in ("name_en", "name_fr", "name_ar")},
                },
            )
    areas = {row["area_code"] for row in rows}
    log.info("Loaded %d DigComp areas and %d competences from %s.", len(areas), len(rows), path)
    return len(rows)


def load_tracks(track_model=None, path: Path | str = TRACKS_FILE) -> int:
    """Create or update the programme's tracks in one transaction; return how many were loaded."""
    if track_model is None:
        from .models import ProgrammeTrack  # pylint: disable=import-outside-toplevel

        track_model = ProgrammeTrack
    rows = read_tracks(path)
    with transaction.atomic():
        for row in rows:
            track_model.objects.update_or_create(
                code=row["code"], defaults={"name_fr": row["name_fr"], "name_ar": row["name_ar"]}
            )
    log.info("Loaded %d tracks from %s.", len(rows), path)
    return len(rows)
