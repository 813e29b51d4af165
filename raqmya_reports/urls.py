"""URLs of the reports app in the LMS: pages under ``raqmya/``, the REST API under ``api/raqmya/v1/``.

The plugin's url_config mounts this module at the site root, limited to those two prefixes, in
the namespace ``raqmya_reports``.
"""

from django.urls import include, path

from .delivery import api, views
from .learner import urls as learner_urls
from .registry import join

# The plugin's url_config names the namespace; ``include`` takes the app name from here.
app_name = "raqmya_reports"

api_patterns = [
    path("learners/", api.LearnerListView.as_view(), name="api_learners"),
    path("reports/<slug:report>/", api.ReportView.as_view(), name="api_report"),
]

urlpatterns = [
    path("raqmya/dashboard/", views.dashboard, name="dashboard"),
    path("raqmya/join/<str:code>/", join.join, name="join"),
    path("raqmya/audit/", views.audit_log, name="audit_log"),
    path("raqmya/exports/<slug:report>.<slug:export_format>", views.export, name="export"),
    path("raqmya/exports/file/<path:name>", views.download, name="download"),
    *learner_urls.page_patterns,
    path("api/raqmya/v1/", include(learner_urls.api_patterns)),
    path("api/raqmya/v1/", include(api_patterns)),
    path(
        "api/raqmya/v1/schema/",
        api.SchemaView.as_view(patterns=[
            path("api/raqmya/v1/", include(learner_urls.api_patterns)),
            path("api/raqmya/v1/", include(api_patterns)),
        ]),
        name="api_schema",
    ),
]
