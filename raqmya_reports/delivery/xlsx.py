"""XLSX files of one sheet: openpyxl writes the workbook, and the sheet's rows are written here as XML.

openpyxl makes a cell object per value and an XML element per cell, about 14 µs a cell, so a
year's learner list (about 870,000 cells) took 12 s in its cells alone (``docs/benchmarks.md``).
Here openpyxl still writes every part of the workbook (styles, workbook, content types, the
sheet's view and margins) with a sheet that has no rows. The finished zip is then copied, and
the sheet's empty ``<sheetData>`` is filled with rows written as text. Text is an inline string,
so no text is ever a formula or an error code. Numbers stay numbers and booleans stay booleans,
and ``None`` writes no cell at all.

Each row carries its number, but a cell names its column (its ``r`` attribute) only when the cell
before it was left out: ECMA-376 Part 1 makes the reference optional (18.3.1.4), and a cell without
one follows the cell before it. LibreOffice and openpyxl read such sheets in this package's tests.
Excel reads them too, as other projects' issue trackers report (Power BI writes them); no Excel
was at hand to check. A number carries no type, as ``n`` is the default (18.18.11).
The references were a fifth of the learner sheet's XML and compressed badly: without them the
60,058 rows of a generated programme year took 48 MB of XML instead of 59 MB, and 4.3 MB in the
zip instead of 7.7 MB.

A second thread compresses each chunk of the sheet's XML while the rows of the next chunk are
written, because zlib works without the interpreter's lock. zipfile writes an entry without ZIP64
only up to ``ZIP64_LIMIT`` (2 GiB), and ZIP64 is used only where an entry needs it: Excel reads
ZIP64 only in a strict form (Apache Commons Compress, issue COMPRESS-474). The XML also goes to a
temporary file, so a sheet near that size is written again from the file, with ZIP64 where its
size needs it. Learner rows take about 800
bytes of XML each, so their sheet stays under 1 GB at the row limit, and no test writes a sheet
that large.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import math
import operator
import queue
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .errors import TooManyRows

# The size of an Excel sheet: 1,048,576 rows by 16,384 columns (A to XFD).
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
# The maximum length of a cell's text, in UTF-16 units. Longer text is cut, as openpyxl cuts it.
MAX_TEXT = 32_767
# Templates kept per sheet: rows whose types keep changing are written cell by cell past this.
MAX_TEMPLATES = 1000
# Rows written, checked and compressed together: about 1 MB of XML for learner rows.
CHUNK_ROWS = 1000
# zlib's level 1 compressed the learner sheet's XML 2.5 times as fast as openpyxl's level (zlib's
# default, 6). The file came out 30 % larger: 7.7 MB against 5.9 MB for the 60,058 rows of a
# generated programme year (``benchmarks/generate.py``, scale 1), with every cell's reference.
COMPRESS_LEVEL = 1
# The finished file stays in memory up to this size, then spills to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024
# Bytes of the sheet's XML read and compressed at a time.
COPY_BYTES = 1024 * 1024
# Chunks of XML written and waiting for the compressing thread. A chunk is ``CHUNK_ROWS`` rows,
# about 1 MB for learner rows and more for wider ones.
QUEUED_CHUNKS = 4
# Seconds between two checks of the compressing thread for the end of an export stopped early.
STOP_POLL_SECONDS = 0.1

_SHEET = "xl/worksheets/sheet1.xml"
_EMPTY_ROWS = "<sheetData></sheetData>"
# Characters that XML 1.0 does not allow in a document: the C0 controls other than tab, line
# feed and carriage return, lone surrogates (text decoded with ``surrogateescape``), U+FFFE and
# U+FFFF. Each is written as U+FFFD, the replacement character, so the cell keeps its other text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_XML_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
# White space at either end of a text is kept only in an element marked ``xml:space="preserve"``,
# as openpyxl marks it.
_SPACES = frozenset(" \t\n\r")
# A carriage return would be read back as a line feed (XML's end-of-line handling) unless escaped.
_ESCAPES = {"\r": "&#13;"}
_NUMBERS = (int, float, Decimal)
# Bytes of text that cannot go into the XML as it is: the forbidden controls, the characters to
# escape, and tab and line breaks, which need ``xml:space`` at a text's edge.
_NOT_PLAIN_BYTES = _NOT_XML_BYTES + b"&<>\t\n\r"
# Excel reads "_x000D_" in a text as the character U+000D. A literal "_x" before four hex digits
# and "_" is kept by writing its "_" as "_x005F_".
_EXCEL_ESCAPE = re.compile("(_x[0-9A-Fa-f]{4}_)")
# The types that a template writes. A row with a value of any other type is written cell by cell.
_NONE_TYPE = type(None)
_TEMPLATE_TYPES = frozenset({str, int, float, Decimal, bool, _NONE_TYPE})
# The ``%`` field of each type of number in a template, which writes the number as ``str`` does.
_NUMBER_FIELDS = {int: "%d", float: "%r", Decimal: "%s"}


def xlsx_chunks(header: Iterable, rows: Iterable[Iterable], *, title: str, right_to_left: bool) -> Iterator[bytes]:
    """Yield the bytes of an XLSX file of one sheet named ``title``: ``header``, then ``rows``.

    Nothing is yielded until the file is whole. ``TooManyRows`` is raised when the rows and the
    header pass ``MAX_ROWS``, and ``ValueError`` for a row wider than ``MAX_COLUMNS``.
    """
    with zipfile.ZipFile(io.BytesIO(_skeleton(title, right_to_left))) as skeleton:
        parts = [(part, skeleton.read(part)) for part in skeleton.infolist()]
    before, after = _sheet_around_rows(_empty_sheet(parts))
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as output, tempfile.TemporaryFile() as sheet:
        xml = itertools.chain((before.encode("utf-8"),), sheet_rows(header, rows), (after.encode("utf-8"),))
        if not _write_archive(output, parts, functools.partial(_compress_while_written, xml, sheet)):
            # The sheet passed ``_streamed_limit()``. Its whole XML is in ``sheet``, and the
            # archive is written again from it.
            size = sheet.tell()
            sheet.seek(0)
            output.seek(0)
            output.truncate()
            _write_archive(output, parts, functools.partial(_copy, sheet), zip64=size > zipfile.ZIP64_LIMIT)
        output.seek(0)
        yield from iter(lambda: output.read(64 * 1024), b"")


def _write_archive(output: IO[bytes], parts: list[tuple[zipfile.ZipInfo, bytes]],
                   write_sheet: Callable[[IO[bytes]], bool], zip64: bool = False) -> bool:
    """Write openpyxl's ``parts`` to an archive in ``output``, the sheet's entry by ``write_sheet``.

    Return what ``write_sheet`` returns. The sheet's entry uses ZIP64 only with ``zip64``, which
    the caller gives for a sheet past zipfile's ``ZIP64_LIMIT`` (2 GiB).
    """
    whole = False
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for part, data in parts:
            if part.filename == _SHEET:
                with archive.open(_SHEET, "w", force_zip64=zip64) as stream:
                    whole = write_sheet(stream)
            else:
                archive.writestr(part, data)
    return whole


def _copy(source: IO[bytes], stream: IO[bytes]) -> bool:
    """Copy ``source`` into the sheet's entry ``stream``, and return True: the sheet is whole."""
    shutil.copyfileobj(source, stream, COPY_BYTES)
    return True


