"""Backends of ``raqmya_reports.platform``: one for edx-platform, one for Django alone."""
