"""Platform backend for edx-platform's LMS and Studio: reads course overviews and users.

NOTE: edx-platform is not installed where this project's tests run, so this module is not
exercised by them; its imports stay inside the functions so that importing it never fails.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model


def get_course_display_name(course_key) -> str:
    """Return the course overview's display name, or the key when the course has no overview."""
    # pylint: disable=import-error,import-outside-toplevel
    from opaque_keys import InvalidKeyError
    from opaque_keys.edx.keys import CourseKey
    from openedx.core.djangoapps.content.course_overviews.models import CourseOverview

    try:
        key = CourseKey.from_string(str(course_key))
    except InvalidKeyError:
        return str(course_key)
    name = CourseOverview.objects.filter(id=key).values_list("display_name", flat=True).first()
    return name or str(course_key)


def get_user_by_id(user_id):
    """Return the LMS user with ``user_id``, or ``None`` (also for an id that is not a number)."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    return get_user_model().objects.filter(pk=user_id).first()
