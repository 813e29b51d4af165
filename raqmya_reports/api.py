"""The reports app's public interface: the only module that the XBlocks, the devstack and the demo call."""

from __future__ import annotations

import logging
import math
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .errors import InvalidAssessmentResult, InvalidBeneficiary
from .ingestion.activity import ATTEMPTS, count_activity
from .ingestion.facts import checked_placement, get_course, store_placement
from .registry import attempts
from .registry.choices import DIGCOMP_COMPETENCE_CODES, SECTOR_DEFAULT_TRACK, Sector, Track
from .registry.models import (
    BeneficiaryProfile,
    CatalogueEntry,
    Course,
    PlacementResult,
    Province,
    Region,
    key_hash,
)
from .registry.models.questions import add_question_results, checked_questions

__all__ = [
    "InvalidAssessmentResult",
    "InvalidBeneficiary",
    "course_names",
    "describe_courses",
    "get_learner_track",
    "get_real_user_id",
    "join_link_channel_name",
    "placement_recorded",
    "recommended_courses",
    "record_assessment_result",
    "record_placement",
    "record_placement_reset",
    "register_beneficiary",
]

log = logging.getLogger(__name__)
# From this many keys, ``course_names`` reads the registry's whole course table, not each key by its
# hash, which Django passes as one parameter each. For the 173 courses at scale 1 on SQLite, a new
# process took 0.26 to 0.29 ms for the whole table and 1.1 to 1.2 ms by hashes.
# The registry contains every course that the site's events named, so at most ``_ROWS_PER_NAME``
# rows per key are read so. For 100 keys in 20,000 courses, the hashes took 0.66 ms and the whole
# table 11.7 ms.
_WHOLE_TABLE_NAMES = 100
_ROWS_PER_NAME = 4


def get_learner_track(user_id: int) -> str | None:
    """Return the track code of the learner's beneficiary profile, or ``None`` when there is none."""
    track = BeneficiaryProfile.objects.filter(user_id=user_id).values_list("track", flat=True).first()
    return track or None


def record_assessment_result(
    *,
    user_id: int,
    usage_key,
    course_key,
    attempt: int,
    track: str | None,
    earned: float,
    possible: float,
    passed: bool,
    competences: dict[str, dict[str, float]],
    submitted_at: datetime,
    questions: dict[str, dict] | None = None,
    series: str = "",
) -> None:
    """Record one scored attempt at an assessment block, once per (user, usage key, attempt) and series.

    ``competences`` maps DigComp 2.2 codes to ``{"earned": points, "possible": points}``.
    ``questions`` maps the id of each question served in the attempt, and only those, to
    ``{"earned": points, "possible": points, "correct": bool, "competence": code}``.
    ``series`` is the block's id of the learner state the attempt was made in, up to 64 letters,
    digits, ``-`` or ``_``. A reset of the learner's attempts starts a new series.
    A repeated call for a stored attempt of the same series, or without a series, changes nothing,
    except that it adds the questions of an attempt stored without any. An attempt of another
    series replaces the stored one with its question rows when submitted later, and changes
    nothing when submitted earlier (see ``registry.attempts``). Raises ``InvalidAssessmentResult``
    naming the bad value; nothing is stored then.
    """
    _check_attempt(attempt)
    series = attempts.checked_series(series)
    _check_points(_("the result"), earned, possible)
    competences = _checked_competences(competences)
    if questions is not None:
        questions = checked_questions(questions, possible)
    if track and track not in Track.values:
        raise InvalidAssessmentResult(
            _("Track %(track)r is not known; use one of %(tracks)s or none.")
            % {"track": track, "tracks": ", ".join(Track.values)}
        )
    if not isinstance(submitted_at, datetime) or submitted_at.tzinfo is None:
        raise InvalidAssessmentResult(
            _("submitted_at %(value)r is not a datetime with a time zone; pass an aware datetime.")
            % {"value": submitted_at}
        )
    values = {"track": track or "", "earned": float(earned), "possible": float(possible), "passed": bool(passed),
              "competences": competences, "submitted_at": submitted_at, "series": series}
    try:
        with transaction.atomic():
            placement = _store_result(user_id, usage_key, course_key, attempt, values=values, questions=questions)
    except IntegrityError:
        # Two requests recorded the same attempt at once, so the first one's row is kept.
        log.info(
            "Result of user %s at %s attempt %s recorded concurrently; kept as stored.", user_id, usage_key, attempt
        )
        return
    if placement in (attempts.Placement.CREATE, attempts.Placement.REPLACE):
        log.info("Recorded the result of user %s at %s in course %s, attempt %s, series %s.",
                 user_id, usage_key, course_key, attempt, series or "(none)")