def _compress_while_written(xml: Iterable[bytes], sheet: IO[bytes], stream: IO[bytes]) -> bool:
    """Write the chunks of ``xml`` to ``sheet``, and have a second thread compress them into the entry ``stream``.

    Return True when the sheet is whole in ``stream``. Past ``_streamed_limit()`` bytes the entry
    might need ZIP64: the chunks from there on go to ``sheet`` alone, and False is returned, with
    the whole XML in ``sheet``. zlib compresses without the interpreter's lock, so the rows of the
    next chunk are written while the chunk before is compressed (``docs/benchmarks.md``, section
    "XLSX exports").
    """
    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED_CHUNKS)
    stop = threading.Event()
    failures: list[BaseException] = []

    def compress() -> None:
        # The stop is read at least every STOP_POLL_SECONDS, so the thread ends even when the
        # export's thread was interrupted (by a signal, say) before it queued the end.
        while not stop.is_set():
            try:
                chunk = pending.get(timeout=STOP_POLL_SECONDS)
            except queue.Empty:
                continue
            if chunk is None:
                return
            if failures:
                # After a failure each chunk is still taken from the queue and dropped, so the
                # export's thread never blocks on a full queue.
                continue
            try:
                stream.write(chunk)
            except BaseException as error:  # raised again by the caller
                failures.append(error)

    worker = threading.Thread(target=compress, name="raqmya-xlsx-compress", daemon=True)
    worker.start()
    limit = _streamed_limit()
    size = 0
    try:
        for chunk in xml:
            if failures:
                break
            sheet.write(chunk)
            size += len(chunk)
            if size <= limit:
                pending.put(chunk)
        # The worker takes the chunks still queued before the end, so it is joined before the stop.
        pending.put(None)
        worker.join()
    finally:
        stop.set()
        worker.join()
    if failures:
        raise failures[0]
    return size <= limit


