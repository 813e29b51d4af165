"""Raqmya reports: the programme's registry, event ingestion and reports, as an Open edX plugin app."""

__version__ = "0.1.0"
