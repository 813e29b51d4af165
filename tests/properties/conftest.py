"""Hypothesis settings of the property tests, and a record of how many generated cases each test ran.

Profile ``ci`` (the default) keeps ``make test`` within minutes; ``HYPOTHESIS_PROFILE=thorough`` runs
ten times as many cases. The counts go to ``test-results/hypothesis-counts.json`` at the end of the run.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.statistics import collector

COUNTS_FILE = Path(__file__).resolve().parents[2] / "test-results" / "hypothesis-counts.json"
# Database fixtures are function-scoped on purpose: each test builds its own state, and each example
# checks it against what it read before the call.
SUPPRESSED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=SUPPRESSED, print_blob=True)
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=SUPPRESSED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_counts: dict[str, dict] = {}


def _phase_counts(stats: dict) -> dict:
    """Return the generated, replayed and shrunk cases of one test run, by status."""
    counts: Counter = Counter()
    for phase in ("explicit", "reuse", "generate", "target", "shrink"):
        for case in stats.get(f"{phase}-phase", {}).get("test-cases", []):
            counts[f"{phase}:{case['status']}"] += 1
    return dict(counts)


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_call(item):
    """Collect the statistics of a Hypothesis test besides the ones Hypothesis's own plugin keeps."""
    previous = collector.value

    def note(stats):
        if previous is not None:
            previous(stats)
        counts = _phase_counts(stats)
        counts["cases"] = sum(counts.values())
        _counts[item.nodeid] = counts

    with collector.with_value(note):
        yield


def pytest_sessionfinish(session):  # pylint: disable=unused-argument
    """Merge this run's counts into the counts file, keyed by test id, with the profile that ran them."""
    if not _counts:
        return
    COUNTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    stored = json.loads(COUNTS_FILE.read_text(encoding="utf-8")) if COUNTS_FILE.exists() else {}
    profile = settings.get_current_profile_name()
    for nodeid, counts in _counts.items():
        stored[nodeid] = {"profile": profile, **counts}
    stored["total_cases"] = sum(entry["cases"] for key, entry in stored.items() if key != "total_cases")
    COUNTS_FILE.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n", encoding="utf-8")