def _streamed_limit() -> int:
    """Return a size of XML, in bytes, up to which the compressed sheet surely fits in an entry without ZIP64.

    zipfile raises an error when it closes such an entry past ``ZIP64_LIMIT`` bytes, compressed or
    not. Deflate stores a block that it cannot compress as it is, with a header of a few bytes for
    up to 65,535 bytes of data (RFC 1951, section 3.2.4), so a margin of 0.1 % and 1 KiB is ample.
    """
    return zipfile.ZIP64_LIMIT - zipfile.ZIP64_LIMIT // 1024 - 1024


def sheet_rows(header: Iterable, rows: Iterable[Iterable]) -> Iterator[bytes]:
    """Yield the sheet's ``<sheetData>`` element as UTF-8, in chunks: the ``<row>`` of ``header``, then of ``rows``."""
    yield b"<sheetData>"
    writer = _RowWriter()
    lines = itertools.chain((header,), rows)
    number = 1
    # ``islice`` takes each chunk's rows and ``map`` makes them tuples, with no Python call per row.
    chunk = list(map(tuple, itertools.islice(lines, CHUNK_ROWS)))
    while len(chunk) == CHUNK_ROWS:
        yield writer.rows_xml(number, chunk)
        number += CHUNK_ROWS
        chunk = list(map(tuple, itertools.islice(lines, CHUNK_ROWS)))
    yield writer.rows_xml(number, chunk) + b"</sheetData>"


class _Template:
    """The ``%``-format pattern of a row whose values have one sequence of types, and what to check in such rows.

    ``values_of`` takes the row number followed by the row's values and gives the pattern's
    fields: the row number, then each value that is not ``None``, with the row number again
    before a value that comes after a ``None`` (its cell's reference).
    """

    def __init__(self, kinds: tuple, letters: list[str]):
        cells = ['<row r="%d">']
        fields = [0]
        texts: list[int] = []
        numbers: list[int] = []
        after_gap = False
        for index, (letter, kind) in enumerate(zip(letters, kinds)):
            if kind is _NONE_TYPE:
                after_gap = True
                continue
            start = _cell_start(f"{letter}%d" if after_gap else None)
            if after_gap:
                fields.append(0)
            after_gap = False
            fields.append(index + 1)
            if kind is str:
                cells.append(f'{start} t="inlineStr"><is><t>%s</t></is></c>')
                texts.append(index)
            elif kind is bool:
                cells.append(f'{start} t="b"><v>%d</v></c>')
            else:
                # int as %d, float as %r (its repr, as str writes it) and Decimal as %s.
                cells.append(f"{start}><v>{_NUMBER_FIELDS[kind]}</v></c>")
                numbers.append(index)
        cells.append("</row>")
        self.pattern = "".join(cells)
        # With one field, itemgetter gives the row number itself, which ``%`` takes as well.
        self.values_of = operator.itemgetter(*fields)
        self.texts_of = _getter(texts)
        self.numbers_of = _getter(numbers)


def _getter(indexes: list[int]):
    """Return a function that gives the tuple of a row's values at ``indexes``."""
    if len(indexes) > 1:
        return operator.itemgetter(*indexes)
    if indexes:
        return lambda row: (row[indexes[0]],)
    return lambda row: ()


