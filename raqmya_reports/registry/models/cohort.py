"""Cohorts of the programme and the beneficiaries placed in them, one cohort per programme year."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Phase, Track
from .territory import Province


class Cohort(models.Model):
    """A group of beneficiaries of one track who train together between two dates.

    ``course_cohort_name``, when set, is the name of the Open edX course cohort that
    members are also added to in each course they enroll in.
    """

    name = models.CharField(_("name"), max_length=191, unique=True)
    track = models.CharField(_("track"), max_length=32, choices=Track.choices)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    programme_year = models.PositiveSmallIntegerField(_("programme year"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    capacity = models.PositiveIntegerField(_("capacity"))
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("prefecture or province"),
    )
    course_cohort_name = models.CharField(_("Open edX course cohort"), max_length=191, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "raqmya_reports"
        ordering = ["programme_year", "starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self):
        return self.name


class CohortMembership(models.Model):
    """The cohort of one beneficiary in one programme year (copied from the cohort, for uniqueness)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="raqmya_cohort_memberships",
        verbose_name=_("user"),
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cohort"))
    programme_year = models.PositiveSmallIntegerField(_("programme year"))
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = _("cohort membership")
        verbose_name_plural = _("cohort memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "programme_year"], name="raqmya_membership_user_year"),
        ]

    def __str__(self):
        return f"user {self.user_id} in cohort {self.cohort_id}"
