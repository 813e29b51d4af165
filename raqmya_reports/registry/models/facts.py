"""Database models of the registry: territories, beneficiary profiles and learning facts.

Text columns that carry an index are at most 191 characters, so that an index on them
fits the 767-byte key limit of MySQL's older row formats in utf8mb4. Course and usage
keys are 255 characters, like edx-platform's key fields, so they are not indexed
themselves: a SHA-256 of the key, 64 characters, carries the index instead.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import SECTOR_DEFAULT_TRACK, DivisionKind, Sector, Track

KEY_LENGTH = 255


def key_hash(key):
    """Return the SHA-256 hex digest that indexes a course or usage key."""
    return hashlib.sha256(str(key).encode("utf-8")).hexdigest()


class Region(models.Model):
    """One of Morocco's 12 regions, identified by its ISO 3166-2:MA code (``MA-01`` to ``MA-12``)."""

    code = models.CharField(max_length=8, primary_key=True)
    name_fr = models.CharField(max_length=128)
    name_ar = models.CharField(max_length=128)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name_fr}"


class Province(models.Model):
    """A prefecture or province of Morocco, identified by its ISO 3166-2:MA code (``MA-TNG``)."""

    code = models.CharField(max_length=8, primary_key=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces")
    name_fr = models.CharField(max_length=128)
    name_ar = models.CharField(max_length=128, blank=True)
    kind = models.CharField(max_length=16, choices=DivisionKind.choices)

    class Meta:
        ordering = ["region_id", "code"]

    def __str__(self):
        return f"{self.code} {self.name_fr}"


class Course(models.Model):
    """A course of the programme's catalogue, created the first time an event names it."""

    course_key = models.CharField(max_length=KEY_LENGTH)
    course_key_hash = models.CharField(max_length=64, unique=True, editable=False)
    display_name = models.CharField(max_length=KEY_LENGTH, blank=True)

    def save(self, *args, **kwargs):
        """Keep the indexed hash in step with the key."""
        self.course_key_hash = key_hash(self.course_key)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.course_key


class BeneficiaryProfile(models.Model):
    """What the programme knows of one learner: where they live, what they do, their track."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="raqmya_profile")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="beneficiaries")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="beneficiaries")
    sector = models.CharField(max_length=32, choices=Sector.choices)
    track = models.CharField(max_length=32, choices=Track.choices, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [
            ("view_programme_reports", "Can view the programme's reports for every region"),
        ]

    def clean(self):
        """Reject a province outside the region, and default the track from the sector."""
        if self.province_id and self.region_id and self.province.region_id != self.region_id:
            raise ValidationError(
                {
                    "province": _(
                        "The province %(province)s is not in the region %(region)s. "
                        "Choose a province of that region or change the region."
                    )
                    % {"province": self.province_id, "region": self.region_id}
                }
            )
        if not self.track and self.sector:
            self.track = SECTOR_DEFAULT_TRACK[self.sector]

    def save(self, *args, **kwargs):
        """Validate, then save: every writer goes through ``clean``."""
        self.clean()
        super().save(*args, **kwargs)

    def __str__(self):
        return f"beneficiary of user {self.user_id}"


class Enrollment(models.Model):
    """The current state of one learner's enrollment in one course, whatever its history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="raqmya_enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    mode = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    first_enrolled_at = models.DateTimeField(db_index=True)
    # When ``is_active`` last changed, and the time of the newest event seen: an event older
    # than ``last_event_at`` changes nothing, even if it repeats the stored state.
    changed_at = models.DateTimeField()
    last_event_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="raqmya_enrollment_user_course")]

    def __str__(self):
        return f"enrollment of user {self.user_id} in course {self.course_id}"


class EnrollmentChange(models.Model):
    """One activation or deactivation of an enrollment, kept so that history can be reported."""

    ACTIVATED = "activated"
    DEACTIVATED = "deactivated"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=16, choices=[(ACTIVATED, ACTIVATED), (DEACTIVATED, DEACTIVATED)])
    time = models.DateTimeField()
    source = models.CharField(max_length=32)

    class Meta:
        ordering = ["time", "id"]


class CourseGrade(models.Model):
    """The latest course grade of one learner in one course, as the platform computed it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="raqmya_grades")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="grades")
    # A passing status can arrive before any grade summary: the percent is then unknown.
    percent = models.FloatField(
        null=True, blank=True, help_text="Course grade from 0.0 to 1.0, as the platform reports it."
    )
    letter_grade = models.CharField(max_length=64, blank=True)
    passed = models.BooleanField(default=False)
    passed_at = models.DateTimeField(null=True, blank=True)
    # Times of the events that last set the grade and the passed flag; an older event changes neither.
    graded_at = models.DateTimeField(null=True, blank=True)
    passed_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="raqmya_grade_user_course")]

    def __str__(self):
        return f"grade of user {self.user_id} in course {self.course_id}"


class AssessmentResult(models.Model):
    """One scored attempt at a Raqmya assessment block, with its points per competence."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="raqmya_results")
    usage_key = models.CharField(max_length=KEY_LENGTH)
    usage_key_hash = models.CharField(max_length=64, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="results")
    attempt = models.PositiveIntegerField()
    track = models.CharField(max_length=32, choices=Track.choices, blank=True)
    earned = models.FloatField()
    possible = models.FloatField()
    passed = models.BooleanField()
    competences = models.JSONField(default=dict, help_text="Earned and possible points per DigComp competence code.")
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "usage_key_hash", "attempt"], name="raqmya_result_user_usage_attempt"
            )
        ]

    def save(self, *args, **kwargs):
        """Keep the indexed hash in step with the usage key."""
        self.usage_key_hash = key_hash(self.usage_key)
        super().save(*args, **kwargs)

    def __str__(self):
        return f"result of user {self.user_id} at {self.usage_key} attempt {self.attempt}"


class ProcessedEvent(models.Model):
    """The identity of an event already applied, so that a repeated delivery changes nothing.

    ``key`` is the openedx-events metadata id (a UUID) for signals, and a SHA-256 of the
    event's identifying fields for tracking-log lines, which carry no id of their own.
    """

    key = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=191)
    processed_at = models.DateTimeField(auto_now_add=True)
