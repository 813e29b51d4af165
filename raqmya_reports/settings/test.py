"""Test settings of the reports app: a platform backend that needs no edx-platform."""


def plugin_settings(settings):
    """Select the stand-alone platform backend, which the test suite and the devstack use."""
    settings.RAQMYA_PLATFORM_BACKEND = "raqmya_reports.platform_backends.standalone"
