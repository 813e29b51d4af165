"""A tracking-log import killed with SIGKILL halfway, then run again: every line counted exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
LEARNERS = 60
COURSES = 50
COUNTS_SCRIPT = (
    "import json; from raqmya_reports.registry.models import Enrollment, EnrollmentChange, ProcessedEvent; "
    "print(json.dumps({'enrollments': Enrollment.objects.count(), 'changes': EnrollmentChange.objects.count(), "
    "'processed': ProcessedEvent.objects.count()}))"
)


def _manage(var: Path, *arguments: str, **options) -> subprocess.Popen | subprocess.CompletedProcess:
    environment = {**os.environ, "RAQMYA_DEVSTACK_VAR": str(var), "RAQMYA_DEBUG": "0"}
    environment.pop("RAQMYA_DATABASE_URL", None)
    command = [sys.executable, str(REPOSITORY / "devstack" / "manage.py"), *arguments]
    if options.pop("background", False):
        return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(command, env=environment, check=True, capture_output=True, text=True, **options)


def _write_log(path: Path) -> int:
    """Write one enrollment activation per learner and course; return the number of lines."""
    lines = []
    for user_id in range(1, LEARNERS + 1):
        for course in range(1, COURSES + 1):
            course_key = f"course-v1:Raqmya+C{course:03d}+2026"
            lines.append(json.dumps({
                "name": "edx.course.enrollment.activated", "event_source": "server",
                "time": f"2026-02-{1 + course % 28:02d}T09:{user_id % 60:02d}:00+00:00",
                "context": {"user_id": user_id, "course_id": course_key},
                "event": {"user_id": user_id, "course_id": course_key, "mode": "audit"},
            }))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def _processed(database: Path) -> int:
    with sqlite3.connect(database, timeout=5) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE name LIKE '%processed%'")]
        return connection.execute(f"SELECT COUNT(*) FROM {tables[0]}").fetchone()[0] if tables else 0


@pytest.mark.slow
def test_import_killed_halfway_then_rerun_counts_each_line_once(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    log_path = tmp_path / "tracking.log"
    total = _write_log(log_path)
    _manage(var, "migrate", "--run-syncdb", "--verbosity", "0")
    _manage(var, "shell", "-c", "from django.contrib.auth import get_user_model; "
            f"[get_user_model().objects.create_user(id=i, username=f'learner{{i}}') for i in range(1, {LEARNERS + 1})]")
    importer = _manage(var, "raqmya_import_tracking_log", str(log_path), "--batch-size", "50", background=True)
    deadline = time.monotonic() + 120
    while _processed(var / "raqmya.sqlite3") < total // 10 and time.monotonic() < deadline:
        assert importer.poll() is None, "the import ended before it could be killed"
        time.sleep(0.05)
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=20)
    killed_at = _processed(var / "raqmya.sqlite3")
    rerun = _manage(var, "raqmya_import_tracking_log", str(log_path))
    counts = json.loads(_manage(var, "shell", "-c", COUNTS_SCRIPT).stdout.strip().splitlines()[-1])
    assert importer.returncode == -signal.SIGKILL
    assert 0 < killed_at < total
    # The devstack speaks French (LANGUAGE_CODE "fr"), with a no-break space before each colon.
    assert f"Lignes lues\u00a0: {total}\n" in rerun.stdout
    assert f"Doublons (déjà importées)\u00a0: {killed_at}\n" in rerun.stdout
    assert counts == {"enrollments": total, "changes": total, "processed": total}
