"""Benchmark 2: the learners export through ``raqmya_export`` against ``csv.writer`` over a raw cursor.

Both write the year's enrollments of beneficiaries, with the same columns (identities included,
as the command's operator scope sees them), to a file. The export adds a name after the track and
after the course key, which the raw writer leaves out. Each export runs in its own child process
(``python -m benchmarks.exports``), which reports its time, its rows and its own ``VmHWM``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .environment import REPOSITORY

# The learner columns with identities, in the export's order of columns and rows (first enrollment
# time, then id). The cohort is the one the user belongs to in the programme year. ``{straight}`` is
# MariaDB's STRAIGHT_JOIN, which joins in the written order: from the enrollments' time index, with
# no sort. Left to choose, MariaDB 10.11 started from the 173 courses and sorted the whole year:
# 0.80 to 0.87 s at scale 1 against 0.45 to 0.46 s, and no row after 9 minutes at scale 100. SQLite
# reads the time index in order with or without it. ``{first}`` is the enrollments, then the
# profiles. For one province it is the profiles, then the enrollments: MariaDB then starts from the
# province's profiles and sorts their enrollments. Left to choose, MariaDB 10.11 started from the
# courses again. SQLite starts from the province's profiles in either order.
RAW_SQL = """
    SELECT {straight}e.user_id, p.region_id, p.province_id, p.sector, p.track, co.name, c.course_key,
           CASE WHEN e.is_active THEN 'enrolled' ELSE 'unenrolled' END, e.first_enrolled_at,
           g.percent, g.passed, COALESCE(g.passed_at, g.passed_changed_at), u.username, u.first_name,
           u.last_name, u.email
    FROM {first}
    JOIN {course} c ON c.id = e.course_id
    JOIN {user} u ON u.id = e.user_id
    LEFT JOIN {grade} g ON g.user_id = e.user_id AND g.course_id = e.course_id
    LEFT JOIN {membership} m ON m.user_id = e.user_id AND m.programme_year = %s
    LEFT JOIN {cohort} co ON co.id = m.cohort_id
    WHERE e.first_enrolled_at >= %s AND e.first_enrolled_at < %s{province}
    ORDER BY e.first_enrolled_at, e.id"""
ENROLLMENTS_FIRST = "{enrollment} e JOIN {profile} p ON p.user_id = e.user_id"
PROFILES_FIRST = "{profile} p JOIN {enrollment} e ON e.user_id = p.user_id"
FETCH_SIZE = 1000
# Rows of one Excel sheet, the header included.
XLSX_MAX_ROWS = 1_048_576
# Seconds after which a CSV or XLSX export is stopped (``--export-limit`` of ``benchmarks.run``).
EXPORT_TIME_LIMIT = 1800


def raw_export(year: int, path: Path, province: str | None = None) -> int:
    """Write the learners of ``year`` (of one ``province``, if given) to ``path`` with csv.writer over a raw cursor.

    Return the row count.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel

    from raqmya_reports.registry.models import (  # pylint: disable=import-outside-toplevel
        BeneficiaryProfile,
        Cohort,
        CohortMembership,
        Course,
        CourseGrade,
        Enrollment,
    )
    from raqmya_reports.reports.learners import (  # pylint: disable=import-outside-toplevel
        COLUMNS,
        IDENTITY_COLUMNS,
    )
    from raqmya_reports.reports.periods import programme_year  # pylint: disable=import-outside-toplevel

    period = programme_year(year)
    bounds = [connection.ops.adapt_datetimefield_value(moment) for moment in (period.start, period.end)]
    sql = RAW_SQL.format(enrollment=Enrollment._meta.db_table, profile=BeneficiaryProfile._meta.db_table,
                         course=Course._meta.db_table, user=get_user_model()._meta.db_table,
                         grade=CourseGrade._meta.db_table, membership=CohortMembership._meta.db_table,
                         cohort=Cohort._meta.db_table,
                         straight="STRAIGHT_JOIN " if connection.vendor == "mysql" else "",
                         first=(PROFILES_FIRST if province else ENROLLMENTS_FIRST).format(
                             enrollment=Enrollment._meta.db_table, profile=BeneficiaryProfile._meta.db_table),
                         province=" AND p.province_id = %s" if province else "")
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as output, _streaming_cursor(connection) as cursor:
        writer = csv.writer(output)
        writer.writerow((*COLUMNS, *IDENTITY_COLUMNS))
        cursor.execute(sql, [year, *bounds, *([province] if province else [])])
        while batch := cursor.fetchmany(FETCH_SIZE):
            writer.writerows(batch)
            rows += len(batch)
    return rows


