"""Database settings of the stand-in LMS, from ``RAQMYA_DATABASE_URL``.

``sqlite:///PATH`` (relative to the repository root; ``sqlite:////abs/path`` is absolute;
``sqlite:///:memory:`` is a database in memory) or
``mysql://USER[:PASSWORD]@HOST[:PORT]/NAME``. The MySQL form is used for MariaDB
and MySQL alike, with utf8mb4 like Open edX.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]


class DatabaseUrlError(ValueError):
    """A database URL that the stand-in LMS cannot use."""


def database_from_url(url):
    """Return a Django ``DATABASES["default"]`` dictionary for ``url``."""
    if url == "sqlite:///:memory:":
        # Django's own name for a database in memory: no file, so no journal to choose.
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    if url.startswith("sqlite:///"):
        path = Path(unquote(url[len("sqlite:///"):]))
        if not path.name:
            raise DatabaseUrlError(
                f"Invalid RAQMYA_DATABASE_URL {url!r}: give a file, as in sqlite:///devstack/var/raqmya.sqlite3."
            )
        if not path.is_absolute():
            path = REPOSITORY_ROOT / path
        # Write-ahead logging, so that the LMS's writes go on while a report reads: with SQLite's
        # default rollback journal, a write waits for every read to end (5 s, then it fails).
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"}}
    parts = urlsplit(url)
    if parts.scheme in ("mysql", "mariadb"):
        name = parts.path.lstrip("/")
        if not name:
            raise DatabaseUrlError(
                f"Invalid RAQMYA_DATABASE_URL {url!r}: name the database, as in mysql://root@127.0.0.1:3306/raqmya."
            )
        return {
            "ENGINE": "django.db.backends.mysql",
            "NAME": name,
            "USER": unquote(parts.username or "root"),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "127.0.0.1",
            "PORT": str(parts.port or 3306),
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"NAME": f"test_{name}", "CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    raise DatabaseUrlError(
        f"Unsupported RAQMYA_DATABASE_URL {url!r}: use sqlite:///PATH or mysql://USER@HOST:PORT/NAME."
    )
