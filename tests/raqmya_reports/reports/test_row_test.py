"""A learner row's profile columns tested in Python give the same verdict as the condition in the database.

SQLite checks again that the rows read after their ids are still in view. For a condition on the
profile's region, province, sector or track alone, it tests each row's own columns instead of an
EXISTS. These tests compare both verdicts on profiles of every kind of the conditions reports make.
"""

import pytest
from django.db.models import BooleanField, Exists, OuterRef, Q, Value

from raqmya_reports.delivery.scope import Scope
from raqmya_reports.registry.models import BeneficiaryProfile, CohortMembership
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.learners import COLUMNS, _row_test
from tests.raqmya_reports.factories import make_cohort, make_user

pytestmark = pytest.mark.django_db

PROFILES = [
    # region, province, sector, track
    ("MA-06", "MA-CAS", "public_administration", "perfectionnement"),
    ("MA-06", "MA-MOH", "general_public", "acculturation"),
    ("MA-01", "MA-TNG", "student", "acculturation"),
    ("MA-01", "MA-TET", "private_company", ""),
]


@pytest.fixture(name="profiles")
def fixture_profiles():
    created = []
    for number, (region, province, sector, track) in enumerate(PROFILES):
        created.append(BeneficiaryProfile.objects.create(user=make_user(username=f"row{number}"), region_id=region,
                                                         province_id=province, sector=sector, track=track))
    return created


def _row(profile) -> tuple:
    """Return a learner row with ``profile``'s columns at their places, and other values elsewhere."""
    values = {"region": profile.region_id, "province": profile.province_id, "sector": profile.sector,
              "track": profile.track}
    return tuple(values.get(column, f"other {column}") for column in COLUMNS) + (profile.pk,)


def _scope(**places) -> Scope:
    return Scope(user_id=None, unrestricted=False, can_see_identities=False, **places)


CONDITIONS = {
    "province": ReportFilters(year=2026, province="MA-CAS").profile_q(),
    "region and track": ReportFilters(year=2026, region="MA-06", track="acculturation").profile_q(),
    "sector": ReportFilters(year=2026, sector="student").profile_q(),
    "province scope": _scope(provinces=frozenset({"MA-TNG", "MA-CAS"})).profile_q(),
    "region scope and province filter": (ReportFilters(year=2026, province="MA-MOH").profile_q()
                                         & _scope(regions=frozenset({"MA-06"})).profile_q()),
    "regions or provinces": _scope(regions=frozenset({"MA-01"}), provinces=frozenset({"MA-MOH"})).profile_q(),
    "empty scope": _scope().profile_q(),
    "everything": Q(),
}


@pytest.mark.parametrize("name", sorted(CONDITIONS))
def test_row_verdict_is_the_database_verdict(profiles, name):
    condition = CONDITIONS[name]
    test = _row_test(condition)
    in_database = set(BeneficiaryProfile.objects.filter(condition).values_list("pk", flat=True))
    assert test is not None
    assert {profile.pk for profile in profiles if test(_row(profile))} == in_database


def test_missing_profile_is_out(profiles):
    # A row whose profile was deleted has no region, province, sector or track.
    row = tuple(None if column in ("region", "province", "sector", "track") else 1 for column in COLUMNS) + (1,)
    assert _row_test(CONDITIONS["province"])(row) is False
    assert _row_test(CONDITIONS["everything"])(row) is True


def test_other_conditions_are_left_to_the_database(profiles):
    cohort = make_cohort()
    CohortMembership.objects.create(user=profiles[0].user, cohort=cohort, programme_year=2026)
    assert _row_test(ReportFilters(year=2026, cohort=str(cohort.pk)).profile_q()) is None
    assert _row_test(ReportFilters(year=2026, phase="pilot").profile_q()) is None
    assert _row_test(_scope(course_ids=frozenset({1})).profile_q()) is None
    assert _row_test(~Q(province_id="MA-CAS")) is None
    assert _row_test(Q(province_id="MA-CAS") ^ Q(region_id="MA-06")) is None
    assert _row_test(Q(province_id=7)) is None
    assert _row_test(Q(province_id__in=["MA-CAS", 7])) is None
    assert _row_test(Q(province_id__startswith="MA")) is None
    assert _row_test(Q(pk__in=[1])) is None
    assert _row_test(Q(registered_at__isnull=True)) is None
    assert _row_test(Q(Value(True, output_field=BooleanField()))) is None
    members = CohortMembership.objects.filter(user_id=OuterRef("user_id"))
    assert _row_test(Q(region_id="MA-06") | Exists(members)) is None
    # Django leaves an empty condition out of the SQL around it, so Python cannot read it as true or false.
    assert _row_test(Q(Q(_connector=Q.OR), region_id="MA-06")) is None
    assert _row_test(Q(Q(), region_id="MA-06", _connector=Q.OR)) is None
