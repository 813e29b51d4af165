"""The openedx-filters step that keeps learners to the courses of their own track, when the site asks for it.

Add ``raqmya_reports.filters.TrackEnrollmentStep`` to the pipeline of
``org.openedx.learning.course.enrollment.started.v1`` in ``OPEN_EDX_FILTERS_CONFIG`` (the Tutor
plugin does) and set ``RAQMYA_ENFORCE_TRACK_ENROLLMENT``. A course is of one track when its
catalogue entry lists only that track; courses of both tracks or outside the catalogue stay open.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.translation import gettext as _
from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted

from .registry.choices import Track
from .registry.models import BeneficiaryProfile, CatalogueEntry, key_hash

log = logging.getLogger(__name__)

ENROLLMENT_STARTED = CourseEnrollmentStarted.filter_type
STEP_PATH = "raqmya_reports.filters.TrackEnrollmentStep"


def course_tracks(course_key) -> list[str]:
    """Return the tracks that the catalogue gives the course, or an empty list when it is not listed."""
    tracks = (CatalogueEntry.objects.filter(course__course_key_hash=key_hash(course_key))
              .values_list("tracks", flat=True).first())
    return list(tracks or [])


class TrackEnrollmentStep(PipelineStep):
    """Prevents enrollment in a course that belongs only to the other track, when enforcement is on.

    Staff, learners without a track and courses open to both tracks pass unchanged.
    """

    def run_filter(self, user, course_key, mode):  # pylint: disable=arguments-differ
        """Return the arguments unchanged, or raise ``PreventEnrollment`` with a translated message."""
        if not getattr(settings, "RAQMYA_ENFORCE_TRACK_ENROLLMENT", False) or getattr(user, "is_staff", False):
            return {"user": user, "course_key": course_key, "mode": mode}
        learner_track = BeneficiaryProfile.objects.filter(user_id=user.id).values_list("track", flat=True).first()
        tracks = course_tracks(course_key)
        if not learner_track or not tracks or learner_track in tracks:
            return {"user": user, "course_key": course_key, "mode": mode}
        labels = dict(Track.choices)
        log.info("Enrollment of user %s in course %s prevented: course of track %s, learner of track %s.",
                 user.id, course_key, ",".join(tracks), learner_track)
        raise CourseEnrollmentStarted.PreventEnrollment(
            _(
                "This course belongs to the track %(course_track)s and your track is %(learner_track)s. "
                "To change track, take the placement test again from your page, or ask the programme team."
            )
            % {"course_track": ", ".join(str(labels.get(track, track)) for track in tracks),
               "learner_track": labels.get(learner_track, learner_track)}
        )
