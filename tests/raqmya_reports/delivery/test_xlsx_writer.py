"""The XLSX writer: rows written as sheet XML into openpyxl's workbook, read back by openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import queue
import threading
import time
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from raqmya_reports.delivery import xlsx
from raqmya_reports.delivery.errors import TooManyRows
from raqmya_reports.delivery.xlsx import (
    CHUNK_ROWS,
    MAX_COLUMNS,
    MAX_ROWS,
    _column_letters,
    _RowWriter,
    _sheet_around_rows,
    row_xml,
    sheet_rows,
    xlsx_chunks,
)

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# (value written, value openpyxl reads back)
READ_BACK = [
    ("Zoé", "Zoé"),
    ("أمينة بنعلي", "أمينة بنعلي"),
    ("", ""),
    ("  two spaces before", "  two spaces before"),
    ("a space after ", "a space after "),
    ("\tTab first", "\tTab first"),
    ("line\nbreak", "line\nbreak"),
    ("carriage\r\nreturn", "carriage\r\nreturn"),
    ("ends in a return\r", "ends in a return\r"),
    ("a & b < c > d ]]> e", "a & b < c > d ]]> e"),
    ("=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")"),
    ("#N/A", "#N/A"),
    ("bell\x07 and nul\x00", "bell\ufffd and nul\ufffd"),
    ("lone \udc80 surrogate", "lone \ufffd surrogate"),
    ("not a character \ufffe\uffff", "not a character \ufffd\ufffd"),
    ("{0} {1} braces", "{0} {1} braces"),
    (0, 0),
    (-17, -17),
    (2**62, 2**62),
    (0.38, 0.38),
    (-0.5, -0.5),
    (1e300, 1e300),
    (float("nan"), "nan"),
    (float("inf"), "inf"),
    (float("-inf"), "-inf"),
    (Decimal("12.50"), 12.5),
    (Decimal("7"), 7),
    (Decimal("1E+2"), 100.0),
    (Decimal("NaN"), "NaN"),
    (Decimal("sNaN"), "sNaN"),
    (Decimal("1E+400"), "1E+400"),
    (True, True),
    (False, False),
    (None, None),
    (dt.date(2026, 3, 1), "2026-03-01"),
    (dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))), "2026-03-01T09:30:00+01:00"),
]


def _workbook(header, rows, *, right_to_left: bool = False) -> bytes:
    return b"".join(xlsx_chunks(header, rows, title="learners", right_to_left=right_to_left))


def _read_back(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _by_cells(rows: list[tuple], first: int = 1) -> str:
    letters = _column_letters(max(map(len, rows)))
    return "".join(row_xml(number, row, letters) for number, row in enumerate(rows, first))


@pytest.mark.parametrize(("value", "expected"), READ_BACK, ids=[repr(value)[:30] for value, _ in READ_BACK])
def test_value_read_back(value, expected):
    rows = _read_back(_workbook(("before", "value", "after"), [(1, value, "end")]))
    assert rows[1] == (1, expected, "end")


def test_each_value_in_one_row_read_back():
    values = tuple(value for value, _expected in READ_BACK)
    rows = _read_back(_workbook(tuple(f"c{index}" for index in range(len(values))), [values, values]))
    assert rows[1] == tuple(expected for _value, expected in READ_BACK)
    assert rows[2] == rows[1]


def test_sheet_is_well_formed_xml():
    values = tuple(value for value, _expected in READ_BACK)
    content = _workbook(("header",), [values] * 3)
    root = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(content)).read(SHEET))
    rows = root.find(f"{MAIN}sheetData").findall(f"{MAIN}row")
    assert [row.get("r") for row in rows] == ["1", "2", "3", "4"]
    # Only the cell after the one left out (None) names its column.
    gap = values.index(None)
    expected = [None] * gap + [_column_letters(gap + 2)[-1] + "2"] + [None] * (len(values) - gap - 2)
    assert [cell.get("r") for cell in rows[1]] == expected


@pytest.mark.parametrize("rows", [
    [("Zoé", 3, 0.5, None, True, Decimal("1.5"))] * 3,
    [("a", None), (None, "b"), (1, 2.5), (False, "")],
    [("trailing space ", 1)],
    [(" leading space", 1)],
    [("tab\tinside", 1)],
    [("a<b", 1)],
    [(float("nan"), 1)],
    [(dt.date(2026, 1, 1), 1)],
    [("one",), ("one", "two", "three"), ()],
])
def test_templates_write_as_cell_by_cell(rows):
    expected = _by_cells(rows, first=5)
    writer = _RowWriter()
    assert writer.rows_xml(5, rows).decode("utf-8") == expected


def test_templates_used_for_plain_rows():
    rows = [("Zoé", 3, 0.5, None, True), (None, "x", 2, 1.5, False)]
    writer = _RowWriter()
    writer.letters = _column_letters(5)
    xml, by_templates = writer._by_templates(2, rows)  # pylint: disable=protected-access
    assert xml == _by_cells(rows, first=2)
    assert by_templates is True
    assert len(writer.templates) == 2


@pytest.mark.parametrize("text", ["a&b", "a<b", "a>b", "tab\there", "line\nbreak", "cr\rhere", " lead", "trail ",
                                  "_x000D_", "x" * 40_000, "bell\x07", "nul\x00", "lone \udc80", "\ufffe", "\uffff"])
def test_row_needing_care_written_by_cells(text):
    rows = [("plain", 1), (text, 2), ("plain", 3)]
    writer = _RowWriter()
    writer.letters = _column_letters(2)
    xml, by_templates = writer._by_templates(1, rows)  # pylint: disable=protected-access
    assert xml == _by_cells(rows)
    # Not all by templates, so ``rows_xml`` looks for the characters that XML forbids in the whole XML.
    assert by_templates is False


class Code(int):
    """An int whose text is not its number."""

    def __str__(self):
        return f"C{int(self)}"

    # format() and f-strings of it raise TypeError, so only the base type's text can be written.
    __format__ = None


class Share(float):
    """A float whose text is not its number."""

    def __str__(self):
        return "F!"

    def __repr__(self):
        return "F!"


def test_number_subclass_written_as_number():
    assert _read_back(_workbook(("a", "b"), [(Code(3), Share(0.5))]))[1] == (3, 0.5)


@pytest.mark.parametrize("neighbour", ["plain", "a&b"])
def test_int_past_double_range_as_text(neighbour):
    rows = _read_back(_workbook(("n", "t"), [(10**400, neighbour)]))
    assert rows[1] == ("1" + "0" * 400, neighbour)


def test_int_past_python_digits_as_text():
    assert _read_back(_workbook(("n",), [(10**5000,)]))[1] == ("1.000000000000000E+5000",)


def test_long_text_cut_to_excel_length():
    assert len(_read_back(_workbook(("h",), [("x" * 40_000,)]))[1][0]) == 32_767


def test_long_text_cut_by_utf16_units():
    text = _read_back(_workbook(("h",), [("\U0001F600" * 20_000,)]))[1][0]
    assert text == "\U0001F600" * 16_383


def test_text_at_half_limit_kept_whole():
    text = "\U0001F600" * 16_383 + "x"
    assert _read_back(_workbook(("h",), [(text,)]))[1][0] == text


def test_excel_escape_text_kept():
    xml = b"".join(sheet_rows(("h",), [("a_x000D_b",)])).decode("utf-8")
    assert "<t>a_x005F_x000D_b</t>" in xml


def test_templates_capped_per_sheet():
    rows = [tuple(None if (number >> bit) & 1 else bit for bit in range(11)) for number in range(2048)]
    writer = _RowWriter()
    writer.letters = _column_letters(11)
    xml, by_templates = writer._by_templates(1, rows)  # pylint: disable=protected-access
    assert xml == _by_cells(rows)
    assert by_templates is False
    assert len(writer.templates) == 1000


def test_carriage_return_escaped():
    xml = b"".join(sheet_rows(("h",), [("a\r\nb",)])).decode("utf-8")
    assert "<t>a&#13;\nb</t>" in xml


def test_edge_spaces_preserved():
    xml = b"".join(sheet_rows(("h",), [(" a", "b\r")])).decode("utf-8")
    assert '<t xml:space="preserve"> a</t>' in xml
    assert '<t xml:space="preserve">b&#13;</t>' in xml


def test_none_writes_no_cell():
    xml = b"".join(sheet_rows(("a", "b", "c"), [(1, None, 3)])).decode("utf-8")
    assert '<row r="2"><c><v>1</v></c><c r="C2"><v>3</v></c></row>' in xml


def test_booleans_written_as_booleans():
    xml = b"".join(sheet_rows(("a", "b"), [(True, False)])).decode("utf-8")
    assert '<row r="2"><c t="b"><v>1</v></c><c t="b"><v>0</v></c></row>' in xml


def test_rows_across_chunks_numbered():
    rows = [(number, f"row {number}") for number in range(2500)]
    read = _read_back(_workbook(("number", "text"), rows))
    assert len(read) == 2501
    assert read[1] == (0, "row 0")
    assert read[1001] == (1000, "row 1000")
    assert read[-1] == (2499, "row 2499")


def test_empty_rows_give_header_only():
    assert _read_back(_workbook(("a", "b"), [])) == [("a", "b")]


def test_sheet_limit_reached_allowed():
    rows = ((number,) for number in range(MAX_ROWS - 1))
    last = b"".join(sheet_rows(("n",), rows))[-80:]
    assert last.endswith(f'<row r="{MAX_ROWS}"><c><v>{MAX_ROWS - 2}</v></c></row></sheetData>'.encode())


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "The export has more than 1,048,576 rows with its header, the most one Excel sheet holds: export CSV"),
    ("fr", "L’export compte plus de 1\xa0048\xa0576 lignes avec son en-tête, le maximum d’une feuille Excel"),
])
def test_sheet_limit_passed_rejected(language, expected):
    rows = ((number,) for number in range(MAX_ROWS))
    with translation.override(language), pytest.raises(TooManyRows) as raised:
        b"".join(xlsx_chunks(("n",), rows, title="learners", right_to_left=False))
    assert str(raised.value).startswith(expected)


def test_nothing_yielded_before_failure():
    def failing_rows():
        yield ("first",)
        raise RuntimeError("the database went away")

    chunks = xlsx_chunks(("h",), failing_rows(), title="learners", right_to_left=False)
    with pytest.raises(RuntimeError, match="the database went away"):
        next(chunks)


def test_too_wide_row_rejected():
    with pytest.raises(ValueError, match=r"16,385 values, more than the 16,384 columns"):
        list(sheet_rows(("h",), [(0,) * (MAX_COLUMNS + 1)]))


def test_widest_row_last_column_letter():
    xml = b"".join(sheet_rows(("h",), [(None,) * (MAX_COLUMNS - 1) + (1,)])).decode("utf-8")
    assert xml.endswith('<row r="2"><c r="XFD2"><v>1</v></c></row></sheetData>')


def test_parts_are_openpyxl_workbook():
    reference = io.BytesIO()
    workbook = Workbook(write_only=True)
    workbook.create_sheet(title="learners")
    workbook.save(reference)
    ours = zipfile.ZipFile(io.BytesIO(_workbook(("h",), [(1,)])))
    theirs = zipfile.ZipFile(reference)
    assert ours.namelist() == theirs.namelist()
    for name in theirs.namelist():
        if name not in (SHEET, "docProps/core.xml"):  # core.xml contains the time the file was made
            assert ours.read(name) == theirs.read(name), name
    assert ours.testzip() is None


def test_right_to_left_sheet():
    book = load_workbook(io.BytesIO(_workbook(("h",), [("أ",)], right_to_left=True)))
    assert book.active.sheet_view.rightToLeft is True
    assert book.active.title == "learners"


def test_left_to_right_sheet():
    book = load_workbook(io.BytesIO(_workbook(("h",), [("a",)], right_to_left=False)))
    assert not book.active.sheet_view.rightToLeft


def test_sheet_without_empty_rows_element_rejected():
    with pytest.raises(RuntimeError, match=r"does not contain '<sheetData></sheetData>' exactly once"):
        _sheet_around_rows('<worksheet><sheetData/></worksheet>')


def test_workbook_without_sheet_part_rejected():
    parts = [(zipfile.ZipInfo("xl/worksheets/data.xml"), b"<worksheet/>")]
    with pytest.raises(RuntimeError, match=r"has no part 'xl/worksheets/sheet1.xml'.*\(3\.1\.5\)"):
        xlsx._empty_sheet(parts)  # pylint: disable=protected-access


def test_read_only_mode_places_cells():
    # pandas reads XLSX with openpyxl's read-only mode, a parser of its own.
    rows = [(None, "b", None, None, 5, True), (1, None, "c")]
    content = _workbook(("h1", "h2", "h3", "h4", "h5", "h6"), rows)
    book = load_workbook(io.BytesIO(content), read_only=True)
    # A read-only sheet's rows end at their last cell.
    assert list(book.active.iter_rows(min_row=2, values_only=True)) == [
        (None, "b", None, None, 5, True), (1, None, "c"),
    ]


def test_large_sheet_stored_as_zip64(monkeypatch):
    # A sheet past 2 GiB is stored as ZIP64. The limit is lowered here so that 30 rows pass it.
    # zipfile reads it at each call, for the sheet's entry and for the archive's directory.
    # NOTE: LibreOffice 7.4 did not open the file this gives. It printed "source file could not be loaded".
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1_000)
    rows = [(number, f"learner {number}", None, 0.5) for number in range(30)]
    content = _workbook(("n", "name", "cohort", "grade"), rows)
    monkeypatch.undo()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.getinfo(SHEET)
        assert sheet.file_size > 1_000
        # The ZIP64 extra field (header id 1) of the sheet's directory entry.
        assert sheet.extra[:2] == b"\x01\x00"
        assert sheet.extract_version == zipfile.ZIP64_VERSION
    assert _read_back(content)[1:] == [(number, f"learner {number}", None, 0.5) for number in range(30)]


def _compress_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "raqmya-xlsx-compress"]


def _sheet_xml(header, rows) -> bytes:
    """Return the sheet XML that ``xlsx_chunks`` stores: openpyxl's empty sheet with ``sheet_rows`` inside."""
    with zipfile.ZipFile(io.BytesIO(xlsx._skeleton("learners", False))) as archive:  # pylint: disable=protected-access
        empty = archive.read(SHEET).decode("utf-8")
    before, after = _sheet_around_rows(empty)
    return before.encode() + b"".join(sheet_rows(header, rows)) + after.encode()


