"""The one door to edx-platform: course and user look-ups and course cohorts, through the configured backend.

``RAQMYA_PLATFORM_BACKEND`` names a module with the functions below. The edx backend imports
edx-platform inside its functions; the standalone backend needs only Django.
"""

from __future__ import annotations

import logging
from importlib import import_module
from types import ModuleType

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import PlatformBackendError

log = logging.getLogger(__name__)

_REQUIRED_FUNCTIONS = ("get_course_display_name", "get_user_by_id", "add_user_to_course_cohort")


def backend() -> ModuleType:
    """Return the backend module named by ``RAQMYA_PLATFORM_BACKEND``, read at each call."""
    name = getattr(settings, "RAQMYA_PLATFORM_BACKEND", "raqmya_reports.platform_backends.edx")
    try:
        module = import_module(name)
    except ImportError as error:
        raise PlatformBackendError(
            _(
                "RAQMYA_PLATFORM_BACKEND is %(name)r, which cannot be imported (%(error)s). Use "
                "raqmya_reports.platform_backends.edx in the LMS or raqmya_reports.platform_backends.standalone."
            )
            % {"name": name, "error": error}
        ) from error
    missing = [function for function in _REQUIRED_FUNCTIONS if not callable(getattr(module, function, None))]
    if missing:
        raise PlatformBackendError(
            _("RAQMYA_PLATFORM_BACKEND module %(name)r lacks %(missing)s. Define them or use a shipped backend.")
            % {"name": name, "missing": ", ".join(missing)}
        )
    return module


def get_course_display_name(course_key) -> str:
    """Return the course's display name, or its key when the platform does not know it."""
    return backend().get_course_display_name(course_key)


def get_user_by_id(user_id):
    """Return the platform's user with ``user_id``, or ``None`` when there is none."""
    return backend().get_user_by_id(user_id)


def add_user_to_course_cohort(user_id: int, course_key, cohort_name: str) -> bool:
    """Add the user to the course's cohort named ``cohort_name``; return whether they were added."""
    return backend().add_user_to_course_cohort(user_id, course_key, cohort_name)


def current_request():
    """Return the HTTP request being served in this thread, or ``None`` outside one (a task, a command)."""
    function = getattr(backend(), "current_request", None)
    return function() if callable(function) else None


def get_real_user_id() -> int | None:
    """Return the id of the person who sent the current request; ``None`` outside a request or when anonymous.

    When staff view a block as a specific learner, the block's user service describes the learner
    and this returns the staff member, so a block can tell the two apart.
    """
    function = getattr(backend(), "get_real_user_id", None)
    return function() if callable(function) else None


def get_course_about_url(course_key) -> str | None:
    """Return the address of the course's about page, or ``None`` when the platform gives none."""
    function = getattr(backend(), "get_course_about_url", None)
    return function(course_key) if callable(function) else None


def get_user_partition_classes() -> tuple[type, type]:
    """Return the platform's ``UserPartition`` and ``Group`` classes, for the track partition scheme."""
    function = getattr(backend(), "get_user_partition_classes", None)
    if not callable(function):
        raise PlatformBackendError(
            _("RAQMYA_PLATFORM_BACKEND module lacks get_user_partition_classes. Define it or use a shipped backend.")
        )
    return function()
