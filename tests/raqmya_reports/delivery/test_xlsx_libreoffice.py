"""The XLSX writer's files as LibreOffice Calc reads them: cells without references land in their columns.

The writer names a cell's column only after a cell left out, so a reader must place the other
cells one after the other. LibreOffice (Debian's ``libreoffice-calc-nogui`` package, or
``RAQMYA_SOFFICE``) converts the file to CSV here, and the CSV must hold every value in its column.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from raqmya_reports.delivery.xlsx import xlsx_chunks

SOFFICE = os.environ.get("RAQMYA_SOFFICE", "soffice")
# LibreOffice's CSV filter: comma-separated, double quotes, UTF-8 (its character set number 76).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76"

HEADER = ("user_id", "region", "cohort", "course_key", "grade_percent", "passed", "passed_at", "username")
ROWS = [
    (14, "MA-07", None, "course-v1:Raqmya+D091+2026", 0.38, 0, None, "bench00000014"),
    (15, "MA-01", "Pilote 2026", "course-v1:Raqmya+D001+2026", 1.0, 1, "2026-03-02T10:00:00+01:00", "أمينة"),
    (None, None, None, "course-v1:Raqmya+D002+2026", None, None, None, "first cells left out"),
    (17, "MA-06", None, None, None, True, None, None),
    (18,),
]


def _soffice() -> str:
    found = shutil.which(SOFFICE)
    if found is None:
        pytest.fail(f"LibreOffice not found as {SOFFICE!r}: install Debian's libreoffice-calc-nogui package "
                    "or set RAQMYA_SOFFICE to its soffice program.")
    return found


def _as_libreoffice_reads(tmp_path: Path, content: bytes) -> list[list[str]]:
    workbook = tmp_path / "learners.xlsx"
    workbook.write_bytes(content)
    command = [_soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
               "--convert-to", CSV_FILTER, "--outdir", str(tmp_path / "out"), str(workbook)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    converted = tmp_path / "out" / "learners.csv"
    assert converted.exists(), f"LibreOffice wrote no CSV: {completed.stdout} {completed.stderr}"
    with converted.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{value:g}"  # Calc's General format: 1.0 shows as 1
    return str(value)


def test_cells_in_their_columns(tmp_path):
    content = b"".join(xlsx_chunks(HEADER, ROWS, title="learners", right_to_left=False))
    read = _as_libreoffice_reads(tmp_path, content)
    expected = [[_text(value) for value in row] + [""] * (len(HEADER) - len(row)) for row in [HEADER, *ROWS]]
    assert read == expected


def test_right_to_left_cells_in_columns(tmp_path):
    rows = [(1, "أمينة بنعلي", None, "الدار البيضاء"), (None, None, "سطات", 2.5)]
    content = b"".join(xlsx_chunks(("a", "b", "c", "d"), rows, title="learners", right_to_left=True))
    assert _as_libreoffice_reads(tmp_path, content) == [
        ["a", "b", "c", "d"], ["1", "أمينة بنعلي", "", "الدار البيضاء"], ["", "", "سطات", "2.5"],
    ]
