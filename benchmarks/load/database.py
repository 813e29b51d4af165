"""The load test's own MariaDB database: created empty with utf8mb4, dropped at the end."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

# The load test creates and drops only databases with this prefix, never another one on the server.
NAME_PREFIX = "raqmya_load"


class LoadDatabaseError(ValueError):
    """A database URL the load test refuses to use."""


def _server_arguments(url: str) -> tuple[str, dict]:
    parts = urlsplit(url)
    if parts.scheme not in ("mysql", "mariadb"):
        raise LoadDatabaseError(f"The load test runs on MariaDB or MySQL; {url!r} is not a mysql:// URL.")
    name = parts.path.lstrip("/")
    if not name.startswith(NAME_PREFIX) or not name.replace("_", "").isalnum():
        raise LoadDatabaseError(
            f"The load test creates and drops its database, so its name must start with {NAME_PREFIX!r} "
            f"and hold only letters, digits and underscores; got {name!r}."
        )
    return name, {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
    }


def recreate(url: str) -> None:
    """Drop the database named in ``url`` if it exists, then create it empty with utf8mb4."""
    import MySQLdb  # pylint: disable=import-outside-toplevel

    name, arguments = _server_arguments(url)
    connection = MySQLdb.connect(**arguments)
    try:
        cursor = connection.cursor()
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    finally:
        connection.close()


def drop(url: str) -> None:
    """Drop the database named in ``url``."""
    import MySQLdb  # pylint: disable=import-outside-toplevel

    name, arguments = _server_arguments(url)
    connection = MySQLdb.connect(**arguments)
    try:
        connection.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        connection.close()
