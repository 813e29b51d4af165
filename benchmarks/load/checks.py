"""What must hold after a load run, read from the database and the server's log.

- Every attempt the server reported as stored has its result row.
- No learner has a row past the attempt limit.
- The learner state counts as many attempts as there are rows.
- Each stored attempt was graded exactly once.
- Each duplicate pair had one winner.
- No request got a 5xx or no answer at all.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

GRADE_EVENT_TYPE = "org.openedx.learning.course.persistent_grade_summary.changed.v1"
# The block's log line for each published grade: "Assessment <usage>: user <id>, attempt <n>, track ...".
GRADED_LINE = re.compile(r"Assessment (\S+): user (\d+), attempt (\d+), track ")


def graded_attempts(log_path: Path, usage_id: str) -> Counter:
    """Count the grades the block published in the server's log, by (user id, attempt)."""
    counts: Counter = Counter()
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = GRADED_LINE.search(line)
        if match and match.group(1) == usage_id:
            counts[(int(match.group(2)), int(match.group(3)))] += 1
    return counts


def _state_attempts(usage_id: str, username: str) -> int:
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel

    states = XBlockState.objects.filter(scope="usage", scope_id=usage_id, user_id=username)
    return max((json.loads(state.state).get("attempts", 0) for state in states), default=0)


def check_assessment(accounts: list, usage_id: str, max_attempts: int, log_path: Path) -> dict:
    """Return the counts the checks read and a list of the problems found (empty when all held)."""
    from raqmya_reports.registry.models import AssessmentResult, ProcessedEvent  # pylint: disable=C0415

    problems: list[str] = []
    graded = graded_attempts(log_path, usage_id)
    rows_total = 0
    for account in accounts:
        rows = sorted(AssessmentResult.objects.filter(user_id=account.user_id, usage_key=usage_id)
                      .values_list("attempt", flat=True))
        rows_total += len(rows)
        if sorted(account.stored_attempts) != rows:
            problems.append(f"user {account.user_id}: server said stored {sorted(account.stored_attempts)}, "
                            f"rows hold {rows}")
        if len(rows) > max_attempts or any(attempt > max_attempts for attempt in rows):
            problems.append(f"user {account.user_id}: attempts {rows} beyond the limit of {max_attempts}")
        state = _state_attempts(usage_id, account.username)
        if state != len(rows):
            problems.append(f"user {account.user_id}: learner state counts {state} attempts, rows {len(rows)}")
        for attempt in rows:
            if graded[(account.user_id, attempt)] != 1:
                problems.append(f"user {account.user_id} attempt {attempt}: "
                                f"{graded[(account.user_id, attempt)]} grades published")
        for statuses in account.duplicate_statuses:
            if statuses != [200, 409]:
                problems.append(f"user {account.user_id}: duplicate pair answered {statuses}, not [200, 409]")
    extra = sum(count for (user_id, attempt), count in graded.items()
                if attempt > max_attempts or count > 1)
    if extra:
        problems.append(f"{extra} grades published beyond one per stored attempt")
    grade_events = ProcessedEvent.objects.filter(event_type=GRADE_EVENT_TYPE).count()
    if grade_events != rows_total:
        problems.append(f"{grade_events} course grade events recorded for {rows_total} stored attempts")
    return {
        "result_rows": rows_total,
        "grades_published": sum(graded.values()),
        "grade_events": grade_events,
        "duplicate_pairs": sum(len(account.duplicate_statuses) for account in accounts),
        "problems": problems,
    }


def server_errors(samples: list) -> list[str]:
    """Return a line for each request kind that got a 5xx or no response at all."""
    failures = Counter((sample.kind, sample.status) for sample in samples if sample.status >= 500 or not sample.status)
    return [f"{count} x {kind}: {status or 'no answer'}" for (kind, status), count in sorted(failures.items())]
