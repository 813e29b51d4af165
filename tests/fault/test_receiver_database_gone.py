"""The database refusing a receiver's write: the platform's call succeeds, the failure is logged, reconcile repairs."""

from __future__ import annotations

import contextlib

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED

from raqmya_reports.registry.models import Enrollment, FailedEvent
from tests.raqmya_reports.factories import enrollment_data, make_user

pytestmark = pytest.mark.django_db

ENROLLMENT_TABLE = Enrollment._meta.db_table


@contextlib.contextmanager
def enrollment_table_gone():
    """Make every statement on the enrollment table fail as MySQL does when the server has gone away (2006)."""

    def refuse(execute, sql, params, many, context):
        if ENROLLMENT_TABLE in sql:
            raise OperationalError(2006, "MySQL server has gone away")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def test_enrollment_while_database_gone_platform_carries_on(caplog):
    learner = make_user(7)
    with transaction.atomic():  # the platform's request transaction
        with enrollment_table_gone(), caplog.at_level("ERROR", logger="raqmya_reports"):
            COURSE_ENROLLMENT_CREATED.send_event(enrollment=enrollment_data(learner.id))
        # The platform's own work after the event still runs in the same transaction.
        learner.first_name = "after-event"
        learner.save()
    learner.refresh_from_db()
    assert learner.first_name == "after-event"
    assert Enrollment.objects.filter(user_id=learner.id).count() == 0
    assert FailedEvent.objects.filter(user_id=learner.id, resolved_at__isnull=True).count() == 1
    assert sum("could not be recorded" in record.getMessage() for record in caplog.records) == 1
    assert all("@" not in record.getMessage() for record in caplog.records)


def test_reconcile_after_database_back_records_enrollment_once():
    learner = make_user(7)
    with enrollment_table_gone():
        COURSE_ENROLLMENT_CREATED.send_event(enrollment=enrollment_data(learner.id))
    call_command("raqmya_reconcile")
    call_command("raqmya_reconcile")
    assert Enrollment.objects.filter(user_id=learner.id, is_active=True).count() == 1
    assert FailedEvent.objects.filter(resolved_at__isnull=True).count() == 0
