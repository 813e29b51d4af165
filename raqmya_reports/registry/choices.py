"""Closed vocabularies of the registry: tracks, sectors and the kinds of territorial division."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Track(models.TextChoices):
    """Training track of a beneficiary, stored by its code."""

    PERFECTIONNEMENT = "perfectionnement", _("Perfectionnement digital")
    ACCULTURATION = "acculturation", _("Acculturation digitale")


class Sector(models.TextChoices):
    """Where a beneficiary works or what they do, as asked at registration."""

    PUBLIC_ADMINISTRATION = "public_administration", _("Public administration")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    PRIVATE_COMPANY = "private_company", _("Private company")
    GENERAL_PUBLIC = "general_public", _("General public")
    STUDENT = "student", _("Student")
    JOB_SEEKER = "job_seeker", _("Job seeker")


# Employees of administrations, local governments and companies take the
# continuing-education track; everyone else takes the awareness track.
SECTOR_DEFAULT_TRACK = {
    Sector.PUBLIC_ADMINISTRATION: Track.PERFECTIONNEMENT,
    Sector.LOCAL_GOVERNMENT: Track.PERFECTIONNEMENT,
    Sector.PRIVATE_COMPANY: Track.PERFECTIONNEMENT,
    Sector.GENERAL_PUBLIC: Track.ACCULTURATION,
    Sector.STUDENT: Track.ACCULTURATION,
    Sector.JOB_SEEKER: Track.ACCULTURATION,
}


class DivisionKind(models.TextChoices):
    """Kind of a second-level division of Morocco, as ISO 3166-2:MA names it."""

    PREFECTURE = "prefecture", _("Prefecture")
    PROVINCE = "province", _("Province")


# The 21 competences of DigComp 2.2 (JRC, 2022), by area: area 1 has 3, area 2 has 6,
# area 3 has 4, areas 4 and 5 have 4 each. Codes are "area.competence", e.g. "2.4".
DIGCOMP_COMPETENCE_CODES = frozenset(
    f"{area}.{number}" for area, count in ((1, 3), (2, 6), (3, 4), (4, 4), (5, 4)) for number in range(1, count + 1)
)


class Gender(models.TextChoices):
    """Gender a beneficiary may give at registration; the programme reports parity from it."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class AgeBand(models.TextChoices):
    """Age band a beneficiary may give at registration."""

    UNDER_25 = "under_25", _("Under 25")
    FROM_25_TO_34 = "25_34", _("25 to 34")
    FROM_35_TO_44 = "35_44", _("35 to 44")
    FROM_45_TO_54 = "45_54", _("45 to 54")
    FROM_55 = "55_plus", _("55 and over")


class ChannelKind(models.TextChoices):
    """Who promotes the programme through a registration link."""

    REGIONAL_COUNCIL = "regional_council", _("Regional council")
    PROVINCIAL_COUNCIL = "provincial_council", _("Prefectural or provincial council")
    OTHER = "other", _("Other channel")


class TrackSource(models.TextChoices):
    """What decided a beneficiary's track."""

    SECTOR = "sector", _("Default from the sector")
    STAFF = "staff", _("Set by staff")
    PLACEMENT = "placement", _("Placement test")


class Phase(models.TextChoices):
    """Phase of the programme that a cohort belongs to."""

    PILOT = "pilot", _("Pilot")
    GENERALISATION = "generalisation", _("Generalisation")


def proficiency_levels() -> range:
    """Return the proficiency levels, from 1 to ``RAQMYA_PROFICIENCY_LEVELS`` (8 in DigComp 2.2)."""
    return range(1, int(getattr(settings, "RAQMYA_PROFICIENCY_LEVELS", 8)) + 1)


DIGCOMP_AREA_CODES = frozenset({"1", "2", "3", "4", "5"})
