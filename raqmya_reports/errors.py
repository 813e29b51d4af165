"""Domain errors of the reports app; each message names the bad value and how to fix it."""


class RaqmyaReportsError(Exception):
    """Base of every error that the reports app raises on purpose."""


class InvalidReferenceData(RaqmyaReportsError):
    """A row of the territorial reference file that cannot be loaded."""


class InvalidBeneficiary(RaqmyaReportsError):
    """Registration details of a beneficiary that do not fit the registry."""


class InvalidAssessmentResult(RaqmyaReportsError):
    """An assessment result whose values cannot be recorded."""


class UnknownUser(RaqmyaReportsError):
    """A user id that names no user of the platform."""


class InvalidTrackingEvent(RaqmyaReportsError):
    """A tracking-log line that is JSON but lacks a field the import needs."""


class PlatformBackendError(RaqmyaReportsError):
    """A ``RAQMYA_PLATFORM_BACKEND`` setting that names no usable backend module."""


class InvalidCatalogue(RaqmyaReportsError):
    """A programme catalogue file that cannot be imported; ``errors`` lists every bad value."""

    def __init__(self, message: str, errors=()):
        super().__init__(message)
        self.errors = list(errors)
