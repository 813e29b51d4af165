"""Tests of migration 0010: assessment results stored before it get the legacy series, on SQLite and MariaDB."""

import pytest
from django.db import connection

from raqmya_reports.registry.models import AssessmentResult
from raqmya_reports.registry.models.facts import LEGACY_SERIES
from tests.raqmya_reports.factories import make_user
from tests.raqmya_reports.registry.migration_steps import APP, latest_migrations, migrate, table_columns

BEFORE_SERIES = [(APP, "0009_question_result_difficulty")]
USAGE_KEY = "block-v1:Raqmya+DIGI101+2026+type@raqmya_assessment+block@final"


def _series_columns():
    return table_columns("raqmya_reports_assessmentresult", {"series"})


def _series_round_trip():
    """Store a result before 0010, migrate forwards, store another, migrate back and forwards; return each step."""
    latest = latest_migrations()
    migrate(BEFORE_SERIES)
    user = make_user(username="before_0010")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO raqmya_reports_assessmentresult (user_id, usage_key, usage_key_hash, attempt, track, "
            "earned, possible, passed, competences, submitted_at) "
            "VALUES (%s, %s, %s, 1, 'acculturation', 3, 4, 1, '{}', '2026-03-05 10:00:00')",
            [user.pk, USAGE_KEY, "0" * 64],
        )
    before = _series_columns()
    migrate(latest)
    after_first = list(AssessmentResult.objects.values_list("attempt", "earned", "series"))
    AssessmentResult.objects.create(user=user, usage_key=USAGE_KEY, attempt=2, earned=4, possible=4, passed=True,
                                    submitted_at="2026-03-06T10:00:00Z")
    forwards = list(AssessmentResult.objects.order_by("attempt").values_list("attempt", "series"))
    migrate(BEFORE_SERIES)
    backwards = _series_columns()
    migrate(latest)
    return before, after_first, forwards, backwards


def _check(before, after_first, forwards, backwards):
    assert before == set()
    assert after_first == [(1, 3.0, LEGACY_SERIES)]
    assert forwards == [(1, LEGACY_SERIES), (2, "")]
    assert backwards == set()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_series_migration_marks_legacy():
    _check(*_series_round_trip())


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_series_migration_on_mariadb():
    """C15 for 0010: the same round trip on MariaDB with utf8mb4."""
    steps = _series_round_trip()
    assert connection.vendor == "mysql"
    _check(*steps)
