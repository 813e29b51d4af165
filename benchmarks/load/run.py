"""Run the load test end to end and print its figures; ``python -m benchmarks.load --help``.

The exit status is 0 when every check held and 1 when one did not. So the suite's smoke test and
``make load`` fail on a lost attempt, a double grade or a 500.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from . import checks, database, learners, server

DEFAULT_DATABASE_URL = "mysql://root@127.0.0.1:3306/raqmya_load"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/12"
ASSESSMENT_SCENARIO_PREFIX = "raqmya_assessment."
THUMBS_SCENARIO = "thumbs.0"
# Every how many accounts one sends its first attempt twice at the same moment.
DUPLICATE_EVERY = 3


def _arguments(argv: list | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20, help="simulated learners at once (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="how long each block is loaded (default 60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--accounts-per-learner", type=int, default=40,
                        help="accounts made ready for each learner (default 40)")
    parser.add_argument("--database-url", default=os.environ.get("RAQMYA_LOAD_DATABASE_URL", DEFAULT_DATABASE_URL),
                        help="MariaDB database to create and drop; its name must start with raqmya_load")
    parser.add_argument("--cache-url", default=os.environ.get("RAQMYA_LOAD_CACHE_URL", DEFAULT_CACHE_URL),
                        help="Redis URL of the cache the workers share for attempt claims; '' for none")
    parser.add_argument("--wsgi", default=server.WSGI_APPLICATION, help="gunicorn application to serve")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--server-log", type=Path, default=server.REPOSITORY / "test-results" / "load-server.log",
                        help="where to copy gunicorn's log (default test-results/load-server.log)")
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database at the end")
    return parser.parse_args(argv)


def _setup_django(database_url: str, var_dir: Path, cache_url: str) -> None:
    os.environ.update(server.server_environment(database_url, var_dir, cache_url))
    import django  # pylint: disable=import-outside-toplevel

    django.setup()


def _prepare_accounts(count: int, run_id: str) -> list:
    """Create ``count`` learner accounts with a signed-in session each, as the login view would leave them."""
    # pylint: disable=import-outside-toplevel
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        raise RuntimeError(f"The load test writes sessions to the database, not to {settings.SESSION_ENGINE}.")
    user_model = get_user_model()
    user_model.objects.bulk_create(
        [user_model(username=f"load-{run_id}-{index}", password="!") for index in range(count)], batch_size=500
    )
    accounts = []
    for index, user in enumerate(user_model.objects.filter(username__startswith=f"load-{run_id}-").order_by("id")):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        accounts.append(learners.Account(user.pk, user.username, session.session_key,
                                         duplicate_first_attempt=index % DUPLICATE_EVERY == 0))
    return accounts


def _scenarios() -> dict:
    """Return the paths of the French assessment scenario and of the thumbs scenario, from the workbench."""
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    from workbench.scenarios import get_scenarios  # pylint: disable=import-outside-toplevel

    from raqmya_xblocks.assessment.scenarios import FRENCH_TITLE  # pylint: disable=import-outside-toplevel

    scenarios = get_scenarios()
    assessment_id = next(key for key, scenario in scenarios.items()
                         if key.startswith(ASSESSMENT_SCENARIO_PREFIX) and scenario.description == FRENCH_TITLE)
    assessment = scenarios[assessment_id]
    block = WorkbenchRuntime().get_block(assessment.usage_id)
    thumbs = scenarios[THUMBS_SCENARIO]
    votes = WorkbenchRuntime().get_block(thumbs.usage_id).children
    return {
        "assessment": learners.Target(f"/scenario/{assessment_id}/", f"/handler/{assessment.usage_id}/submit/",
                                      block.max_attempts),
        "assessment_usage_id": assessment.usage_id,
        "thumbs_page": f"/scenario/{THUMBS_SCENARIO}/",
        "thumbs_votes": [f"/handler/{usage_id}/vote/" for usage_id in votes],
    }


def _open_pages_once(account, paths: list) -> None:
    """Open each scenario page once before the load, as its author would have.

    xblock-sdk's state table has no unique key, and it creates a field's row on its first read. All
    learners share the thumbs block's counters, so their first parallel views could store two rows.
    Every later view of the block would then fail with a 500.
    """
    from django.test import Client  # pylint: disable=import-outside-toplevel

    client = Client()
    client.cookies["sessionid"] = account.session_cookie
    for path in paths:
        status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{path} returned {status} before the load started.")


def percentile(values: list, share: float) -> float:
    """Return the nearest-rank percentile of ``values`` at ``share``, a fraction from 0 to 1."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))
    return ordered[rank - 1]


