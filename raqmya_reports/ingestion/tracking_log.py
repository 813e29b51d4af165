"""Import of learning facts from edx-platform tracking logs (JSON lines, plain or gzip), in batches.

Files are streamed line by line and applied in batches of one transaction each, so memory
stays flat and an interrupted import can be run again: every line already applied counts as
a duplicate. Every line read ends in exactly one of four counts: imported, duplicate,
skipped or invalid. A file that cannot be read to its end (a truncated or corrupt gzip)
keeps what was imported from it, is reported with the line reached, and the next file follows.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import InvalidBeneficiary, InvalidTrackingEvent, UnknownUser
from . import facts
from .tracking_events import (
    OtherBlock,
    apply_fact,
    event_name,
    is_recorded,
    parse_line,
    record_ids,
    to_fact,
)

log = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b"
BATCH_SIZE = 500

# Lines read but not recorded, by reason.
SKIP_BLANK = "blank_line"
SKIP_OTHER_EVENT = "other_event"
SKIP_OTHER_BLOCK = "other_block"
SKIP_UNKNOWN_USER = "unknown_user"
SKIP_NOT_BENEFICIARY = "not_beneficiary"
SKIP_ERROR = "error"
# Lines that are not a usable tracking event, by reason.
INVALID_NOT_JSON = "not_json"
INVALID_EVENT = "invalid_event"

REASON_LABELS = {
    SKIP_BLANK: gettext_lazy("blank line"),
    SKIP_OTHER_EVENT: gettext_lazy("event that Raqmya does not record"),
    SKIP_OTHER_BLOCK: gettext_lazy("problem of a block that is not a Raqmya assessment"),
    SKIP_UNKNOWN_USER: gettext_lazy("user unknown to the platform"),
    SKIP_NOT_BENEFICIARY: gettext_lazy("placement test of a user without a beneficiary profile"),
    SKIP_ERROR: gettext_lazy("could not be recorded (see the log)"),
    INVALID_NOT_JSON: gettext_lazy("not a JSON event (truncated or corrupt line)"),
    INVALID_EVENT: gettext_lazy("event with a missing or bad field"),
}
INVALID_REASONS = frozenset({INVALID_NOT_JSON, INVALID_EVENT})

# Called after each batch with the file, the bytes of it read so far, and its size in bytes.
ProgressCallback = Callable[[Path, int, int], None]


@dataclass(frozen=True)
class FileError:
    """A file that could not be read to its end; lines before ``line`` were imported."""

    path: Path
    line: int
    error: str

    @property
    def message(self) -> str:
        """Return what happened and what to do, in the active language."""
        return _(
            "%(path)s could not be read after line %(line)d (%(error)s). The lines before it were imported. "
            "Restore or recompress the file and import it again: lines already imported count as duplicates."
        ) % {"path": self.path, "line": self.line, "error": self.error}


@dataclass
class ImportCounts:
    """Lines read, and what became of each: ``read == imported + duplicates + skipped + invalid``."""

    read: int = 0
    outcomes: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    invalid: Counter = field(default_factory=Counter)
    file_errors: list[FileError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        """Lines recorded by this run, whether or not they changed the registry."""
        return sum(count for outcome, count in self.outcomes.items() if outcome is not facts.Outcome.ALREADY_PROCESSED)

    @property
    def applied(self) -> int:
        """Lines that changed the registry."""
        return self.outcomes[facts.Outcome.APPLIED]

    @property
    def duplicates(self) -> int:
        """Lines already imported before."""
        return self.outcomes[facts.Outcome.ALREADY_PROCESSED]

    @property
    def skipped_total(self) -> int:
        """Lines read but not recorded."""
        return sum(self.skipped.values())

    @property
    def invalid_total(self) -> int:
        """Lines that are not a usable tracking event."""
        return sum(self.invalid.values())

    def count(self, result: facts.Outcome | str) -> None:
        """Count one line read with its outcome or its reason."""
        self.read += 1
        if isinstance(result, facts.Outcome):
            self.outcomes[result] += 1
        elif result in INVALID_REASONS:
            self.invalid[result] += 1
        else:
            self.skipped[result] += 1


class _LogFile:
    """A tracking log opened for reading bytes, plain or gzip (detected by its magic bytes, not its name)."""

    def __init__(self, path: Path):
        self.path = path
        self.size = path.stat().st_size
        self._raw: BinaryIO = path.open("rb")
        is_gzip = self._raw.read(2) == GZIP_MAGIC
        self._raw.seek(0)
        self.lines: BinaryIO = gzip.GzipFile(fileobj=self._raw, mode="rb") if is_gzip else self._raw

    @property
    def position(self) -> int:
        """Bytes of the file on disk read so far (compressed bytes for a gzip file)."""
        return self._raw.tell()

    def close(self) -> None:
        """Close the decompressor, then the file."""
        if self.lines is not self._raw:
            self.lines.close()
        self._raw.close()


def import_tracking_logs(
    paths: list[Path | str], batch_size: int = BATCH_SIZE, progress: ProgressCallback | None = None
) -> ImportCounts:
    """Import every recorded event of ``paths``, in order, and return the counts of every line read."""
    counts = ImportCounts()
    for path in paths:
        _import_file(Path(path), batch_size, counts, progress)
    log.info(
        "Tracking-log import read %d lines: %d imported (%d changed the registry), %d duplicates, "
        "skipped %s, invalid %s, %d files not read to the end.",
        counts.read, counts.imported, counts.applied, counts.duplicates, dict(counts.skipped),
        dict(counts.invalid), len(counts.file_errors),
    )
    return counts


def _import_file(path: Path, batch_size: int, counts: ImportCounts, progress: ProgressCallback | None) -> None:
    """Import one file; a read error ends the file, not the import."""
    try:
        log_file = _LogFile(path)
    except OSError as error:
        _file_error(path, 0, error, counts)
        return
    number, batch = 0, []
    try:
        for raw_line in _read(log_file, counts):
            number += 1
            batch.append((number, raw_line.decode("utf-8", errors="replace")))
            if len(batch) >= batch_size:
                _import_batch(path, batch, counts)
                batch = []
                if progress:
                    progress(path, log_file.position, log_file.size)
        _import_batch(path, batch, counts)
    finally:
        log_file.close()
    if progress:
        progress(path, log_file.size, log_file.size)


def _read(log_file: _LogFile, counts: ImportCounts) -> Iterator[bytes]:
    """Yield the file's lines; end quietly at a read error, once it is recorded with the line reached."""
    lines = iter(log_file.lines)
    number = 0
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except (EOFError, OSError, zlib.error) as error:
            # gzip raises EOFError for a truncated file, BadGzipFile (an OSError) or zlib.error for a corrupt one.
            _file_error(log_file.path, number, error, counts)
            return
        number += 1
        yield line


