"""Tests of the registry's Django admin: every model is registered, its filters resolve, French and Arabic pages."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import path
from django.utils import translation

from raqmya_reports.registry import models
from tests.raqmya_reports.factories import make_profile, make_user

REGISTERED = [
    models.BeneficiaryProfile, models.TrackAssignment, models.Cohort, models.CohortMembership,
    models.PromotionChannel, models.CatalogueEntry, models.Enrollment, models.CourseGrade, models.Certificate,
    models.AssessmentResult, models.PlacementResult, models.DailyActivity, models.FailedEvent,
    models.DigCompArea, models.DigCompCompetence, models.ProgrammeTrack,
]
# The devstack serves no admin: these tests mount it with this module as the URL configuration.
urlpatterns = [path("admin/", admin.site.urls)]


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


@pytest.fixture(name="admin_client_with_profile")
def fixture_admin_client_with_profile(client, settings):
    """A client logged in as a superuser, and one beneficiary in Casablanca-Settat.

    The devstack's workbench middleware adds ``?student=`` to every request, which the admin
    would take as a filter, so it is left out here, as it is from a real LMS.
    """
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "WorkbenchStudentMiddleware" not in name]
    superuser = make_user(username="admin_reader")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    make_profile(make_user())
    client.force_login(superuser)
    return client


def render_changelist(client, language, model="beneficiaryprofile"):
    """Return the HTML of a changelist requested in ``language``."""
    response = client.get(f"/admin/raqmya_reports/{model}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode("utf-8")


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_admin_changelist_in_french(admin_client_with_profile):
    html = render_changelist(admin_client_with_profile, "fr")
    assert '<html lang="fr" dir="ltr">' in html
    assert "Filtre" in html
    assert "MA-06 Casablanca-Settat" in html


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_admin_changelist_in_arabic_is_right_to_left(admin_client_with_profile):
    html = render_changelist(admin_client_with_profile, "ar")
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_admin_changelist_in_arabic_names_regions_in_arabic(admin_client_with_profile):
    html = render_changelist(admin_client_with_profile, "ar")
    assert "MA-06 الدار البيضاء - سطات" in html
    assert "MA-06 Casablanca-Settat" not in html


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_admin_competence_changelist_in_arabic(admin_client_with_profile):
    html = render_changelist(admin_client_with_profile, "ar", model="digcompcompetence")
    assert "البرمجة" in html


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_admin_changelist_title_in_french(admin_client_with_profile):
    with translation.override("fr"):
        expected = str(models.BeneficiaryProfile._meta.verbose_name)  # pylint: disable=protected-access
    html = render_changelist(admin_client_with_profile, "fr")
    assert expected != "beneficiary profile"
    assert f"Sélectionnez l’objet {expected} à changer" in html


@pytest.mark.urls(__name__)
@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, expected",
    [
        ("fr", ["Périmètres de rapport", "Entrées du journal d’audit"]),
        ("ar", ["نطاقات التقارير", "قيود سجل التدقيق"]),
    ],
)
def test_admin_index_names_report_scopes_and_audit_log(admin_client_with_profile, language, expected):
    response = admin_client_with_profile.get("/admin/raqmya_reports/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode("utf-8")
    assert response.status_code == 200
    assert [name in html for name in expected] == [True, True]
    assert "Report scopes" not in html
    assert "Audit log entries" not in html
