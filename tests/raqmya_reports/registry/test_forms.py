"""Tests of the registration extension form, used as the LMS uses ``REGISTRATION_EXTENSION_FORM``."""

import pytest
from django.utils import translation

from raqmya_reports.registry.forms import BeneficiaryProfileForm
from raqmya_reports.registry.models import BeneficiaryProfile, Province
from tests.raqmya_reports.factories import make_user

pytestmark = pytest.mark.django_db


def test_valid_form_saves_profile():
    user = make_user()
    form = BeneficiaryProfileForm(
        data={"region": "MA-06", "province": "MA-NOU", "sector": "private_company", "consent": "on"}
    )
    assert form.is_valid(), form.errors
    profile = form.save(commit=False)
    profile.user = user
    profile.save()
    stored = BeneficiaryProfile.objects.get(user=user)
    assert (stored.region_id, stored.province_id, stored.track) == ("MA-06", "MA-NOU", "perfectionnement")


def test_province_outside_region_error():
    form = BeneficiaryProfileForm(data={"region": "MA-01", "province": "MA-CAS", "sector": "student"})
    with translation.override("en"):
        assert form.is_valid() is False
        assert form.errors["province"] == [
            "Casablanca is not in the region Tanger-Tétouan-Al Hoceïma. "
            "Choose a prefecture or province of that region."
        ]


def test_province_outside_region_only_error():
    form = BeneficiaryProfileForm(data={"region": "MA-01", "province": "MA-CAS", "sector": "student", "consent": "on"})
    assert list(form.errors) == ["province"]


def test_unknown_region_is_an_error_on_the_region():
    form = BeneficiaryProfileForm(data={"region": "MA-99", "province": "MA-CAS", "sector": "student"})
    with translation.override("en"):
        assert form.errors["region"] == ["Choose a region from the list."]


def test_missing_sector_is_required():
    form = BeneficiaryProfileForm(data={"region": "MA-06", "province": "MA-CAS"})
    with translation.override("en"):
        assert form.errors["sector"] == ["Choose your occupation."]


def test_choices_are_labelled_in_arabic_on_arabic_pages():
    form = BeneficiaryProfileForm()
    with translation.override("ar"):
        labels = dict(form.fields["province"].choices)
    assert labels[next(key for key in labels if str(key) == "MA-NOU")] == "النواصر"


def test_choice_without_arabic_name_falls_back_to_french():
    Province.objects.filter(code="MA-AGD").update(name_ar="")
    form = BeneficiaryProfileForm()
    with translation.override("ar"):
        labels = {str(key): label for key, label in form.fields["province"].choices}
    assert labels["MA-AGD"] == "Agadir-Ida-Ou-Tanane"


def test_labels_are_marked_for_translation():
    form = BeneficiaryProfileForm()
    with translation.override("en"):
        assert [str(form.fields[name].label) for name in ("region", "province", "sector")] == [
            "Region",
            "Prefecture or province",
            "Occupation",
        ]