def _file_error(path: Path, line: int, error: Exception, counts: ImportCounts) -> None:
    """Keep and log a file that could not be read to its end."""
    counts.file_errors.append(FileError(path=path, line=line, error=str(error) or type(error).__name__))
    log.error("Tracking log %s could not be read after line %d: %s; going on with the next file.", path, line, error)


def _import_batch(path: Path, batch: list[tuple[int, str]], counts: ImportCounts) -> None:
    """Apply one batch of lines in one transaction; each fact has its own savepoint."""
    if not batch:
        return
    with transaction.atomic():
        for number, line in batch:
            counts.count(_import_line(path, number, line))


def _import_line(path: Path, number: int, line: str) -> facts.Outcome | str:
    """Apply one line; return its outcome or the reason it was skipped or is invalid."""
    if not line.strip():
        return SKIP_BLANK
    try:
        record = parse_line(line)
    except ValueError as error:
        log.warning("%s line %d is invalid: not a JSON tracking event (%s).", path, number, error)
        return INVALID_NOT_JSON
    if not is_recorded(record):
        log.debug("%s line %d skipped: event %s is not recorded.", path, number, event_name(record))
        return SKIP_OTHER_EVENT
    try:
        fact = to_fact(record)
    except OtherBlock as other:
        log.debug("%s line %d skipped: block %s is not a Raqmya assessment.", path, number, other)
        return SKIP_OTHER_BLOCK
    except InvalidTrackingEvent as error:
        log.warning("%s line %d is invalid (user %s, course %s): %s", path, number, *record_ids(record), error)
        return INVALID_EVENT
    try:
        return apply_fact(fact)
    except UnknownUser:
        log.warning("%s line %d skipped: user %s does not exist (course %s).", path, number, fact.user_id,
                    fact.course_id)
        return SKIP_UNKNOWN_USER
    except InvalidBeneficiary as error:
        log.warning("%s line %d skipped (user %s, course %s): %s", path, number, fact.user_id, fact.course_id, error)
        return SKIP_NOT_BENEFICIARY
    except Exception:  # pylint: disable=broad-except
        log.exception("%s line %d could not be recorded (user %s, course %s).", path, number, fact.user_id,
                      fact.course_id)
        return SKIP_ERROR
