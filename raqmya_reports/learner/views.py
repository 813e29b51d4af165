"""The learner's page and its API view: the signed-in learner's own summary, nobody else's."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ..delivery.api import authentication_classes
from ..delivery.scope import scope_of
from .data import learner_summary
from .serializers import LearnerSummarySerializer

log = logging.getLogger(__name__)


@require_GET
@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    """Render the signed-in learner's track, levels, courses and hours; anonymous users go to the login page."""
    summary = learner_summary(request.user.id)
    log.info("Learner page shown to user %s.", request.user.id)
    # The devstack's logout takes a POST; the LMS's /logout page signs out on a plain link.
    try:
        logout_url, logout_post = reverse("logout"), True
    except NoReverseMatch:
        logout_url, logout_post = "/logout", False
    try:
        has_reports_role = bool(scope_of(request.user))
    except PermissionDenied:
        has_reports_role = False
    context = {"summary": summary, "logout_url": logout_url, "logout_post": logout_post,
               "has_reports_role": has_reports_role}
    return render(request, "raqmya_reports/learner/me.html", context)


class SummarySchema(AutoSchema):
    """The OpenAPI description of the learner's summary: no parameters, the summary's fields as the answer."""

    def get_response_serializers(self):
        """Return the serializer that describes the summary's fields."""
        return LearnerSummarySerializer


class MySummaryView(APIView):
    """``GET``: the signed-in learner's summary as JSON, the same data as their page, for the mobile apps."""

    renderer_classes = [JSONRenderer]
    permission_classes = [IsAuthenticated]
    schema = SummarySchema()

    def get_authenticators(self):
        """Return the LMS's JWT authentication when installed, and session authentication."""
        return [authentication() for authentication in authentication_classes()]

    def get(self, request):
        """Return the learner's summary."""
        return Response(learner_summary(request.user.id))
