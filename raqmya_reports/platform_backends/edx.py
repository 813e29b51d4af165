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


def get_course_about_url(course_key) -> str | None:
    """Return the address that the LMS gives the course's about page, or ``None`` for a course without an overview.

    edx-platform's ``get_link_for_about_page`` picks the course's social sharing or marketing page when
    the site is set up for them, else the LMS's ``/courses/<course key>/about``.
    """
    # pylint: disable=import-error,import-outside-toplevel
    from common.djangoapps.util.course import get_link_for_about_page
    from opaque_keys import InvalidKeyError
    from opaque_keys.edx.keys import CourseKey
    from openedx.core.djangoapps.content.course_overviews.models import CourseOverview

    try:
        key = CourseKey.from_string(str(course_key))
    except InvalidKeyError:
        return None
    overview = CourseOverview.objects.filter(id=key).first()
    return get_link_for_about_page(overview) if overview is not None else None


def get_user_by_id(user_id):
    """Return the LMS user with ``user_id``, or ``None`` (also for an id that is not a number)."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def add_user_to_course_cohort(user_id: int, course_key, cohort_name: str) -> bool:
    """Add the user to the course cohort ``cohort_name``, creating a manual cohort when it is missing."""
    # pylint: disable=import-error,import-outside-toplevel
    from opaque_keys.edx.keys import CourseKey
    from openedx.core.djangoapps.course_groups import cohorts
    from openedx.core.djangoapps.course_groups.models import CourseUserGroup

    key = CourseKey.from_string(str(course_key))
    user = get_user_model().objects.get(pk=user_id)
    try:
        cohort = cohorts.get_cohort_by_name(key, cohort_name)
    except CourseUserGroup.DoesNotExist:
        cohort = cohorts.add_cohort(key, cohort_name, cohorts.CourseCohort.MANUAL)
    try:
        cohorts.add_user_to_cohort(cohort, user)
    except ValueError:
        # edx-platform raises ValueError when the user is already in that cohort.
        return False
    return True


def current_request():
    """Return the LMS or Studio request that django-crum's middleware holds for this thread, or ``None``."""
    from crum import get_current_request  # pylint: disable=import-outside-toplevel

    return get_current_request()


def get_real_user_id():
    """Return the id of the signed-in user behind the current request, the staff member when masquerading.

    The LMS serves a block viewed "as a specific learner" with that learner as the block's user, and
    leaves the staff member in ``request.user``. Where it puts the learner in place of the request's
    user, it keeps the staff member as that user's ``real_user`` (courseware ``setup_masquerade``).
    """
    user = getattr(current_request(), "user", None)
    user = getattr(user, "real_user", None) or user
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.id


def get_user_partition_classes() -> tuple[type, type]:
    """Return ``UserPartition`` and ``Group`` of edx-platform's partitions module."""
    # pylint: disable=import-error,import-outside-toplevel  # edx-platform's module, absent where the tests run
    from xmodule.partitions.partitions import Group, UserPartition

    return UserPartition, Group
