"""Tests of the registration form's organisation, gender, age band, consent and registration code fields."""

import datetime as dt
import logging

import pytest
from django import forms
from django.utils import translation

from raqmya_reports.registry.forms import BeneficiaryProfileForm
from raqmya_reports.registry.models import BeneficiaryProfile, PromotionChannel
from tests.raqmya_reports.factories import make_user

pytestmark = pytest.mark.django_db

VALID = {"region": "MA-06", "province": "MA-CAS", "sector": "public_administration", "consent": "on"}
# Form field classes that the LMS serializes by themselves in its registration form description.
LMS_FIELD_CLASSES = {forms.CharField, forms.ChoiceField, forms.TypedChoiceField, forms.BooleanField}


def register(**changes):
    """Validate the form as the LMS does, save the profile of a new user, and return it."""
    form = BeneficiaryProfileForm(data={**VALID, **changes})
    assert form.is_valid(), form.errors
    profile = form.save(commit=False)
    profile.user = make_user()
    profile.save()
    return BeneficiaryProfile.objects.get(pk=profile.pk)


def make_channel(code="CR-SOUSS", **fields):
    """Create and return a promotion channel."""
    return PromotionChannel.objects.create(code=code, name="Conseil régional", kind="regional_council", **fields)


def test_consent_missing_is_an_error():
    form = BeneficiaryProfileForm(data={**VALID, "consent": ""})
    with translation.override("en"):
        assert form.errors["consent"] == ["Tick the box to agree to the processing of your data; it is required."]


def test_consent_date_is_stored():
    before = dt.datetime.now(dt.timezone.utc)
    profile = register()
    assert profile.consent is True
    assert profile.consent_at >= before


def test_optional_fields_may_stay_empty():
    profile = register()
    assert (profile.organisation, profile.gender, profile.age_band, profile.channel) == ("", "", "", None)


def test_optional_fields_are_stored():
    profile = register(organisation="Commune d'Agadir", gender="female", age_band="25_34")
    assert (profile.organisation, profile.gender, profile.age_band) == ("Commune d'Agadir", "female", "25_34")


def test_unknown_gender_is_an_error():
    form = BeneficiaryProfileForm(data={**VALID, "gender": "x"})
    with translation.override("en"):
        assert form.errors["gender"] == ["Choose a gender from the list, or leave it empty."]


def test_unknown_age_band_is_an_error():
    form = BeneficiaryProfileForm(data={**VALID, "age_band": "90_plus"})
    with translation.override("en"):
        assert form.errors["age_band"] == ["Choose an age band from the list, or leave it empty."]


def test_channel_code_sets_the_channel():
    channel = make_channel()
    assert register(channel_code=" CR-SOUSS ").channel == channel


def test_unknown_channel_code_is_ignored(caplog):
    with caplog.at_level(logging.WARNING, logger="raqmya_reports.registry.channels"):
        profile = register(channel_code="NOPE")
    assert profile.channel is None
    assert "unknown channel code 'NOPE'" in caplog.text


def test_expired_channel_code_is_ignored(caplog):
    make_channel(valid_until=dt.date(2020, 12, 31))
    with caplog.at_level(logging.WARNING, logger="raqmya_reports.registry.channels"):
        profile = register(channel_code="CR-SOUSS")
    assert profile.channel is None
    assert "expired or inactive channel code 'CR-SOUSS'" in caplog.text


def test_inactive_channel_code_is_ignored():
    make_channel(is_active=False)
    assert register(channel_code="CR-SOUSS").channel is None


def test_channel_code_too_long_is_an_error():
    form = BeneficiaryProfileForm(data={**VALID, "channel_code": "X" * 65})
    assert list(form.errors) == ["channel_code"]


def test_new_labels_in_english():
    form = BeneficiaryProfileForm()
    names = ("organisation", "gender", "age_band", "channel_code")
    with translation.override("en"):
        assert [str(form.fields[name].label) for name in names] == [
            "Organisation (optional)", "Gender (optional)", "Age band (optional)", "Registration code (optional)",
        ]


def test_only_consent_among_new_fields_is_required():
    form = BeneficiaryProfileForm()
    names = ("organisation", "gender", "age_band", "consent", "channel_code")
    assert [form.fields[name].required for name in names] == [False, False, False, True, False]


def test_every_field_has_a_type_the_lms_can_serialize():
    form = BeneficiaryProfileForm()
    options = BeneficiaryProfileForm.Meta.serialization_options
    unserializable = [
        name for name, field in form.fields.items()
        if type(field) not in LMS_FIELD_CLASSES and "field_type" not in options.get(name, {})
    ]
    assert unserializable == []
