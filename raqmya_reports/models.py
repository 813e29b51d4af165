"""Models of the reports app; Django discovers them here, they live in their subpackages."""

from .delivery.models import AuditLogEntry, ReportScope  # noqa: F401  pylint: disable=unused-import
from .registry.models import (  # noqa: F401  pylint: disable=unused-import
    AssessmentResult,
    BeneficiaryProfile,
    CatalogueEntry,
    Certificate,
    Cohort,
    CohortMembership,
    Course,
    CourseGrade,
    DailyActivity,
    Enrollment,
    EnrollmentChange,
    FailedEvent,
    PlacementItemResult,
    PlacementResult,
    ProcessedEvent,
    PromotionChannel,
    Province,
    Region,
    TrackAssignment,
)
