"""Django app configuration, with the plugin settings that the LMS and Studio read."""

from django.apps import AppConfig

_LMS = "lms.djangoapp"
_CMS = "cms.djangoapp"

# Receivers of openedx-events signals. edx-django-utils connects them in the LMS
# and Studio through ``connect_plugin_receivers``; the devstack does the same.
_RECEIVERS = [
    {
        "receiver_func_name": receiver,
        "signal_path": f"openedx_events.{domain}.signals.{signal}",
        "dispatch_uid": f"raqmya_reports.{receiver}",
    }
    for receiver, domain, signal in (
        ("enrollment_created", "learning", "COURSE_ENROLLMENT_CREATED"),
        ("enrollment_changed", "learning", "COURSE_ENROLLMENT_CHANGED"),
        ("unenrollment_completed", "learning", "COURSE_UNENROLLMENT_COMPLETED"),
        ("grade_summary_changed", "learning", "PERSISTENT_GRADE_SUMMARY_CHANGED"),
        ("passing_status_updated", "learning", "COURSE_PASSING_STATUS_UPDATED"),
        ("certificate_created", "learning", "CERTIFICATE_CREATED"),
        ("certificate_revoked", "learning", "CERTIFICATE_REVOKED"),
        ("cohort_membership_changed", "learning", "COHORT_MEMBERSHIP_CHANGED"),
        ("registration_completed", "learning", "STUDENT_REGISTRATION_COMPLETED"),
        ("login_completed", "learning", "SESSION_LOGIN_COMPLETED"),
        # Studio sends this one; the LMS receives it too when the event bus carries it.
        ("catalog_info_changed", "content_authoring", "COURSE_CATALOG_INFO_CHANGED"),
    )
]


def _settings_config():
    return {
        settings_type: {"relative_path": f"settings.{settings_type}"}
        for settings_type in ("common", "production", "test")
    }


class RaqmyaReportsConfig(AppConfig):
    """The reports app, installed in the LMS and in Studio through the ``*.djangoapp`` entry points."""

    name = "raqmya_reports"
    verbose_name = "Raqmya reports"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            _LMS: {
                "namespace": "raqmya_reports",
                # The pages under raqmya/ and the REST API under api/raqmya/v1/, nothing else.
                "regex": r"^(?=raqmya/|api/raqmya/)",
                "relative_path": "urls",
            },
        },
        "settings_config": {
            _LMS: _settings_config(),
            _CMS: _settings_config(),
        },
        "signals_config": {
            _LMS: {"relative_path": "ingestion.receivers", "receivers": _RECEIVERS},
            _CMS: {"relative_path": "ingestion.receivers", "receivers": _RECEIVERS},
        },
    }
