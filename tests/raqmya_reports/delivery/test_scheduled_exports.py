"""Tests of scheduled exports set up in the admin: run by the beat task beside the setting, checked when saved."""

# pylint: disable=unused-argument  # fixtures that build data are requested by name
import io

import pytest
from django.contrib import admin
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import path
from django.utils import translation
from openpyxl import load_workbook

from raqmya_reports.delivery import tasks
from raqmya_reports.delivery.models import ReportScope, ScheduledExport
from raqmya_reports.delivery.schedule import check_schedule
from tests.raqmya_reports.delivery.scoping import Role, build_two_provinces, make_reader
from tests.raqmya_reports.factories import make_user

pytestmark = pytest.mark.django_db

urlpatterns = [path("admin/", admin.site.urls)]
YEAR = {"year": "2026"}


@pytest.fixture(name="storage", autouse=True)
def fixture_storage(settings, tmp_path):
    """Write exports to a file-system storage under the test's own folder; hash the readers' passwords fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    settings.RAQMYA_SCHEDULED_EXPORTS = []


@pytest.fixture(name="grant")
def fixture_grant():
    """The grant of a Casablanca province operator with an e-mail address, over the two-province programme."""
    build_two_provinces()
    user = make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    user.email = "op@example.org"
    user.save()
    return ReportScope.objects.get(user=user)


def schedule(grant, **fields) -> ScheduledExport:
    values = {"scope": grant, "report": "provinces", "frequency": "weekly", "filters": YEAR, **fields}
    return ScheduledExport.objects.create(**values)


def first_column(name: str) -> list:
    sheet = load_workbook(io.BytesIO(default_storage.open(name).read())).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_scheduled_export_from_admin_stored_in_grant_scope(grant):
    schedule(grant)
    [name] = tasks.run_scheduled_exports("weekly")
    assert first_column(name) == ["MA-CAS", "all"]


def test_scheduled_export_inactive_not_run(grant):
    schedule(grant, is_active=False)
    assert tasks.run_scheduled_exports("weekly") == []


def test_scheduled_export_monthly_not_run_weekly(grant):
    schedule(grant, frequency="monthly")
    assert tasks.run_scheduled_exports("weekly") == []


def test_scheduled_export_emailed_to_recipients(grant):
    schedule(grant, delivery="email", recipients="chef@example.org\nadjoint@example.org")
    tasks.run_scheduled_exports("weekly")
    assert [message.to for message in mail.outbox] == [["chef@example.org", "adjoint@example.org"]]


def test_scheduled_export_emailed_to_grant_user_without_recipients(grant):
    schedule(grant, delivery="email", export_format="csv")
    tasks.run_scheduled_exports("weekly")
    assert [(message.to, message.attachments[0][0][-4:]) for message in mail.outbox] == [
        (["op@example.org"], ".csv")
    ]


def test_scheduled_export_stored_sends_no_mail(grant):
    schedule(grant, recipients="chef@example.org")
    tasks.run_scheduled_exports("weekly")
    assert mail.outbox == []


def test_scheduled_export_setting_and_admin_both_run(grant, settings):
    schedule(grant)
    settings.RAQMYA_SCHEDULED_EXPORTS = [
        {"scope": grant.pk, "report": "tracks", "frequency": "weekly", "filters": YEAR},
    ]
    assert len(tasks.run_scheduled_exports("weekly")) == 2


def test_scheduled_export_same_in_setting_runs_once(grant, settings):
    schedule(grant, delivery="email")
    settings.RAQMYA_SCHEDULED_EXPORTS = [
        {"scope": grant.pk, "report": "provinces", "frequency": "weekly", "format": "xlsx", "filters": YEAR,
         "delivery": "email"},
    ]
    tasks.run_scheduled_exports("weekly")
    assert len(mail.outbox) == 1


def test_scheduled_export_withdrawn_grant_stops_it(grant):
    export = schedule(grant)
    grant.delete()
    assert (ScheduledExport.objects.filter(pk=export.pk).exists(), tasks.run_scheduled_exports("weekly")) == (
        False, []
    )


@pytest.mark.parametrize("fields, field, words", [
    ({"report": "everything"}, "report", "Unknown report 'everything'"),
    ({"filters": {"province": "MA-XXX"}}, "filters", "province='MA-XXX'"),
    ({"filters": {"province": "MA-RAB"}}, "filters", "MA-RAB is outside your scope"),
    ({"filters": ["2026"]}, "filters", "not an object"),
    ({"language": "de"}, "language", "Unknown language 'de'"),
    ({"recipients": "chef@example.org\nnot an address"}, "recipients", "'not an address' is not an e-mail address"),
])
def test_check_schedule_names_the_bad_value(grant, fields, field, words):
    export = ScheduledExport(scope=grant, report="provinces", frequency="weekly", filters=YEAR)
    for name, value in fields.items():
        setattr(export, name, value)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_schedule(export)
    assert words in " ".join(raised.value.message_dict[field])


def test_scheduled_export_email_without_any_address_rejected():
    operator = make_user(username="no_mail")
    operator.email = ""
    operator.save()
    grant = ReportScope.objects.create(user=operator, role=Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    export = ScheduledExport(scope=grant, report="provinces", frequency="weekly", delivery="email")
    with translation.override("en"), pytest.raises(ValidationError, match="has no e-mail address"):
        check_schedule(export)


@pytest.fixture(name="admin_client")
def fixture_admin_client(client, settings, grant):
    """A superuser's client, without the devstack's workbench middleware, which the admin would take as a filter."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "WorkbenchStudentMiddleware" not in name]
    superuser = make_user(username="root")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    return client


def _post(client, grant, **fields):
    data = {"scope": grant.pk, "report": "items", "export_format": "csv", "frequency": "monthly",
            "delivery": "stored", "recipients": "", "filters": '{"year": "2026"}', "language": "ar",
            "is_active": "on", **fields}
    return client.post("/admin/raqmya_reports/scheduledexport/add/", data)


@pytest.mark.urls(__name__)
def test_scheduled_export_admin_adds_a_row(admin_client, grant):
    response = _post(admin_client, grant)
    assert response.status_code == 302
    assert list(ScheduledExport.objects.values_list("report", "frequency", "language")) == [("items", "monthly", "ar")]


@pytest.mark.urls(__name__)
def test_scheduled_export_admin_bad_filter_saves_nothing(admin_client, grant):
    response = _post(admin_client, grant, filters='{"province": "MA-RAB"}')
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["filters"]
    assert ScheduledExport.objects.count() == 0


@pytest.mark.urls(__name__)
def test_scheduled_export_admin_bad_recipient_saves_nothing(admin_client, grant):
    response = _post(admin_client, grant, recipients="chef@example.org\nnot an address")
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["recipients"]
    assert ScheduledExport.objects.count() == 0


@pytest.mark.urls(__name__)
def test_scheduled_export_admin_changelist_in_arabic(admin_client, grant):
    schedule(grant)
    response = admin_client.get("/admin/raqmya_reports/scheduledexport/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode("utf-8")


@pytest.mark.parametrize("language, expected", [("fr", "export programmé"), ("ar", "تصدير مُجدول")])
def test_scheduled_export_verbose_name_translated(language, expected):
    with translation.override(language):
        assert str(ScheduledExport._meta.verbose_name) == expected


@pytest.mark.parametrize(
    "language, expected", [("fr", "Chaque mois (le 1er)"), ("ar", "شهريًا (اليوم الأول من الشهر)")]
)
def test_scheduled_export_frequency_label_translated(language, expected):
    with translation.override(language):
        assert str(ScheduledExport.Frequency.MONTHLY.label) == expected