def _store_result(user_id: int, usage_key, course_key, attempt: int, *, values: dict,
                  questions: dict[str, dict] | None) -> attempts.Placement:
    """Store a checked attempt as ``registry.attempts`` places it; call it inside a transaction."""
    series, submitted_at = values["series"], values["submitted_at"]
    placement, stored = attempts.place(user_id, usage_key, attempt, series, submitted_at)
    if attempts.counts_as_activity(placement, user_id, usage_key, attempt, series):
        count_activity(user_id, submitted_at, ATTEMPTS)
    if placement is attempts.Placement.SAME:
        attempts.adopt_series(stored, series)
        added = add_question_results(stored, questions) if questions else 0
        log.info("Result of user %s at %s attempt %s already recorded; kept as stored, %s question results added.",
                 user_id, usage_key, attempt, added)
        return placement
    if placement is attempts.Placement.STALE:
        log.info("Result of user %s at %s attempt %s, series %s, submitted at %s, is of a series that a reset "
                 "ended, so it is not recorded.",
                 user_id, usage_key, attempt, series or "(none)", submitted_at.isoformat())
        return placement
    values = {**values, "course": get_course(course_key) if course_key else None}
    attempts.store(placement, stored, user_id, usage_key, attempt, values=values, questions=questions)
    return placement


def _check_attempt(attempt) -> None:
    """Reject an attempt number that is not a positive whole number."""
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise InvalidAssessmentResult(
            _("Attempt %(value)r is not valid; number attempts 1, 2, 3 and so on.") % {"value": attempt}
        )


