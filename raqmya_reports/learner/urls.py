"""URLs of the learner's page and its API, included by the app's url module."""

from django.urls import path

from . import views

page_patterns = [path("raqmya/me/", views.my_page, name="learner_page")]
api_patterns = [path("me/", views.MySummaryView.as_view(), name="api_me")]
