"""The caller's scope in the reports: which beneficiaries and courses a user may see, checked on the server.

Roles come from ``ReportScope`` grants made in the admin. ``is_staff`` and the
``view_programme_reports`` permission mean programme manager. A user with several grants sees the
union of their territories and courses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from raqmya_reports.registry.models import BeneficiaryProfile, Cohort, Course, Enrollment, Province
from raqmya_reports.reports.filters import ReportFilters

from .models import ReportScope

log = logging.getLogger(__name__)

REPORTS_PERMISSION = "raqmya_reports.view_programme_reports"
Role = ReportScope.Role


@dataclass(frozen=True)
class Scope:
    """What one user may see: everything, or the union of some regions, provinces and courses."""

    user_id: int | None
    unrestricted: bool
    can_see_identities: bool
    regions: frozenset[str] = field(default_factory=frozenset)
    provinces: frozenset[str] = field(default_factory=frozenset)
    course_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def suppresses_small_cells(self) -> bool:
        """Whether small counts are hidden: in every report narrower than the whole programme."""
        return not self.unrestricted

    def profile_q(self, prefix: str = "") -> Q:
        """Return the condition on ``BeneficiaryProfile`` rows, reached through ``prefix``, that this scope sees."""
        if self.unrestricted:
            return Q()
        condition = Q(pk__in=[])
        if self.regions:
            condition |= Q(**{f"{prefix}region_id__in": sorted(self.regions)})
        if self.provinces:
            condition |= Q(**{f"{prefix}province_id__in": sorted(self.provinces)})
        if self.course_ids:
            learners = Enrollment.objects.filter(course_id__in=sorted(self.course_ids)).values("user_id")
            condition |= Q(**{f"{prefix}user_id__in": learners})
        return condition

    def course_q(self, prefix: str = "") -> Q:
        """Return the condition on course rows: course staff only see their courses, territories see all."""
        if self.unrestricted or self.regions or self.provinces:
            return Q()
        return Q(**{f"{prefix}id__in": sorted(self.course_ids)})

    def cohorts(self):
        """Return the cohorts this scope may name in a filter, as a queryset.

        Operators get the cohorts of their provinces, and the cohorts without a province that have one
        of their beneficiaries as a member. Course staff get the cohorts with a member among their
        courses' learners. The figures of a cohort still count only the beneficiaries of the scope.
        """
        if self.unrestricted:
            return Cohort.objects.all()
        seen_members = BeneficiaryProfile.objects.filter(self.profile_q()).values("user_id")
        condition = Q(pk__in=[])
        if self.regions:
            condition |= Q(province__region_id__in=sorted(self.regions))
        if self.provinces:
            condition |= Q(province_id__in=sorted(self.provinces))
        if self.course_ids:
            condition |= Q(memberships__user_id__in=seen_members)
        else:
            condition |= Q(province__isnull=True, memberships__user_id__in=seen_members)
        return Cohort.objects.filter(pk__in=Cohort.objects.filter(condition).values("pk"))

    def check_filters(self, filters: ReportFilters) -> None:
        """Raise ``PermissionDenied`` when ``filters`` name a territory, cohort or course outside this scope."""
        if self.unrestricted:
            return
        if filters.cohort and not self.cohorts().filter(pk=int(filters.cohort)).exists():
            self._deny("cohort", filters.cohort)
        if filters.province and not self._sees_province(filters.province):
            self._deny("province", filters.province)
        if filters.region and not self._sees_region(filters.region):
            self._deny("region", filters.region)
        if filters.course and self.course_q() != Q():
            if not Course.objects.filter(course_key=filters.course, id__in=self.course_ids).exists():
                self._deny("course", filters.course)

    def describe(self) -> str:
        """Return the scope as one line for the audit log, such as ``province:MA-CAS``."""
        if self.unrestricted:
            return "programme"
        parts = [f"region:{code}" for code in sorted(self.regions)]
        parts += [f"province:{code}" for code in sorted(self.provinces)]
        parts += [f"course:{course_id}" for course_id in sorted(self.course_ids)]
        return " ".join(parts)[:191]

    def _sees_province(self, code: str) -> bool:
        if code in self.provinces:
            return True
        return Province.objects.filter(code=code, region_id__in=self.regions).exists()

    def _sees_region(self, code: str) -> bool:
        # A province operator may name their own region: the province condition still applies.
        if code in self.regions:
            return True
        return Province.objects.filter(code__in=self.provinces, region_id=code).exists()

    def _deny(self, name: str, value: str) -> None:
        log.info("Denied reports of %s %s to user %s: outside the scope %s", name, value, self.user_id, self.describe())
        raise PermissionDenied(
            _("The %(name)s %(value)s is outside your scope: choose one you were granted.")
            % {"name": name, "value": value}
        )


def scope_of(user) -> Scope:
    """Return the scope of ``user``, or raise ``PermissionDenied`` when they may see no report."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in with an account that was granted a reports role."))
    if user.is_staff:
        return Scope(user_id=user.pk, unrestricted=True, can_see_identities=True)
    grants = list(ReportScope.objects.filter(user=user))
    managers = [grant for grant in grants if grant.role == Role.PROGRAMME_MANAGER]
    if managers or user.has_perm(REPORTS_PERMISSION):
        identities = any(grant.can_see_identities for grant in managers)
        return Scope(user_id=user.pk, unrestricted=True, can_see_identities=identities)
    if not grants:
        log.info("Denied the reports to user %s: no reports role", user.pk)
        raise PermissionDenied(_("Your account has no reports role: ask a programme manager to grant one."))
    scope = Scope(user_id=user.pk, unrestricted=False, can_see_identities=all(g.can_see_identities for g in grants))
    return replace(
        scope,
        regions=frozenset(g.region_id for g in grants if g.role == Role.REGION_OPERATOR),
        provinces=frozenset(g.province_id for g in grants if g.role == Role.PROVINCE_OPERATOR),
        course_ids=frozenset(g.course_id for g in grants if g.role == Role.COURSE_STAFF),
    )


def scope_of_grant(grant: ReportScope) -> Scope:
    """Return the scope of one grant alone: a scheduled export uses the grant it was set up for."""
    if grant.role == ReportScope.Role.PROGRAMME_MANAGER:
        return Scope(user_id=grant.user_id, unrestricted=True, can_see_identities=grant.can_see_identities)
    return Scope(
        user_id=grant.user_id,
        unrestricted=False,
        can_see_identities=grant.can_see_identities,
        regions=frozenset({grant.region_id} - {None}),
        provinces=frozenset({grant.province_id} - {None}),
        course_ids=frozenset({grant.course_id} - {None}),
    )
