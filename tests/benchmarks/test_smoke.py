"""Smoke run of the benchmarks at a tiny scale, so that the generator and one benchmark cannot rot."""

import collections
import contextlib
import csv
import hashlib
import sqlite3
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model

from benchmarks.environment import REPOSITORY
from benchmarks.errors import BenchmarkError
from benchmarks.exports import (
    _median_run,
    _summary,
    busiest_province,
    export_repeats,
    province_export_repeats,
    raqmya_export,
    raw_export,
)
from benchmarks.figures import measure_figures
from benchmarks.generate import check_scale, generate
from raqmya_reports.registry.models import (
    AssessmentResult,
    BeneficiaryProfile,
    CatalogueEntry,
    Certificate,
    Course,
    CourseGrade,
    Enrollment,
    EnrollmentChange,
)
from raqmya_reports.reports.learners import COLUMNS, IDENTITY_COLUMNS
from raqmya_reports.reports.periods import current_programme_year, programme_year
from tests.raqmya_reports.factories import make_cohort

pytestmark = pytest.mark.django_db

# 50 beneficiaries and 2,000 assessment results.
TINY_SCALE = 0.004
# Enrollments that seed 7 draws at that scale: a change means the generator's draws changed.
ENROLLMENTS_OF_SEED_7 = 211
# SHA-256 of the drawn columns, which do not depend on today's date (the ids of enrollments do, and
# are left out). The same seed must give the same rows on any day.
DRAWS_OF_SEED_7 = {
    "profiles": "b197e07e41bcd88d4f8a477434f28f9ad629239fc1fe9c3870ebb1df4e0f441f",
    "enrollments": "cff61c94a0ee0cb0c48a7efab30097259ea303aa827425146e3f8c13b9be0fb0",
    "grades": "7c64a3290c6deb66eb6c5ebc6b627881ce9399616e78e793a8f926742b4202fc",
    "certificates": "2425fce473c6667e877688c1731a6419db5dfef38a0141d44f89e00904dd7c74",
    "results": "916d42024b25850e4f4c170247219156103d661d366db800fec7d61e87c215ff",
}


@pytest.fixture(name="generated")
def fixture_generated():
    return generate(TINY_SCALE, seed=7, batch_size=20)


@pytest.mark.usefixtures("generated")
def test_generate_writes_the_scaled_beneficiaries():
    assert BeneficiaryProfile.objects.count() == 50


@pytest.mark.usefixtures("generated")
def test_generate_keeps_the_whole_catalogue():
    assert Course.objects.count() == 173


def test_generate_catalogue_totals_about_1200_hours(generated):
    assert generated.catalogue_hours == pytest.approx(1200, abs=5)


@pytest.mark.usefixtures("generated")
def test_generate_writes_the_scaled_assessment_results():
    assert AssessmentResult.objects.count() == 2000


@pytest.mark.usefixtures("generated")
def test_generate_is_seeded():
    assert Enrollment.objects.count() == ENROLLMENTS_OF_SEED_7


def _drawn_rows() -> dict[str, list]:
    return {
        "profiles": BeneficiaryProfile.objects.order_by("user_id").values_list(
            "user_id", "region_id", "province_id", "sector", "gender", "age_band", "track"),
        "enrollments": Enrollment.objects.order_by("user_id", "course_id").values_list("user_id", "course_id",
                                                                                       "is_active"),
        "grades": CourseGrade.objects.order_by("user_id", "course_id").values_list(
            "user_id", "course_id", "percent", "passed"),
        "certificates": Certificate.objects.order_by("user_id", "course_id").values_list("user_id", "course_id"),
        "results": AssessmentResult.objects.order_by("user_id", "usage_key_hash", "attempt").values_list(
            "user_id", "usage_key", "attempt", "earned", "passed", "competences"),
    }


@pytest.mark.usefixtures("generated")
def test_generate_same_rows_per_seed():
    digests = {name: hashlib.sha256(repr(list(rows)).encode()).hexdigest() for name, rows in _drawn_rows().items()}
    assert digests == DRAWS_OF_SEED_7


