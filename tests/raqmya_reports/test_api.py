"""Tests of the public api that the XBlocks and the devstack call."""

import datetime as dt

import pytest
from django.utils import translation

from raqmya_reports import api
from raqmya_reports.errors import InvalidAssessmentResult, InvalidBeneficiary
from raqmya_reports.registry.models import AssessmentResult, BeneficiaryProfile
from tests.raqmya_reports.factories import COURSE_KEY, at, make_profile, make_user

pytestmark = pytest.mark.django_db

USAGE_KEY = "block-v1:Raqmya+DIGI101+2026+type@raqmya_assessment+block@final"
PLACEMENT = "block-v1:Raqmya+DIGI101+2026+type@raqmya_placement+block@start"


def result(user, **changes):
    values = {
        "user_id": user.id,
        "usage_key": USAGE_KEY,
        "course_key": COURSE_KEY,
        "attempt": 1,
        "track": "acculturation",
        "earned": 3,
        "possible": 4,
        "passed": True,
        "competences": {"1.1": {"earned": 2, "possible": 2}, "4.2": {"earned": 1, "possible": 2}},
        "submitted_at": at(9),
    }
    values.update(changes)
    return values


@pytest.fixture(name="learner")
def fixture_learner():
    return make_user()


def test_all_names_the_public_functions():
    assert sorted(api.__all__) == [
        "InvalidAssessmentResult",
        "InvalidBeneficiary",
        "course_names",
        "describe_courses",
        "get_learner_track",
        "get_real_user_id",
        "join_link_channel_name",
        "placement_recorded",
        "recommended_courses",
        "record_assessment_result",
        "record_placement",
        "record_placement_reset",
        "register_beneficiary",
    ]


def test_learner_track_is_the_profile_track(learner):
    make_profile(learner, sector="student")
    assert api.get_learner_track(learner.id) == "acculturation"


def test_learner_without_profile_has_no_track(learner):
    assert api.get_learner_track(learner.id) is None


def test_result_is_recorded_with_its_competences(learner):
    api.record_assessment_result(**result(learner))
    stored = AssessmentResult.objects.get(user=learner)
    assert stored.competences == {"1.1": {"earned": 2.0, "possible": 2.0}, "4.2": {"earned": 1.0, "possible": 2.0}}
    assert stored.course.course_key == COURSE_KEY


def test_same_attempt_twice_is_recorded_once_and_kept(learner):
    api.record_assessment_result(**result(learner))
    api.record_assessment_result(**result(learner, earned=0, passed=False))
    assert list(AssessmentResult.objects.values_list("earned", "passed")) == [(3.0, True)]


def test_second_attempt_is_a_second_result(learner):
    api.record_assessment_result(**result(learner))
    api.record_assessment_result(**result(learner, attempt=2))
    assert AssessmentResult.objects.filter(user=learner).count() == 2


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"earned": -1}, "earned points of the result are -1; points cannot be negative."),
        ({"earned": 5}, "the result earns 5 points out of 4; earned points cannot exceed possible ones."),
        ({"attempt": 0}, "Attempt 0 is not valid; number attempts 1, 2, 3 and so on."),
        ({"track": "expert"}, "Track 'expert' is not known; use one of perfectionnement, acculturation or none."),
        (
            {"competences": {"6.1": {"earned": 1, "possible": 1}}},
            "Competence code '6.1' is not a DigComp 2.2 code; use one of 1.1 to 5.4, such as 2.4.",
        ),
        (
            {"competences": {"2.4": {"earned": 3, "possible": 1}}},
            "competence 2.4 earns 3 points out of 1; earned points cannot exceed possible ones.",
        ),
        (
            {"submitted_at": dt.datetime(2026, 3, 9)},
            "submitted_at datetime.datetime(2026, 3, 9, 0, 0) is not a datetime with a time zone; "
            "pass an aware datetime.",
        ),
    ],
)
def test_bad_result_is_rejected_with_its_value(learner, changes, message):
    with translation.override("en"), pytest.raises(InvalidAssessmentResult) as error:
        api.record_assessment_result(**result(learner, **changes))
    assert str(error.value) == message


def test_bad_result_writes_nothing(learner):
    with pytest.raises(InvalidAssessmentResult):
        api.record_assessment_result(**result(learner, earned=9))
    assert AssessmentResult.objects.count() == 0


def test_register_beneficiary_defaults_the_track_from_the_sector(learner):
    profile = api.register_beneficiary(learner, region_code="MA-09", province_code="MA-CHT", sector="local_government")
    assert profile.track == "perfectionnement"


def test_register_beneficiary_keeps_a_given_track(learner):
    profile = api.register_beneficiary(
        learner, region_code="MA-09", province_code="MA-CHT", sector="local_government", track="acculturation"
    )
    assert profile.track == "acculturation"


def test_register_beneficiary_updates_an_existing_profile(learner):
    api.register_beneficiary(learner, region_code="MA-09", province_code="MA-CHT", sector="student")
    api.register_beneficiary(learner, region_code="MA-06", province_code="MA-NOU", sector="student")
    assert list(BeneficiaryProfile.objects.values_list("province_id", flat=True)) == ["MA-NOU"]


def test_province_outside_its_region_is_rejected(learner):
    with translation.override("en"), pytest.raises(InvalidBeneficiary) as error:
        api.register_beneficiary(learner, region_code="MA-09", province_code="MA-NOU", sector="student")
    assert str(error.value) == "Province MA-NOU is in region MA-06, not MA-09; choose a province of that region."


