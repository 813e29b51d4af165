"""Errors of the report delivery; each message names the bad value and the accepted values."""

from raqmya_reports.errors import RaqmyaReportsError


class UnknownReport(RaqmyaReportsError):
    """A report name that no export provides."""


class UnknownExportFormat(RaqmyaReportsError):
    """A file format that the exports do not write."""


class UnknownLanguage(RaqmyaReportsError):
    """A language that the platform does not offer."""


class TooManyRows(RaqmyaReportsError):
    """Rows that do not fit in one sheet of an XLSX file."""


class ExportTooLong(RaqmyaReportsError):
    """An export still being written when the time the site allows it has passed."""


class InvalidPageSize(RaqmyaReportsError):
    """A ``page_size`` of the learner list that is not a whole number of rows within the allowed range."""
