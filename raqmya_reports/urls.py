"""URLs of the reports app in the LMS, mounted under ``raqmya/`` in the namespace ``raqmya_reports``."""

from django.urls import path

from .delivery import views

# The plugin's url_config names the namespace; ``include`` takes the app name from here.
app_name = "raqmya_reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
