"""Django app of the stand-in LMS: its pages, runtime and demo data command."""

from django.apps import AppConfig


class DevstackConfig(AppConfig):
    """The stand-in LMS, which connects plugin receivers the way the LMS does once apps are ready."""

    name = "devstack"
    verbose_name = "Raqmya devstack"

    def ready(self):
        # edx-platform connects plugin receivers in its own app's ready(); so does this stand-in.
        from edx_django_utils.plugins import connect_plugin_receivers  # pylint: disable=import-outside-toplevel

        connect_plugin_receivers("lms.djangoapp")
