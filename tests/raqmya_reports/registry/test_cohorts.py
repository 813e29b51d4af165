"""Tests of cohort assignment: capacity, the pilot's total, province cohorts first, mirroring."""

import datetime as dt
import threading

import pytest
from django.db import connection

from raqmya_reports.platform_backends import standalone
from raqmya_reports.registry.cohorts import assign_cohort, assign_cohort_for_enrollment
from raqmya_reports.registry.models import CohortMembership
from tests.raqmya_reports.factories import COURSE_KEY, at, make_cohort, make_profile, make_user

WHEN = dt.datetime(2026, 3, 5, 10, tzinfo=dt.timezone.utc)


@pytest.mark.django_db
def test_assign_cohort_places_a_beneficiary_once():
    learner = make_user()
    make_profile(learner)
    cohort = make_cohort()
    first = assign_cohort(learner.id, when=WHEN)
    second = assign_cohort(learner.id, when=WHEN)
    assert (first.cohort_id, second.pk) == (cohort.pk, first.pk)
    assert CohortMembership.objects.count() == 1


@pytest.mark.django_db
def test_assign_cohort_skips_a_full_cohort():
    full = make_cohort("Pilote complet", capacity=1)
    spare = make_cohort("Pilote suivant", starts_on=dt.date(2026, 2, 1))
    for index in range(2):
        learner = make_user()
        make_profile(learner)
        assign_cohort(learner.id, when=WHEN)
    assert list(CohortMembership.objects.order_by("pk").values_list("cohort_id", flat=True)) == [full.pk, spare.pk]


@pytest.mark.django_db
def test_assign_cohort_stops_at_the_pilot_total(settings):
    settings.RAQMYA_PILOT_CAPACITY = 1
    make_cohort()
    placed = []
    for index in range(2):
        learner = make_user()
        make_profile(learner)
        placed.append(assign_cohort(learner.id, when=WHEN))
    assert placed[1] is None
    assert CohortMembership.objects.count() == 1


@pytest.mark.django_db
def test_assign_cohort_prefers_the_province_cohort():
    make_cohort("Pilote national")
    local = make_cohort("Pilote Casablanca", province_id="MA-CAS")
    learner = make_user()
    make_profile(learner)
    assert assign_cohort(learner.id, when=WHEN).cohort_id == local.pk


@pytest.mark.django_db
def test_assign_cohort_ignores_other_tracks_and_closed_cohorts():
    make_cohort("Acculturation", track="acculturation")
    make_cohort("Fini", ends_on=dt.date(2026, 2, 28))
    learner = make_user()
    make_profile(learner)
    assert assign_cohort(learner.id, when=WHEN) is None


@pytest.mark.django_db
def test_assign_cohort_without_profile_returns_none():
    make_cohort()
    assert assign_cohort(make_user().id, when=WHEN) is None


@pytest.mark.django_db
def test_assign_cohort_for_enrollment_mirrors_the_course_cohort():
    make_cohort(course_cohort_name="Raqmya pilote", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2099, 1, 1))
    learner = make_user()
    make_profile(learner)
    standalone.COURSE_COHORT_MEMBERS.clear()
    assign_cohort_for_enrollment(learner.id, COURSE_KEY)
    assert standalone.COURSE_COHORT_MEMBERS == [(learner.id, COURSE_KEY, "Raqmya pilote")]


def _concurrently(function, arguments):
    """Run ``function`` with each argument in its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(arguments))
    results, errors = [], []

    def run(argument):
        try:
            barrier.wait()
            results.append(function(argument))
        except Exception as error:  # pylint: disable=broad-except
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_assignments_of_one_learner_make_one_membership():
    make_cohort(starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2099, 1, 1))
    learner = make_user()
    make_profile(learner)
    results, errors = _concurrently(lambda user_id: assign_cohort(user_id), [learner.id, learner.id])
    assert errors == []
    assert CohortMembership.objects.filter(user=learner).count() == 1
    assert results[0].pk == results[1].pk


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_learners_never_overfill_a_cohort():
    make_cohort(capacity=1, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2099, 1, 1))
    learners = [make_user() for _ in range(2)]
    for learner in learners:
        make_profile(learner)
    results, errors = _concurrently(lambda user_id: assign_cohort(user_id), [user.id for user in learners])
    assert errors == []
    assert CohortMembership.objects.count() == 1
    assert sorted(result is None for result in results) == [False, True]
