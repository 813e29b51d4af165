"""Who may read which reports (scopes granted in the admin), the exports scheduled for them, and the audit log.

Law 09-08 on personal data applies to learner records: operators see the aggregates of
their own territory, identities only where their role needs them, and every view and
export is logged.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..registry.models import Course, Province, Region


class ReportScope(models.Model):
    """One role of one user in the reports, with the territory or course it is limited to."""

    class Role(models.TextChoices):
        PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
        REGION_OPERATOR = "region_operator", _("Region operator")
        PROVINCE_OPERATOR = "province_operator", _("Province operator")
        COURSE_STAFF = "course_staff", _("Course staff")

    # The field each role is limited by; a programme manager sees everything.
    REQUIRED_FIELD = {
        Role.REGION_OPERATOR: "region",
        Role.PROVINCE_OPERATOR: "province",
        Role.COURSE_STAFF: "course",
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="raqmya_scopes")
    role = models.CharField(max_length=32, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="scopes")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="scopes")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="scopes")
    can_see_identities = models.BooleanField(
        default=False, help_text=_("Whether this role may see learners' names and e-mail addresses.")
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "province", "course"], name="raqmya_scope_unique_grant"
            )
        ]
        verbose_name = _("report scope")
        verbose_name_plural = _("report scopes")

    def clean(self):
        """Require the territory or course of the role, and nothing that another role needs."""
        required = self.REQUIRED_FIELD.get(self.role)
        for field in ("region", "province", "course"):
            has_value = getattr(self, f"{field}_id") is not None
            names = {"role": self.get_role_display(), "field": field}
            if field == required and not has_value:
                raise ValidationError({field: _("The role %(role)s needs a %(field)s.") % names})
            if field != required and has_value:
                message = _("The role %(role)s is not limited by %(field)s; leave it empty.") % names
                raise ValidationError({field: message})

    def __str__(self):
        return f"{self.role} scope of user {self.user_id}"


class AuditLogEntry(models.Model):
    """One view or export of a report: who, when, which report, with which filters and scope."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        API = "api", _("Read through the API")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="raqmya_audit_entries"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    report = models.CharField(max_length=64)
    output_format = models.CharField(max_length=16, blank=True)
    filters = models.JSONField(default=dict)
    scope = models.CharField(max_length=191, help_text=_("The caller's scope when the report was produced."))
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")

    def __str__(self):
        return f"{self.action} of {self.report} by user {self.user_id}"


class ScheduledExport(models.Model):
    """An export that Celery beat runs weekly or monthly in the scope of one grant, stored or e-mailed.

    The export keeps to the territory or course of its ``scope`` grant, resolved when it runs, so a
    withdrawn grant stops it. ``recipients`` receive the file by e-mail; when empty, the grant's user does.
    ``schedule.check_schedule`` checks a row before the admin saves it.
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly (Monday)")
        MONTHLY = "monthly", _("Monthly (1st of the month)")

    class Delivery(models.TextChoices):
        STORED = "stored", _("Stored for download")
        EMAIL = "email", _("E-mailed")

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    scope = models.ForeignKey(
        ReportScope, on_delete=models.CASCADE, related_name="scheduled_exports", verbose_name=_("report scope"),
        help_text=_("The grant whose territory or course the export keeps to."),
    )
    report = models.CharField(_("report"), max_length=32)
    export_format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.XLSX)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.STORED)
    recipients = models.TextField(
        _("recipients"), blank=True,
        help_text=_("E-mail addresses, one per line. Empty: the e-mail address of the scope's user."),
    )
    filters = models.JSONField(
        _("filters"), default=dict, blank=True,
        help_text=_('Report filters, such as {"year": "2026", "track": "acculturation"}.'),
    )
    language = models.CharField(_("language"), max_length=8, blank=True, help_text=_("fr or ar; empty: the site's."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("scheduled export")
        verbose_name_plural = _("scheduled exports")
        ordering = ["frequency", "id"]

    def recipient_list(self) -> list[str]:
        """Return the e-mail addresses of ``recipients``, one per line or separated by commas."""
        return [address.strip() for address in self.recipients.replace(",", "\n").splitlines() if address.strip()]

    def __str__(self):
        return f"{self.frequency} {self.report} export of scope {self.scope_id}"
