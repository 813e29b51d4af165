"""Tests of the registration receiver: the registration time from the event, the join link's channel, the reports."""

import datetime as dt
import uuid

import pytest
from crum import impersonate, set_current_request
from django.core import signing
from django.db import OperationalError
from django.test import RequestFactory
from openedx_events.data import EventsMetadata
from openedx_events.learning.signals import STUDENT_REGISTRATION_COMPLETED

from raqmya_reports.ingestion import facts
from raqmya_reports.ingestion.replay import reconcile
from raqmya_reports.registry import join
from raqmya_reports.registry.models import BeneficiaryProfile, FailedEvent, PromotionChannel
from raqmya_reports.reports.figures import beneficiary_breakdown
from raqmya_reports.reports.filters import ReportFilters
from raqmya_reports.reports.summary import programme_summary, reported_years
from tests.raqmya_reports.factories import make_profile, make_user, user_data

pytestmark = pytest.mark.django_db

UTC = dt.timezone.utc
# A registration in June 2025; the profile rows of these tests are created today, in 2026 or later.
JUNE_2025 = dt.datetime(2025, 6, 10, 9, 30, tzinfo=UTC)
CODE = "CR-SETTAT-2026"


@pytest.fixture(name="learner")
def fixture_learner():
    return make_user(username="registering_learner")


@pytest.fixture(name="channel")
def fixture_channel():
    return PromotionChannel.objects.create(code=CODE, name="Conseil régional", kind="regional_council")


def _send(learner, time, event_id=None):
    metadata = EventsMetadata(
        event_type=STUDENT_REGISTRATION_COMPLETED.event_type, id=event_id or uuid.uuid4(), time=time
    )
    STUDENT_REGISTRATION_COMPLETED.send_event_with_custom_metadata(metadata, user=user_data(learner.id))


def _stored(learner):
    return BeneficiaryProfile.objects.filter(user=learner).values_list("registered_at", "registered_by_event").get()


def test_existing_profile_takes_event_time(learner):
    profile = make_profile(learner)
    assert profile.registered_at > JUNE_2025
    _send(learner, JUNE_2025)
    assert _stored(learner) == (JUNE_2025, True)


def test_profile_without_event_is_registered_at_its_creation(learner):
    profile = make_profile(learner)
    assert _stored(learner) == (profile.registered_at, False)
    assert abs(profile.registered_at - profile.modified) < dt.timedelta(seconds=5)


def test_duplicate_registration_event_changes_nothing(learner):
    make_profile(learner)
    event_id = uuid.uuid4()
    _send(learner, JUNE_2025, event_id)
    modified = BeneficiaryProfile.objects.get(user=learner).modified
    _send(learner, JUNE_2025 + dt.timedelta(hours=1), event_id)
    assert _stored(learner) == (JUNE_2025, True)
    assert BeneficiaryProfile.objects.get(user=learner).modified == modified


def test_newer_registration_event_replaces_the_time(learner):
    make_profile(learner)
    _send(learner, JUNE_2025)
    _send(learner, JUNE_2025 + dt.timedelta(minutes=5))
    assert _stored(learner) == (JUNE_2025 + dt.timedelta(minutes=5), True)


def test_older_registration_event_arriving_late_is_ignored(learner):
    make_profile(learner)
    _send(learner, JUNE_2025)
    outcome = facts.apply_registration(learner.id, time=JUNE_2025 - dt.timedelta(days=1), source=facts.SOURCE_SIGNAL,
                                       event_key=str(uuid.uuid4()), event_type="registration")
    assert outcome is facts.Outcome.UNCHANGED
    assert _stored(learner) == (JUNE_2025, True)


def test_same_time_from_another_event_id_is_unchanged(learner):
    make_profile(learner)
    _send(learner, JUNE_2025)
    outcome = facts.apply_registration(learner.id, time=JUNE_2025, source=facts.SOURCE_SIGNAL,
                                       event_key=str(uuid.uuid4()), event_type="registration")
    assert outcome is facts.Outcome.UNCHANGED


