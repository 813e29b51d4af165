"""Beneficiary profiles, the promotion channels they arrive through, and the history of their track."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import SECTOR_DEFAULT_TRACK, AgeBand, ChannelKind, Gender, Sector, Track, TrackSource
from .territory import Province, Region


class PromotionChannel(models.Model):
    """A registration link code given to one council or other channel that promotes the programme.

    A code is usable from ``valid_from`` to ``valid_until`` included (either may be empty)
    while ``is_active`` is true; outside that window it is ignored at registration.
    """

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=191)
    kind = models.CharField(_("kind"), max_length=32, choices=ChannelKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="channels", verbose_name=_("region")
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channels",
        verbose_name=_("prefecture or province"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "raqmya_reports"
        ordering = ["code"]
        verbose_name = _("promotion channel")
        verbose_name_plural = _("promotion channels")

    def save(self, *args, **kwargs):
        """Store the code in capitals: codes are looked up in any case, since learners type them by hand."""
        self.code = (self.code or "").strip().upper()
        super().save(*args, **kwargs)

    def validate_unique(self, exclude=None):
        """Refuse a code that another channel has in any case, with one message on every database.

        The check in any case covers the same case too, so Django's own check of ``unique`` is left
        out for the code: under MariaDB's case-insensitive collation it would raise first, with
        another message.
        """
        exclude = set(exclude or ())
        if "code" not in exclude:
            code = (self.code or "").strip()
            if code and PromotionChannel.objects.filter(code__iexact=code).exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"code": _("Another channel already has the code %(code)s. Choose another code.") % {"code": code}}
                )
            exclude.add("code")
        super().validate_unique(exclude=exclude)

    def is_usable_on(self, day: dt.date) -> bool:
        """Return whether a newcomer arriving on ``day`` is counted for this channel."""
        if not self.is_active:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)

    def __str__(self):
        return f"{self.code} {self.name}"


class BeneficiaryProfile(models.Model):
    """What the programme knows of one learner: where they live, what they do, their track."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="raqmya_profile", verbose_name=_("user")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="beneficiaries", verbose_name=_("region")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="beneficiaries", verbose_name=_("prefecture or province")
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    organisation = models.CharField(_("organisation"), max_length=191, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=16, choices=AgeBand.choices, blank=True)
    consent = models.BooleanField(_("consent to the processing of personal data"), default=False)
    consent_at = models.DateTimeField(_("consent date"), null=True, blank=True)
    channel = models.ForeignKey(
        PromotionChannel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="beneficiaries",
        verbose_name=_("promotion channel"),
    )
    track = models.CharField(_("track"), max_length=32, choices=Track.choices, blank=True)
    # Reports count a registration at this time: the time of the platform's registration event
    # (STUDENT_REGISTRATION_COMPLETED) once it arrives, the profile's creation until then.
    registered_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    registered_by_event = models.BooleanField(
        _("registration time from the platform's event"), default=False, editable=False
    )
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = _("beneficiary profile")
        verbose_name_plural = _("beneficiary profiles")
        permissions = [
            ("view_programme_reports", "Can view the programme's reports for every region"),
        ]

    def clean(self):
        """Reject a province outside the region; default the track from the sector; date the consent."""
        if self.province_id and self.region_id and self.province.region_id != self.region_id:
            raise ValidationError(
                {
                    "province": _(
                        "The province %(province)s is not in the region %(region)s. "
                        "Choose a province of that region or change the region."
                    )
                    % {"province": self.province_id, "region": self.region_id}
                }
            )
        if not self.track and self.sector:
            self.track = SECTOR_DEFAULT_TRACK[self.sector]
        if self.consent and self.consent_at is None:
            self.consent_at = timezone.now()
        if not self.consent:
            self.consent_at = None

    def save(self, *args, **kwargs):
        """Validate, then save: every writer goes through ``clean``."""
        self.clean()
        super().save(*args, **kwargs)

    def __str__(self):
        return f"beneficiary of user {self.user_id}"


class TrackAssignment(models.Model):
    """One decision on a beneficiary's track: who made it, when, why. The newest one is the profile's track."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="raqmya_track_assignments",
        verbose_name=_("user"),
    )
    track = models.CharField(_("track"), max_length=32, choices=Track.choices)
    source = models.CharField(_("source"), max_length=16, choices=TrackSource.choices)
    reason = models.CharField(_("reason"), max_length=191, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now, db_index=True)

    class Meta:
        app_label = "raqmya_reports"
        ordering = ["-assigned_at", "-id"]
        verbose_name = _("track assignment")
        verbose_name_plural = _("track assignments")

    def __str__(self):
        return f"track {self.track} of user {self.user_id} ({self.source})"
