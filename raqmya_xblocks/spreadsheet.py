"""Bulk import of questions from a spreadsheet (CSV in UTF-8 with or without BOM, or XLSX), and its template.

One row is one question. Choices sit in numbered column groups (``choice 1``, ``choice 1 correct``,
``choice 1 feedback``...); their ids are ``a``, ``b``, ``c``... by column group. A row that cannot
be imported is reported with its number and the reason, and the other rows are still read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from .errors import InvalidSpreadsheet
from .imports import ImportPreview

MAX_CHOICES = 6
BASE_COLUMNS = ("id", "type", "competence", "level", "tracks", "points", "stem", "explanation")
CHOICE_COLUMNS = tuple(
    name for number in range(1, MAX_CHOICES + 1)
    for name in (f"choice {number}", f"choice {number} correct", f"choice {number} feedback")
)
# Optional item parameters of the placement test, last so that older sheets keep their column positions.
PARAMETER_COLUMNS = ("difficulty", "discrimination")
COLUMNS = BASE_COLUMNS + CHOICE_COLUMNS + PARAMETER_COLUMNS
_TRUE_WORDS = frozenset({"1", "true", "yes", "x", "oui", "vrai", "نعم"})
_FALSE_WORDS = frozenset({"", "0", "false", "no", "non", "faux", "لا"})


def template_csv() -> bytes:
    """Return the CSV template: UTF-8 with BOM (so that spreadsheet programs read accents), header and one example."""
    example = {
        "id": "q-phishing", "type": "single", "competence": "4.2", "level": "2",
        "tracks": "perfectionnement acculturation", "points": "1",
        "stem": "<p>Un e-mail vous demande votre mot de passe. Que faites-vous ?</p>",
        "explanation": "Une banque ne demande jamais de mot de passe par e-mail.",
        "choice 1": "Je le signale comme hameçonnage", "choice 1 correct": "true", "choice 1 feedback": "Bien vu.",
        "choice 2": "Je réponds avec mon mot de passe", "choice 2 correct": "false",
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(example)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _identity(text: str) -> str:
    return text


def _numbered_records(records: Iterable[list], header: list[str]) -> list[tuple[int, dict]]:
    """Return each record that has a non-empty cell with its row number, the header being row 1.

    Blank rows are left out but still counted, so each number is the one a spreadsheet program shows.
    A record is read as ``csv.DictReader`` reads it: missing cells are None, extra cells are listed under None.
    """
    rows = []
    for number, record in enumerate(records, start=2):
        if not any(value not in (None, "") for value in record):
            continue
        row: dict = dict(zip(header, record))
        if len(record) > len(header):
            row[None] = list(record[len(header):])
        for name in header[len(record):]:
            row[name] = None
        rows.append((number, row))
    return rows


def _rows_from_csv(content: bytes, gettext: Callable[[str], str]) -> list[tuple[int, dict]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidSpreadsheet(gettext(
            'The CSV file is not UTF-8 (byte %(byte)s); save it as "CSV UTF-8" and import it again.'
        ) % {"byte": error.start}) from error
    try:
        # One record per spreadsheet row: a line break inside a quoted cell does not start a new row.
        records = csv.reader(io.StringIO(text, newline=""))
        header = next(records, [])
        return _numbered_records(records, header)
    except csv.Error as error:
        raise InvalidSpreadsheet(gettext(
            'The CSV file cannot be read (%(error)s); export it again from the spreadsheet as "CSV UTF-8".'
        ) % {"error": error}) from error


def _rows_from_xlsx(content: bytes, gettext: Callable[[str], str]) -> list[tuple[int, dict]]:
    from openpyxl import load_workbook  # pylint: disable=import-outside-toplevel

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError and its own errors for a bad file
        raise InvalidSpreadsheet(gettext("The XLSX file cannot be read (%(error)s); save it again as .xlsx.")
                                 % {"error": error}) from error
    rows = workbook.active.iter_rows(min_row=1, values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, [])]
    records = ([None if value is None else str(value) for value in row] for row in rows)
    return [(number, {name: "" if value is None else value for name, value in row.items() if name is not None})
            for number, row in _numbered_records(records, header)]


def _flag(value: str, column: str, gettext: Callable[[str], str]) -> bool:
    word = value.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(gettext("%(column)s is %(value)s; write true or false") % {
        "column": column, "value": repr(value)})


def _number(value: str, column: str, gettext: Callable[[str], str]) -> int | float:
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        raise ValueError(gettext("%(column)s is %(value)s; write a number such as 1") % {
            "column": column, "value": repr(value)}) from None
    return int(number) if number.is_integer() else number


def _read_row(row: dict, gettext: Callable[[str], str]) -> tuple[dict, list[str]]:
    """Build a question's JSON object from one row, leaving out each cell that cannot be read.

    Return it with a message per unreadable cell, so that the other faults of the row are found too.
    """
    faults: list[str] = []

    def read(convert: Callable, value: str, column: str, default: object = None) -> object:
        try:
            return convert(value, column, gettext)
        except ValueError as error:
            faults.append(f"{error}.")
            return default

    data: dict = {"id": row.get("id", "").strip(), "type": row.get("type", "").strip() or "single",
                  "competence": row.get("competence", "").strip(), "tracks": row.get("tracks", "").split(),
                  "stem": row.get("stem", "")}
    for name in ("level", "points", *PARAMETER_COLUMNS):
        if (row.get(name) or "").strip():
            value = read(_number, row[name], name)
            if value is not None:
                data[name] = value
    if row.get("explanation", "").strip():
        data["explanation"] = row["explanation"]
    choices = []
    for number in range(1, MAX_CHOICES + 1):
        text = row.get(f"choice {number}", "") or ""
        if not text.strip():
            continue
        column = f"choice {number} correct"
        choice = {"id": "abcdef"[number - 1], "text": text,
                  "correct": read(_flag, row.get(column, "") or "", column, False)}
        if (row.get(f"choice {number} feedback") or "").strip():
            choice["feedback"] = row[f"choice {number} feedback"]
        choices.append(choice)
    data["choices"] = choices
    return data, faults


def question_from_row(row: dict, gettext: Callable[[str], str] = _identity) -> dict:
    """Build a question's JSON object from one row; raise ``ValueError`` naming every unreadable cell."""
    data, faults = _read_row(row, gettext)
    if faults:
        raise ValueError(" ".join(faults))
    return data


def preview_spreadsheet(filename: str, content: bytes, existing_ids: set[str],
                        gettext: Callable[[str], str] | None = None) -> ImportPreview:
    """Read a CSV or XLSX file into an import preview; raise ``InvalidSpreadsheet`` for an unreadable file.

    Messages are in the language of ``gettext``, English without it.
    """
    gettext = gettext or _identity
    lowered = filename.lower()
    if lowered.endswith(".csv"):
        rows = _rows_from_csv(content, gettext)
    elif lowered.endswith(".xlsx"):
        rows = _rows_from_xlsx(content, gettext)
    else:
        raise InvalidSpreadsheet(gettext(
            "File %(filename)s is neither .csv nor .xlsx; export the sheet in one of them."
        ) % {"filename": repr(filename)})
    preview = ImportPreview()
    seen = set(existing_ids)
    for number, row in rows:
        data, faults = _read_row(row, gettext)
        preview.offer({"row": number}, data, seen, gettext, earlier=faults)
    return preview
