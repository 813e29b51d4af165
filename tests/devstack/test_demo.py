"""The devstack's ``raqmya_demo`` command: accounts, channels, cohorts and catalogue that the README promises."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import Client

from devstack.management.commands.raqmya_demo import DEMO_CATALOGUE as CATALOGUE
from raqmya_reports import api
from raqmya_reports.registry.models import (
    AssessmentResult,
    BeneficiaryProfile,
    CatalogueEntry,
    Cohort,
    CohortMembership,
    Course,
    Enrollment,
    PlacementResult,
)

pytestmark = pytest.mark.django_db

# What 120 demo beneficiaries give with the default seed: registrations per channel, then cohort
# members per phase. The pilot cohorts hold 45, and the acculturation pilot does not fill.
BY_CHANNEL = {"CR-CASA-SETTAT-2026": 8, "CP-RABAT-2026": 1, "ANAPEC-2026": 10}
PHASES = (36, 84)
# Placement tests and assessments that 40 demo beneficiaries take with the default seed.
ATTEMPTS_OF_40 = (31, 18)


def _demo(learners: int = 40, **options) -> str:
    out = io.StringIO()
    call_command("raqmya_demo", "--learners", str(learners), stdout=out, **options)
    return out.getvalue()


def test_demo_admin_opens_django_admin():
    output = _demo(0)
    [password] = re.findall(r"username devstack_admin, password (\S+) \(devstack only\)", output)
    admin = authenticate(username="devstack_admin", password=password)
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/raqmya_reports/promotionchannel/").status_code == 200


def test_demo_channels_cohorts_catalogue():
    output = _demo(40)
    assert "Programme set-up: 3 promotion channels, 5 cohorts of " in output
    assert "7 catalogue courses." in output
    assert Cohort.objects.filter(phase="pilot").count() == 3
    assert Cohort.objects.filter(phase="generalisation").count() == 2
    assert list(Cohort.objects.exclude(province=None).values_list("province_id", flat=True)) == ["MA-CAS"]
    names = dict(Course.objects.values_list("course_key", "display_name"))
    assert names["course-v1:Raqmya+DIGI101+2026"] == "Culture numérique : premiers pas"
    assert names["course-v1:Raqmya+AMN101+2026"] == "الأمن الرقمي في الحياة اليومية"
    entry = CatalogueEntry.objects.get(course__course_key="course-v1:Raqmya+BUREAU101+2026")
    assert (entry.tracks, str(entry.hours), entry.competences, entry.level) == (
        ["perfectionnement"], "20.0", ["3.1", "3.2"], 3)
    languages = dict(CatalogueEntry.objects.values_list("course__course_key", "language"))
    assert [languages[key] for key in ("course-v1:Raqmya+BUREAU101+2026", "course-v1:Raqmya+AMN101+2026")] == [
        "fr", "ar"]
    assert sorted(set(languages.values())) == ["ar", "fr"]


def test_demo_learners_channels_and_phases():
    _demo(120)
    profiles = BeneficiaryProfile.objects.filter(user__username__startswith="demo_learner_")
    by_channel = {code: profiles.filter(channel__code=code).count()
                  for code in ("CR-CASA-SETTAT-2026", "CP-RABAT-2026", "ANAPEC-2026")}
    assert by_channel == BY_CHANNEL
    assert set(profiles.filter(channel__code="CP-RABAT-2026").values_list("province_id", flat=True)) <= {"MA-RAB"}
    members = CohortMembership.objects.filter(user__username__startswith="demo_learner_")
    assert (members.filter(cohort__phase="pilot").count(), members.filter(cohort__phase="generalisation").count()) \
        == PHASES


def test_demo_recommendations_have_names():
    _demo(5)
    user = get_user_model().objects.get(username="demo_learner_001")
    keys = api.recommended_courses(user.id)
    assert keys
    titles = {course_key: title for course_key, title, *_rest in CATALOGUE}
    assert [course["name"] for course in api.describe_courses(keys)] == [titles[key] for key in keys]


def test_demo_rerun_adds_nothing():
    _demo(10)
    counts = (Cohort.objects.count(), Course.objects.count(), BeneficiaryProfile.objects.count(),
              CohortMembership.objects.count())
    output = _demo(10)
    assert "Demo beneficiaries created: 0 (existing ones were kept)." in output
    assert (Cohort.objects.count(), Course.objects.count(), BeneficiaryProfile.objects.count(),
            CohortMembership.objects.count()) == counts


def test_demo_attempts_fill_assessment_reports(settings):
    output = _demo(40)
    [placements, assessments] = map(int, re.findall(
        r"Demo attempts: (\d+) placement tests, (\d+) assessments\.", output)[0])
    assert (placements, assessments) == ATTEMPTS_OF_40
    assert PlacementResult.objects.count() == placements
    assert AssessmentResult.objects.count() == assessments
    # Each assessment was taken by a learner still enrolled in the devstack's course, for their track.
    takers = set(AssessmentResult.objects.values_list("user_id", flat=True))
    enrolled = set(Enrollment.objects.filter(course__course_key=settings.RAQMYA_DEVSTACK_COURSE_KEY,
                                             is_active=True).values_list("user_id", flat=True))
    assert takers <= enrolled
    for result in AssessmentResult.objects.select_related("user__raqmya_profile"):
        assert result.track == result.user.raqmya_profile.track
        assert 0 <= result.earned <= result.possible
    assert all(result.levels for result in PlacementResult.objects.all())


def test_demo_rerun_takes_no_test_again():
    _demo(10)
    counts = (PlacementResult.objects.count(), AssessmentResult.objects.count())
    output = _demo(10)
    assert "Demo attempts: 0 placement tests, 0 assessments." in output
    assert (PlacementResult.objects.count(), AssessmentResult.objects.count()) == counts


@pytest.mark.parametrize(("verbosity", "shown"), [(1, False), (2, True)])
def test_demo_log_lines_by_verbosity(caplog, verbosity, shown):
    # At the default verbosity the receivers' and blocks' lines below ERROR stay off the terminal.
    with caplog.at_level("INFO"):
        _demo(learners=10, verbosity=verbosity)
    project_records = [record for record in caplog.records
                       if record.name.split(".")[0] in ("raqmya_reports", "raqmya_xblocks")]
    assert bool(project_records) is shown
