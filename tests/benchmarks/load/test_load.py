"""The load test: its parsing and figures, and a short run on gunicorn and MariaDB so that it cannot rot."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from benchmarks.load import database
from benchmarks.load.learners import Sample, answers_on_page
from benchmarks.load.run import percentile, summarise

REPOSITORY = Path(__file__).resolve().parents[3]
PAGE = """
<form class="raqmya-assessment__form" data-attempt="2" novalidate>
  <fieldset class="raqmya-assessment__question" data-question-id="fr-phishing"
            data-kind="radio" aria-describedby="q1-stem">
    <input type="radio" id="q1-a" name="q1" value="a"><input type="radio" id="q1-b" name="q1" value="b">
  </fieldset>
  <fieldset class="raqmya-assessment__question" data-question-id="fr-cloud"
            data-kind="checkbox" aria-describedby="q2-stem">
    <input type="checkbox" id="q2-a" name="q2" value="a"><input type="checkbox" id="q2-c" name="q2" value="c">
  </fieldset>
</form>
"""


def test_answers_on_page_one_answer_per_question_of_its_kind():
    attempt, answers = answers_on_page(PAGE, random.Random(3))
    assert attempt == 2
    assert sorted(answers) == ["fr-cloud", "fr-phishing"]
    assert answers["fr-phishing"] in ("a", "b")
    assert isinstance(answers["fr-cloud"], list) and set(answers["fr-cloud"]) <= {"a", "c"}


def test_percentile_nearest_rank():
    values = list(range(1, 101))
    assert (percentile(values, 0.50), percentile(values, 0.95), percentile(values, 0.99)) == (50, 95, 99)
    assert percentile([7.0], 0.99) == 7.0


def test_summarise_counts_requests_per_second_and_statuses():
    samples = [Sample("page", 200, 0.010), Sample("page", 200, 0.030), Sample("submit", 409, 0.020)]
    figures = summarise(samples, wall_seconds=2.0)
    assert figures["all"]["requests"] == 3
    assert figures["all"]["per_second"] == 1.5
    assert figures["page"]["p50_ms"] == 10.0
    assert figures["submit"]["statuses"] == {"409": 1}


@pytest.mark.parametrize("url", [
    "mysql://root@127.0.0.1:3306/raqmya", "mysql://root@127.0.0.1:3306/raqmya_load`; DROP", "sqlite:///x.db",
])
def test_database_refuses_names_it_must_not_drop(url):
    with pytest.raises(database.LoadDatabaseError):
        database.recreate(url)


@pytest.mark.mysql
def test_short_load_run_holds_every_check(tmp_path):
    """Three learners for a few seconds on two gunicorn workers: no lost or extra attempt, grade or 500."""
    url = os.environ.get("RAQMYA_DATABASE_URL", "")
    if not url.startswith(("mysql://", "mariadb://")):
        pytest.skip("Run with RAQMYA_DATABASE_URL on MariaDB: the load test needs a database several processes share.")
    parts = urlsplit(url)
    load_url = f"{parts.scheme}://{parts.netloc}/raqmya_load_smoke"
    report_path = tmp_path / "load.json"
    # With 12 accounts each, the learners used them all before the 4 seconds were up; 100 leaves room.
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", "--learners", "3", "--seconds", "4", "--workers", "2",
         "--accounts-per-learner", "100", "--database-url", load_url, "--json", str(report_path),
         "--server-log", str(tmp_path / "server.log")],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=600, check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    checked = report["assessment"]["checks"]
    assert checked["problems"] == []
    assert checked["result_rows"] > 0
    assert checked["grades_published"] == checked["grade_events"] == checked["result_rows"]
    assert checked["duplicate_pairs"] >= 1
    assert report["server_errors"] == []
    assert report["workers"] == 2
    assert set(report["thumbs"]["figures"]["all"]["statuses"]) == {"200"}