@contextlib.contextmanager
def _streaming_cursor(connection):
    """Yield a DB-API cursor of ``connection`` that reads the rows as they are fetched.

    On MySQL and MariaDB that is MySQLdb's ``SSCursor``: its default cursor reads the whole
    result into memory on ``execute`` (755 MB for the raw writer at scale 10).
    """
    if connection.vendor != "mysql":
        with connection.cursor() as cursor:
            yield cursor
        return
    from MySQLdb.cursors import SSCursor  # pylint: disable=import-outside-toplevel

    connection.ensure_connection()
    cursor = connection.connection.cursor(SSCursor)
    try:
        yield cursor
    finally:
        cursor.close()


def raqmya_export(year: int, path: Path, export_format: str, province: str | None = None) -> None:
    """Write the learners of ``year`` (of one ``province``, if given) to ``path`` with the ``raqmya_export`` command."""
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    arguments = ["--format", export_format, "--output", str(path), "--year", str(year)]
    if province:
        arguments += ["--province", province]
    call_command("raqmya_export", "learners", *arguments)


def measure_exports(database_url: str, year: int, *, limit: float = EXPORT_TIME_LIMIT, repeat: int = 1) -> dict:
    """Return rows per second and peak memory of the raw writer and of the CSV and XLSX exports, and their ratios.

    Each export runs in its own child process, which times it and reports its peak memory. The
    three writers run in turns, ``repeat`` times: each rate is that of the median time, and the
    peak memory is the highest of the runs. XLSX is left out when the rows do not fit in one
    sheet: Excel opens at most 1,048,576 rows. A CSV or XLSX export still running after ``limit``
    seconds is stopped and not run again: its rate is then the rows written so far (CSV) over
    ``limit``, or unknown (XLSX, whose file is written at the end).
    """
    runs: dict[str, list[dict]] = {"raw": [], "csv": [], "xlsx": []}
    rows = None
    for _round in range(repeat):
        runs["raw"].append(_child_export(database_url, year, "raw", None))
        rows = runs["raw"][0]["rows"]
        for writer in ("csv", "xlsx"):
            if writer == "xlsx" and rows >= XLSX_MAX_ROWS:
                continue
            if not any(run.get("stopped") for run in runs[writer]):
                runs[writer].append(_child_export(database_url, year, writer, limit))
    return {
        "benchmark": "exports",
        "rows": rows,
        "repeat": repeat,
        "csv_rows_match": all(run["rows"] == rows for run in runs["csv"] if not run.get("stopped")),
        **_summary(runs, rows, limit),
    }


def measure_province_export(database_url: str, year: int, *, limit: float = EXPORT_TIME_LIMIT,
                            repeat: int = 1) -> dict:
    """Return the rows per second of one province's learners export as CSV against the raw writer with that filter.

    The province is the one with the most enrollments in ``year``: an operator who sees one
    province exports it so. The export reads the ids of the province's enrollments, then their
    rows. The raw writer's join starts from the province's profiles. Both run in child processes,
    in turns, ``repeat`` times, and each rate is that of the median time.
    """
    province, expected = busiest_province(year)
    runs: dict[str, list[dict]] = {"raw": [], "csv": []}
    for _round in range(repeat):
        runs["raw"].append(_child_export(database_url, year, "raw", None, province))
        if not any(run.get("stopped") for run in runs["csv"]):
            runs["csv"].append(_child_export(database_url, year, "csv", limit, province))
    rows = runs["raw"][0]["rows"]
    return {
        "benchmark": "province_export",
        "province": province,
        "rows": rows,
        "repeat": repeat,
        "rows_match": rows == expected and all(run["rows"] == rows for run in runs["csv"] if not run.get("stopped")),
        **_summary(runs, rows, limit),
    }


