"""Track decisions: the default from the sector, staff overrides and placement results, with history."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import InvalidBeneficiary
from .choices import SECTOR_DEFAULT_TRACK, Sector, Track, TrackSource
from .models import BeneficiaryProfile, TrackAssignment

log = logging.getLogger(__name__)


def assign_track(user_id: int, track: str, *, source: str, reason: str = "", assigned_by=None) -> TrackAssignment:
    """Set the beneficiary's track and keep the decision in the history.

    Raises ``InvalidBeneficiary`` for an unknown track or source, or a user without profile.
    """
    if track not in Track.values:
        raise InvalidBeneficiary(
            _("Track %(track)r is not known; use one of %(tracks)s.")
            % {"track": track, "tracks": ", ".join(Track.values)}
        )
    if source not in TrackSource.values:
        raise InvalidBeneficiary(
            _("Track source %(source)r is not known; use one of %(sources)s.")
            % {"source": source, "sources": ", ".join(TrackSource.values)}
        )
    with transaction.atomic():
        profile = BeneficiaryProfile.objects.select_for_update().filter(user_id=user_id).first()
        if profile is None:
            raise InvalidBeneficiary(
                _("User %(user_id)s has no beneficiary profile; register them before setting a track.")
                % {"user_id": user_id}
            )
        BeneficiaryProfile.objects.filter(pk=profile.pk).update(track=track, modified=timezone.now())
        assignment = TrackAssignment.objects.create(
            user_id=user_id, track=track, source=source, reason=reason[:191], assigned_by=assigned_by
        )
    log.info(
        "Track of user %s set to %s by %s (staff user %s).",
        user_id,
        track,
        source,
        getattr(assigned_by, "pk", None),
    )
    return assignment


def record_default_track(profile: BeneficiaryProfile) -> TrackAssignment | None:
    """Record the sector's default track of a new profile, unless its history already has a decision."""
    if TrackAssignment.objects.filter(user_id=profile.user_id).exists():
        return None
    track = profile.track or SECTOR_DEFAULT_TRACK[Sector(profile.sector)]
    return TrackAssignment.objects.create(
        user_id=profile.user_id,
        track=track,
        source=TrackSource.SECTOR,
        reason=_("Default track of the sector %(sector)s") % {"sector": profile.sector},
    )


def track_at(user_id: int, moment) -> str:
    """Return the learner's track at ``moment`` as the assessment block read it then, or "" when unknown.

    That is the newest decision made by then. A learner whose track was never decided has had
    the profile's track all along. Before a learner's first decision, the track is unknown.
    """
    decisions = TrackAssignment.objects.filter(user_id=user_id)
    decided = decisions.filter(assigned_at__lte=moment).order_by("-assigned_at", "-id").values_list("track", flat=True)
    track = decided.first()
    if track is None and not decisions.exists():
        track = BeneficiaryProfile.objects.filter(user_id=user_id).values_list("track", flat=True).first()
    return track or ""
