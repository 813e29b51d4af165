"""Django admin of the report delivery: report scopes granted by staff, scheduled exports, the read-only audit log."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .models import AuditLogEntry, ReportScope, ScheduledExport
from .schedule import check_schedule
from .scope import scope_of
from .service import REPORTS

# Labels of the fields that the models leave unnamed. Naming them here keeps the models, and so the
# migrations, as they are: Django writes a migration for every verbose_name change.
SCOPE_LABELS = {
    "user": _("user"), "role": _("role"), "region": _("region"), "province": _("province"), "course": _("course"),
    "can_see_identities": _("may see identities"), "granted_at": _("granted at"), "granted_by": _("granted by"),
}
AUDIT_LABELS = {
    "created": _("when"), "user": _("user"), "action": _("action"), "report": _("report"),
    "output_format": _("format"), "filters": _("filters"), "scope": _("scope"),
}


def _column(name: str, label):
    """Return a list column that shows the field ``name`` under the translated ``label``."""

    @admin.display(description=label, ordering=name, boolean=name == "can_see_identities")
    def show(obj):
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if display else getattr(obj, name)
        return "" if value is None else value

    show.__name__ = f"{name}_column"
    return show


class ReportScopeForm(forms.ModelForm):
    """The grant form, with its fields named in the page language."""

    class Meta:
        model = ReportScope
        fields = "__all__"
        labels = SCOPE_LABELS


@admin.register(ReportScope)
class ReportScopeAdmin(admin.ModelAdmin):
    """Grant a reports role: the admin form runs the model's checks of region, province or course."""

    form = ReportScopeForm
    list_display = tuple(_column(name, SCOPE_LABELS[name]) for name in (
        "user", "role", "region", "province", "course", "can_see_identities", "granted_at", "granted_by"))
    list_filter = ("role", "can_see_identities", "region")
    search_fields = ("user__username", "province__code", "region__code")
    raw_id_fields = ("user", "course")
    readonly_fields = ("granted_at", "granted_by")

    def save_model(self, request, obj, form, change):
        """Record who granted the scope."""
        obj.granted_by = request.user
        super().save_model(request, obj, form, change)


class ScheduledExportForm(forms.ModelForm):
    """The scheduled export form: the report picked from the reports the exports write."""

    report = forms.ChoiceField(label=_("report"), choices=[(name, name) for name in REPORTS])

    class Meta:
        model = ScheduledExport
        fields = ("scope", "report", "export_format", "frequency", "delivery", "recipients", "filters", "language",
                  "is_active")

    def clean(self):
        """Reject an unknown report, a bad filter or language, and an invalid recipient, naming the field and value."""
        cleaned_data = super().clean()
        if not self.errors:
            try:
                check_schedule(ScheduledExport(**cleaned_data))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


@admin.register(ScheduledExport)
class ScheduledExportAdmin(admin.ModelAdmin):
    """Set up exports that Celery beat runs; the form rejects a report, filter or address that cannot run."""

    form = ScheduledExportForm
    list_display = ("report", "export_format", "frequency", "delivery", "scope", "language", "is_active")
    list_filter = ("frequency", "delivery", "export_format", "is_active", "report")
    search_fields = ("report", "scope__user__username", "scope__province__code", "scope__region__code")
    raw_id_fields = ("scope",)


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Read the audit log: programme managers only, and nobody may add, change or delete an entry."""

    list_display = tuple(_column(name, AUDIT_LABELS[name])
                         for name in ("created", "user", "action", "report", "output_format", "scope"))
    list_filter = ("action", "report", "output_format")
    search_fields = ("user__username", "scope")
    readonly_fields = tuple(_column(name, AUDIT_LABELS[name])
                            for name in ("created", "user", "action", "report", "output_format", "filters", "scope"))

    def has_view_permission(self, request, obj=None):
        """Return whether the user is a programme manager who may view this model in the admin."""
        try:
            return scope_of(request.user).unrestricted and super().has_view_permission(request, obj)
        except PermissionDenied:
            return False

    def has_add_permission(self, request):
        """Return False: only the reports write audit entries."""
        return False

    def has_change_permission(self, request, obj=None):
        """Return False: an audit entry is never changed."""
        return False

    def has_delete_permission(self, request, obj=None):
        """Return False: an audit entry is never deleted."""
        return False