def test_first_event_applies_before_creation_time(learner):
    make_profile(learner)
    outcome = facts.apply_registration(learner.id, time=JUNE_2025, source=facts.SOURCE_SIGNAL,
                                       event_key=str(uuid.uuid4()), event_type="registration")
    assert outcome is facts.Outcome.APPLIED


def test_registration_event_without_profile_records_no_time(learner):
    _send(learner, JUNE_2025)
    assert not BeneficiaryProfile.objects.filter(user=learner).exists()


def test_summary_uses_event_year(learner):
    make_profile(learner)
    _send(learner, JUNE_2025)
    assert programme_summary(2025).totals.registered == 1
    assert programme_summary(2026).totals.registered == 0
    assert reported_years()[0] == 2025


def test_month_figures_use_event_month(learner):
    make_profile(learner)
    _send(learner, JUNE_2025)
    rows = {row.key: row.counts["registered"] for row in beneficiary_breakdown(ReportFilters(year=2025), "month").rows}
    assert {month: count for month, count in rows.items() if count} == {"2025-06": 1}
    assert len(rows) == 12
    assert beneficiary_breakdown(ReportFilters(year=2026), "month").totals["registered"] == 0


def test_registration_year_cut_in_local_time(learner, settings):
    """23:30 UTC on 31 December 2025 is 00:30 on 1 January 2026 in Casablanca (UTC+1 then)."""
    settings.RAQMYA_TIME_ZONE = "Africa/Casablanca"
    make_profile(learner)
    _send(learner, dt.datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    assert (programme_summary(2025).totals.registered, programme_summary(2026).totals.registered) == (0, 1)


def _cookie_request(code: str):
    """Return the LMS registration request of a browser that followed the join link of ``code``."""
    request = RequestFactory().post("/api/user/v2/account/registration/")
    signer = signing.get_cookie_signer(salt=join.cookie_name() + join.COOKIE_SALT)
    request.COOKIES[join.cookie_name()] = signer.sign(code)
    return request


def test_join_cookie_in_request_sets_channel(learner, channel):
    make_profile(learner)
    set_current_request(_cookie_request(CODE))
    try:
        _send(learner, JUNE_2025.replace(year=2026))
    finally:
        set_current_request(None)
    assert BeneficiaryProfile.objects.get(user=learner).channel_id == channel.pk


def test_registration_outside_a_request_counts_no_channel(learner, channel):
    make_profile(learner)
    with impersonate(None):
        _send(learner, JUNE_2025.replace(year=2026))
    assert BeneficiaryProfile.objects.get(user=learner).channel_id is None


def test_join_cookie_leaves_the_forms_channel(learner, channel):
    other = PromotionChannel.objects.create(code="OTHER-2026", name="Autre", kind="other")
    BeneficiaryProfile.objects.filter(pk=make_profile(learner).pk).update(channel=other)
    set_current_request(_cookie_request(CODE))
    try:
        _send(learner, JUNE_2025.replace(year=2026))
    finally:
        set_current_request(None)
    assert BeneficiaryProfile.objects.get(user=learner).channel_id == other.pk


def test_failed_registration_keeps_the_cookies_code_for_reconcile(learner, channel, monkeypatch):
    """The cookie is read during the request; ``raqmya_reconcile`` replays the code read then."""
    make_profile(learner)
    real_record_default_track = facts.record_default_track

    def locked(profile):
        raise OperationalError("database is locked")

    monkeypatch.setattr(facts, "record_default_track", locked)
    set_current_request(_cookie_request(CODE))
    try:
        _send(learner, JUNE_2025)
    finally:
        set_current_request(None)
    assert FailedEvent.objects.get().arguments["channel_code"] == CODE
    assert BeneficiaryProfile.objects.get(user=learner).channel_id is None
    monkeypatch.setattr(facts, "record_default_track", real_record_default_track)
    assert reconcile() == (1, 0)
    profile = BeneficiaryProfile.objects.get(user=learner)
    assert (profile.channel_id, profile.registered_at) == (channel.pk, JUNE_2025)
