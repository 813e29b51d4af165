"""Smoke run of the benchmarks at a tiny scale, so that the generator and one benchmark cannot rot."""

import hashlib

import pytest

from benchmarks.errors import BenchmarkError
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
)
from raqmya_reports.reports.periods import current_programme_year, programme_year

pytestmark = pytest.mark.django_db

# 50 beneficiaries and 2,000 assessment results.
TINY_SCALE = 0.004
# Enrollments that seed 7 draws at that scale: a change means the generator's draws changed.
ENROLLMENTS_OF_SEED_7 = 242
# SHA-256 of the drawn columns that do not depend on today's date, as the generator wrote them
# through the ORM before it inserted rows with executemany. The same seed must give the same rows.
DRAWS_OF_SEED_7 = {
    "profiles": "3a92c63ac15fc8b48f2216cf387167c06aebc71c8e1f37a8fa3c91477c9365b5",
    "enrollments": "9378df3e2fad78e7c645517b921a90d4991edc107020117f9c70358112004772",
    "grades": "eee197b8f1e2923f589c502534eedde50ac93eab61f9c40a6f6defcfd55c6503",
    "certificates": "4def1578d0169af8c9297a04cfb193d6c51c0f80399e30cc41ef031085d76a3f",
    "results": "3f6521b6f049ddcfa9789330f4c37992ecc6e7304e994afa1fb31be3f88119bf",
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
        "enrollments": Enrollment.objects.order_by("id").values_list("id", "user_id", "course_id", "is_active"),
        "grades": CourseGrade.objects.order_by("user_id", "course_id").values_list(
            "user_id", "course_id", "percent", "passed"),
        "certificates": Certificate.objects.order_by("user_id", "course_id").values_list("user_id", "course_id"),
        "results": AssessmentResult.objects.order_by("user_id", "usage_key_hash", "attempt").values_list(
            "user_id", "usage_key", "attempt", "earned", "passed", "competences"),
    }


@pytest.mark.usefixtures("generated")
def test_generate_keeps_the_orm_generators_rows():
    digests = {name: hashlib.sha256(repr(list(rows)).encode()).hexdigest() for name, rows in _drawn_rows().items()}
    assert digests == DRAWS_OF_SEED_7


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
