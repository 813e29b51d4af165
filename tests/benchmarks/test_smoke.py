"""Smoke run of the benchmarks at a tiny scale, so that the generator and one benchmark cannot rot."""

import pytest

from benchmarks.errors import BenchmarkError
from benchmarks.figures import measure_figures
from benchmarks.generate import check_scale, generate
from raqmya_reports.registry.models import (
    AssessmentResult,
    BeneficiaryProfile,
    CatalogueEntry,
    Course,
    CourseGrade,
    Enrollment,
)
from raqmya_reports.reports.periods import current_programme_year

pytestmark = pytest.mark.django_db

# 50 beneficiaries and 2,000 assessment results.
TINY_SCALE = 0.004
# Enrollments that seed 7 draws at that scale: a change means the generator's draws changed.
ENROLLMENTS_OF_SEED_7 = 242


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