class _RowWriter:
    """Writes rows as ``<row>`` elements, by a template per sequence of value types where it can.

    A template (``_Template``) is made once for each sequence of types met, and the ``%``
    operator puts a row's values in it, faster than ``str.format`` or an f-string per cell
    (one-off timings in ``docs/benchmarks.md``, section "XLSX exports"). The texts and
    numbers go in as they are, so they are checked for the chunk as a whole. Where that check
    fails, each row is checked alone. A row that fails is written cell by cell (``row_xml``). That
    path escapes texts, keeps white space at their edges and cuts them to Excel's length, and it
    writes numbers that Excel cannot hold as text.
    """

    def __init__(self):
        self.letters: list[str] = []
        self.templates: dict[tuple, _Template] = {}

    def rows_xml(self, first: int, rows: list[tuple]) -> bytes:
        """Return the UTF-8 XML of ``rows``, numbered from ``first``, with no character that XML 1.0 forbids."""
        if first + len(rows) - 1 > MAX_ROWS:
            raise TooManyRows(
                _("The export has more than %(rows)s rows with its header, the most one Excel sheet holds: "
                  "export CSV instead, or narrow the filters.")
                % {"rows": number_format(MAX_ROWS, use_l10n=True, force_grouping=True)}
            )
        width = max(map(len, rows), default=0)
        if width > len(self.letters):
            self.letters = _column_letters(width)
        xml, by_templates = self._by_templates(first, rows)
        return xml.encode("utf-8") if by_templates else _utf8(xml)

    def _by_templates(self, first: int, rows: list[tuple]) -> tuple[str, bool]:
        """Return the XML of ``rows``, by templates where they give the text of ``row_xml``, else by ``row_xml``.

        Also return whether every row went by its template, so that the XML has only characters
        that XML 1.0 allows: the templates are ASCII, and ``_plain_texts`` checked the texts.
        """
        parts: list[str | None] = []
        texts: list[str] = []
        numbers: list = []
        templates = self.templates
        for number, row in enumerate(rows, first):
            kinds = tuple(map(type, row))
            template = templates.get(kinds) or self._template(kinds)
            if template is None:
                parts.append(None)
                continue
            try:
                parts.append(template.pattern % template.values_of((number, *row)))
            except ValueError:  # an int too long for Python to write (``sys.get_int_max_str_digits``)
                parts.append(None)
                continue
            texts.extend(template.texts_of(row))
            numbers.extend(template.numbers_of(row))
        if None not in parts and _plain_texts(texts) and _finite(numbers):
            return "".join(parts), True
        xml = "".join(self._checked(number, row, part) for number, (row, part) in enumerate(zip(rows, parts), first))
        return xml, False

    def _checked(self, number: int, row: tuple, part: str | None) -> str:
        """Return ``part``, row ``number`` by its template, where its texts and numbers allow, else ``row_xml``."""
        if part is not None:
            template = self.templates[tuple(map(type, row))]
            if _plain_texts(template.texts_of(row)) and _finite(template.numbers_of(row)):
                return part
        return row_xml(number, row, self.letters)

    def _template(self, kinds: tuple) -> _Template | None:
        """Return the template of rows of types ``kinds``, or ``None`` where such rows are written cell by cell.

        Those are rows with a type that no template writes, and, past ``MAX_TEMPLATES``, rows of
        types not met before.
        """
        template = self.templates.get(kinds)
        if template is None and _TEMPLATE_TYPES.issuperset(kinds) and len(self.templates) < MAX_TEMPLATES:
            template = self.templates[kinds] = _Template(kinds, self.letters)
        return template


def _plain_texts(texts: Sequence[str]) -> bool:
    """Return whether ``texts`` can go into the XML as they are.

    They cannot when one contains a character to escape, a tab or a line break, white space at an
    edge, Excel's ``_x`` escape or a character that XML 1.0 does not allow, or when it may be
    longer than ``MAX_TEXT`` UTF-16 units. As in ``_utf8``, single characters are looked for in
    the bytes, all in one ``translate``. Checked in the texts of a year's learner rows, that took
    9 ms, where ``_utf8``'s search of the whole XML took 42 ms (under cProfile, scale 1 of
    ``benchmarks/generate.py``).
    """
    # Each text between two NUL characters, so a space at a text's edge touches one.
    joined = "\x00" + "\x00\x00".join(texts) + "\x00"
    if " \x00" in joined or "\x00 " in joined or "_x" in joined or "\ufffe" in joined or "\uffff" in joined:
        return False
    # A character takes at most two UTF-16 units.
    if max(map(len, texts), default=0) > MAX_TEXT // 2:
        return False
    try:
        data = joined.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    # The translation also deletes the NUL characters around the texts: two per text, or two for none.
    return len(data.translate(None, _NOT_PLAIN_BYTES)) == len(data) - 2 * max(len(texts), 1)


def _finite(numbers: Iterable) -> bool:
    """Return whether Excel can hold every one of ``numbers``: none NaN, infinite or past a double's range."""
    try:
        return all(map(math.isfinite, numbers))
    except (OverflowError, ValueError):  # an int past a double's range, or Decimal("sNaN")
        return False


