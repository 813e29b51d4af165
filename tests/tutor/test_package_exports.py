"""The scheduled-export check accepts the reports and formats that the package's exports write.

These tests import raqmya_reports with Django, so they are skipped where only Tutor is installed.
"""

from __future__ import annotations

import pytest

from tutorraqmya import config

pytest.importorskip("django")


@pytest.fixture(scope="module")
def exports():
    """The package's export module, imported once Django is set up."""
    from raqmya_reports.delivery import exports as module  # pylint: disable=import-outside-toplevel

    return module


def test_accepted_reports_match_package_exports(exports):
    assert sorted(config.REPORTS) == sorted(exports.EXPORTS)


def test_accepted_formats_match_package(exports):
    assert sorted(config.EXPORT_FORMATS) == sorted(exports.FORMATS)
