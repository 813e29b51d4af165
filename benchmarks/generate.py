"""Seeded generator of a Raqmya programme at a chosen scale, written with bulk inserts in batches.

Scale 1 is one programme year: 12,500 beneficiaries, 173 courses of about 1,200 hours in all,
about 60,000 enrollments with grades and certificates, and 500,000 assessment results (one per
submitted attempt). Courses stay 173 at every scale; everything else grows with the scale.
Beneficiaries live in regions in proportion to the 2024 census; within a region the province
is drawn uniformly. Every date falls in the programme year in progress, before now, so that
the year's reports count everything generated.

Run: ``python -m benchmarks.generate --scale 1 [--database-url URL] [--seed N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import heapq
import itertools
import logging
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from .errors import BenchmarkError
from .regions import region_weights

log = logging.getLogger(__name__)

BENEFICIARIES = 12_500
COURSES = 173
CATALOGUE_HOURS = 1_200
ENROLLMENTS_PER_BENEFICIARY = 4.8
ASSESSMENT_RESULTS = 500_000
ASSESSMENTS_PER_COURSE = 3
RESULT_POSSIBLE = 10.0
BATCH_SIZE = 2_000
# Rows per executemany call: bounds the parameter lists held at once.
INSERT_ROWS = 20_000
DEFAULT_SEED = 2026
USERNAME_PREFIX = "bench"

# Sector mix: administrations and local governments dominate, as in the pilot (850 civil
# servants and 100 private-sector employees of about 1,350 registrations).
SECTOR_WEIGHTS = {
    "public_administration": 0.42,
    "local_government": 0.22,
    "private_company": 0.08,
    "general_public": 0.14,
    "student": 0.08,
    "job_seeker": 0.06,
}
SECTOR_TRACK = {
    "public_administration": "perfectionnement",
    "local_government": "perfectionnement",
    "private_company": "perfectionnement",
    "general_public": "acculturation",
    "student": "acculturation",
    "job_seeker": "acculturation",
}
# Shares of enrollments: still active at the end, graded, and passed (completion about 60 %).
ACTIVE_SHARE = 0.94
GRADED_SHARE = 0.85
PASSED_SHARE = 0.60
CERTIFIED_SHARE_OF_PASSED = 0.95
# Catalogue entries by the tracks they serve.
COURSE_TRACKS = ((["perfectionnement"], 0.45), (["acculturation"], 0.35), (["perfectionnement", "acculturation"], 0.20))
COMPETENCES = [f"{area}.{number}" for area, count in ((1, 3), (2, 6), (3, 4), (4, 4), (5, 4)) for number in
               range(1, count + 1)]


@dataclass
class GenerationReport:
    """Rows written per table and the wall time of the whole generation."""

    scale: float
    seed: int
    rows: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    catalogue_hours: float = 0.0

    @property
    def total_rows(self) -> int:
        """Rows written in every table together."""
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        """Rows written per second of wall time."""
        return self.total_rows / self.seconds if self.seconds else 0.0


def check_scale(scale: float) -> float:
    """Return ``scale`` if at least one beneficiary results, or raise ``BenchmarkError``."""
    if not scale > 0 or round(BENEFICIARIES * scale) < 1:
        raise BenchmarkError(f"Invalid scale {scale!r}: give a number above 0, such as 0.1, 1, 10 or 100.")
    return scale


# SQLite settings of the generating connection only: no flush to disk per transaction, the
# rollback journal in memory, a 512 MB page cache. They last as long as the generation, and each
# is then set back to the value it had, so the measurements that follow run with the devstack's
# settings (write-ahead logging, ``devstack/settings/database.py``) and SQLite's other defaults.
SQLITE_GENERATION_PRAGMAS = (("synchronous", "OFF"), ("journal_mode", "MEMORY"), ("cache_size", "-524288"))


@contextlib.contextmanager
def _fast_writes():
    """Write the generated rows without foreign-key checks and, on SQLite, without flushing each transaction.

    The generator draws every foreign key from rows it has just written, so the checks would find
    nothing. Both settings belong to this connection and are restored on the way out.
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel

    # SQLite rejects these settings inside a transaction (as in a test), so they are left alone there.
    pragmas = SQLITE_GENERATION_PRAGMAS if connection.vendor == "sqlite" and not connection.in_atomic_block else ()
    before = []
    with connection.cursor() as cursor:
        for name, value in pragmas:
            cursor.execute(f"PRAGMA {name}")
            before.append((name, cursor.fetchone()[0]))
            cursor.execute(f"PRAGMA {name} = {value}")
        if connection.vendor == "mysql":
            cursor.execute("SET SESSION unique_checks = 0")
    connection.disable_constraint_checking()
    try:
        yield
    finally:
        connection.enable_constraint_checking()
        with connection.cursor() as cursor:
            for name, value in before:
                cursor.execute(f"PRAGMA {name} = {value}")
            if connection.vendor == "mysql":
                cursor.execute("SET SESSION unique_checks = 1")
        if pragmas:
            _flush_to_disk(connection.settings_dict["NAME"])


