"""A stand-in LMS for developing and testing Raqmya without edx-platform."""
