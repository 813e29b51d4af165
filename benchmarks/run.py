"""Run the benchmarks at one or more scales on SQLite and MariaDB, and write ``benchmarks/RESULTS.md``.

``python -m benchmarks.run --scales 0.1,1 [--mysql-url mysql://root@127.0.0.1:3306/raqmya_bench]``.
Each (database, scale) pair runs in its own process (``--child``) on a freshly generated programme;
this process keeps each pair's JSON in ``benchmarks/runs/`` and writes the tables from every kept run.
Every speed is a ratio against a baseline run in the same process on the same database; no absolute
time is a pass or a fail.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from .environment import REPOSITORY, sqlite_url
from .errors import BenchmarkError
from .exports import EXPORT_TIME_LIMIT
from .generate import DEFAULT_SEED, check_scale
from .report import run_facts, write_results

RESULTS = REPOSITORY / "benchmarks" / "RESULTS.md"
# One JSON file per (database, scale) run: RESULTS.md is written from all of them, so runs of
# separate invocations (MariaDB on one day, scale 100 on another) end up in one set of tables.
RUNS_DIRECTORY = REPOSITORY / "benchmarks" / "runs"
# Only MariaDB databases whose names start with this are dropped and recreated.
DATABASE_PREFIX = "raqmya_bench"
# The tables the generator writes besides the user model's, counted when a run measures a
# programme generated before.
GENERATED_MODELS = (
    "raqmya_reports.BeneficiaryProfile", "raqmya_reports.TrackAssignment", "raqmya_reports.Course",
    "raqmya_reports.CatalogueEntry", "raqmya_reports.Enrollment", "raqmya_reports.EnrollmentChange",
    "raqmya_reports.CourseGrade", "raqmya_reports.Certificate", "raqmya_reports.AssessmentResult",
)


def run_child(  # pylint: disable=too-many-arguments
    database_url: str, scale: float, seed: int, events: int, export_limit: float, *, generated: bool = False
) -> dict:
    """Generate the programme at ``scale`` into ``database_url`` (unless it is ``generated``) and measure it."""
    from .environment import start_django  # pylint: disable=import-outside-toplevel

    start_django(database_url)
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel

    from raqmya_reports.reports.periods import current_programme_year  # pylint: disable=import-outside-toplevel

    from .block import measure_block  # pylint: disable=import-outside-toplevel
    from .exports import (  # pylint: disable=import-outside-toplevel
        export_repeats,
        measure_exports,
        measure_province_export,
        province_export_repeats,
    )
    from .figures import measure_figures  # pylint: disable=import-outside-toplevel
    from .generate import generate  # pylint: disable=import-outside-toplevel
    from .ingestion import measure_ingestion  # pylint: disable=import-outside-toplevel

    generation = _counted(scale, seed) if generated else generate(scale, seed=seed)
    year = current_programme_year()
    learner = get_user_model().objects.filter(username__startswith="bench").order_by("pk").first()
    result = {
        "scale": scale,
        "vendor": connection.vendor,
        "database_version": _database_version(connection),
        "generation": {"rows": generation.total_rows, "seconds": generation.seconds if not generated else None,
                       "rows_per_second": generation.rows_per_second if not generated else None,
                       "tables": dict(generation.rows),
                       "catalogue_hours": generation.catalogue_hours},
    }
    # The figures come last: at scale 100 one summary takes many minutes.
    steps = {
        "exports": lambda: measure_exports(database_url, year, limit=export_limit, repeat=export_repeats(scale)),
        "province_export": lambda: measure_province_export(database_url, year, limit=export_limit,
                                                           repeat=province_export_repeats(scale)),
        "ingestion": lambda: measure_ingestion(events),
        "block": lambda: measure_block(learner.pk),
        "figures": lambda: measure_figures(year, repeat=figure_repeats(scale)),
    }
    for number, (name, measure) in enumerate(steps.items()):
        # Kept after each benchmark: a run stopped at a deadline still shows what it measured.
        save_run({**result, "unfinished": list(steps)[number:], "ran": run_facts()})
        result[name] = measure()
    return result


def _counted(scale: float, seed: int):
    """Return a generation report of the programme already in the database: its rows, not timed."""
    from django.apps import apps  # pylint: disable=import-outside-toplevel
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from django.db.models import Sum  # pylint: disable=import-outside-toplevel

    from raqmya_reports.registry.models import CatalogueEntry  # pylint: disable=import-outside-toplevel

    from .generate import GenerationReport  # pylint: disable=import-outside-toplevel

    report = GenerationReport(scale=scale, seed=seed)
    for label in (settings.AUTH_USER_MODEL, *GENERATED_MODELS):
        model = apps.get_model(label)
        report.rows[model._meta.db_table] = model.objects.count()
    report.catalogue_hours = float(CatalogueEntry.objects.aggregate(hours=Sum("hours"))["hours"] or 0)
    return report


def figure_repeats(scale: float) -> int:
    """Return how many times the figures are timed at ``scale``: fewer as one summary takes longer."""
    if scale <= 1:
        return 5
    return 3 if scale <= 10 else 1


def _database_version(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SELECT VERSION()")
        return str(cursor.fetchone()[0])


def _fresh_database(database_url: str, scale: float) -> str:
    """Return a URL of an empty database for ``scale``: a new SQLite file, or the MariaDB one recreated."""
    if database_url == "sqlite":
        url = sqlite_url(scale)
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
        return url
    name = database_url.rsplit("/", 1)[1]
    if not name.startswith(DATABASE_PREFIX):
        raise BenchmarkError(
            f"Invalid benchmark database {name!r}: the benchmarks drop and recreate their MariaDB database, so "
            f"its name must start with {DATABASE_PREFIX}. Give --mysql-url mysql://root@127.0.0.1:3306/raqmya_bench "
            "or another name with that prefix."
        )
    import MySQLdb  # pylint: disable=import-outside-toplevel

    host_port = database_url.split("@", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    server = MySQLdb.connect(host=host, port=int(port or 3306), user="root")
    with server.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    server.close()
    return database_url


def drop_database(database_url: str) -> None:
    """Drop the MariaDB benchmark database of ``database_url`` once the run is over."""
    import MySQLdb  # pylint: disable=import-outside-toplevel

    name = database_url.rsplit("/", 1)[1]
    host, _, port = database_url.split("@", 1)[1].split("/", 1)[0].partition(":")
    server = MySQLdb.connect(host=host, port=int(port or 3306), user="root")
    with server.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
    server.close()


def save_run(result: dict) -> Path:
    """Keep ``result`` in ``RUNS_DIRECTORY``, replacing an earlier run of the same database and scale."""
    RUNS_DIRECTORY.mkdir(parents=True, exist_ok=True)
    path = RUNS_DIRECTORY / f"{result['vendor']}-scale-{result['scale']:g}.json"
    path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def saved_runs() -> list[dict]:
    """Return every kept run, by database, then scale."""
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in RUNS_DIRECTORY.glob("*.json")]
    return sorted(runs, key=lambda run: (run["vendor"], run["scale"]))


def run_all(  # pylint: disable=too-many-arguments
    scales: list[float], databases: list[str], seed: int, events: int, *, export_limit: float, on_result=None,
    generated: bool = False,
) -> list[dict]:
    """Run one child process per (database, scale) pair and return their results.

    ``on_result`` is called with each result as soon as its run is over, so that a long series
    keeps what it has measured if a later run fails. With ``generated``, each database is the URL
    of a programme generated before: it is measured as it is, and kept.
    """
    results = []
    for database in databases:
        for scale in scales:
            url = database if generated else _fresh_database(database, scale)
            command = [sys.executable, "-m", "benchmarks.run", "--child", "--database-url", url,
                       "--scales", f"{scale:g}", "--seed", str(seed), "--events", str(events),
                       "--export-limit", f"{export_limit:g}", *(["--generated", url] if generated else [])]
            print(f"running scale {scale:g} on {database.split(':')[0]}...", file=sys.stderr, flush=True)
            completed = subprocess.run(command, cwd=REPOSITORY, capture_output=True, text=True, check=False)
            if completed.returncode != 0:
                raise BenchmarkError(f"Scale {scale:g} on {database} failed: {completed.stderr.strip()[-2000:]}")
            result = json.loads(completed.stdout.strip().splitlines()[-1])
            result["ran"] = run_facts()
            results.append(result)
            if on_result:
                on_result(result)
            if generated:
                continue
            if database != "sqlite":
                drop_database(url)
            else:
                Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
    return results


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the benchmarks and write RESULTS.md (or, as a child, print JSON)."""
    parser = argparse.ArgumentParser(description="Run Raqmya's benchmarks and write benchmarks/RESULTS.md.")
    parser.add_argument("--scales", default="0.1,1", help="Comma-separated scales, e.g. 0.1,1,10,100.")
    parser.add_argument("--mysql-url", help="Also run on MariaDB, e.g. mysql://root@127.0.0.1:3306/raqmya_bench.")
    parser.add_argument("--no-sqlite", action="store_true", help="Run on MariaDB only.")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--events", type=int, default=1000, help="Events per ingestion measurement.")
    parser.add_argument("--export-limit", type=float, default=EXPORT_TIME_LIMIT,
                        help="Seconds after which a CSV or XLSX export is stopped and rated on the rows written.")
    parser.add_argument("--output", default=str(RESULTS), help="Where to write the results (Markdown).")
    parser.add_argument("--note", default="", help="Sentence for RESULTS.md on the scales not run and why.")
    parser.add_argument("--generated", metavar="URL",
                        help="Measure the programme already generated in this database (one scale), and keep it.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    try:
        scales = [check_scale(float(value)) for value in arguments.scales.split(",")]
        if arguments.child:
            print(json.dumps(run_child(arguments.database_url, scales[0], arguments.seed, arguments.events,
                                       arguments.export_limit, generated=arguments.generated)))
            return 0
        databases = ([] if arguments.no_sqlite else ["sqlite"]) + ([arguments.mysql_url] if arguments.mysql_url else [])
        if arguments.generated:
            databases = [arguments.generated]

        def write(result: dict) -> None:
            save_run(result)
            write_results(saved_runs(), Path(arguments.output), seed=arguments.seed, note=arguments.note)
            print(f"wrote {arguments.output} with {result['vendor']} scale {result['scale']:g}", file=sys.stderr)

        run_all(scales, databases, arguments.seed, arguments.events, export_limit=arguments.export_limit,
                on_result=write, generated=bool(arguments.generated))
    except (BenchmarkError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
