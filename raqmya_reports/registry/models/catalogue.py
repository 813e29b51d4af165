"""Courses that events name, and the programme catalogue entry that places a course in the tracks."""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_LENGTH = 255


def key_hash(key) -> str:
    """Return the SHA-256 hex digest that indexes a course or usage key."""
    return hashlib.sha256(str(key).encode("utf-8")).hexdigest()


class Course(models.Model):
    """A course of the platform, created the first time an event or the catalogue names it."""

    course_key = models.CharField(_("course key"), max_length=KEY_LENGTH)
    course_key_hash = models.CharField(max_length=64, unique=True, editable=False)
    display_name = models.CharField(_("display name"), max_length=KEY_LENGTH, blank=True)

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def save(self, *args, **kwargs):
        """Keep the indexed hash in step with the key."""
        self.course_key_hash = key_hash(self.course_key)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.course_key


class CatalogueEntry(models.Model):
    """A course of the programme: the tracks it serves, its hours, DigComp competences, level and language.

    ``tracks`` is a list of track codes and ``competences`` a list of DigComp 2.2 competence
    codes ("2.4"); ``level`` is a DigComp proficiency level from 1 to 8. ``language`` is the code
    of the language the course is taught in ("fr", "ar"), empty when not given.
    """

    course = models.OneToOneField(
        Course, on_delete=models.CASCADE, related_name="catalogue_entry", verbose_name=_("course")
    )
    tracks = models.JSONField(_("tracks"), default=list)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, help_text=_("Learning hours."))
    competences = models.JSONField(_("competences"), default=list)
    level = models.PositiveSmallIntegerField(_("proficiency level"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=16, blank=True, default="",
        help_text=_("Code of the language the course is taught in, such as fr or ar. Recommendations list the "
                    "courses in the learner's language first."),
    )
    # Kept from COURSE_CATALOG_INFO_CHANGED: a hidden course stays in reports but is not recommended.
    hidden = models.BooleanField(_("hidden from the catalogue"), default=False)
    starts_at = models.DateTimeField(_("start"), null=True, blank=True)
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    catalogue_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue")

    def __str__(self):
        return f"catalogue entry of course {self.course_id}"