def test_sheet_compressed_whole_across_chunks():
    rows = [(number, f"row {number}", None, number / 3) for number in range(3 * CHUNK_ROWS + 7)]
    with zipfile.ZipFile(io.BytesIO(_workbook(("n", "text", "gap", "third"), rows))) as archive:
        assert archive.read(SHEET) == _sheet_xml(("n", "text", "gap", "third"), rows)
        assert archive.getinfo(SHEET).extract_version < zipfile.ZIP64_VERSION
    assert _compress_threads() == []


@pytest.mark.parametrize(("past_limit", "zip64"), [(-100, True), (100, False)])
def test_sheet_past_streamed_size_written_again(monkeypatch, past_limit, zip64):
    # Chunks of 5 rows, and a ZIP64 limit just under or over the sheet's XML: the sheet passes the
    # size streamed without ZIP64 after a few chunks, and is written again from its file.
    rows = [(number, f"learner {number}", None, 0.5) for number in range(30)]
    header = ("n", "name", "cohort", "grade")
    monkeypatch.setattr(xlsx, "CHUNK_ROWS", 5)
    size = len(_sheet_xml(header, rows))
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", size + past_limit)
    assert 0 < xlsx._streamed_limit() < size  # pylint: disable=protected-access
    content = _workbook(header, rows)
    expected = _sheet_xml(header, rows)
    monkeypatch.undo()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.read(SHEET) == expected
        assert (archive.getinfo(SHEET).extract_version == zipfile.ZIP64_VERSION) is zip64
        assert len(archive.infolist()) == len(set(archive.namelist())) == 9
    assert _read_back(content)[1:] == rows


