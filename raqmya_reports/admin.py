"""Django admin of the registry: beneficiaries, tracks, cohorts, catalogue and facts, searchable by territory."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import platform
from .delivery import admin as _delivery_admin  # noqa: F401  # autodiscovery reads only this module
from .registry import join, models


@admin.register(models.BeneficiaryProfile)
class BeneficiaryProfileAdmin(admin.ModelAdmin):
    """Beneficiary profiles, filtered by territory, track, sector, channel and cohort."""

    list_display = ["user_id", "region", "province", "sector", "track", "channel", "registered_at"]
    list_filter = ["region", "province", "track", "sector", "channel", "user__raqmya_cohort_memberships__cohort"]
    search_fields = [
        "user__username", "organisation",
        "province__name_fr", "province__name_ar", "region__name_fr", "region__name_ar",
    ]
    raw_id_fields = ["user"]


@admin.register(models.TrackAssignment)
class TrackAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user_id", "track", "source", "assigned_by", "assigned_at"]
    list_filter = ["track", "source", "user__raqmya_profile__region", "user__raqmya_profile__province"]
    search_fields = ["user__username", "reason"]
    raw_id_fields = ["user", "assigned_by"]


@admin.register(models.Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "track", "phase", "programme_year", "starts_on", "ends_on", "capacity", "province"]
    list_filter = ["track", "phase", "programme_year", "province__region", "province"]
    search_fields = ["name", "course_cohort_name"]


@admin.register(models.CohortMembership)
class CohortMembershipAdmin(admin.ModelAdmin):
    list_display = ["user_id", "cohort", "programme_year", "joined_at"]
    list_filter = ["cohort", "cohort__track", "user__raqmya_profile__region", "user__raqmya_profile__province"]
    search_fields = ["user__username", "cohort__name"]
    raw_id_fields = ["user"]


@admin.register(models.PromotionChannel)
class PromotionChannelAdmin(admin.ModelAdmin):
    """Channels with the full join link that staff hand to each council or partner."""

    list_display = ["code", "name", "kind", "region", "province", "valid_from", "valid_until", "is_active",
                    "join_link"]
    list_filter = ["kind", "is_active", "region", "province"]
    search_fields = ["code", "name"]
    readonly_fields = ["join_link"]

    @admin.display(description=_("join link"))
    def join_link(self, channel):
        """Return the channel's join link as a link, on the host of the staff member's request."""
        if not channel.code:
            return "-"
        url = join.join_url(channel, platform.current_request())
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(models.CatalogueEntry)
class CatalogueEntryAdmin(admin.ModelAdmin):
    list_display = ["course", "hours", "level", "language", "hidden"]
    list_filter = ["level", "language", "hidden"]
    search_fields = ["course__course_key", "course__display_name"]


class _FactAdmin(admin.ModelAdmin):
    """Facts come from platform events: staff read them, the receivers write them."""

    list_filter = ["user__raqmya_profile__region", "user__raqmya_profile__province", "user__raqmya_profile__track",
                   "user__raqmya_cohort_memberships__cohort"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


for _model, _columns in (
    (models.Enrollment, ["user_id", "course", "mode", "is_active", "first_enrolled_at"]),
    (models.CourseGrade, ["user_id", "course", "percent", "passed", "passed_at"]),
    (models.Certificate, ["user_id", "course", "status", "is_valid", "created_at", "revoked_at"]),
    (models.AssessmentResult, ["user_id", "usage_key", "attempt", "earned", "possible", "submitted_at"]),
    (models.PlacementResult, ["user_id", "usage_key", "course", "attempt", "track", "submitted_at"]),
    (models.DailyActivity, ["user_id", "day", "logins", "attempts"]),
):
    admin.site.register(_model, type(f"{_model.__name__}Admin", (_FactAdmin,), {"list_display": _columns}))


@admin.register(models.FailedEvent)
class FailedEventAdmin(admin.ModelAdmin):
    list_display = ["action", "user_id", "event_type", "failed_at", "attempts", "resolved_at"]
    list_filter = ["action", "resolved_at"]
    search_fields = ["event_key", "user_id"]


@admin.register(models.DigCompArea, models.ProgrammeTrack)
class NamedReferenceAdmin(admin.ModelAdmin):
    """Reference rows loaded from the app's data files; edit the files, then run raqmya_load_reference_data."""

    list_display = ["code", "name_fr", "name_ar"]
    search_fields = ["code", "name_fr", "name_ar"]


@admin.register(models.DigCompCompetence)
class DigCompCompetenceAdmin(admin.ModelAdmin):
    """The 21 DigComp 2.2 competences, by area."""

    list_display = ["code", "area", "name_fr", "name_ar"]
    list_filter = ["area"]
    search_fields = ["code", "name_en", "name_fr", "name_ar"]
