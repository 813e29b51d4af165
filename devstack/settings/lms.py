"""Settings of the stand-in LMS: xblock-sdk's workbench plus the plugin apps, loaded as the LMS loads them.

The plugin apps come from the installed ``lms.djangoapp`` entry points through
edx-django-utils, exactly as edx-platform's ``lms/envs/common.py`` does, then their
``common`` and ``test`` plugin settings are applied. Never use these settings in production.
"""

import os
from pathlib import Path

import sample_xblocks
from edx_django_utils.plugins import add_plugins, get_plugin_apps

# The devstack's Celery app, made the default app here so that every shared task binds to it: eager
# unless RAQMYA_CELERY_BROKER_URL names a broker. Lowercase, so Django does not take it for a setting.
from devstack.celery_app import app as celery_app  # noqa: F401  pylint: disable=unused-import

from .database import database_from_url

PROJECT_TYPE = "lms.djangoapp"
DEVSTACK_DIR = Path(__file__).resolve().parents[1]
VAR_DIR = Path(os.environ.get("RAQMYA_DEVSTACK_VAR", DEVSTACK_DIR / "var"))

DEBUG = os.environ.get("RAQMYA_DEBUG", "1") == "1"
# A devstack-only key: this stand-in never serves real users.
SECRET_KEY = os.environ.get("RAQMYA_SECRET_KEY", "devstack-only-secret-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

DATABASES = {
    "default": database_from_url(
        os.environ.get("RAQMYA_DATABASE_URL", f"sqlite:///{(VAR_DIR / 'raqmya.sqlite3').as_posix()}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# Served by one process (runserver), the per-process default cache is enough. Served by several (gunicorn
# workers, as `make load` does), the attempt claims must live in one cache that every process shares, or
# two copies of one submission can both be graded: RAQMYA_CACHE_URL names a Redis server for it.
if os.environ.get("RAQMYA_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["RAQMYA_CACHE_URL"], "KEY_PREFIX": "raqmya-devstack"}}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "djpyfs",
    # Installed in the LMS: its French and Arabic catalogues translate DRF's own messages.
    "rest_framework",
    "workbench",
    "devstack",
    *get_plugin_apps(PROJECT_TYPE),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crum.CurrentRequestUserMiddleware",
    "devstack.middleware.WorkbenchStudentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "devstack.urls"
WSGI_APPLICATION = "devstack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # xblock-sdk's sample blocks (the thumbs scenario's vertical, for one) render templates from there.
        "DIRS": [DEVSTACK_DIR / "templates", Path(sample_xblocks.__file__).parent / "basic" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.debug",
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.template.context_processors.static",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# The LMS's languages for this programme, and the cookie the LMS keeps the choice in.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("ar", "العربية"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "openedx-language-preference"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

# The LMS's password rules, so that the registration page rejects what the LMS rejects.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# xblock-sdk's workbench and its file-system service. ``devstack.runtime`` replaces its
# user and i18n services with LMS-like ones.
DJFS = {"type": "osfs", "directory_root": str(VAR_DIR / "djpyfs"), "url_root": "/static/djpyfs"}
WORKBENCH = {"reset_state_on_restart": False}

# The LMS's registration form extension, as the Tutor plugin sets it.
REGISTRATION_EXTENSION_FORM = "raqmya_reports.registry.forms.BeneficiaryProfileForm"
# The page that registration links (/raqmya/join/<code>/) lead to; the LMS's is /register.
RAQMYA_JOIN_REDIRECT_URL = "/register/"

# The enrollment pipeline as the Tutor plugin sets it; RAQMYA_ENFORCE_TRACK_ENROLLMENT stays off by default.
OPEN_EDX_FILTERS_CONFIG = {
    "org.openedx.learning.course.enrollment.started.v1": {
        "fail_silently": True,
        "pipeline": ["raqmya_reports.filters.TrackEnrollmentStep"],
    },
}

# The course that the workbench scenarios stand for, in the stand-in grades and enrollments.
RAQMYA_DEVSTACK_COURSE_KEY = "course-v1:Raqmya+DIGI101+2026"
RAQMYA_DEVSTACK_PASS_MARK = 0.5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "raqmya_reports": {"handlers": ["console"], "level": "INFO"},
        "raqmya_xblocks": {"handlers": ["console"], "level": "INFO"},
        "devstack": {"handlers": ["console"], "level": "INFO"},
    },
}

add_plugins(__name__, PROJECT_TYPE, "common")
add_plugins(__name__, PROJECT_TYPE, "test")