@pytest.mark.usefixtures("generated")
def test_generate_user_ids_follow_registration():
    times = list(BeneficiaryProfile.objects.order_by("user_id").values_list("registered_at", flat=True))
    assert len(times) == 50
    assert times == sorted(times)


@pytest.mark.usefixtures("generated")
def test_generate_enrollment_ids_follow_time():
    rows = list(Enrollment.objects.order_by("id").values_list("id", "first_enrolled_at"))
    ids = [number for number, _at in rows]
    assert ids == list(range(ids[0], ids[0] + ENROLLMENTS_OF_SEED_7))
    times = [at for _number, at in rows]
    assert times == sorted(times)


@pytest.mark.usefixtures("generated")
def test_generate_changes_follow_enrollment_ids():
    changes = list(EnrollmentChange.objects.order_by("id").values_list("enrollment_id", flat=True))
    assert len(changes) == ENROLLMENTS_OF_SEED_7 + Enrollment.objects.filter(is_active=False).count()
    assert changes == sorted(changes)


@pytest.mark.usefixtures("generated")
def test_generate_registers_within_the_year():
    year = programme_year(current_programme_year())
    profiles = BeneficiaryProfile.objects.filter(registered_at__gte=year.start, registered_at__lt=year.end)
    assert profiles.count() == 50


@pytest.mark.usefixtures("generated")
def test_generate_passes_about_sixty_percent_of_enrollments():
    share = CourseGrade.objects.filter(passed=True).count() / Enrollment.objects.count()
    assert 0.5 < share < 0.7


def test_generate_report_counts_every_row(generated):
    assert generated.rows["raqmya_reports_catalogueentry"] == CatalogueEntry.objects.count()


@pytest.mark.usefixtures("generated")
def test_generate_refuses_a_database_with_courses():
    with pytest.raises(BenchmarkError, match="already holds courses"):
        generate(TINY_SCALE, seed=7)


def test_generate_restores_journal_mode(tmp_path):
    """The generator's fast SQLite settings are set back: the file keeps the devstack's write-ahead log."""
    path = tmp_path / "programme.sqlite3"
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--scale", str(TINY_SCALE), "--database-url",
                    f"sqlite:///{path}"], cwd=REPOSITORY, check=True, capture_output=True, timeout=300)
    with contextlib.closing(sqlite3.connect(path)) as database:
        assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert database.execute("SELECT COUNT(*) FROM raqmya_reports_beneficiaryprofile").fetchone() == (50,)


def test_check_scale_rejects_zero():
    with pytest.raises(BenchmarkError, match="Invalid scale 0"):
        check_scale(0)


@pytest.mark.usefixtures("generated")
def test_figures_benchmark_agrees_with_the_hand_written_sql():
    result = measure_figures(current_programme_year(), repeat=1)
    assert result["agree"] is True


@pytest.mark.usefixtures("generated")
def test_figures_benchmark_counts_every_generated_beneficiary():
    result = measure_figures(current_programme_year(), repeat=1)
    assert result["totals"]["registered"] == 50


