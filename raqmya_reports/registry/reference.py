"""Loader of Morocco's regions and prefectures/provinces from the CSV file shipped with the app.

The file and its sources are described in ``raqmya_reports/data/README.rst``. Every row is
checked before anything is written, and the whole file is applied in one transaction.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import InvalidReferenceData
from .choices import DivisionKind

log = logging.getLogger(__name__)

DIVISIONS_FILE = Path(__file__).resolve().parents[1] / "data" / "morocco_divisions.csv"

COLUMNS = (
    "region_code",
    "region_name_fr",
    "region_name_ar",
    "province_code",
    "province_name_fr",
    "province_name_ar",
    "kind",
)
REGION_CODE = re.compile(r"^MA-(0[1-9]|1[0-2])$")
PROVINCE_CODE = re.compile(r"^MA-[A-Z]{3}$")
# A province's Arabic name may be left empty while a native speaker checks it: reports then show the French one.
OPTIONAL_COLUMNS = frozenset({"province_name_ar"})


@dataclass(frozen=True)
class DivisionRow:
    """One checked row of the divisions file."""

    line: int
    region_code: str
    region_name_fr: str
    region_name_ar: str
    province_code: str
    province_name_fr: str
    province_name_ar: str
    kind: str


@dataclass
class LoadSummary:
    """Counts of regions and provinces that a load created or updated."""

    regions_created: int = 0
    regions_updated: int = 0
    provinces_created: int = 0
    provinces_updated: int = 0


def read_divisions(path: Path | str = DIVISIONS_FILE) -> list[DivisionRow]:
    """Return the checked rows of ``path``; raise ``InvalidReferenceData`` naming the first bad line."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as source:
            reader = csv.reader(source)
            header = next(reader, None)
            if header is None or tuple(column.strip() for column in header) != COLUMNS:
                raise InvalidReferenceData(
                    _("%(path)s line 1: the header is %(header)r; it must be %(columns)s.")
                    % {"path": path, "header": header, "columns": ",".join(COLUMNS)}
                )
            rows = [_check_row(path, reader.line_num, values) for values in reader if any(values)]
    except OSError as error:
        raise InvalidReferenceData(
            _("Cannot read the divisions file %(path)s (%(error)s). Give the path of a readable CSV file.")
            % {"path": path, "error": error}
        ) from error
    _check_consistency(path, rows)
    return rows


def _check_row(path: Path, line: int, values: list[str]) -> DivisionRow:
    """Return one row as a ``DivisionRow`` after checking the shape of every value."""
    if len(values) != len(COLUMNS):
        raise InvalidReferenceData(
            _("%(path)s line %(line)d: %(count)d values instead of %(expected)d. Give one value per column.")
            % {"path": path, "line": line, "count": len(values), "expected": len(COLUMNS)}
        )
    fields = dict(zip(COLUMNS, (value.strip() for value in values)))
    for column, value in fields.items():
        if not value and column not in OPTIONAL_COLUMNS:
            raise InvalidReferenceData(
                _("%(path)s line %(line)d: the column %(column)s is empty. Fill it in.")
                % {"path": path, "line": line, "column": column}
            )
    checks = (
        ("region_code", REGION_CODE.match(fields["region_code"]), "MA-01 to MA-12"),
        ("province_code", PROVINCE_CODE.match(fields["province_code"]), "MA- and three capital letters"),
        ("kind", fields["kind"] in DivisionKind.values, " or ".join(DivisionKind.values)),
    )
    for column, is_valid, expected in checks:
        if not is_valid:
            raise InvalidReferenceData(
                _("%(path)s line %(line)d: %(column)s %(value)r is not valid; use %(expected)s.")
                % {"path": path, "line": line, "column": column, "value": fields[column], "expected": expected}
            )
    return DivisionRow(line=line, **fields)


def _check_consistency(path: Path, rows: list[DivisionRow]) -> None:
    """Reject a province listed twice and a region whose names differ between rows."""
    provinces: dict[str, int] = {}
    regions: dict[str, DivisionRow] = {}
    for row in rows:
        if row.province_code in provinces:
            raise InvalidReferenceData(
                _("%(path)s line %(line)d: the province %(code)s is already on line %(first)d. Keep one row.")
                % {"path": path, "line": row.line, "code": row.province_code, "first": provinces[row.province_code]}
            )
        provinces[row.province_code] = row.line
        first = regions.setdefault(row.region_code, row)
        if (first.region_name_fr, first.region_name_ar) != (row.region_name_fr, row.region_name_ar):
            raise InvalidReferenceData(
                _(
                    "%(path)s line %(line)d: the region %(code)s is named %(name)r, but %(first_name)r on "
                    "line %(first)d. Give the region the same names on every row."
                )
                % {
                    "path": path,
                    "line": row.line,
                    "code": row.region_code,
                    "name": row.region_name_fr,
                    "first_name": first.region_name_fr,
                    "first": first.line,
                }
            )


def load_divisions(region_model=None, province_model=None, path: Path | str = DIVISIONS_FILE) -> LoadSummary:
    """Create or update every region and province of ``path`` in one transaction.

    The models default to the registry's; a data migration passes its historical ones.
    Regions and provinces missing from the file are kept, since beneficiaries refer to them.
    """
    if region_model is None or province_model is None:
        from .models import Province, Region  # pylint: disable=import-outside-toplevel

        region_model, province_model = Region, Province
    rows = read_divisions(path)
    summary = LoadSummary()
    with transaction.atomic():
        for row in rows:
            _, created = region_model.objects.update_or_create(
                code=row.region_code, defaults={"name_fr": row.region_name_fr, "name_ar": row.region_name_ar}
            )
            if created:
                summary.regions_created += 1
        for row in rows:
            _, created = province_model.objects.update_or_create(
                code=row.province_code,
                defaults={
                    "region_id": row.region_code,
                    "name_fr": row.province_name_fr,
                    "name_ar": row.province_name_ar,
                    "kind": row.kind,
                },
            )
            if created:
                summary.provinces_created += 1
    region_codes = {row.region_code for row in rows}
    summary.regions_updated = len(region_codes) - summary.regions_created
    summary.provinces_updated = len(rows) - summary.provinces_created
    stale = province_model.objects.exclude(code__in=[row.province_code for row in rows])
    for code in stale.values_list("code", flat=True):
        log.warning("Province %s is in the database but not in %s; kept, since beneficiaries may use it.", code, path)
    log.info(
        "Loaded %d regions and %d provinces from %s (%d regions and %d provinces created).",
        len(region_codes),
        len(rows),
        path,
        summary.regions_created,
        summary.provinces_created,
    )
    return summary
