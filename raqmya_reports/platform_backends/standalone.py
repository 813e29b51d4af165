"""Platform backend that needs only Django: for the test suite and the stand-in LMS."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model

log = logging.getLogger(__name__)

# Course cohort memberships that the stand-alone platform was asked for, as
# (user id, course key, cohort name): the devstack has no course cohorts of its own.
COURSE_COHORT_MEMBERS: list[tuple[int, str, str]] = []


def get_course_display_name(course_key) -> str:
    """Return the display name that the registry recorded for the course, or its key."""
    from ..registry.models import Course, key_hash  # pylint: disable=import-outside-toplevel

    name = Course.objects.filter(course_key_hash=key_hash(course_key)).values_list("display_name", flat=True).first()
    return name or str(course_key)


def get_course_about_url(course_key) -> str | None:  # pylint: disable=unused-argument
    """Return ``None``: the stand-in LMS has no course about pages."""
    return None


def get_user_by_id(user_id):
    """Return the Django user with ``user_id``, or ``None`` (also for an id that is not a number)."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def add_user_to_course_cohort(user_id: int, course_key, cohort_name: str) -> bool:
    """Remember the membership, since Django alone has no course cohorts."""
    member = (int(user_id), str(course_key), cohort_name)
    if member in COURSE_COHORT_MEMBERS:
        return False
    COURSE_COHORT_MEMBERS.append(member)
    log.info("User %s added to course cohort %r of course %s.", user_id, cohort_name, course_key)
    return True


class Group:
    """A content group with the constructor and attributes of the platform's ``Group``."""

    def __init__(self, id, name):  # pylint: disable=redefined-builtin
        self.id = int(id)
        self.name = name

    def __repr__(self):
        return f"Group(id={self.id!r}, name={self.name!r})"


class UserPartition:  # pylint: disable=too-few-public-methods
    """A user partition with the constructor and attributes of the platform's ``UserPartition``."""

    def __init__(self, id, name, description, groups, scheme=None, parameters=None, active=True):
        # pylint: disable=redefined-builtin,too-many-arguments,too-many-positional-arguments  # as the platform's
        self.id = int(id)
        self.name = name
        self.description = description
        self.groups = list(groups)
        self.scheme = scheme
        self.parameters = parameters or {}
        self.active = active

    def get_group(self, group_id: int):
        """Return the group with ``group_id``, or None."""
        return next((group for group in self.groups if group.id == group_id), None)


def current_request():
    """Return the devstack or test request that django-crum's middleware holds for this thread, or ``None``."""
    from crum import get_current_request  # pylint: disable=import-outside-toplevel

    return get_current_request()


def get_real_user_id():
    """Return the id of the signed-in user of the current request (the author, when the devstack masquerades)."""
    user = getattr(current_request(), "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.id


def get_user_partition_classes() -> tuple[type, type]:
    """Return stand-ins of the platform's ``UserPartition`` and ``Group``, with the same shape."""
    return UserPartition, Group