def _csv_rows(path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as written:
        return list(csv.DictReader(written))


@pytest.mark.usefixtures("generated")
def test_raw_export_matches_export_columns(tmp_path):
    year = current_programme_year()
    first = BeneficiaryProfile.objects.order_by("user_id").first().user
    get_user_model().objects.filter(pk=first.pk).update(first_name="Zoé", last_name="Aït-Lahcen")
    make_cohort(programme_year=year).memberships.create(user=first, programme_year=year)
    raw_rows = raw_export(year, tmp_path / "raw.csv")
    raqmya_export(year, tmp_path / "export.csv", "csv")
    raw, exported = _csv_rows(tmp_path / "raw.csv"), _csv_rows(tmp_path / "export.csv")
    assert raw_rows == Enrollment.objects.count()
    assert len(raw) == raw_rows
    assert len(exported) == raw_rows
    assert list(raw[0]) == [*COLUMNS, *IDENTITY_COLUMNS]
    same = [column for column in raw[0] if column not in ("first_enrolled_at", "grade_percent", "passed", "passed_at")]
    # The same rows in the same order: first enrollment time, then enrollment id.
    assert [(row["user_id"], row["course_key"]) for row in raw] == [
        (row["user_id"], row["course_key"]) for row in exported]
    raw_values = sorted(tuple(row[column] for column in same) for row in raw)
    assert raw_values == sorted(tuple(row[column] for column in same) for row in exported)
    named = [row for row in raw if row["user_id"] == str(first.pk)]
    assert {(row["cohort"], row["first_name"], row["last_name"]) for row in named} == {
        ("Pilote Casablanca 2026", "Zoé", "Aït-Lahcen")}


@pytest.mark.usefixtures("generated")
def test_province_exports_list_the_busiest_province(tmp_path):
    year = current_programme_year()
    province, enrollments = busiest_province(year)
    by_province = collections.Counter(
        Enrollment.objects.values_list("user__raqmya_profile__province_id", flat=True))
    assert (by_province[province], enrollments) == (max(by_province.values()), enrollments)
    assert raw_export(year, tmp_path / "raw.csv", province) == enrollments
    raqmya_export(year, tmp_path / "export.csv", "csv", province)
    raw, exported = _csv_rows(tmp_path / "raw.csv"), _csv_rows(tmp_path / "export.csv")
    assert {row["province"] for row in raw} == {row["province"] for row in exported} == {province}
    assert [(row["user_id"], row["course_key"]) for row in raw] == [
        (row["user_id"], row["course_key"]) for row in exported]
    assert len(exported) == enrollments


@pytest.mark.parametrize(("seconds", "chosen"), [([3.0, 1.0, 2.0], 2.0), ([4.0, 1.0], 4.0), ([5.0], 5.0)])
def test_exports_rated_on_median_run(seconds, chosen):
    assert _median_run([{"seconds": value} for value in seconds])["seconds"] == chosen


def test_export_summary_rates_ratios_peaks():
    runs = {
        "raw": [{"seconds": 2.0, "max_rss_mb": 60.0}, {"seconds": 1.0, "max_rss_mb": 64.0},
                {"seconds": 4.0, "max_rss_mb": 61.0}],
        "csv": [{"seconds": 5.0, "max_rss_mb": 80.0}, {"seconds": 4.0, "max_rss_mb": 82.0},
                {"seconds": 3.0, "max_rss_mb": 81.0}],
        "xlsx": [],
    }
    assert _summary(runs, 100, 1800) == {
        "raw_rows_per_second": 50.0, "csv_rows_per_second": 25.0, "xlsx_rows_per_second": None,
        "csv_ratio": 0.5, "xlsx_ratio": None,
        "seconds": {"raw": [2.0, 1.0, 4.0], "csv": [5.0, 4.0, 3.0]},
        "stopped_after_seconds": {},
        "max_rss_mb": {"raw": 64.0, "csv": 82.0},
    }


def test_export_summary_stopped_run_rate():
    runs = {"raw": [{"seconds": 1.0, "max_rss_mb": 60.0}],
            "csv": [{"seconds": 30.0, "rows": 600, "max_rss_mb": 90.0, "stopped": True}]}
    summary = _summary(runs, 1000, 30.0)
    assert summary["csv_rows_per_second"] == 20.0
    assert summary["csv_ratio"] == 0.02
    assert summary["stopped_after_seconds"] == {"csv": 30.0}


def test_exports_repeated_below_scale_100():
    assert [export_repeats(scale) for scale in (0.1, 1, 2, 10, 100)] == [5, 5, 3, 3, 1]
    assert [province_export_repeats(scale) for scale in (0.1, 1, 2, 10, 100)] == [15, 15, 3, 3, 1]
