"""Platform backend that needs only Django: for the test suite and the stand-in LMS."""

from __future__ import annotations

from django.contrib.auth import get_user_model


def get_course_display_name(course_key) -> str:
    """Return the display name that the registry recorded for the course, or its key."""
    from ..registry.models import Course, key_hash  # pylint: disable=import-outside-toplevel

    name = Course.objects.filter(course_key_hash=key_hash(course_key)).values_list("display_name", flat=True).first()
    return name or str(course_key)


def get_user_by_id(user_id):
    """Return the Django user with ``user_id``, or ``None`` (also for an id that is not a number)."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    return get_user_model().objects.filter(pk=user_id).first()