def summarise(samples: list, wall_seconds: float) -> dict:
    """Return requests, requests per second and latency percentiles in milliseconds, overall and by kind."""
    def figures(chosen: list) -> dict:
        latencies = [sample.seconds * 1000 for sample in chosen]
        return {
            "requests": len(chosen),
            "per_second": round(len(chosen) / wall_seconds, 1),
            "p50_ms": round(percentile(latencies, 0.50), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
            "p99_ms": round(percentile(latencies, 0.99), 1),
            "mean_ms": round(statistics.fmean(latencies), 1),
            "statuses": {str(status): sum(1 for s in chosen if s.status == status)
                         for status in sorted({s.status for s in chosen})},
        }
    kinds = sorted({sample.kind for sample in samples})
    return {"all": figures(samples) if samples else {},
            **{kind: figures([s for s in samples if s.kind == kind]) for kind in kinds}}


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=server.REPOSITORY, check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def print_table(report: dict) -> None:
    """Print the figures as the Markdown table that docs/reliability.md keeps."""
    print(f"\n{report['date']}, commit {report['commit']}, {report['machine']}; {report['learners']} learners, "
          f"{report['seconds']:.0f} s per block, {report['workers']} gunicorn workers, MariaDB {report['mariadb']}\n")
    print("| block | requests | kind | requests/s | p50 ms | p95 ms | p99 ms | statuses |")
    print("|---|---:|---|---:|---:|---:|---:|---|")
    for block in ("assessment", "thumbs"):
        for kind, row in report[block]["figures"].items():
            statuses = ", ".join(f"{status}: {count}" for status, count in row["statuses"].items())
            print(f"| {block} | {row['requests']} | {kind} | {row['per_second']} | {row['p50_ms']} | "
                  f"{row['p95_ms']} | {row['p99_ms']} | {statuses} |")
    checked = report["assessment"]["checks"]
    print(f"\nAccounts played: {report['assessment']['accounts']}; result rows {checked['result_rows']}, "
          f"grades published {checked['grades_published']}, grade events {checked['grade_events']}, "
          f"duplicate pairs {checked['duplicate_pairs']}.")


def _mariadb_version() -> str:
    from django.db import connection  # pylint: disable=import-outside-toplevel

    with connection.cursor() as cursor:
        cursor.execute("SELECT VERSION()")
        return cursor.fetchone()[0]


def main(argv: list | None = None) -> int:
    """Run the load test; return 0 when every check held."""
    options = _arguments(argv)
    database.recreate(options.database_url)
    try:
        with tempfile.TemporaryDirectory(prefix="raqmya-load-") as folder:
            return _run(options, Path(folder))
    finally:
        if not options.keep_database:
            from django.db import connections  # pylint: disable=import-outside-toplevel

            connections.close_all()
            database.drop(options.database_url)


def _run(options: argparse.Namespace, var_dir: Path) -> int:
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    _setup_django(options.database_url, var_dir, options.cache_url)
    call_command("migrate", run_syncdb=True, verbosity=0)
    run_id = datetime.now(timezone.utc).strftime("%H%M%S")
    accounts = _prepare_accounts(options.learners * options.accounts_per_learner, run_id)
    targets = _scenarios()
    _open_pages_once(accounts[0], [targets["assessment"].page_path, targets["thumbs_page"]])
    from django.db import connections  # pylint: disable=import-outside-toplevel

    mariadb = _mariadb_version()
    connections.close_all()
    log_path = var_dir / "gunicorn.log"
    environment = server.server_environment(options.database_url, var_dir, options.cache_url)
    try:
        with server.Gunicorn(environment, log_path, workers=options.workers, wsgi=options.wsgi) as gunicorn:
            loaded = _load(options, gunicorn, accounts, targets)
        # The server has stopped, so its log contains every grade line the checks count.
        return _check_and_report(options, accounts, targets, {**loaded, "mariadb": mariadb}, log_path)
    finally:
        if options.server_log and log_path.exists():
            options.server_log.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(log_path, options.server_log)


def _load(options: argparse.Namespace, gunicorn: server.Gunicorn, accounts: list, targets: dict) -> dict:
    """Load the assessment, then the thumbs block, with the same number of learners for the same time."""
    workers = gunicorn.worker_count()
    assessment_samples, assessment_wall, played = learners.run_learners(
        options.learners, options.seconds, accounts,
        lambda account, samples, chooser: learners.take_assessment(
            gunicorn.url, account, targets["assessment"], samples, chooser),
    )
    thumbs_samples, thumbs_wall, _ = learners.run_learners(
        options.learners, options.seconds,
        [learners.Account(account.user_id, account.username, account.session_cookie) for account in accounts],
        lambda account, samples, chooser: learners.vote_thumbs(
            gunicorn.url, account, samples, chooser,
            page_path=targets["thumbs_page"], vote_paths=targets["thumbs_votes"]),
    )
    return {"workers": workers, "assessment_samples": assessment_samples, "assessment_wall": assessment_wall,
            "played": played, "thumbs_samples": thumbs_samples, "thumbs_wall": thumbs_wall}


def _check_and_report(options: argparse.Namespace, accounts: list, targets: dict, loaded: dict,
                      log_path: Path) -> int:
    """Check the stored attempts and grades, print and save the figures; return 0 when every check held."""
    played = loaded["played"]
    assessment_samples, thumbs_samples = loaded["assessment_samples"], loaded["thumbs_samples"]
    checked = checks.check_assessment(accounts, targets["assessment_usage_id"],
                                      targets["assessment"].max_attempts, log_path)
    errors = checks.server_errors(assessment_samples + thumbs_samples)
    report = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "commit": _commit(),
        "machine": _machine(), "mariadb": loaded["mariadb"], "learners": options.learners,
        "seconds": options.seconds, "workers": loaded["workers"],
        "assessment": {"accounts": played, "wall_seconds": round(loaded["assessment_wall"], 1),
                       "figures": summarise(assessment_samples, loaded["assessment_wall"]), "checks": checked},
        "thumbs": {"wall_seconds": round(loaded["thumbs_wall"], 1),
                   "figures": summarise(thumbs_samples, loaded["thumbs_wall"])},
        "server_errors": errors,
    }
    print_table(report)
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    problems = checked["problems"] + errors
    if played == len(accounts):
        problems.append("every prepared account was used before the time was up: raise --accounts-per-learner")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
