"""Tests of the registry migrations on MariaDB with utf8mb4: forwards, backwards, index widths, exact text."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from raqmya_reports.registry.models import BeneficiaryProfile
from tests.raqmya_reports.factories import make_profile, make_user

APP = "raqmya_reports"
BEFORE = [(APP, "0003_report_scopes_and_audit_log")]
NEW_TABLES = {
    "raqmya_reports_catalogueentry",
    "raqmya_reports_certificate",
    "raqmya_reports_cohort",
    "raqmya_reports_cohortmembership",
    "raqmya_reports_dailyactivity",
    "raqmya_reports_failedevent",
    "raqmya_reports_placementresult",
    "raqmya_reports_promotionchannel",
    "raqmya_reports_trackassignment",
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == APP]


def _tables():
    return set(connection.introspection.table_names()) & NEW_TABLES


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registry_migration_runs_backwards_then_forwards():
    latest = _latest()
    _migrate(BEFORE)
    assert _tables() == set()
    _migrate(latest)
    assert _tables() == NEW_TABLES


@pytest.mark.mysql
@pytest.mark.django_db
def test_indexed_text_columns_fit_191_characters_in_utf8mb4():
    """C15: every column of an index of the app is at most 191 characters of utf8mb4."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.table_name, s.column_name, c.character_maximum_length, c.character_set_name "
            "FROM information_schema.statistics s JOIN information_schema.columns c "
            "ON c.table_schema = s.table_schema AND c.table_name = s.table_name AND c.column_name = s.column_name "
            "WHERE s.table_schema = DATABASE() AND s.table_name LIKE 'raqmya\\_reports\\_%%' "
            "AND c.character_maximum_length IS NOT NULL"
        )
        rows = cursor.fetchall()
    assert rows != ()
    assert [row for row in rows if row[2] > 191] == []
    assert {row[3] for row in rows} == {"utf8mb4"}


@pytest.mark.django_db
def test_names_with_arabic_and_accents_are_read_back_exact():
    """C09: accented Latin and Arabic names survive the database unchanged."""
    learner = make_user(username="zoe")
    learner.first_name, learner.last_name = "Zoé", "Aït-Lahcen"
    learner.save()
    make_profile(learner)
    BeneficiaryProfile.objects.filter(user=learner).update(organisation="عبد الله — Préfecture d’Agadir")
    learner.refresh_from_db()
    profile = BeneficiaryProfile.objects.get(user=learner)
    assert f"{learner.first_name} {learner.last_name}" == "Zoé Aït-Lahcen"
    assert profile.organisation == "عبد الله — Préfecture d’Agadir"
