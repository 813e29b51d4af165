"""Placement of beneficiaries into cohorts, within each cohort's capacity and the pilot's total.

Assignment locks the candidate cohorts (and every pilot cohort when a pilot cohort is a
candidate) in primary-key order, then counts members: two requests at once wait for each
other, so a cohort never overflows and a learner never gets two memberships in one year.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from .. import platform
from .choices import Phase
from .localtime import local_date
from .models import BeneficiaryProfile, Cohort, CohortMembership, Enrollment

log = logging.getLogger(__name__)


def pilot_capacity() -> int:
    """Return ``RAQMYA_PILOT_CAPACITY``: beneficiaries that all pilot cohorts hold together."""
    return int(getattr(settings, "RAQMYA_PILOT_CAPACITY", 1350))


def assign_cohort(user_id: int, *, when: dt.datetime | None = None) -> CohortMembership | None:
    """Place the beneficiary in an open cohort of their track, or return the membership they have.

    An open cohort has not ended on the local day of ``when`` and serves the beneficiary's
    province or every province (province cohorts first, then by start date). Returns
    ``None``, with a log line, when the user has no profile or every cohort is full.
    """
    day = local_date(when or timezone.now())
    profile = BeneficiaryProfile.objects.filter(user_id=user_id).first()
    if profile is None or not profile.track:
        log.info("User %s has no beneficiary profile with a track; no cohort assigned.", user_id)
        return None
    candidates = list(
        Cohort.objects.filter(track=profile.track, starts_on__lte=day, ends_on__gte=day)
        .filter(Q(province__isnull=True) | Q(province_id=profile.province_id))
        .order_by("-province_id", "starts_on", "pk")
        .values_list("pk", "programme_year", "phase")
    )
    if not candidates:
        log.info("No open cohort of track %s on %s for user %s.", profile.track, day, user_id)
        return None
    try:
        with transaction.atomic():
            return _assign_locked(user_id, candidates)
    except IntegrityError:
        # A concurrent request placed the same learner first; its membership stands.
        years = {year for _pk, year, _phase in candidates}
        membership = CohortMembership.objects.filter(user_id=user_id, programme_year__in=years).first()
        log.info("User %s was placed in a cohort by a concurrent request; kept as stored.", user_id)
        return membership


def _assign_locked(user_id: int, candidates: list[tuple[int, int, str]]) -> CohortMembership | None:
    """Lock the cohorts, then return the learner's membership or create one where there is room."""
    pks = [pk for pk, _year, _phase in candidates]
    lock = Q(pk__in=pks)
    if any(phase == Phase.PILOT for _pk, _year, phase in candidates):
        lock |= Q(phase=Phase.PILOT)
    list(Cohort.objects.select_for_update().filter(lock).order_by("pk").values_list("pk", flat=True))
    years = {year for _pk, year, _phase in candidates}
    existing = CohortMembership.objects.filter(user_id=user_id, programme_year__in=years).first()
    if existing is not None:
        log.info("User %s is already in cohort %s.", user_id, existing.cohort_id)
        return existing
    members = dict(
        Cohort.objects.filter(pk__in=pks).annotate(members=Count("memberships")).values_list("pk", "members")
    )
    pilot_members = CohortMembership.objects.filter(cohort__phase=Phase.PILOT).count()
    cohorts = Cohort.objects.in_bulk(pks)
    for pk in pks:
        cohort = cohorts[pk]
        if members[pk] >= cohort.capacity:
            continue
        if cohort.phase == Phase.PILOT and pilot_members >= pilot_capacity():
            continue
        membership = CohortMembership.objects.create(
            user_id=user_id, cohort=cohort, programme_year=cohort.programme_year
        )
        log.info("User %s placed in cohort %s (%s).", user_id, cohort.pk, cohort.phase)
        transaction.on_commit(partial(mirror_membership, membership))
        return membership
    log.warning("Every open cohort for user %s is full (cohorts %s); no cohort assigned.", user_id, pks)
    return None


def mirror_membership(membership: CohortMembership, course_keys: list[str] | None = None) -> int:
    """Add the member to the cohort's Open edX course cohort in each course; return how many courses.

    Does nothing for a cohort without ``course_cohort_name``. ``course_keys`` defaults to
    the learner's active enrollments.
    """
    name = membership.cohort.course_cohort_name
    if not name:
        return 0
    if course_keys is None:
        course_keys = list(
            Enrollment.objects.filter(user_id=membership.user_id, is_active=True).values_list(
                "course__course_key", flat=True
            )
        )
    for course_key in course_keys:
        platform.add_user_to_course_cohort(membership.user_id, course_key, name)
    return len(course_keys)


def assign_cohort_for_enrollment(user_id: int, course_key: str) -> CohortMembership | None:
    """Place a newly enrolled learner in a cohort and mirror the membership in that course."""
    membership = assign_cohort(user_id)
    if membership is not None:
        mirror_membership(membership, [str(course_key)])
    return membership
