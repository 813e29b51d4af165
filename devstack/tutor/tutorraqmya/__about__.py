"""Version of the plugin, which is also the openedx-raqmya release that it installs by default."""

# NOTE: the plugin and openedx-raqmya are released together from one repository, so one number
# names both; the test suite checks that it matches raqmya_reports.__version__.
__version__ = "0.1.0"
