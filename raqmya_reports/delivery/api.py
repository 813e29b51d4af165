"""The reports' REST API under ``/api/raqmya/v1/``: the dashboard's figures as JSON, with the same filters.

Session authentication, plus the LMS's JWT authentication when edx-drf-extensions is installed.
Every call is scoped and logged as the dashboard is; a filter outside the caller's scope gets 403.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.views import SpectacularAPIView
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from raqmya_reports import __version__
from raqmya_reports.errors import RaqmyaReportsError
from raqmya_reports.reports.filters import FILTER_NAMES
from raqmya_reports.reports.learners import learner_page, shaped

from . import audit
from .errors import InvalidPageSize
from .models import AuditLogEntry
from .scope import scope_of
from .service import REPORTS, open_report_in_scope, report_data

log = logging.getLogger(__name__)

FILTER_PARAMETERS = [OpenApiParameter(name, OpenApiTypes.STR, required=False) for name in FILTER_NAMES]


def authentication_classes() -> list:
    """Return session authentication, and the LMS's JWT authentication first when it is installed."""
    try:
        from edx_rest_framework_extensions.auth.jwt.authentication import (  # pylint: disable=import-outside-toplevel
            JwtAuthentication,
        )
    except ImportError:
        return [SessionAuthentication]
    return [JwtAuthentication, SessionAuthentication]


class FilteredSchema(AutoSchema):
    """The OpenAPI description of a reports view: the filters as query parameters, an object as the answer.

    The view declares its schema itself, so the schema holds whatever ``DEFAULT_SCHEMA_CLASS`` the site sets.
    """

    extra_parameters: list = []

    def get_override_parameters(self):
        return [*FILTER_PARAMETERS, *self.extra_parameters]

    def get_response_serializers(self):
        return OpenApiTypes.OBJECT


class LearnerSchema(FilteredSchema):
    """The learner list's description: the filters plus the page and its size."""

    extra_parameters = [OpenApiParameter("page", OpenApiTypes.INT), OpenApiParameter("page_size", OpenApiTypes.INT)]


class ReportsAPIView(APIView):
    """Common settings of the reports' API views: JSON only, signed-in callers, errors as 400."""

    renderer_classes = [JSONRenderer]
    permission_classes = [IsAuthenticated]
    schema = FilteredSchema()

    def get_authenticators(self):
        """Return the LMS's JWT authentication when installed, and session authentication."""
        return [authentication() for authentication in authentication_classes()]

    def handle_exception(self, exc):
        if isinstance(exc, RaqmyaReportsError):
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)


class ReportView(ReportsAPIView):
    """One aggregate report: summary, tracks, regions, provinces, sectors, months, days, funnel or courses."""

    def get(self, request, report: str):
        """Return the report's figures for the filters in the query string, within the caller's scope."""
        opened = open_report_in_scope(scope_of(request.user), request.user, report, request.query_params,
                                      AuditLogEntry.Action.API, output_format="json", audited=False)
        data = report_data(opened)
        # Audited once the figures are read: a rejected or failed request delivered nothing.
        audit.record(request.user, opened.scope, AuditLogEntry.Action.API, opened.name, opened.filters,
                     output_format="json")
        return Response({"report": report, **data})


class LearnerPagination(PageNumberPagination):
    """Pages of learner rows: 100 by default, at most 1,000.

    A ``page_size`` that is not a whole number from 1 to 1,000 is rejected (DRF would use the
    default instead), and a page past the last one is rejected with a message that names it.
    """

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    # DRF fills in the requested page number and the paginator's reason, in the request's language.
    invalid_page_message = gettext_lazy(
        "Page {page_number} cannot be read ({message}): ask for a page from 1 to the last one, which the "
        "count and the page size give."
    )

    def get_page_size(self, request) -> int:
        """Return the ``page_size`` of the query string, or the default when it is absent or blank."""
        value = request.query_params.get(self.page_size_query_param, "").strip()
        if not value:
            return self.page_size
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= self.max_page_size):
            raise InvalidPageSize(
                _("page_size %(value)s is not valid: give a whole number of rows from 1 to %(most)s (%(default)s "
                  "when it is left out).")
                % {"value": repr(value[:40]), "most": self.max_page_size, "default": self.page_size}
            )
        return int(value)


class LearnerListView(ReportsAPIView):
    """Learner-level rows, one per enrollment, for roles allowed to see identities."""

    schema = LearnerSchema()

    def get(self, request):
        """Return one page of learner rows for the filters in the query string, within the caller's scope."""
        opened = open_report_in_scope(scope_of(request.user), request.user, "learners", request.query_params,
                                      AuditLogEntry.Action.API, output_format="json", audited=False)
        identities = opened.scope.can_see_identities
        paginator = LearnerPagination()
        page = paginator.paginate_queryset(learner_page(opened.filters, opened.scope, identities=identities),
                                           request, view=self)
        response = paginator.get_paginated_response([shaped(row, identities) for row in page])
        # Audited once the page is read: a rejected page size or a page past the last delivered nothing.
        audit.record(request.user, opened.scope, AuditLogEntry.Action.API, opened.name, opened.filters,
                     output_format="json")
        return response


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema of the reports' API, for signed-in callers."""

    permission_classes = [IsAuthenticated]

    @property
    def custom_settings(self) -> dict:
        """Return the schema's title and description in the active language, and the package's version."""
        return {
            "TITLE": _("Raqmya for Open edX: reports API"),
            "DESCRIPTION": _(
                "Figures of the national digital-skills programme (summary, breakdowns, funnel, courses, "
                "competences, items), the list of learners, and a learner's own summary. Each caller sees the "
                "scope of their role; in a scope narrower than the whole programme, counts below "
                "RAQMYA_MIN_CELL_SIZE show as \"< N\"."
            ),
            "VERSION": __version__,
        }

    def get_authenticators(self):
        """Return the LMS's JWT authentication when installed, and session authentication."""
        return [authentication() for authentication in authentication_classes()]


__all__ = ["REPORTS", "ReportView", "LearnerListView", "SchemaView"]
