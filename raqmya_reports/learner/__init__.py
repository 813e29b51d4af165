"""The learner's own page, ``/raqmya/me/``, and the same data for the mobile apps under ``/api/raqmya/v1/me/``."""