def test_rejected_registration_keeps_the_stored_profile(learner):
    api.register_beneficiary(learner, region_code="MA-09", province_code="MA-CHT", sector="student")
    with pytest.raises(InvalidBeneficiary):
        api.register_beneficiary(learner, region_code="MA-09", province_code="MA-NOU", sector="student")
    assert BeneficiaryProfile.objects.get(user=learner).province_id == "MA-CHT"


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (
            {"region_code": "MA-13", "province_code": "MA-CAS", "sector": "student"},
            "Region 'MA-13' is not known; use an ISO 3166-2:MA region code from MA-01 to MA-12.",
        ),
        (
            {"region_code": "MA-06", "province_code": "MA-XXX", "sector": "student"},
            "Province 'MA-XXX' is not known; use an ISO 3166-2:MA prefecture or province code such as MA-CAS.",
        ),
        (
            {"region_code": "MA-06", "province_code": "MA-CAS", "sector": "farmer"},
            "Sector 'farmer' is not known; use one of public_administration, local_government, "
            "private_company, general_public, student, job_seeker.",
        ),
    ],
)
def test_unknown_registration_value_is_named(learner, kwargs, message):
    with translation.override("en"), pytest.raises(InvalidBeneficiary) as error:
        api.register_beneficiary(learner, **kwargs)
    assert str(error.value) == message


@pytest.mark.django_db
def test_record_placement_sets_the_track_with_its_history():
    from raqmya_reports.api import record_placement  # pylint: disable=import-outside-toplevel
    from raqmya_reports.registry.models import TrackAssignment  # pylint: disable=import-outside-toplevel

    learner = make_user()
    make_profile(learner)
    placement = {"user_id": learner.id, "usage_key": "block-v1:Raqmya+DIGI101+2026+type@raqmya_placement+block@p1",
                 "attempt": 1, "levels": {"1": 2, "2": 3}, "track": "acculturation",
                 "submitted_at": dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)}
    assert record_placement(**placement) is True
    assert record_placement(**placement) is False
    assert api.get_learner_track(learner.id) == "acculturation"
    assert list(TrackAssignment.objects.values_list("source", flat=True)) == ["placement"]


@pytest.mark.django_db
def test_record_placement_rejects_a_level_beyond_8():
    from raqmya_reports.api import record_placement  # pylint: disable=import-outside-toplevel

    learner = make_user()
    make_profile(learner)
    with translation.override("en"), pytest.raises(InvalidAssessmentResult, match="Placement level 9 of area '2'"):
        record_placement(user_id=learner.id, usage_key="block-v1:x+y+z+type@p+block@p", attempt=1,
                         levels={"2": 9}, track="acculturation",
                         submitted_at=dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc))


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [
    (None, ["course-v1:R+F+1", "course-v1:R+A+1", "course-v1:R+N+1", "course-v1:R+F+2"]),
    ("ar", ["course-v1:R+A+1", "course-v1:R+N+1", "course-v1:R+F+1", "course-v1:R+F+2"]),
    ("fr", ["course-v1:R+F+1", "course-v1:R+F+2", "course-v1:R+N+1", "course-v1:R+A+1"]),
])
def test_recommended_courses_language_first(language, expected):
    """The courses in the given language come first, then those without one, each group easiest first."""
    from raqmya_reports.api import recommended_courses  # pylint: disable=import-outside-toplevel
    from raqmya_reports.registry.models import CatalogueEntry, Course  # pylint: disable=import-outside-toplevel

    learner = make_user()
    make_profile(learner)
    for key, level, course_language in (("course-v1:R+F+1", 1, "fr"), ("course-v1:R+A+1", 2, "ar"),
                                        ("course-v1:R+N+1", 3, ""), ("course-v1:R+F+2", 4, "fr")):
        CatalogueEntry.objects.create(course=Course.objects.create(course_key=key), tracks=["perfectionnement"],
                                      hours=10, level=level, language=course_language)
    assert recommended_courses(learner.id, limit=10, language=language) == expected
    assert recommended_courses(learner.id, limit=2, language=language) == expected[:2]


@pytest.mark.django_db
def test_recommended_courses_follow_the_track_and_skip_hidden_courses():
    from raqmya_reports.api import recommended_courses  # pylint: disable=import-outside-toplevel
    from raqmya_reports.registry.models import CatalogueEntry, Course  # pylint: disable=import-outside-toplevel

    learner = make_user()
    make_profile(learner)
    for key, tracks, level, hidden in (
        ("course-v1:R+B+1", ["perfectionnement"], 3, False),
        ("course-v1:R+A+1", ["perfectionnement", "acculturation"], 2, False),
        ("course-v1:R+C+1", ["acculturation"], 1, False),
        ("course-v1:R+D+1", ["perfectionnement"], 1, True),
    ):
        CatalogueEntry.objects.create(course=Course.objects.create(course_key=key), tracks=tracks, hours=10,
                                      level=level, hidden=hidden)
    assert recommended_courses(learner.id) == ["course-v1:R+A+1", "course-v1:R+B+1"]


def test_placement_recorded_only_for_its_run(db):
    user = make_user(username="placed")
    make_profile(user)
    assert api.placement_recorded(user_id=user.pk, usage_key=PLACEMENT, attempt=1) is False
    api.record_placement(user_id=user.pk, usage_key=PLACEMENT, attempt=1, levels={"1": 3}, track="acculturation",
                         submitted_at=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    assert api.placement_recorded(user_id=user.pk, usage_key=PLACEMENT, attempt=1) is True
    assert api.placement_recorded(user_id=user.pk, usage_key=PLACEMENT, attempt=2) is False
    assert api.placement_recorded(user_id=user.pk, usage_key=PLACEMENT + "x", attempt=1) is False
