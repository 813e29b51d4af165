"""Registration form of the programme's questions, for the LMS's ``REGISTRATION_EXTENSION_FORM`` setting.

The LMS builds the form from the registration POST data, validates it with the account
fields, then calls ``save(commit=False)``, sets ``user`` and saves the profile itself.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import BeneficiaryProfile, Province, Region


class DivisionChoiceField(forms.ModelChoiceField):
    """A region or province choice labelled in Arabic for Arabic pages, in French otherwise."""

    def label_from_instance(self, obj):
        """Return the division's name in the page language."""
        if (get_language() or "").startswith("ar") and obj.name_ar:
            return obj.name_ar
        return obj.name_fr


class BeneficiaryProfileForm(forms.ModelForm):
    """Region, prefecture or province, and sector of a new learner."""

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

    class Meta:
        model = BeneficiaryProfile
        fields = ["region", "province", "sector"]
        labels = {"sector": _("Occupation")}
        help_texts = {"sector": _("What you do: it decides your training track.")}
        error_messages = {"sector": {"required": _("Choose your occupation.")}}

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
