"""Tutor plugin that installs openedx-raqmya in the Open edX image and configures the LMS and Studio."""
