"""Closed vocabularies of the registry: tracks, sectors and the kinds of territorial division."""

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
