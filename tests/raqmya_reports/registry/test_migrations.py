"""Tests of the registry migrations on MariaDB with utf8mb4: forwards, backwards, index widths, exact text."""

import datetime as dt

import pytest
from django.db import connection

from raqmya_reports.registry.models import BeneficiaryProfile, Province
from tests.raqmya_reports.factories import make_profile, make_user
from tests.raqmya_reports.registry.migration_steps import APP, latest_migrations, migrate, table_columns

BEFORE = [(APP, "0003_report_scopes_and_audit_log")]
NEW_TABLES = {
    "raqmya_reports_catalogueentry",
    "raqmya_reports_certificate",
    "raqmya_reports_cohort",
    "raqmya_reports_cohortmembership",
    "raqmya_reports_dailyactivity",
    "raqmya_reports_digcomparea",
    "raqmya_reports_digcompcompetence",
    "raqmya_reports_failedevent",
    "raqmya_reports_placementresult",
    "raqmya_reports_programmetrack",
    "raqmya_reports_promotionchannel",
    "raqmya_reports_trackassignment",
}


def _tables():
    return set(connection.introspection.table_names()) & NEW_TABLES


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registry_migration_runs_backwards_then_forwards():
    latest = latest_migrations()
    migrate(BEFORE)
    assert _tables() == set()
    migrate(latest)
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


NAMES = {"first_name": "Zoé", "last_name": "Aït-Lahcen", "email": "zoé@bücher.example"}
ORGANISATION = "عبد الله — Préfecture d’Agadir"


def _store_and_read_back_names():
    """Store C09's names and e-mail, then return them as the database gives them back."""
    learner = make_user(username="zoe")
    for name, value in NAMES.items():
        setattr(learner, name, value)
    learner.save()
    make_profile(learner)
    BeneficiaryProfile.objects.filter(user=learner).update(organisation=ORGANISATION)
    learner.refresh_from_db()
    stored = {name: getattr(learner, name) for name in NAMES}
    return stored, BeneficiaryProfile.objects.get(user=learner).organisation


@pytest.mark.django_db
def test_names_with_arabic_and_accents_are_read_back_exact():
    """C09: accented Latin and Arabic names and an internationalised e-mail survive the database unchanged."""
    stored, organisation = _store_and_read_back_names()
    assert stored == NAMES
    assert organisation == ORGANISATION


@pytest.mark.mysql
@pytest.mark.django_db
def test_names_with_arabic_and_accents_are_read_back_exact_on_mariadb():
    """C09 on MariaDB: the same exact strings through a utf8mb4 connection."""
    stored, organisation = _store_and_read_back_names()
    assert connection.vendor == "mysql"
    assert stored == NAMES
    assert organisation == ORGANISATION


BEFORE_REGISTRATION_TIME = [(APP, "0007_scheduled_exports")]
CREATED = "2025-06-10 09:30:00"


def _profile_time_columns():
    return table_columns("raqmya_reports_beneficiaryprofile", {"created", "registered_at", "registered_by_event"})


def _registration_time_round_trip():
    """Store a profile before 0008, migrate forwards and back; return what each step reads."""
    latest = latest_migrations()
    migrate(BEFORE_REGISTRATION_TIME)
    user = make_user(username="before_0008")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO raqmya_reports_beneficiaryprofile (user_id, region_id, province_id, sector, organisation, "
            "gender, age_band, consent, track, created, modified) "
            "VALUES (%s, 'MA-06', 'MA-CAS', 'job_seeker', '', '', '', 0, 'acculturation', %s, %s)",
            [user.pk, CREATED, CREATED],
        )
    before = _profile_time_columns()
    migrate(latest)
    forwards = _profile_time_columns(), BeneficiaryProfile.objects.filter(user=user).values_list(
        "registered_at", "registered_by_event").get()
    migrate(BEFORE_REGISTRATION_TIME)
    with connection.cursor() as cursor:
        cursor.execute("SELECT created FROM raqmya_reports_beneficiaryprofile WHERE user_id = %s", [user.pk])
        backwards = cursor.fetchone()[0]
    migrate(latest)
    return before, forwards, backwards


def _expected_round_trip():
    moment = dt.datetime(2025, 6, 10, 9, 30, tzinfo=dt.timezone.utc)
    return {"created"}, ({"registered_at", "registered_by_event"}, (moment, False))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registration_time_migration_keeps_each_profiles_creation_time():
    """0008 renames ``created`` to ``registered_at``: an existing profile keeps its time, not set by an event."""
    before, forwards, backwards = _registration_time_round_trip()
    assert (before, forwards) == _expected_round_trip()
    assert str(backwards).startswith(CREATED)


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registration_time_migration_on_mariadb():
    """C15 for 0008: the same round trip on MariaDB with utf8mb4, and the renamed column keeps its index."""
    before, forwards, backwards = _registration_time_round_trip()
    assert connection.vendor == "mysql"
    assert (before, forwards) == _expected_round_trip()
    assert str(backwards).startswith(CREATED)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() "
            "AND table_name = 'raqmya_reports_beneficiaryprofile' AND column_name = 'registered_at'"
        )
        assert cursor.fetchone()[0] == 1


BEFORE_AGADIR_NAME = [(APP, "0012_placement_item_results")]


@pytest.mark.parametrize(("stored", "expected"), [("", "أكادير إداوتنان"), ("أكادير", "أكادير")])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agadir_name_migration_fills_empty_only(stored, expected):
    """0013 gives MA-AGD the Arabic name that databases loaded before it lack, and keeps one an operator gave."""
    latest = latest_migrations()
    migrate(BEFORE_AGADIR_NAME)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE raqmya_reports_province SET name_ar = %s WHERE code = 'MA-AGD'", [stored])
    migrate(latest)
    assert Province.objects.get(code="MA-AGD").name_ar == expected
    assert Province.objects.filter(name_ar="").count() == 0
