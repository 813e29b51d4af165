"""Celery beat entries of the scheduled exports: weekly on Monday and monthly on the 1st, at 06:00 UTC.

Each entry runs every export of ``RAQMYA_SCHEDULED_EXPORTS`` that has its frequency.
"""

from __future__ import annotations

from celery.schedules import crontab


def beat_schedule() -> dict:
    """Return the Celery beat entries that run the weekly and the monthly scheduled exports."""
    return {
        "raqmya-weekly-exports": {
            "task": "raqmya_reports.run_scheduled_exports",
            "schedule": crontab(minute=0, hour=6, day_of_week=1),
            "args": ("weekly",),
        },
        "raqmya-monthly-exports": {
            "task": "raqmya_reports.run_scheduled_exports",
            "schedule": crontab(minute=0, hour=6, day_of_month=1),
            "args": ("monthly",),
        },
    }
