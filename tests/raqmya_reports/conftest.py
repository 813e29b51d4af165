"""Fixtures of the reports app's tests: plugin receivers connected as the LMS connects them."""

import pytest
from edx_django_utils.plugins import connect_plugin_receivers


@pytest.fixture(autouse=True, scope="session")
def plugin_receivers():
    """Connect the app's openedx-events receivers from its plugin configuration, once per session.

    The dispatch uids make this a no-op when the devstack app has already connected them.
    """
    connect_plugin_receivers("lms.djangoapp")
