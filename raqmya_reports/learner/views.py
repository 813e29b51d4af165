"""The learner's page and its API view: the signed-in learner's own summary, nobody else's."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ..delivery.api import authentication_classes
from .data import learner_summary
from .serializers import LearnerSummarySerializer

log = logging.getLogger(__name__)


@require_GET
@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    """Render the signed-in learner's track, levels, courses and hours; anonymous users go to the login page."""
    summary = learner_summary(request.user.id)
    log.info("Learner page shown to user %s.", request.user.id)
    return render(request, "raqmya_reports/learner/me.html", {"summary": summary})


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
