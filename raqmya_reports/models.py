"""Models of the reports app; Django discovers them here, they live in their subpackages."""

from .registry.models import (  # noqa: F401  pylint: disable=unused-import
    AssessmentResult,
    BeneficiaryProfile,
    Course,
    CourseGrade,
    Enrollment,
    EnrollmentChange,
    ProcessedEvent,
    Province,
    Region,
)
