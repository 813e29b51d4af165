"""Middleware that makes xblock-sdk's workbench key learner state by the signed-in user, as the LMS does."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import QueryDict

from .services import is_course_author

log = logging.getLogger(__name__)

MASQUERADE_SESSION_KEY = "raqmya_masquerade_username"
# The workbench's pages and handlers, which read ``?student=``; other pages (the admin's
# change lists, for one) reject query parameters they do not know.
WORKBENCH_PATHS = ("/scenario/", "/view/", "/handler/", "/aside_handler/", "/unauth_handler/")


class WorkbenchStudentMiddleware:
    """Set the workbench's ``student`` query parameter to the signed-in user's username.

    The workbench takes the learner from ``?student=``; the LMS takes it from the
    session. Overriding the parameter for signed-in users means a learner can neither
    read nor write another learner's state in the devstack: their ``?student=`` is ignored. A
    course author may add ``?masquerade=<username>`` to view blocks as that learner, as the LMS's
    "View as" does, until ``?masquerade=`` ends it; like the LMS, the choice is kept in the
    session, so the blocks' handler calls carry it too. An author's ``?student=<username>`` views
    as that learner for one request. The block then reads the learner's state and writes nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.path.startswith(WORKBENCH_PATHS):
            query = QueryDict(mutable=True)
            query.update(request.GET)
            query["student"] = user.username
            if "masquerade" in request.GET:
                request.session[MASQUERADE_SESSION_KEY] = request.GET["masquerade"]
            requested = request.GET.get("student", "")
            if requested in ("", user.username) or "masquerade" in request.GET:
                requested = request.session.get(MASQUERADE_SESSION_KEY)
            learner = self._masquerade_learner(user, requested)
            if learner is not None:
                query["student"] = learner.username
                request.raqmya_masquerade_user = learner
            request.GET = query
        return self.get_response(request)

    @staticmethod
    def _masquerade_learner(user, username):
        """Return the learner an author asked to view as, or None (not asked, not allowed, unknown)."""
        if not username:
            return None
        if not is_course_author(user, settings.RAQMYA_DEVSTACK_COURSE_KEY):
            log.info("User %s is not an author of the devstack's course; acting as themselves only.", user.id)
            return None
        learner = get_user_model().objects.filter(username=username).first()
        if learner is None:
            log.warning("User %s asked to view as an unknown learner; ignored.", user.id)
        return learner