def _flush_to_disk(path: str) -> None:
    """Write to disk the pages of the SQLite file at ``path`` that are still in the system's memory.

    Without a flush per transaction they stayed in memory (198 MB after scale 1). The first commit
    after the generation, the first export's audit entry, then waited for them. That export took
    1.60 s, against 1.24 to 1.25 s for the next ones and for exports after a ``sync``.
    """
    if path == ":memory:" or str(path).startswith("file:"):
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class _Table:
    """One table's INSERT statement over the columns the generator draws; other columns get their defaults.

    Rows are tuples in the order of ``columns``, already in the database's form (times through
    ``_Builder.when``, JSON as text), and go in with ``executemany``: one prepared statement on
    SQLite, multi-row INSERTs on MariaDB (mysqlclient rewrites them).
    """

    def __init__(self, model, columns: tuple[str, ...]):
        from django.db import connection  # pylint: disable=import-outside-toplevel
        from django.utils import timezone  # pylint: disable=import-outside-toplevel

        self.model = model
        self.width = len(columns)
        fields = {model_field.attname: model_field for model_field in model._meta.concrete_fields}
        constants = []
        for name, model_field in fields.items():
            if name in columns or model_field.primary_key:
                continue
            if getattr(model_field, "auto_now", False):
                value = timezone.now()
            elif model_field.has_default() or not model_field.null:
                value = model_field.get_default()
            else:
                value = None
            constants.append((name, model_field.get_db_prep_save(value, connection)))
        quote = connection.ops.quote_name
        names = [fields[name].column for name in (*columns, *(name for name, _value in constants))]
        self.constants = tuple(value for _name, value in constants)
        self.sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(name) for name in names)}) "
                    f"VALUES ({', '.join(['%s'] * len(names))})")

    def insert(self, rows: list[tuple], report: GenerationReport) -> None:
        """Insert ``rows`` (tuples of the drawn columns) and count them in ``report``."""
        from django.db import connection  # pylint: disable=import-outside-toplevel

        constants = self.constants
        with connection.cursor() as cursor:
            for first in range(0, len(rows), INSERT_ROWS):
                cursor.executemany(self.sql, [row + constants for row in rows[first:first + INSERT_ROWS]])
        report.rows[self.model._meta.db_table] += len(rows)


def generate(scale: float, *, seed: int = DEFAULT_SEED, batch_size: int = BATCH_SIZE) -> GenerationReport:
    """Write the programme at ``scale`` into the default database, which must hold no programme yet."""
    from django.db import transaction  # pylint: disable=import-outside-toplevel

    from raqmya_reports.registry.models import Course  # pylint: disable=import-outside-toplevel

    check_scale(scale)
    if Course.objects.exists():
        raise BenchmarkError(
            "The database already holds courses: generate into an empty, migrated database "
            "(delete the SQLite file or drop and recreate the MariaDB database)."
        )
    report = GenerationReport(scale=scale, seed=seed)
    builder = _Builder(random.Random(seed), report)
    started = time.perf_counter()
    with transaction.atomic():
        builder.write_catalogue()
    total = round(BENEFICIARIES * scale)
    answers = round(ASSESSMENT_RESULTS * scale)
    with _fast_writes():
        for first in range(0, total, batch_size):
            count = min(batch_size, total - first)
            # Spread the assessment results evenly: each batch gets its share of the whole.
            batch_answers = answers * (first + count) // total - answers * first // total
            with transaction.atomic():
                builder.write_beneficiaries(count, batch_answers, share=(first / total, (first + count) / total))
    report.seconds = time.perf_counter() - started
    log.info(
        "Generated scale %s (seed %s): %s rows in %.1f s, %.0f rows/s",
        scale, seed, report.total_rows, report.seconds, report.rows_per_second,
    )
    return report


