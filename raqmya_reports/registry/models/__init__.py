"""Database models of the registry: territories, beneficiaries, cohorts, catalogue and learning facts.

Text columns that carry an index are at most 191 characters, so that an index on them
fits the 767-byte key limit of MySQL's older row formats in utf8mb4. Course and usage
keys are 255 characters, like edx-platform's key fields, so they are not indexed
themselves: a SHA-256 of the key, 64 characters, carries the index instead.
"""

from .beneficiary import BeneficiaryProfile, PromotionChannel, TrackAssignment
from .catalogue import KEY_LENGTH, CatalogueEntry, Course, key_hash
from .cohort import Cohort, CohortMembership
from .events import FailedEvent, ProcessedEvent
from .facts import (
    AssessmentResult,
    Certificate,
    CourseGrade,
    DailyActivity,
    Enrollment,
    EnrollmentChange,
    PlacementResult,
)
from .framework import DigCompArea, DigCompCompetence, ProgrammeTrack
from .placement_items import PlacementItemResult
from .questions import AssessmentQuestionResult
from .territory import Province, Region

__all__ = [
    "KEY_LENGTH",
    "AssessmentQuestionResult",
    "AssessmentResult",
    "BeneficiaryProfile",
    "CatalogueEntry",
    "Certificate",
    "Cohort",
    "CohortMembership",
    "Course",
    "CourseGrade",
    "DailyActivity",
    "DigCompArea",
    "DigCompCompetence",
    "Enrollment",
    "EnrollmentChange",
    "FailedEvent",
    "PlacementItemResult",
    "PlacementResult",
    "ProcessedEvent",
    "ProgrammeTrack",
    "PromotionChannel",
    "Province",
    "Region",
    "TrackAssignment",
    "key_hash",
]
