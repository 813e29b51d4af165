"""DigComp 2.2 areas and competences, and the programme's tracks, with their names in three languages.

Loaded from the app's data files by a migration and by ``raqmya_load_reference_data``; the
codes are the ones that results, catalogue entries and profiles store.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class NamedInLanguages(models.Model):
    """A reference row with a French and an Arabic name, shown in the page's language."""

    name_fr = models.CharField(_("name in French"), max_length=191)
    name_ar = models.CharField(_("name in Arabic"), max_length=191)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """Return the Arabic name on Arabic pages, the French name otherwise."""
        if (get_language() or "").startswith("ar") and self.name_ar:
            return self.name_ar
        return self.name_fr


class DigCompArea(NamedInLanguages):
    """One of the 5 competence areas of DigComp 2.2, coded "1" to "5"."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_en = models.CharField(_("name in English"), max_length=191)

    class Meta:
        app_label = "raqmya_reports"
        ordering = ["code"]
        verbose_name = _("DigComp area")
        verbose_name_plural = _("DigComp areas")

    def __str__(self):
        return f"{self.code} {self.name}"


class DigCompCompetence(NamedInLanguages):
    """One of the 21 competences of DigComp 2.2, coded "area.number" such as "2.4"."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    area = models.ForeignKey(
        DigCompArea, on_delete=models.PROTECT, related_name="competences", verbose_name=_("area")
    )
    name_en = models.CharField(_("name in English"), max_length=191)

    class Meta:
        app_label = "raqmya_reports"
        ordering = ["code"]
        verbose_name = _("DigComp competence")
        verbose_name_plural = _("DigComp competences")

    def __str__(self):
        return f"{self.code} {self.name}"


class ProgrammeTrack(NamedInLanguages):
    """One of the programme's training tracks, by the code that profiles and results store."""

    code = models.CharField(_("code"), max_length=32, primary_key=True)

    class Meta:
        app_label = "raqmya_reports"
        ordering = ["code"]
        verbose_name = _("training track")
        verbose_name_plural = _("training tracks")

    def __str__(self):
        return f"{self.code} {self.name}"
