"""The ``raqmya_track`` user partition scheme: one content group per track, so a unit can be shown to one track.

The platform finds the scheme through the ``openedx.user_partition_scheme`` entry point. It calls
``get_group_for_user`` when it renders a restricted unit, and the group is the learner's track in
their beneficiary profile. The platform's ``UserPartition`` and ``Group`` come through ``platform``.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from . import platform
from .registry.choices import Track

log = logging.getLogger(__name__)

SCHEME_NAME = "raqmya_track"
# Studio numbers the partitions it creates from 100, so the platform's own partitions sit below it:
# 50 is the enrollment track partition and 51 content type gating. The programme's tracks use 70.
TRACK_PARTITION_ID = 70
# Group ids are stored in the course's content restrictions, so they never change once published.
TRACK_GROUP_IDS = {Track.PERFECTIONNEMENT.value: 1, Track.ACCULTURATION.value: 2}


def track_groups() -> list:
    """Return one platform ``Group`` per track, named by the track's translated label."""
    _partition_class, group_class = platform.get_user_partition_classes()
    labels = dict(Track.choices)
    return [group_class(group_id, str(labels[track])) for track, group_id in TRACK_GROUP_IDS.items()]


class TrackPartitionScheme:
    """Places each learner in the group of their track; a learner with no track is in no group."""

    # The groups are the programme's tracks: authors choose among them but do not edit them.
    read_only = True

    @classmethod
    def get_group_for_user(cls, course_key, user, user_partition, assign=True):  # pylint: disable=unused-argument
        """Return the group of ``user_partition`` for the user's track, or None (no track, anonymous user)."""
        from .api import get_learner_track  # pylint: disable=import-outside-toplevel

        if user is None or getattr(user, "is_anonymous", False) or getattr(user, "id", None) is None:
            return None
        track = get_learner_track(user.id)
        group_id = TRACK_GROUP_IDS.get(track) if track else None
        if group_id is None:
            return None
        group = next((group for group in user_partition.groups if group.id == group_id), None)
        if group is None:
            log.warning("Course %s: partition %s has no group %s for the track %s of user %s.",
                        course_key, user_partition.id, group_id, track, user.id)
        return group

    @classmethod
    def create_user_partition(cls, id, name, description, groups=None, parameters=None, active=True):
        """Return a platform ``UserPartition`` of this scheme; without groups, one per track."""
        # pylint: disable=redefined-builtin,too-many-positional-arguments  # the platform's signature, with ``id``
        partition_class, _group_class = platform.get_user_partition_classes()
        return partition_class(id, str(name), str(description), groups or track_groups(), scheme=cls,
                               parameters=parameters or {}, active=active)


def create_track_partition(course=None):  # pylint: disable=unused-argument
    """Return the track partition of a course, for a dynamic partition generator of the platform."""
    return TrackPartitionScheme.create_user_partition(
        TRACK_PARTITION_ID, _("Programme track"), _("Shows a unit to the learners of one track only."),
    )
