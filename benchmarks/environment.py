"""Django set-up of a benchmark process: the devstack settings on the database the run names, migrated.

Each benchmark process measures one database, named by ``RAQMYA_DATABASE_URL`` before Django starts.
Logging of the apps is raised to WARNING, for Raqmya and baselines alike, so that console output
does not dominate what is measured.
"""

from __future__ import annotations

import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
VAR_DIRECTORY = REPOSITORY / "benchmarks" / "var"
# The SQLite programmes (0.2 GB at scale 1, so about 20 GB at scale 100) live outside the repository.
SQLITE_DIRECTORY = Path(os.environ.get("RAQMYA_BENCH_SQLITE_DIR", Path(tempfile.gettempdir()) / "raqmya-bench"))


def sqlite_url(scale: float) -> str:
    """Return the URL of the SQLite file that holds the programme at ``scale``."""
    SQLITE_DIRECTORY.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(SQLITE_DIRECTORY / f'scale-{scale:g}.sqlite3').as_posix()}"


def start_django(database_url: str, *, migrate: bool = True) -> None:
    """Configure Django for ``database_url`` with the devstack's settings, then migrate it quietly."""
    os.environ["RAQMYA_DATABASE_URL"] = database_url
    # DEBUG off, as in production: with it on, Django keeps the text of the last 9,000 SQL
    # statements, which an export's batches fill with their ids (about 150 MB at scale 100).
    os.environ.setdefault("RAQMYA_DEBUG", "0")
    os.environ.setdefault("RAQMYA_DEVSTACK_VAR", str(VAR_DIRECTORY / "devstack"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devstack.settings.lms")
    VAR_DIRECTORY.mkdir(parents=True, exist_ok=True)
    import django  # pylint: disable=import-outside-toplevel

    django.setup()
    for name in ("raqmya_reports", "raqmya_xblocks", "devstack", "workbench"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if migrate:
        from django.core.management import call_command  # pylint: disable=import-outside-toplevel

        call_command("migrate", run_syncdb=True, verbosity=0)


def timed_pair(first: Callable[[], object], second: Callable[[], object], *, repeat: int) -> tuple[float, float]:
    """Call ``first`` then ``second``, ``repeat`` times in turn; return the median wall time of each in seconds.

    Taking turns gives both the same share of a machine whose load changes during the run, where
    timing one side after the other lets a busy minute fall on one side only.
    """
    durations: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for function, times in zip((first, second), durations):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
    return statistics.median(durations[0]), statistics.median(durations[1])
