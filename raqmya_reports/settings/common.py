"""Default settings of the reports app, applied to every LMS and Studio settings module."""


def plugin_settings(settings):
    """Set the ``RAQMYA_*`` defaults that a deployment has not already set."""
    defaults = {
        # .. setting_name: RAQMYA_YEARLY_TARGET
        # .. setting_default: 12500
        # .. setting_description: Number of beneficiaries the programme must train in one programme
        #   year. The dashboard and the summary export report progress against it.
        "RAQMYA_YEARLY_TARGET": 12500,
        # .. setting_name: RAQMYA_PLATFORM_BACKEND
        # .. setting_default: "raqmya_reports.platform_backends.edx"
        # .. setting_description: Dotted path of the module that ``raqmya_reports.platform`` delegates
        #   to. The default imports edx-platform; test and devstack settings use
        #   ``raqmya_reports.platform_backends.standalone``, which needs only Django.
        "RAQMYA_PLATFORM_BACKEND": "raqmya_reports.platform_backends.edx",
        # .. setting_name: RAQMYA_TIME_ZONE
        # .. setting_default: "Africa/Casablanca"
        # .. setting_description: Time zone in which reports cut days, months and programme years.
        "RAQMYA_TIME_ZONE": "Africa/Casablanca",
        # .. setting_name: RAQMYA_PROGRAMME_YEAR_START
        # .. setting_default: "01-01"
        # .. setting_description: Month and day (MM-DD) on which a programme year starts, in
        #   ``RAQMYA_TIME_ZONE``. Yearly figures count from that date.
        "RAQMYA_PROGRAMME_YEAR_START": "01-01",
        # .. setting_name: RAQMYA_PILOT_CAPACITY
        # .. setting_default: 1350
        # .. setting_description: Beneficiaries that all pilot cohorts hold together; cohort
        #   assignment places nobody in a pilot cohort beyond it.
        "RAQMYA_PILOT_CAPACITY": 1350,
        # .. toggle_name: RAQMYA_COHORT_AUTO_ASSIGN
        # .. toggle_implementation: DjangoSetting
        # .. toggle_default: False
        # .. toggle_description: Whether a new enrollment queues a Celery task that places the
        #   learner in an open cohort of their track. A task that cannot be queued is recorded
        #   and replayed by ``manage.py raqmya_reconcile``.
        # .. toggle_use_cases: open_edx
        # .. toggle_creation_date: 2026-12-04
        "RAQMYA_COHORT_AUTO_ASSIGN": False,
        # .. setting_name: RAQMYA_PROFICIENCY_LEVELS
        # .. setting_default: 8
        # .. setting_description: Number of proficiency levels, numbered from 1: DigComp 2.2 has 8.
        #   Placement levels and catalogue levels above it are rejected. A setting because
        #   DigComp 3.0 (2025) revises the levels.
        "RAQMYA_PROFICIENCY_LEVELS": 8,
        # .. setting_name: RAQMYA_MIN_CELL_SIZE
        # .. setting_default: 5
        # .. setting_description: Smallest count that a report narrower than the whole programme (a region,
        #   a province, a course) shows as a number; smaller counts, and the cells and totals they could be
        #   derived from, show as "< 5".
        "RAQMYA_MIN_CELL_SIZE": 5,
        # .. setting_name: RAQMYA_PILOT_TARGET
        # .. setting_default: 1350
        # .. setting_description: Beneficiaries to register from RAQMYA_PILOT_START to the end of the
        #   pilot's third month.
        "RAQMYA_PILOT_TARGET": 1350,
        # .. setting_name: RAQMYA_PILOT_START
        # .. setting_default: ""
        # .. setting_description: First day of the pilot (YYYY-MM-DD, in RAQMYA_TIME_ZONE); empty hides the
        #   pilot target.
        "RAQMYA_PILOT_START": "",
        # .. setting_name: RAQMYA_SCHEDULED_EXPORTS
        # .. setting_default: []
        # .. setting_description: Exports that Celery beat runs, each a dict: "scope" (id of a report scope
        #   granted in the admin, whose territory the export keeps to), "report", "frequency" ("weekly" or
        #   "monthly"), and optionally "format" (xlsx), "filters", "language" and "delivery" ("stored", or
        #   "email" to the grant's user). Scheduled exports set up in the admin run as well; where an
        #   admin row and an entry here are the same export, the admin row runs and the entry is skipped.
        "RAQMYA_SCHEDULED_EXPORTS": [],
        # .. setting_name: RAQMYA_EXPORT_DEADLINE
        # .. setting_default: 3600
        # .. setting_description: Seconds, counted from when a learner export is queued, that its
        #   Celery task has to write it. A task still writing then stops, stores nothing and reports
        #   why on the download page (400); a task no worker started by then is discarded. An export
        #   with neither file nor failure by then is reported as failed (500): its worker was killed
        #   (for memory, at Celery's hard time limit) or restarted. Scheduled exports have no such
        #   limit. At least 60.
        "RAQMYA_EXPORT_DEADLINE": 3600,
        # .. toggle_name: RAQMYA_ENFORCE_TRACK_ENROLLMENT
        # .. toggle_implementation: DjangoSetting
        # .. toggle_default: False
        # .. toggle_description: Whether raqmya_reports.filters.TrackEnrollmentStep, in the
        #   CourseEnrollmentStarted pipeline of OPEN_EDX_FILTERS_CONFIG, refuses a learner's enrollment in a
        #   course whose catalogue entry lists only the other track. Staff are never refused.
        # .. toggle_use_cases: open_edx
        # .. toggle_creation_date: 2026-12-04
        "RAQMYA_ENFORCE_TRACK_ENROLLMENT": False,
        # .. setting_name: RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA
        # .. setting_default: 8
        # .. setting_description: Maximum number of items the placement test serves in one DigComp area (1 to 50).
        "RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA": 8,
        # .. setting_name: RAQMYA_PLACEMENT_PRECISION
        # .. setting_default: 0.75
        # .. setting_description: The placement test stops asking about an area once the standard deviation
        #   of its ability estimate is at most this many logits (one proficiency level is one logit wide).
        "RAQMYA_PLACEMENT_PRECISION": 0.75,
        # .. setting_name: RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL
        # .. setting_default: 4.0
        # .. setting_description: Mean placement level over the areas at or above which the placement test
        #   recommends the "perfectionnement" track; below it, "acculturation".
        "RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL": 4.0,
        # .. setting_name: RAQMYA_PLACEMENT_RETAKE_DAYS
        # .. setting_default: 30
        # .. setting_description: Days after a finished placement test before the learner may take it
        #   again; course staff may reset it sooner.
        "RAQMYA_PLACEMENT_RETAKE_DAYS": 30,
    }
    for name, value in defaults.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
    _add_beat_schedule(settings)


def _add_beat_schedule(settings):
    """Add the scheduled exports to Celery beat's schedule, keeping the entries already there."""
    from raqmya_reports.delivery.schedule import beat_schedule  # pylint: disable=import-outside-toplevel

    schedule = dict(getattr(settings, "CELERY_BEAT_SCHEDULE", None) or {})
    for name, entry in beat_schedule().items():
        schedule.setdefault(name, entry)
    settings.CELERY_BEAT_SCHEDULE = schedule
