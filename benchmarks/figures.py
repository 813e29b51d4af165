"""Benchmark 1: the programme summary's figures against the same aggregates written by hand in SQL."""

from __future__ import annotations

from collections import defaultdict

from .environment import timed_pair

# The three grouped queries of the summary, as a person would write them for this schema.
REGISTERED_SQL = """
    SELECT p.track, p.region_id, COUNT(DISTINCT p.user_id)
    FROM {profile} p WHERE p.registered_at >= %s AND p.registered_at < %s GROUP BY p.track, p.region_id"""
ENROLLED_SQL = """
    SELECT p.track, p.region_id,
           COUNT(DISTINCT CASE WHEN e.is_active THEN e.user_id END), COUNT(DISTINCT e.user_id)
    FROM {enrollment} e JOIN {profile} p ON p.user_id = e.user_id
    WHERE e.first_enrolled_at >= %s AND e.first_enrolled_at < %s GROUP BY p.track, p.region_id"""
PASSED_SQL = """
    SELECT p.track, p.region_id, COUNT(DISTINCT g.user_id)
    FROM {grade} g JOIN {profile} p ON p.user_id = g.user_id
    WHERE g.passed AND COALESCE(g.passed_at, g.passed_changed_at) >= %s
      AND COALESCE(g.passed_at, g.passed_changed_at) < %s
    GROUP BY p.track, p.region_id"""


def hand_written_totals(year: int) -> dict[str, int]:
    """Return the year's registered, enrolled, ever-enrolled and passed totals from raw SQL."""
    from django.db import connection  # pylint: disable=import-outside-toplevel

    from raqmya_reports.registry.models import (  # pylint: disable=import-outside-toplevel
        BeneficiaryProfile,
        CourseGrade,
        Enrollment,
    )
    from raqmya_reports.reports.periods import programme_year  # pylint: disable=import-outside-toplevel

    period = programme_year(year)
    bounds = [connection.ops.adapt_datetimefield_value(moment) for moment in (period.start, period.end)]
    tables = {"profile": BeneficiaryProfile._meta.db_table, "enrollment": Enrollment._meta.db_table,
              "grade": CourseGrade._meta.db_table}
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    with connection.cursor() as cursor:
        for sql, columns in ((REGISTERED_SQL, (0,)), (ENROLLED_SQL, (1, 2)), (PASSED_SQL, (3,))):
            cursor.execute(sql.format(**tables), bounds)
            for track, region, *counts in cursor.fetchall():
                for column, count in zip(columns, counts):
                    cells[(track, region)][column] += count
        cursor.execute("SELECT code FROM raqmya_reports_region ORDER BY code")
        cursor.fetchall()
    names = ("registered", "enrolled", "ever_enrolled", "passed")
    return {name: sum(cell[index] for cell in cells.values()) for index, name in enumerate(names)}


def measure_figures(year: int, *, repeat: int = 5) -> dict:
    """Time ``programme_summary`` and the hand-written SQL on the same database; check they agree."""
    from dataclasses import asdict  # pylint: disable=import-outside-toplevel

    from raqmya_reports.reports.summary import programme_summary  # pylint: disable=import-outside-toplevel

    last: dict[str, object] = {}
    raqmya_seconds, baseline_seconds = timed_pair(
        lambda: last.update(summary=programme_summary(year)), lambda: last.update(totals=hand_written_totals(year)),
        repeat=repeat,
    )
    summary, totals = last["summary"], last["totals"]
    return {
        "benchmark": "figures",
        "raqmya_seconds": raqmya_seconds,
        "baseline_seconds": baseline_seconds,
        "ratio": raqmya_seconds / baseline_seconds,
        "agree": asdict(summary.totals) == totals,
        "totals": totals,
    }
