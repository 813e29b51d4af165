"""Tests of the cohort follow-up when the Celery broker is down: the platform's enrollments still succeed."""

import logging
import socket

import pytest
from celery import Celery, current_app
from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED

from raqmya_reports.ingestion.replay import reconcile
from raqmya_reports.registry.models import CohortMembership, Enrollment, FailedEvent
from raqmya_reports.tasks import assign_cohort_task
from tests.raqmya_reports.factories import at, enrollment_data, make_cohort, make_profile, make_user

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """Return a local port that nothing listens on: bound, then released, by this process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(name="broker_down")
def fixture_broker_down(settings):
    """Point the current Celery app at a closed local port, with auto-assignment on."""
    settings.RAQMYA_COHORT_AUTO_ASSIGN = True
    previous = current_app._get_current_object()  # pylint: disable=protected-access
    app = Celery("raqmya_broker_down", broker=f"amqp://guest:guest@127.0.0.1:{_closed_port()}//", set_as_current=True)
    app.conf.broker_connection_timeout = 1
    app.conf.broker_connection_retry = False
    app.conf.broker_connection_max_retries = 0
    app.conf.task_always_eager = False
    assign_cohort_task.bind(app)
    yield app
    app.close()
    previous.set_current()
    assign_cohort_task.bind(previous)


def test_bulk_enrollment_with_broker_down_commits_logs_and_reconciles(
    broker_down, caplog, django_capture_on_commit_callbacks
):  # pylint: disable=unused-argument
    """C14: three enrollments succeed, the queueing errors are logged with ids, reconcile places all three."""
    make_cohort(starts_on=at(1).date().replace(year=2025), ends_on=at(1).date().replace(year=2099))
    learners = [make_user() for _ in range(3)]
    for learner in learners:
        make_profile(learner)
    with caplog.at_level(logging.ERROR, logger="raqmya_reports"):
        with django_capture_on_commit_callbacks(execute=True):
            for learner in learners:
                COURSE_ENROLLMENT_CREATED.send_event(time=at(2), enrollment=enrollment_data(learner.id))
    assert Enrollment.objects.filter(is_active=True).count() == 3
    assert FailedEvent.objects.filter(action="assign_cohort", resolved_at__isnull=True).count() == 3
    for learner in learners:
        assert f"Cohort task for user {learner.id} in course" in caplog.text
    assert CohortMembership.objects.count() == 0
    assert reconcile() == (3, 0)
    assert CohortMembership.objects.count() == 3