def _summary(runs: dict[str, list[dict]], rows: int, limit: float) -> dict:
    """Return the rates, ratios to the raw writer, times, stops and peak memory of the writers' ``runs``.

    Each rate is that of the writer's median run, and ``max_rss_mb`` the highest peak of its runs.
    A writer without runs (XLSX past one sheet) is left out of the times and the memory, and its
    rate and ratio are ``None``.
    """
    chosen = {writer: _median_run(writer_runs) for writer, writer_runs in runs.items() if writer_runs}
    rates = {writer: _rate(run, rows) for writer, run in chosen.items()}
    exports = [writer for writer in runs if writer != "raw"]
    return {
        "raw_rows_per_second": rates["raw"],
        **{f"{writer}_rows_per_second": rates.get(writer) for writer in exports},
        **{f"{writer}_ratio": rates[writer] / rates["raw"] if rates.get(writer) is not None else None
           for writer in exports},
        "seconds": {writer: [run["seconds"] for run in writer_runs] for writer, writer_runs in runs.items()
                    if writer_runs},
        "stopped_after_seconds": {writer: limit for writer, run in chosen.items() if run.get("stopped")},
        "max_rss_mb": {writer: max(run["max_rss_mb"] for run in writer_runs)
                       for writer, writer_runs in runs.items() if writer_runs},
    }


def busiest_province(year: int) -> tuple[str, int]:
    """Return the code of the province whose beneficiaries have the most enrollments in ``year``, and that count.

    Ties go to the first code in alphabetical order.
    """
    from django.db.models import Count  # pylint: disable=import-outside-toplevel

    from raqmya_reports.registry.models import Enrollment  # pylint: disable=import-outside-toplevel
    from raqmya_reports.reports.periods import programme_year  # pylint: disable=import-outside-toplevel

    period = programme_year(year)
    busiest = (
        Enrollment.objects.filter(first_enrolled_at__gte=period.start, first_enrolled_at__lt=period.end,
                                  user__raqmya_profile__isnull=False)
        .values("user__raqmya_profile__province_id").annotate(enrollments=Count("id"))
        .order_by("-enrollments", "user__raqmya_profile__province_id").first()
    )
    if busiest is None:
        from .errors import BenchmarkError  # pylint: disable=import-outside-toplevel

        raise BenchmarkError(f"No beneficiary enrolled in programme year {year}: generate a programme first.")
    return busiest["user__raqmya_profile__province_id"], busiest["enrollments"]


def export_repeats(scale: float) -> int:
    """Return how many times each export runs at ``scale``: five up to scale 1, three up to 10, then once.

    At scale 1 an export takes about a second, and on a machine whose cores are shared its time
    varied by a third from run to run, so the median of five is kept. At scale 100 each takes minutes.
    """
    if scale <= 1:
        return 5
    return 3 if scale <= 10 else 1


def province_export_repeats(scale: float) -> int:
    """Return how many times one province's export runs at ``scale``: fifteen up to scale 1, else as ``export_repeats``.

    At scale 1 the province's export takes about 0.05 to 0.1 s, and a fixed cost of tens of
    milliseconds is most of it. With five runs of each writer, its ratio moved from 0.52 to 0.44
    on MariaDB, and from 0.42 to 0.51 on SQLite, between two runs of the same code.
    """
    return 15 if scale <= 1 else export_repeats(scale)


def _median_run(runs: list[dict]) -> dict:
    """Return the run of median time among ``runs`` (the later of the two middle ones for an even count)."""
    return sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]


def _rate(run: dict, rows: int) -> float | None:
    """Return the rows per second of one export run: all ``rows``, or those written before it was stopped."""
    if not run.get("stopped"):
        return rows / run["seconds"]
    return run["rows"] / run["seconds"] if run["rows"] is not None else None


def _child_export(database_url: str, year: int, writer: str, limit: float | None, province: str | None = None) -> dict:
    """Run one export (``raw``, ``csv`` or ``xlsx``) in a child process; return its seconds, rows and peak MB.

    With ``province``, only that province's learners are exported. A child still running after
    ``limit`` seconds is stopped, after its peak memory so far is read.
    """
    with tempfile.TemporaryDirectory() as directory:
        command = [sys.executable, "-m", "benchmarks.exports", "--database-url", database_url, "--year", str(year),
                   "--writer", writer, "--directory", directory, *(["--province", province] if province else [])]
        with subprocess.Popen(command, cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) as child:
            try:
                stdout, stderr = child.communicate(timeout=limit)
            except subprocess.TimeoutExpired:
                peak = _peak_resident_kb(f"/proc/{child.pid}/status") / 1024
                child.kill()
                child.communicate()
                return {"seconds": limit, "rows": _csv_rows_written(Path(directory)) if writer == "csv" else None,
                        "max_rss_mb": peak, "stopped": True}
    if child.returncode != 0:
        from .errors import BenchmarkError  # pylint: disable=import-outside-toplevel

        raise BenchmarkError(f"The {writer} export child failed with exit code {child.returncode}: "
                             f"{stderr.strip()[-500:]}")
    return json.loads(stdout.strip().splitlines()[-1])