def row_xml(number: int, row: tuple, letters: list[str]) -> str:
    """Return row ``number`` as a ``<row>`` element, one ``<c>`` per value that is not ``None``."""
    cells = [f'<row r="{number}">']
    after_gap = False
    for letter, value in zip(letters, row):
        if value is None:
            after_gap = True
            continue
        start = _cell_start(f"{letter}{number}" if after_gap else None)
        after_gap = False
        if isinstance(value, bool):
            cells.append(f'{start} t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, _NUMBERS) and _is_finite(value):
            cells.append(f"{start}><v>{_number_text(value)}</v></c>")
        else:
            text = value if value.__class__ is str else _text(value)
            cells.append(f'{start} t="inlineStr"><is>{_text_element(text)}</is></c>')
    cells.append("</row>")
    return "".join(cells)


def _cell_start(reference: str | None) -> str:
    """Return the opening of a ``<c>`` element, up to its type: with ``reference`` only after a cell left out."""
    return f'<c r="{reference}"' if reference else "<c"


def _number_text(number: int | float | Decimal) -> str:
    """Return the text of ``number`` as its base type writes it, whatever a subclass's ``__str__`` returns."""
    if isinstance(number, int):
        return int.__repr__(number)
    if isinstance(number, float):
        return float.__repr__(number)
    return Decimal.__str__(number)


def _is_finite(number: float | Decimal) -> bool:
    """Return whether Excel can hold ``number``: not NaN, not infinite, within a double's range."""
    return _finite((number,))


def _text(value: object) -> str:
    """Return the text of a value that is not a finite number: times as ISO 8601, the rest as ``str``."""
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, int):
        try:
            return int.__repr__(value)
        except ValueError:  # more digits than Python writes (``sys.get_int_max_str_digits``)
            return f"{Decimal(value):.15E}"
    return str(value)


def _text_element(text: str) -> str:
    """Return ``text`` as a ``<t>`` element: escaped, white space at its edges kept, cut to ``MAX_TEXT``."""
    if len(text) > MAX_TEXT // 2:
        units = text.encode("utf-16-le", "surrogatepass")
        if len(units) > 2 * MAX_TEXT:
            # Excel's limit for one cell. openpyxl cut longer text the same way.
            text = units[:2 * MAX_TEXT].decode("utf-16-le", "ignore")
    keep_spaces = text[:1] in _SPACES or text[-1:] in _SPACES
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        text = escape(text, _ESCAPES)
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F\1", text)
    if keep_spaces:
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def _utf8(xml: str) -> bytes:
    """Return ``xml`` as UTF-8, every character that XML 1.0 does not allow written as U+FFFD.

    The control characters are looked for in the bytes: deleting them and comparing lengths took
    a quarter of the time of a regular expression's search of the text.
    """
    try:
        data = xml.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return _NOT_XML.sub("\ufffd", xml).encode("utf-8")
    if len(data.translate(None, _NOT_XML_BYTES)) == len(data) and "\ufffe" not in xml and "\uffff" not in xml:
        return data
    return _NOT_XML.sub("\ufffd", xml).encode("utf-8")


def _column_letters(width: int) -> list[str]:
    if width > MAX_COLUMNS:
        raise ValueError(f"A row has {width:,} values, more than the {MAX_COLUMNS:,} columns of an Excel sheet.")
    return [get_column_letter(column) for column in range(1, width + 1)]


def _skeleton(title: str, right_to_left: bool) -> bytes:
    """Return the bytes of openpyxl's workbook of one empty sheet named ``title``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    sheet.sheet_view.rightToLeft = right_to_left
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _empty_sheet(parts: list[tuple[zipfile.ZipInfo, bytes]]) -> str:
    """Return the text of the sheet among openpyxl's workbook ``parts``."""
    for part, data in parts:
        if part.filename == _SHEET:
            return data.decode("utf-8")
    # NOTE: found in openpyxl 3.1. Another version that names the sheet's part otherwise stops here.
    raise RuntimeError(
        f"openpyxl's workbook has no part {_SHEET!r}, so its rows cannot be written: install the openpyxl "
        "version pinned in requirements/verawood.txt (3.1.5)."
    )


def _sheet_around_rows(sheet_xml: str) -> tuple[str, str]:
    """Return the text of openpyxl's empty sheet before and after its ``<sheetData>`` element."""
    before, found, after = sheet_xml.partition(_EMPTY_ROWS)
    if not found or _EMPTY_ROWS in after:
        # NOTE: found in openpyxl 3.1; another version that writes the empty element otherwise stops here.
        raise RuntimeError(
            f"openpyxl's empty sheet does not contain {_EMPTY_ROWS!r} exactly once, so its rows cannot be "
            "written: install the openpyxl version pinned in requirements/verawood.txt (3.1.5)."
        )
    return before, after
