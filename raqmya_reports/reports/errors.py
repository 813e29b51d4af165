"""Errors of the programme reports; each message names the bad value and how to fix it."""

from raqmya_reports.errors import RaqmyaReportsError


class ReportConfigurationError(RaqmyaReportsError):
    """A ``RAQMYA_*`` setting that the reports cannot use, such as a target of zero."""


class InvalidProgrammeYear(RaqmyaReportsError):
    """A programme year outside the range that reports accept, or not a year at all."""


class InvalidReportFilter(RaqmyaReportsError):
    """A report filter whose value is not one the reports know, such as an unknown province code."""


class UnreadableStoredTime(RaqmyaReportsError):
    """A stored time that the database driver cannot read, such as a MySQL zero date."""
