"""Learning facts of beneficiaries: enrollments, grades, certificates, results and daily activity."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Track
from .catalogue import KEY_LENGTH, Course, key_hash


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
        app_label = "raqmya_reports"
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
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
        app_label = "raqmya_reports"
        verbose_name = _("enrollment change")
        verbose_name_plural = _("enrollment changes")
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
        app_label = "raqmya_reports"
        verbose_name = _("course grade")
        verbose_name_plural = _("course grades")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="raqmya_grade_user_course")]

    def __str__(self):
        return f"grade of user {self.user_id} in course {self.course_id}"


# Length of an attempt series id: the block sends a SHA-256 in hex.
SERIES_LENGTH = 64
# The series of attempts recorded before attempts carried a series id. It is no block's id, so the
# first attempt of a new series, after a reset, replaces such a row; see ``registry.attempts``.
LEGACY_SERIES = "legacy"


class AssessmentResult(models.Model):
    """One scored attempt at a Raqmya assessment block, with its points per competence.

    ``series`` names the learner state that the attempt was made in. A reset of the learner's
    attempts starts a new series, whose attempts count from 1 again. It is empty when the source
    did not name one (a ``problem_check`` line, an older event).
    """

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
    series = models.CharField(max_length=SERIES_LENGTH, blank=True, default="")

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
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


class Certificate(models.Model):
    """The certificate of one learner in one course: when it was created and, if so, revoked.

    ``status`` is the platform's certificate status as last received ("downloadable",
    "revoked"...); ``is_valid`` tells whether the learner holds it now.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="raqmya_certificates", verbose_name=_("user")
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("course"))
    mode = models.CharField(_("mode"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=32)
    is_valid = models.BooleanField(_("valid"), default=True)
    created_at = models.DateTimeField(_("created at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Time of the newest event applied: an older event changes nothing.
    last_event_at = models.DateTimeField()

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="raqmya_certificate_user_course")]

    def __str__(self):
        return f"certificate of user {self.user_id} in course {self.course_id}"


class PlacementResult(models.Model):
    """One placement test taken by a learner: a proficiency level per DigComp area, and the track it gives.

    ``levels`` maps DigComp 2.2 area codes ("1" to "5") to proficiency levels from 1 to 8.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="raqmya_placements", verbose_name=_("user")
    )
    usage_key = models.CharField(_("usage key"), max_length=KEY_LENGTH)
    usage_key_hash = models.CharField(max_length=64, editable=False)
    # The course of the block; null for runs recorded before it was kept, or for a block outside a course.
    course = models.ForeignKey(
        Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="placements", verbose_name=_("course")
    )
    attempt = models.PositiveIntegerField(_("attempt"))
    levels = models.JSONField(_("proficiency levels"), default=dict)
    track = models.CharField(_("track"), max_length=32, choices=Track.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    # When course staff reset the learner's runs at the block, which lets them retake the test before the delay.
    reset_at = models.DateTimeField(_("reset at"), null=True, blank=True)

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = _("placement result")
        verbose_name_plural = _("placement results")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "usage_key_hash", "attempt"], name="raqmya_placement_user_usage_attempt"
            )
        ]

    def save(self, *args, **kwargs):
        """Keep the indexed hash in step with the usage key."""
        self.usage_key_hash = key_hash(self.usage_key)
        super().save(*args, **kwargs)

    def __str__(self):
        return f"placement of user {self.user_id} at {self.usage_key} attempt {self.attempt}"


class DailyActivity(models.Model):
    """What one learner did on one local day: logins and assessment attempts.

    The programme's one definition of "active": a beneficiary is active on a day when they
    logged in to the platform or submitted an assessment attempt (a Raqmya assessment or
    placement block) on that day; active in a period (week, month, programme year) when
    active on at least one of its days. ``day`` is the date in ``RAQMYA_TIME_ZONE``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="raqmya_activity", verbose_name=_("user")
    )
    day = models.DateField(_("day"), db_index=True)
    logins = models.PositiveIntegerField(_("logins"), default=0)
    attempts = models.PositiveIntegerField(_("assessment attempts"), default=0)

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = _("daily activity")
        verbose_name_plural = _("daily activity")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="raqmya_activity_user_day")]

    def __str__(self):
        return f"activity of user {self.user_id} on {self.day}"
