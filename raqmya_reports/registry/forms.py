"""Registration form of the programme's questions, for the LMS's ``REGISTRATION_EXTENSION_FORM`` setting.

The LMS builds the form from the registration POST data, validates it with the account
fields, then calls ``save(commit=False)``, sets ``user`` and saves the profile itself.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .channels import resolve_channel
from .models import BeneficiaryProfile, Province, Region


class DivisionChoiceField(forms.ModelChoiceField):
    """A region or province choice labelled in Arabic for Arabic pages, in French otherwise."""

    def label_from_instance(self, obj):
        """Return the division's name in the page language."""
        if (get_language() or "").startswith("ar") and obj.name_ar:
            return obj.name_ar
        return obj.name_fr


class BeneficiaryProfileForm(forms.ModelForm):
    """Region, prefecture or province, sector, organisation, optional gender and age band, consent, channel code."""

    region = DivisionChoiceField(
        queryset=Region.objects.all(),
        label=_("Region"),
        help_text=_("The region where you live or work."),
        error_messages={"required": _("Choose your region."), "invalid_choice": _("Choose a region from the list.")},
    )
    province = DivisionChoiceField(
        queryset=Province.objects.all(),
        label=_("Prefecture or province"),
        help_text=_("The prefecture or province of that region."),
        error_messages={
            "required": _("Choose your prefecture or province."),
            "invalid_choice": _("Choose a prefecture or province from the list."),
        },
    )
    consent = forms.BooleanField(
        required=True,
        label=_("I agree that the programme processes my personal data to follow my training."),
        help_text=_(
            "Your data is processed under Moroccan law 09-08 on personal data. "
            "Reports show figures by region and province, not your name."
        ),
        error_messages={"required": _("Tick the box to agree to the processing of your data; it is required.")},
    )
    channel_code = forms.CharField(
        required=False,
        max_length=64,
        label=_("Registration code (optional)"),
        help_text=_("The code of the registration link you received, if any."),
    )

    class Meta:
        model = BeneficiaryProfile
        fields = ["region", "province", "sector", "organisation", "gender", "age_band", "consent"]
        labels = {
            "sector": _("Occupation"),
            "organisation": _("Organisation (optional)"),
            "gender": _("Gender (optional)"),
            "age_band": _("Age band (optional)"),
        }
        help_texts = {
            "sector": _("What you do: it decides your training track."),
            "organisation": _("The administration, local government or company you work for, if any."),
            "gender": _("Used only for figures on the programme's reach."),
            "age_band": _("Used only for figures on the programme's reach."),
        }
        error_messages = {
            "sector": {
                "required": _("Choose your occupation."),
                "invalid_choice": _("Choose an occupation from the list."),
            },
            "gender": {"invalid_choice": _("Choose a gender from the list, or leave it empty.")},
            "age_band": {"invalid_choice": _("Choose an age band from the list, or leave it empty.")},
        }
        # The LMS serializes a custom field by its exact form class; a model choice is a select.
        serialization_options = {"region": {"field_type": "select"}, "province": {"field_type": "select"}}

    def clean(self):
        """Reject a province outside the chosen region, on the province field."""
        cleaned_data = super().clean()
        region, province = cleaned_data.get("region"), cleaned_data.get("province")
        if region and province and province.region_id != region.pk:
            self.add_error(
                "province",
                forms.ValidationError(
                    _("%(province)s is not in the region %(region)s. Choose a prefecture or province of that region."),
                    code="province_outside_region",
                    params={
                        "province": self.fields["province"].label_from_instance(province),
                        "region": self.fields["region"].label_from_instance(region),
                    },
                ),
            )
        return cleaned_data

    def save(self, commit=True):
        """Return the profile with the channel of its code; an unknown or expired code is logged and ignored.

        The consent date is set when the profile is saved (``BeneficiaryProfile.clean``).
        """
        profile = super().save(commit=False)
        channel = resolve_channel(self.cleaned_data.get("channel_code"), when=timezone.now(), user_id=profile.user_id)
        if channel is not None:
            profile.channel = channel
        if commit:
            profile.save()
        return profile
