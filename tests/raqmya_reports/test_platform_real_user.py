"""The person behind a request, as the platform adapter reads it: the staff member when they view as a learner."""

from __future__ import annotations

import pytest
from crum import set_current_request
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from raqmya_reports import api

EDX = "raqmya_reports.platform_backends.edx"
STANDALONE = "raqmya_reports.platform_backends.standalone"


@pytest.fixture
def people(db):
    users = get_user_model().objects
    return users.create_user(username="staff-youssef"), users.create_user(username="learner-salma")


@pytest.fixture
def served():
    """Serve a request built by the test, as django-crum's middleware does; forget it afterwards."""
    def serve(user):
        request = RequestFactory().post("/courses/x/xblock/y/handler/submit")
        request.user = user
        set_current_request(request)
        return request

    yield serve
    set_current_request(None)


@pytest.mark.parametrize("backend", [EDX, STANDALONE])
def test_real_user_is_the_signed_in_user(settings, people, served, backend):
    settings.RAQMYA_PLATFORM_BACKEND = backend
    staff, _learner = people
    served(staff)
    assert api.get_real_user_id() == staff.id


def test_edx_real_user_behind_a_swapped_in_learner(settings, people, served):
    """Where the LMS puts the masquerade user in place, it keeps the staff member as ``real_user``."""
    settings.RAQMYA_PLATFORM_BACKEND = EDX
    staff, learner = people
    learner.real_user = staff
    served(learner)
    assert api.get_real_user_id() == staff.id


@pytest.mark.parametrize("backend", [EDX, STANDALONE])
def test_real_user_none_outside_a_request_or_anonymous(settings, served, backend):
    settings.RAQMYA_PLATFORM_BACKEND = backend
    assert api.get_real_user_id() is None
    served(AnonymousUser())
    assert api.get_real_user_id() is None
