#!/usr/bin/env python
"""Run Django commands against the stand-in LMS (``devstack.settings.lms`` unless set otherwise)."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devstack.settings.lms")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
