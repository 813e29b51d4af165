"""Settings for the whole suite."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords with MD5: Django's default hasher takes a noticeable time per user on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _language_reset():
    """Start and end every test in the site's default language.

    A view or command that activates a learner's language leaves it active in the thread, and the
    next test would then read French or Arabic text it did not ask for.
    """
    translation.deactivate()
    yield
    translation.deactivate()
