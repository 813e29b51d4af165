"""WSGI entry point of the stand-in LMS."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devstack.settings.lms")
application = get_wsgi_application()
