"""Tests of the registry's Django admin: every model is registered and its filters resolve."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from raqmya_reports.registry import models
from tests.raqmya_reports.factories import make_profile, make_user

REGISTERED = [
    models.BeneficiaryProfile, models.TrackAssignment, models.Cohort, models.CohortMembership,
    models.PromotionChannel, models.CatalogueEntry, models.Enrollment, models.CourseGrade, models.Certificate,
    models.AssessmentResult, models.PlacementResult, models.DailyActivity, models.FailedEvent,
]


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_admin_registers_the_model(model):
    assert admin.site.is_registered(model) is True


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_admin_changelist_builds_with_its_filters(model):
    superuser = make_user(username="admin_reader")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    make_profile(make_user())
    request = RequestFactory().get("/admin/", {"q": "learner"})
    request.user = superuser
    changelist = admin.site._registry[model].get_changelist_instance(request)  # pylint: disable=protected-access
    assert changelist.model is model
