"""Tests of migration 0012: placement runs stored before it get their block's course, on SQLite and MariaDB."""

import pytest
from django.db import connection

from raqmya_reports.registry.models import Course, PlacementResult, key_hash
from tests.raqmya_reports.factories import make_user
from tests.raqmya_reports.registry.migration_steps import APP, latest_migrations, migrate, table_columns

BEFORE_ITEMS = [(APP, "0011_report_scope_and_audit_names")]
COURSE_KEY = "course-v1:Raqmya+POS+2026"
IN_COURSE = "block-v1:Raqmya+POS+2026+type@raqmya_placement+block@test"
UNKNOWN_COURSE = "block-v1:Raqmya+GONE+2026+type@raqmya_placement+block@test"
WORKBENCH = "raqmya_placement.placement_fr.d0.u0"


def _insert_placement(user, usage_key: str, attempt: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO raqmya_reports_placementresult (user_id, usage_key, usage_key_hash, attempt, levels, "
            "track, submitted_at) VALUES (%s, %s, %s, %s, '{\"1\": 4}', 'acculturation', '2026-03-05 10:00:00')",
            [user.pk, usage_key, key_hash(usage_key), attempt],
        )


def _course_round_trip():
    """Store three runs before 0012, migrate forwards, then back and forwards; return the courses and the columns."""
    latest = latest_migrations()
    migrate(BEFORE_ITEMS)
    Course.objects.create(course_key=COURSE_KEY)
    user = make_user(username="before_0012")
    for attempt, usage_key in enumerate((IN_COURSE, UNKNOWN_COURSE, WORKBENCH), start=1):
        _insert_placement(user, usage_key, attempt)
    before = table_columns("raqmya_reports_placementresult", {"course_id"})
    migrate(latest)
    courses = list(PlacementResult.objects.order_by("attempt").values_list("attempt", "course__course_key"))
    migrate(BEFORE_ITEMS)
    backwards = (table_columns("raqmya_reports_placementresult", {"course_id"}),
                 "raqmya_reports_placementitemresult" in connection.introspection.table_names())
    migrate(latest)
    return before, courses, backwards


def _check(before, courses, backwards):
    assert before == set()
    # Only the block whose usage key names a known course gets one; the others stay without.
    assert courses == [(1, COURSE_KEY), (2, None), (3, None)]
    assert backwards == (set(), False)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_placement_course_migration_sets_known_courses():
    _check(*_course_round_trip())


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_placement_course_migration_on_mariadb():
    """The same round trip on MariaDB with utf8mb4."""
    steps = _course_round_trip()
    assert connection.vendor == "mysql"
    _check(*steps)