def test_failure_after_compressed_chunks_stops_thread():
    def failing_rows():
        for number in range(3 * CHUNK_ROWS):
            yield (number, "row")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="the database went away"):
        _workbook(("n", "text"), failing_rows())
    assert _compress_threads() == []


def test_compression_failure_raised(monkeypatch):
    # The compressing thread writes chunks of rows into the sheet's entry: a full disk there is the
    # export's error. openpyxl's empty sheet, written first, is a few hundred bytes.
    write = zipfile._ZipWriteFile.write  # pylint: disable=protected-access

    def full_disk(self, data):
        if self._zinfo.filename == SHEET and len(data) > 10_000:  # pylint: disable=protected-access
            raise OSError(28, "No space left on device")
        return write(self, data)

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", full_disk)  # pylint: disable=protected-access
    rows = [(number, "row") for number in range(3 * CHUNK_ROWS)]
    with pytest.raises(OSError, match="No space left on device"):
        _workbook(("n", "text"), rows)
    assert _compress_threads() == []


def test_interrupted_end_stops_thread(monkeypatch):
    # A signal (Ctrl-C, or Celery's soft time limit) can raise in the export's thread while it
    # waits to queue the end of the sheet behind chunks that a slow compression has not taken.
    write = zipfile._ZipWriteFile.write  # pylint: disable=protected-access
    put = queue.Queue.put

    def slow(self, data):
        if threading.current_thread().name == "raqmya-xlsx-compress":
            time.sleep(0.05)
        return write(self, data)

    def interrupted(self, item, *args, **kwargs):
        if item is None and self.full():
            raise KeyboardInterrupt
        return put(self, item, *args, **kwargs)

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", slow)  # pylint: disable=protected-access
    monkeypatch.setattr(queue.Queue, "put", interrupted)
    rows = [(number, "row") for number in range((xlsx.QUEUED_CHUNKS + 3) * CHUNK_ROWS)]
    with pytest.raises(KeyboardInterrupt):
        _workbook(("n", "text"), rows)
    assert _compress_threads() == []