def _csv_rows_written(directory: Path) -> int:
    """Return the rows in the partial CSV file of a stopped export (the command writes a temporary file)."""
    rows = 0
    for path in directory.iterdir():
        with path.open("rb") as partial:
            rows += max(0, sum(1 for _line in partial) - 1)
    return rows


def _peak_resident_kb(status_path: str = "/proc/self/status") -> int:
    """Return the peak resident memory in kB of this process (or of the one whose status file is given).

    ``ru_maxrss`` carries over the parent's peak from the fork on Linux, so a child forked by a
    large benchmark process reports the parent's size; ``VmHWM`` belongs to the new image only.
    """
    with open(status_path, encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _import_command_modules() -> None:
    """Import the modules of ``raqmya_export``, those that Django imports on first use among them, and find it.

    Django imports its query compilers on the first query that the ORM sends, and lists the
    commands of every app the first time a command is called by name. The raw writer needs neither.
    In fresh processes at scale 1 on SQLite, one province's export (MA-CAS) took 36.7 ms with these
    steps before the clock against 39.0 ms without (medians of 11 child processes). The raw writer
    took 16.6 ms either way.
    """
    import importlib  # pylint: disable=import-outside-toplevel

    from django.core.management import get_commands  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel

    importlib.import_module("raqmya_reports.management.commands.raqmya_export")
    importlib.import_module("django.db.models.sql.compiler")
    importlib.import_module(connection.ops.compiler_module)
    get_commands()


def _run_model_checks() -> None:
    """Run Django's system checks of the models only, before the clock of both writers' children.

    ``manage.py`` runs all the checks before a command's ``handle``, and ``call_command`` none.
    The model checks read every model's fields and relations, which Django keeps for the process,
    so an operator's ``manage.py raqmya_export`` has read them before its export starts. The other
    checks (admin, URLs) import modules that no export uses. With all the checks, a child's peak
    memory grew by about 30 MB (67 to 98 MB for the raw writer at scale 1 on SQLite). As for a
    command, the checks of the databases are left out, so no connection is opened. In fresh
    processes at scale 1 on SQLite, one province's export (MA-CAS) took 35.1 ms with the model
    checks against 35.6 ms without (medians of 15 child processes in turns). The raw writer took
    17.2 ms both ways.
    """
    from django.core import checks  # pylint: disable=import-outside-toplevel

    checks.run_checks(tags=[checks.Tags.models])


def main(argv: list[str] | None = None) -> int:
    """Child process: run one export, then print its seconds, rows and peak resident memory as JSON."""
    from .environment import start_django  # pylint: disable=import-outside-toplevel

    parser = argparse.ArgumentParser(description="Run one learners export and report peak memory.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--writer", choices=("raw", "csv", "xlsx"), required=True)
    parser.add_argument("--directory", help="An empty folder for the export's file (a temporary one by default).")
    parser.add_argument("--province", help="Export only the learners of this province code (MA-CAS).")
    arguments = parser.parse_args(argv)
    start_django(arguments.database_url, migrate=False)
    _run_model_checks()
    if arguments.writer != "raw":
        # The command's modules (openpyxl among them: 0.18 s) are imported before the clock starts,
        # as the raw writer's are: the rate is the export's, not the import's.
        _import_command_modules()
    with tempfile.TemporaryDirectory() as temporary:
        path = Path(arguments.directory or temporary) / f"learners.{arguments.writer}"
        started = time.perf_counter()
        if arguments.writer == "raw":
            rows = raw_export(arguments.year, path, arguments.province)
        else:
            raqmya_export(arguments.year, path, arguments.writer, arguments.province)
            rows = None
        seconds = time.perf_counter() - started
        if arguments.writer == "csv":
            with path.open(encoding="utf-8-sig") as written:
                rows = sum(1 for _line in written) - 1
    print(json.dumps({"max_rss_mb": _peak_resident_kb() / 1024, "seconds": seconds, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
