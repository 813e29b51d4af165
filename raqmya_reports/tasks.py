"""Celery tasks of the reports app, run by the LMS workers."""

from __future__ import annotations

import logging

from celery import shared_task

# The LMS's Celery workers import the ``tasks`` module of every app: this one also brings the export tasks.
from .delivery import tasks as _delivery_tasks  # noqa: F401

log = logging.getLogger(__name__)


@shared_task(name="raqmya_reports.assign_cohort")
def assign_cohort_task(user_id: int, course_key: str) -> int | None:
    """Place a newly enrolled learner in a cohort; return the cohort id, or ``None`` when none fits."""
    from .registry.cohorts import assign_cohort_for_enrollment  # pylint: disable=import-outside-toplevel

    membership = assign_cohort_for_enrollment(user_id, course_key)
    return membership.cohort_id if membership else None