class _Builder:
    """Draws rows with one seeded ``random.Random``.

    It writes the catalogue through ``bulk_create`` and the other rows as ``_Table`` rows.
    """

    def __init__(self, rng: random.Random, report: GenerationReport):
        from django.db import connection  # pylint: disable=import-outside-toplevel
        from django.utils import timezone  # pylint: disable=import-outside-toplevel

        from raqmya_reports.registry.models import Province  # pylint: disable=import-outside-toplevel
        from raqmya_reports.reports.periods import (  # pylint: disable=import-outside-toplevel
            current_programme_year,
            programme_year,
        )

        self.rng = rng
        self.report = report
        period = programme_year(current_programme_year())
        self.start = period.start.astimezone(dt.timezone.utc)
        self.end = min(timezone.now(), period.end).astimezone(dt.timezone.utc)
        self.provinces: dict[str, list[str]] = {}
        for code, region in Province.objects.order_by("code").values_list("code", "region_id"):
            self.provinces.setdefault(region, []).append(code)
        weights = region_weights()
        self.regions = sorted(weights)
        self.region_cumulative = list(itertools.accumulate(weights[code] for code in self.regions))
        self.sector_cumulative = list(itertools.accumulate(SECTOR_WEIGHTS.values()))
        self.courses_by_track: dict[str, list[tuple[int, str]]] = {}
        self.next_ids = Counter()
        # Usage key, its hash and the course id of each (course key, block number) drawn so far.
        self.blocks: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.tables: dict[str, _Table] = {}
        self.zone = connection.timezone
        # Enrollments drawn but not yet written, by time then order of drawing (see ``_write_enrollments``).
        self.pending: list[tuple] = []
        self.drawn = itertools.count()

    def _moment(self, after: dt.datetime, days: float) -> dt.datetime:
        """Return a moment up to ``days`` after ``after``, never later than the end of the window."""
        return min(after + dt.timedelta(days=self.rng.random() * days), self.end)

    def _save(self, model, rows: list) -> None:
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.report.rows[model._meta.db_table] += len(rows)

    def _ids(self, model, count: int) -> range:
        """Reserve ``count`` explicit primary keys of ``model``, above any already stored."""
        name = model._meta.label
        if name not in self.next_ids:
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            self.next_ids[name] = last + 1
        first = self.next_ids[name]
        self.next_ids[name] += count
        return range(first, first + count)

    def write_catalogue(self) -> None:
        """Write the 173 courses and their catalogue entries, hours scaled to total about 1,200."""
        from raqmya_reports.registry.models import (  # pylint: disable=import-outside-toplevel
            CatalogueEntry,
            Course,
            key_hash,
        )

        raw_hours = [self.rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 15)) for _ in range(COURSES)]
        factor = CATALOGUE_HOURS / sum(raw_hours)
        courses, entries = [], []
        for course_id, hours in zip(self._ids(Course, COURSES), raw_hours):
            key = f"course-v1:Raqmya+D{course_id:03d}+2026"
            courses.append(Course(id=course_id, course_key=key, course_key_hash=key_hash(key),
                                  display_name=f"Parcours numérique {course_id:03d}"))
            tracks = self.rng.choices([pair[0] for pair in COURSE_TRACKS], [pair[1] for pair in COURSE_TRACKS])[0]
            for track in tracks:
                self.courses_by_track.setdefault(track, []).append((course_id, key))
            entries.append(CatalogueEntry(
                course_id=course_id, tracks=tracks, hours=round(hours * factor, 1),
                competences=self.rng.sample(COMPETENCES, self.rng.randint(1, 3)), level=self.rng.randint(1, 8),
            ))
        self._save(Course, courses)
        self._save(CatalogueEntry, entries)
        self.report.catalogue_hours = float(sum(entry.hours for entry in entries))

    def _tables(self) -> dict[str, _Table]:
        """Return the INSERT statements of the per-beneficiary tables, built once."""
        if self.tables:
            return self.tables
        from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

        from raqmya_reports.registry import models  # pylint: disable=import-outside-toplevel

        self.tables = {
            "user": _Table(get_user_model(), ("id", "username", "email", "password", "date_joined")),
            "profile": _Table(models.BeneficiaryProfile, (
                "user_id", "region_id", "province_id", "sector", "gender", "age_band", "consent", "consent_at",
                "track", "registered_at")),
            "assignment": _Table(models.TrackAssignment, ("user_id", "track", "source", "assigned_at")),
            "enrollment": _Table(models.Enrollment, (
                "id", "user_id", "course_id", "mode", "is_active", "first_enrolled_at", "changed_at",
                "last_event_at")),
            "change": _Table(models.EnrollmentChange, ("enrollment_id", "action", "time", "source")),
            "grade": _Table(models.CourseGrade, (
                "user_id", "course_id", "percent", "passed", "passed_at", "graded_at", "passed_changed_at")),
            "certificate": _Table(models.Certificate, (
                "user_id", "course_id", "mode", "status", "is_valid", "created_at", "last_event_at")),
            "result": _Table(models.AssessmentResult, (
                "user_id", "usage_key", "usage_key_hash", "course_id", "attempt", "track", "earned", "possible",
                "passed", "competences", "submitted_at")),
        }
        return self.tables

    def when(self, moment: dt.datetime | None) -> str | None:
        """Return ``moment`` as Django stores a time on both backends: naive, in the connection's zone, as text."""
        if moment is None:
            return None
        return str(moment.astimezone(self.zone).replace(tzinfo=None))

    def write_beneficiaries(self, count: int, answers: int, share: tuple[float, float] = (0.0, 1.0)) -> None:
        """Write ``count`` beneficiaries with their enrollments, grades, certificates and ``answers`` results.

        They register within ``share`` of the window (from 0, its start, to 1, its end), and get
        their user ids in the order of their registration, as the platform gives them.
        """
        from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

        tables = self._tables()
        rng, when = self.rng, self.when
        users, profiles, assignments, learners = [], [], [], []
        sectors = list(SECTOR_WEIGHTS)
        span = self.end - self.start
        drawn = []
        for _number in range(count):
            registered = self.start + span * (share[0] + (share[1] - share[0]) * rng.random())
            region = rng.choices(self.regions, cum_weights=self.region_cumulative)[0]
            sector = rng.choices(sectors, cum_weights=self.sector_cumulative)[0]
            province = rng.choice(self.provinces[region])
            gender = rng.choice(("female", "male"))
            age_band = rng.choice(("under_25", "25_34", "35_44", "45_54", "55_plus"))
            drawn.append((registered, region, sector, province, gender, age_band))
        drawn.sort(key=lambda draw: draw[0])
        for user_id, (registered, region, sector, province, gender, age_band) in zip(
            self._ids(get_user_model(), count), drawn
        ):
            track = SECTOR_TRACK[sector]
            username = f"{USERNAME_PREFIX}{user_id:08d}"
            stamp = when(registered)
            users.append((user_id, username, f"{username}@example.org", "!", stamp))
            profiles.append((user_id, region, province, sector, gender, age_band, True, stamp, track, stamp))
            assignments.append((user_id, track, "sector", stamp))
            learners.append((user_id, track, registered))
        tables["user"].insert(users, self.report)
        tables["profile"].insert(profiles, self.report)
        tables["assignment"].insert(assignments, self.report)
        # Later batches register after the end of this batch's share, so their enrollments come
        # after it too. The pending enrollments before it can get their ids now.
        until = None
        if share[1] < 1:
            until = self.start + span * share[1]
        enrolled = self._write_enrollments(learners, until)
        self._write_results(enrolled, answers)

    def _write_enrollments(
        self, learners: list[tuple[int, str, dt.datetime]], until: dt.datetime | None
    ) -> list[tuple[int, list[str]]]:
        """Draw the learners' enrollments with their grades and certificates, and return each learner's course keys.

        Grades and certificates are written at once. Enrollments and their changes wait in
        ``self.pending`` until every enrollment before them is drawn, which is true of those before
        ``until`` (of all of them when ``until`` is None). Then they get their ids in the order of
        their time, as the platform's events create them.
        """
        tables = self._tables()
        rng = self.rng
        grades, certificates, enrolled = [], [], []
        # Every draw is made in the learners' order, so a seed gives the same rows on any date.
        # Only the ids follow the times, and the times depend on the date through the window's length.
        for user_id, track, registered in learners:
            courses = self._draw_courses(track)
            for course_id, _key in courses:
                at = self._moment(registered, 30)
                active = rng.random() < ACTIVE_SHARE
                left = self._moment(at, 60) if not active else at
                heapq.heappush(self.pending, (at, next(self.drawn), user_id, course_id, active, left))
                self._grade(user_id, course_id, at, grades, certificates)
            enrolled.append((user_id, [key for _id, key in courses]))
        tables["grade"].insert(grades, self.report)
        tables["certificate"].insert(certificates, self.report)
        self._write_pending_enrollments(until)
        return enrolled

    def _write_pending_enrollments(self, until: dt.datetime | None) -> None:
        """Write the pending enrollments before ``until`` (all of them when None) and their changes, in time order."""
        from raqmya_reports.registry.models import Enrollment  # pylint: disable=import-outside-toplevel

        ready = []
        while self.pending and (until is None or self.pending[0][0] < until):
            ready.append(heapq.heappop(self.pending))
        enrollments, changes, when = [], [], self.when
        ids = self._ids(Enrollment, len(ready))
        for enrollment_id, (at, _order, user_id, course_id, active, left) in zip(ids, ready):
            enrolled_stamp, left_stamp = when(at), when(left)
            enrollments.append((enrollment_id, user_id, course_id, "audit", active, enrolled_stamp, left_stamp,
                                left_stamp))
            changes.append((enrollment_id, "activated", enrolled_stamp, "openedx_events"))
            if not active:
                changes.append((enrollment_id, "deactivated", left_stamp, "openedx_events"))
        tables = self._tables()
        tables["enrollment"].insert(enrollments, self.report)
        tables["change"].insert(changes, self.report)

    def _draw_courses(self, track: str) -> list[tuple[int, str]]:
        offered = self.courses_by_track[track]
        count = min(len(offered), max(1, round(self.rng.gauss(ENROLLMENTS_PER_BENEFICIARY, 2.0))))
        return self.rng.sample(offered, count)

    def _grade(self, user_id: int, course_id: int, enrolled_at: dt.datetime, grades: list, certificates: list) -> None:
        """Append the grade (and certificate) of one enrollment; PASSED_SHARE of enrollments pass."""
        draw = self.rng.random()
        if draw >= GRADED_SHARE:
            return
        passed = draw < PASSED_SHARE
        graded_at = self.when(self._moment(enrolled_at, 90))
        percent = round(self.rng.uniform(0.6, 1.0) if passed else self.rng.uniform(0.0, 0.59), 2)
        passed_at = graded_at if passed else None
        grades.append((user_id, course_id, percent, passed, passed_at, graded_at, passed_at))
        if passed and self.rng.random() < CERTIFIED_SHARE_OF_PASSED:
            certificates.append((user_id, course_id, "honor", "downloadable", True, graded_at, graded_at))

    def _write_results(self, enrolled: list[tuple[int, list[str]]], answers: int) -> None:
        """Write ``answers`` assessment results spread over the learners, on blocks of their courses."""
        from raqmya_reports.registry.models import key_hash  # pylint: disable=import-outside-toplevel

        rng, blocks = self.rng, self.blocks
        submitted_at = self.when(self.end)
        attempts: Counter = Counter()
        results = []
        for number in range(answers):
            user_id, course_keys = enrolled[number % len(enrolled)]
            course_key = rng.choice(course_keys)
            block = rng.randrange(ASSESSMENTS_PER_COURSE)
            if (course_key, block) not in blocks:
                usage_key = course_key.replace("course-v1:", "block-v1:") + f"+type@raqmya_assessment+block@a{block}"
                blocks[(course_key, block)] = (usage_key, key_hash(usage_key),
                                               int(course_key.split("+D")[1].split("+")[0]))
            usage_key, usage_key_hash, course_id = blocks[(course_key, block)]
            attempts[(user_id, usage_key)] += 1
            earned = float(rng.randint(2, 10))
            competence = rng.choice(COMPETENCES)
            # The JSON text Django's JSONField writes for {competence: {"earned": earned, "possible": 10.0}}.
            competences = f'{{"{competence}": {{"earned": {earned!r}, "possible": {RESULT_POSSIBLE!r}}}}}'
            results.append((user_id, usage_key, usage_key_hash, course_id, attempts[(user_id, usage_key)], "",
                            earned, RESULT_POSSIBLE, earned >= 6, competences, submitted_at))
        self._tables()["result"].insert(results, self.report)


def main(argv: list[str] | None = None) -> int:
    """Generate the programme at ``--scale`` into ``--database-url`` (a fresh SQLite file by default)."""
    from .environment import sqlite_url, start_django  # pylint: disable=import-outside-toplevel

    parser = argparse.ArgumentParser(description="Generate a Raqmya programme at a chosen scale.")
    parser.add_argument("--scale", type=float, default=1.0, help="1 is one programme year (12,500 beneficiaries).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--database-url", help="sqlite:///PATH or mysql://USER@HOST:PORT/NAME.")
    arguments = parser.parse_args(argv)
    try:
        check_scale(arguments.scale)
        start_django(arguments.database_url or sqlite_url(arguments.scale))
        report = generate(arguments.scale, seed=arguments.seed)
    except BenchmarkError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for table, rows in sorted(report.rows.items()):
        print(f"{table:45} {rows:>12,}")
    print(f"{report.total_rows:,} rows in {report.seconds:.1f} s: {report.rows_per_second:,.0f} rows/s; "
          f"catalogue {report.catalogue_hours:,.1f} hours")
    return 0


if __name__ == "__main__":
    sys.exit(main())
