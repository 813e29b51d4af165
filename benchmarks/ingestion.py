"""Benchmark 3: enrollment events through the real receivers, against raw INSERTs of the same rows.

It also measures the tracking-log import in lines per second.

Events go through openedx-events ``send_event`` to the receivers the plugin connects, one
transaction per event as on the platform; the baseline writes the same three rows per event
(processed event, enrollment, enrollment change) with raw INSERTs, one transaction per event.
Everything written here is deleted afterwards, so the generated programme is left as it was.
"""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from pathlib import Path

# Django and the app's models are imported inside the functions, once ``start_django`` has run.
# pylint: disable=import-outside-toplevel


EVENTS = 1000
# Events whose SQL statements are counted, after the timed runs.
STATEMENT_EVENTS = 20
EVENT_COURSE = "course-v1:Raqmya+D001+2026"
LOG_COURSE = "course-v1:Raqmya+D002+2026"


def _fresh_users(count: int) -> list[int]:
    """Create ``count`` users without profile for the events; return their ids."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    first = (user_model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    ids = list(range(first, first + count))
    user_model.objects.bulk_create(
        [user_model(id=user_id, username=f"ingest{user_id:08d}", password="!") for user_id in ids], batch_size=1000
    )
    return ids


def _send_events(user_ids: list[int]) -> None:
    from django.utils import timezone
    from opaque_keys.edx.keys import CourseKey
    from openedx_events.learning.data import CourseData, CourseEnrollmentData, UserData, UserPersonalData
    from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED

    course = CourseData(course_key=CourseKey.from_string(EVENT_COURSE), display_name="")
    for user_id in user_ids:
        now = timezone.now()
        user = UserData(id=user_id, is_active=True, pii=UserPersonalData(username=f"ingest{user_id:08d}", email=""))
        data = CourseEnrollmentData(user=user, course=course, mode="audit", is_active=True, creation_date=now)
        COURSE_ENROLLMENT_CREATED.send_event(time=now, enrollment=data)


def _raw_inserts(user_ids: list[int]) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from raqmya_reports.registry.models import Course, Enrollment, EnrollmentChange, ProcessedEvent, key_hash

    course_id = Course.objects.get(course_key_hash=key_hash(EVENT_COURSE)).pk
    adapt = connection.ops.adapt_datetimefield_value
    processed = f"INSERT INTO {ProcessedEvent._meta.db_table} (`key`, event_type, processed_at) VALUES (%s, %s, %s)"
    if connection.vendor == "sqlite":
        processed = processed.replace("`key`", '"key"')
    enrollment = (f"INSERT INTO {Enrollment._meta.db_table} (user_id, course_id, mode, is_active, first_enrolled_at, "
                  "changed_at, last_event_at) VALUES (%s, %s, %s, %s, %s, %s, %s)")
    change = (f"INSERT INTO {EnrollmentChange._meta.db_table} (enrollment_id, action, time, source) "
              "VALUES (%s, %s, %s, %s)")
    for user_id in user_ids:
        now = adapt(timezone.now())
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(processed, [uuid.uuid4().hex, "org.openedx.learning.course.enrollment.created.v1", now])
            cursor.execute(enrollment, [user_id, course_id, "audit", True, now, now, now])
            cursor.execute(change, [cursor.lastrowid, "activated", now, "openedx_events"])


def _tracking_log(user_ids: list[int], path: Path) -> int:
    """Write an enrollment line and a course grade line per user to ``path``; return the line count."""
    lines = []
    for user_id in user_ids:
        context = {"course_id": LOG_COURSE, "user_id": user_id, "org_id": "Raqmya"}
        lines.append({"name": "edx.course.enrollment.activated", "event_type": "edx.course.enrollment.activated",
                      "context": context, "event": {"user_id": user_id, "course_id": LOG_COURSE, "mode": "audit"},
                      "time": "2026-02-02T09:15:04.118305+00:00", "event_source": "server"})
        lines.append({"name": "edx.grades.course.grade_calculated",
                      "event_type": "edx.grades.course.grade_calculated", "context": context,
                      "event": {"user_id": str(user_id), "course_id": LOG_COURSE, "percent_grade": 0.82,
                                "letter_grade": "Pass", "event_transaction_id": str(uuid.uuid4())},
                      "time": "2026-02-10T14:20:37.905511+00:00", "event_source": "server"})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def _statements_per_event(send, user_ids: list[int]) -> float:
    """Return the SQL statements that ``send`` runs per event for ``user_ids`` (transaction statements included)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # The log keeps 9,000 queries at most: a full log would count nothing.
    with CaptureQueriesContext(connection) as queries:
        send(user_ids)
    return len(queries) / len(user_ids)


def _clean_up(user_ids: list[int], first_processed_id: int) -> None:
    from django.contrib.auth import get_user_model

    from raqmya_reports.registry.models import ProcessedEvent

    ProcessedEvent.objects.filter(pk__gte=first_processed_id).delete()
    get_user_model().objects.filter(pk__in=user_ids).delete()


def measure_ingestion(events: int = EVENTS) -> dict:
    """Return events per second through the receivers and raw, their ratio, and tracking-log lines per second."""
    from edx_django_utils.plugins import connect_plugin_receivers

    from raqmya_reports.ingestion.tracking_log import import_tracking_logs
    from raqmya_reports.registry.models import Enrollment, ProcessedEvent

    connect_plugin_receivers("lms.djangoapp")
    first_processed = (ProcessedEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    signal_users, raw_users = _fresh_users(events), _fresh_users(events)
    counted_signal, counted_raw = _fresh_users(STATEMENT_EVENTS), _fresh_users(STATEMENT_EVENTS)
    try:
        started = time.perf_counter()
        _send_events(signal_users)
        signal_seconds = time.perf_counter() - started
        started = time.perf_counter()
        _raw_inserts(raw_users)
        raw_seconds = time.perf_counter() - started
        recorded = Enrollment.objects.filter(user_id__in=signal_users).count()
        # Counted apart from the timed runs: capturing queries slows every statement down.
        signal_statements = _statements_per_event(_send_events, counted_signal)
        raw_statements = _statements_per_event(_raw_inserts, counted_raw)
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "tracking.log"
            lines = _tracking_log(signal_users, path)
            started = time.perf_counter()
            counts = import_tracking_logs([path])
            log_seconds = time.perf_counter() - started
    finally:
        _clean_up(signal_users + raw_users + counted_signal + counted_raw, first_processed)
    return {
        "benchmark": "ingestion",
        "events": events,
        "recorded": recorded,
        "signal_events_per_second": events / signal_seconds,
        "raw_events_per_second": events / raw_seconds,
        "ratio": raw_seconds / signal_seconds,
        "signal_statements_per_event": signal_statements,
        "raw_statements_per_event": raw_statements,
        "log_lines": lines,
        "log_lines_read": counts.read,
        "log_lines_per_second": lines / log_seconds,
    }
