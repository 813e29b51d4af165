"""URLs of the stand-in LMS: its own pages and the plugin apps' URLs, then xblock-sdk's workbench."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from edx_django_utils.plugins import get_plugin_url_patterns

from . import views

urlpatterns = [
    path("", views.home, name="devstack_home"),
    path("login/", auth_views.LoginView.as_view(template_name="devstack/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="devstack_register"),
    path("i18n/", include("django.conf.urls.i18n")),
    # These paths shadow the workbench's own views with ones on the LMS-like runtime.
    re_path(r"^scenario/(?P<scenario_id>[^/]+)/(?P<view_name>[^/]+)/$", views.show_scenario),
    re_path(r"^scenario/(?P<scenario_id>[^/]+)/$", views.show_scenario),
    re_path(r"^handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$", views.handler),
    *get_plugin_url_patterns("lms.djangoapp"),
    path("", include("workbench.urls")),
]
