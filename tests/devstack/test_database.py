"""The stand-in LMS's SQLite database: a write goes on while a long read, such as an export's, is open."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from devstack.settings.database import database_from_url


def _connections(path, journal: str | None = None) -> ConnectionHandler:
    """Return connections to the SQLite file ``path`` as the devstack sets them, or with another ``journal`` mode."""
    settings = database_from_url(f"sqlite:///{path}")
    if journal is not None:
        settings["OPTIONS"]["init_command"] = f"PRAGMA journal_mode={journal};"
    # A writer that finds the file locked gives up after 0.2 s instead of the 5 s default.
    settings["OPTIONS"]["timeout"] = 0.2
    return ConnectionHandler({"default": settings, "writer": dict(settings, OPTIONS=dict(settings["OPTIONS"]))})


def _write_while_reading(path, journal: str | None = None) -> list[int]:
    """Read a sorted table in part on one connection, write a row on another meanwhile; return the rows then stored."""
    handler = _connections(path, journal)
    reader, writer = handler["default"], handler["writer"]
    try:
        with reader.cursor() as cursor:
            cursor.execute("CREATE TABLE enrollment (id INTEGER PRIMARY KEY, at TEXT)")
            days = [(f"2026-01-{day:02d}",) for day in range(1, 29)]
            cursor.executemany("INSERT INTO enrollment (at) VALUES (%s)", days)
        reading = reader.cursor()
        # Sorted by a column without an index, as the rows of one province are: the whole result is
        # made before the first row, and the read lasts until the last row is fetched.
        reading.execute("SELECT id FROM enrollment ORDER BY at DESC")
        assert [row[0] for row in reading.fetchmany(2)] == [28, 27]
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO enrollment (at) VALUES ('2026-02-01')")
        assert len(reading.fetchall()) == 26
        reading.close()
        with reader.cursor() as cursor:
            cursor.execute("SELECT id FROM enrollment ORDER BY id")
            return [row[0] for row in cursor.fetchall()]
    finally:
        handler.close_all()


def test_sqlite_url_asks_for_write_ahead_log():
    assert database_from_url("sqlite:////tmp/raqmya.sqlite3")["OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL;"}


def test_sqlite_memory_url_is_a_database_in_memory(django_db_blocker):
    settings = database_from_url("sqlite:///:memory:")
    assert settings == {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    handler = ConnectionHandler({"default": settings})
    with django_db_blocker.unblock():
        try:
            with handler["default"].cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone() == ("memory",)
        finally:
            handler.close_all()


def test_write_goes_on_while_a_read_is_open(tmp_path, django_db_blocker):
    # Connections of their own to a file of this test, not the test database.
    with django_db_blocker.unblock():
        assert _write_while_reading(tmp_path / "lms.sqlite3") == list(range(1, 30))


def test_rollback_journal_would_lock_the_write(tmp_path, django_db_blocker):
    """The control: with SQLite's default journal, the same write fails while the read is open."""
    with django_db_blocker.unblock(), pytest.raises(OperationalError, match="database is locked"):
        _write_while_reading(tmp_path / "lms.sqlite3", journal="DELETE")
