"""A platform backend for the course name tests: the platform names one course and gives about pages.

The stand-alone backend reads course names from the registry and has no about pages, so it cannot
show the fall-back to the platform's display name or a link.
"""

from __future__ import annotations

from raqmya_reports.platform_backends.standalone import add_user_to_course_cohort, get_user_by_id

PLATFORM_NAMES = {"course-v1:Raqmya+PLAT+2026": "Cours nommé par la plateforme"}
ABOUT_BASE = "https://lms.raqmya.test"

__all__ = ["add_user_to_course_cohort", "get_course_about_url", "get_course_display_name", "get_user_by_id"]


def get_course_display_name(course_key) -> str:
    """Return the platform's name of the course, or its key."""
    return PLATFORM_NAMES.get(str(course_key), str(course_key))


def get_course_about_url(course_key) -> str | None:
    """Return an about page for the course the platform names and the CAT courses, ``None`` for the others."""
    key = str(course_key)
    return f"{ABOUT_BASE}/courses/{key}/about" if key in PLATFORM_NAMES or "+CAT+" in key else None
