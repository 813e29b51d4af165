"""Morocco's regions and prefectures/provinces, loaded from the app's reference file."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..choices import DivisionKind


class Region(models.Model):
    """One of Morocco's 12 regions, identified by its ISO 3166-2:MA code (``MA-01`` to ``MA-12``)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name_fr = models.CharField(_("name in French"), max_length=128)
    name_ar = models.CharField(_("name in Arabic"), max_length=128)

    class Meta:
        app_label = "raqmya_reports"
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.code} {_name_in_page_language(self)}"


class Province(models.Model):
    """A prefecture or province of Morocco, identified by its ISO 3166-2:MA code (``MA-TNG``)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces", verbose_name=_("region"))
    name_fr = models.CharField(_("name in French"), max_length=128)
    name_ar = models.CharField(_("name in Arabic"), max_length=128, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DivisionKind.choices)

    class Meta:
        app_label = "raqmya_reports"
        ordering = ["region_id", "code"]
        verbose_name = _("prefecture or province")
        verbose_name_plural = _("prefectures and provinces")

    def __str__(self):
        return f"{self.code} {_name_in_page_language(self)}"


def _name_in_page_language(division) -> str:
    """Return the Arabic name on Arabic pages when there is one, the French name otherwise."""
    if (get_language() or "").startswith("ar") and division.name_ar:
        return division.name_ar
    return division.name_fr