def _check_points(what: str, earned, possible) -> None:
    """Reject points that are not finite numbers, are negative, or earn more than possible."""
    for name, value in (("earned", earned), ("possible", possible)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InvalidAssessmentResult(
                _("%(name)s points of %(what)s are %(value)r; give a number.")
                % {"name": name, "what": what, "value": value}
            )
        if value < 0:
            raise InvalidAssessmentResult(
                _("%(name)s points of %(what)s are %(value)s; points cannot be negative.")
                % {"name": name, "what": what, "value": value}
            )
    if earned > possible:
        raise InvalidAssessmentResult(
            _("%(what)s earns %(earned)s points out of %(possible)s; earned points cannot exceed possible ones.")
            % {"what": what, "earned": earned, "possible": possible}
        )


def _checked_competences(competences) -> dict[str, dict[str, float]]:
    """Return the per-competence points as plain floats, or raise naming the bad code or value."""
    if not isinstance(competences, dict):
        raise InvalidAssessmentResult(
            _("competences is %(value)r; give a dict of DigComp codes to earned and possible points.")
            % {"value": competences}
        )
    checked = {}
    for code, points in competences.items():
        if code not in DIGCOMP_COMPETENCE_CODES:
            raise InvalidAssessmentResult(
                _("Competence code %(code)r is not a DigComp 2.2 code; use one of 1.1 to 5.4, such as 2.4.")
                % {"code": code}
            )
        if not isinstance(points, dict) or set(points) != {"earned", "possible"}:
            raise InvalidAssessmentResult(
                _("Points of competence %(code)s are %(value)r; give {'earned': n, 'possible': n}.")
                % {"code": code, "value": points}
            )
        _check_points(_("competence %(code)s") % {"code": code}, points["earned"], points["possible"])
        checked[code] = {"earned": float(points["earned"]), "possible": float(points["possible"])}
    return checked


def register_beneficiary(
    user, *, region_code: str, province_code: str, sector: str, track: str | None = None
) -> BeneficiaryProfile:
    """Create or update the user's beneficiary profile; the track defaults from the sector.

    Raises ``InvalidBeneficiary`` for an unknown region, province, sector or track, and for
    a province outside the region. A rejected call leaves the stored profile unchanged.
    """
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise InvalidBeneficiary(
            _("Region %(code)r is not known; use an ISO 3166-2:MA region code from MA-01 to MA-12.")
            % {"code": region_code}
        )
    province = Province.objects.filter(code=province_code).first()
    if province is None:
        raise InvalidBeneficiary(
            _("Province %(code)r is not known; use an ISO 3166-2:MA prefecture or province code such as MA-CAS.")
            % {"code": province_code}
        )
    if province.region_id != region.code:
        raise InvalidBeneficiary(
            _("Province %(province)s is in region %(actual)s, not %(region)s; choose a province of that region.")
            % {"province": province.code, "actual": province.region_id, "region": region.code}
        )
    if sector not in Sector.values:
        raise InvalidBeneficiary(
            _("Sector %(sector)r is not known; use one of %(sectors)s.")
            % {"sector": sector, "sectors": ", ".join(Sector.values)}
        )
    if track and track not in Track.values:
        raise InvalidBeneficiary(
            _("Track %(track)r is not known; use one of %(tracks)s.")
            % {"track": track, "tracks": ", ".join(Track.values)}
        )
    profile, created = BeneficiaryProfile.objects.update_or_create(
        user=user,
        defaults={
            "region": region,
            "province": province,
            "sector": sector,
            "track": track or SECTOR_DEFAULT_TRACK[Sector(sector)],
        },
    )
    log.info(
        "%s beneficiary profile of user %s: region %s, province %s, track %s.",
        "Created" if created else "Updated",
        user.pk,
        region.code,
        province.code,
        profile.track,
    )
    return profile


def record_placement(  # pylint: disable=too-many-arguments
    *, user_id: int, usage_key, attempt: int, levels: dict[str, int], track: str, submitted_at: datetime,
    course_key=None, items: dict[str, dict] | None = None,
) -> bool:
    """Record a placement test's levels and set the learner's track from it; return whether it was new.

    ``levels`` maps DigComp 2.2 area codes ("1" to "5") to proficiency levels from 1 to
    ``RAQMYA_PROFICIENCY_LEVELS`` (8 by default). ``course_key`` is the course of the block, if any.
    ``items`` maps the id of each item served in the run, and only those, to
    ``{"correct": bool, "competence": code, "difficulty": the author's logits or None,
    "ability": the run's estimate in the item's area, in logits}``; item analysis estimates
    each item's difficulty from them.
    The track decision is kept in the track history with the source "placement". A repeated
    call for a stored attempt changes nothing, except that it adds the items of a run stored
    without any. Raises ``InvalidAssessmentResult`` naming the bad value, or ``InvalidBeneficiary``
    for a learner without a beneficiary profile; nothing is stored then.
    """
    _check_attempt(attempt)
    items = checked_placement(levels, track, items)
    if not isinstance(submitted_at, datetime) or submitted_at.tzinfo is None:
        raise InvalidAssessmentResult(
            _("submitted_at %(value)r is not a datetime with a time zone; pass an aware datetime.")
            % {"value": submitted_at}
        )
    created, _added = store_placement(user_id, usage_key, attempt, levels=levels, track=track,
                                      submitted_at=submitted_at, course_key=course_key, items=items)
    return created


def record_placement_reset(*, user_id: int, usage_key, reset_at: datetime) -> int:
    """Record that course staff reset the learner's placement runs at the block; return the runs marked.

    The learner may then retake the test before ``RAQMYA_PLACEMENT_RETAKE_DAYS`` have passed, and
    ``/raqmya/me/`` offers the retake. Runs submitted after ``reset_at`` are left unmarked. Raises
    ``InvalidAssessmentResult`` for a ``reset_at`` without a time zone.
    """
    if not isinstance(reset_at, datetime) or reset_at.tzinfo is None:
        raise InvalidAssessmentResult(
            _("reset_at %(value)r is not a datetime with a time zone; pass an aware datetime.") % {"value": reset_at}
        )
    marked = PlacementResult.objects.filter(
        user_id=user_id, usage_key_hash=key_hash(usage_key), submitted_at__lte=reset_at
    ).update(reset_at=reset_at)
    log.info("Placement runs of user %s at %s reset by staff at %s: %s marked.", user_id, usage_key,
             reset_at.isoformat(), marked)
    return marked


def placement_recorded(*, user_id: int, usage_key, attempt: int) -> bool:
    """Return whether the learner's placement run ``attempt`` at the block is stored, live or from a tracking log."""
    return PlacementResult.objects.filter(user_id=user_id, usage_key_hash=key_hash(usage_key), attempt=attempt).exists()


def join_link_channel_name(request) -> str | None:
    """Return the name of the usable channel whose registration link the request's browser followed, or ``None``."""
    from .registry import join  # pylint: disable=import-outside-toplevel

    code = join.channel_code(request)
    channel = join.usable_channel(code) if code else None
    return channel.name if channel is not None else None


def get_real_user_id() -> int | None:
    """Return the id of the person behind the current request; ``None`` outside a request or when anonymous.

    A block viewed by staff "as a specific learner" has the learner as its user. This function
    returns the staff member's id instead, so that the block leaves the learner's state and results untouched.
    """
    from . import platform  # pylint: disable=import-outside-toplevel

    return platform.get_real_user_id()


def describe_courses(course_keys) -> list[dict]:
    """Return the key, name and about page address (or ``None``) of each course, in the order given.

    The name is the one ``course_names`` gives.
    """
    from . import platform  # pylint: disable=import-outside-toplevel

    keys = [str(key) for key in course_keys]
    names = course_names(keys)
    return [{"course_key": key, "name": names[key], "about_url": platform.get_course_about_url(key)} for key in keys]


def course_names(course_keys) -> dict[str, str]:
    """Return each course's name by its key: the catalogue's title, else the platform's display name, else the key.

    The registry keeps the titles from Studio's catalogue events. The platform is asked only for
    the courses without one, and no about page is looked up: on edx-platform that is one query per
    course, which an export naming 173 courses does not need. From ``_WHOLE_TABLE_NAMES`` keys on,
    the titles of every course in the registry are read, with no condition, and the requested ones
    kept, unless the registry has more than ``_ROWS_PER_NAME`` courses per key.
    """
    from . import platform  # pylint: disable=import-outside-toplevel

    keys = sorted({str(key) for key in course_keys})
    titles = _whole_table_titles(keys) if len(keys) >= _WHOLE_TABLE_NAMES else None
    if titles is None:
        titles = dict(Course.objects.filter(course_key_hash__in=[key_hash(key) for key in keys])
                      .values_list("course_key", "display_name"))
    return {key: titles.get(key) or platform.get_course_display_name(key) or key for key in keys}


def _whole_table_titles(keys: list[str]) -> dict[str, str] | None:
    """Return the registry's titles of ``keys`` from its whole course table, or None for a table too large.

    A table is too large with more than ``_ROWS_PER_NAME`` rows per key, and only that many are read.
    """
    limit = _ROWS_PER_NAME * len(keys)
    rows = list(Course.objects.values_list("course_key", "display_name")[:limit + 1])
    if len(rows) > limit:
        return None
    requested = set(keys)
    return {key: title for key, title in rows if key in requested}


def recommended_courses(user_id: int, limit: int = 5, language: str | None = None) -> list[str]:
    """Return course keys of the learner's track that the catalogue recommends, easiest first.

    Courses hidden from the catalogue are left out. When the learner has a placement
    result, courses below their lowest area level are left out too. Without a track,
    the list is empty. With ``language`` (such as "ar"), the courses taught in it come
    first, then those whose language is not given, then the others, each group easiest first.
    """
    track = get_learner_track(user_id)
    if not track:
        return []
    placement = PlacementResult.objects.filter(user_id=user_id).order_by("-submitted_at", "-pk").first()
    floor = min(placement.levels.values()) if placement and placement.levels else 1
    entries = CatalogueEntry.objects.filter(hidden=False).select_related("course").order_by("level", "course_id")
    recommended = [entry for entry in entries
                   if track in (entry.tracks or []) and (entry.level is None or entry.level >= floor)]
    if language:
        # A stable sort keeps the easiest-first order within each group.
        recommended.sort(key=lambda entry: _language_rank(entry.language, language))
    return [entry.course.course_key for entry in recommended[:limit]]


def _language_rank(course_language: str, language: str) -> int:
    """Return 0 for a course taught in ``language``, 1 for one whose language is not given, 2 for any other."""
    if course_language == language:
        return 0
    if not course_language:
        return 1
    return 2
