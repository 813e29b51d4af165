"""Tests of the delivery admin: scopes recorded with their grantor, and an audit log nobody can rewrite."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from raqmya_reports.delivery import admin as delivery_admin
from raqmya_reports.delivery.models import AuditLogEntry, ReportScope

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _superuser():
    return get_user_model().objects.create_superuser(username="root", password="unused", email="root@example.org")


def test_scope_admin_records_grantor():
    grantor = _superuser()
    operator = get_user_model().objects.create_user(username="op", password="unused")
    scope = ReportScope(user=operator, role=ReportScope.Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    model_admin = delivery_admin.ReportScopeAdmin(ReportScope, admin.site)
    model_admin.save_model(_request(grantor), scope, form=None, change=False)
    assert ReportScope.objects.get().granted_by == grantor


def test_audit_log_admin_is_read_only():
    model_admin = delivery_admin.AuditLogEntryAdmin(AuditLogEntry, admin.site)
    request = _request(_superuser())
    permissions = [
        model_admin.has_view_permission(request),
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request),
        model_admin.has_delete_permission(request),
    ]
    assert permissions == [True, False, False, False]


def test_audit_log_admin_hidden_from_operators():
    operator = get_user_model().objects.create_user(username="op", password="unused", is_staff=False)
    ReportScope.objects.create(user=operator, role=ReportScope.Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    model_admin = delivery_admin.AuditLogEntryAdmin(AuditLogEntry, admin.site)
    assert model_admin.has_view_permission(_request(operator)) is False


def _headers(client, url, language):
    client.cookies["openedx-language-preference"] = language
    html = client.get(url).content.decode()
    headers = re.findall(r'<th scope="col" class="[^"]*column-[^"]*">.*?<div class="text">(?:<a [^>]*>)?([^<]*)<',
                         html, re.S)
    return [re.sub(r"\s+", " ", header).strip() for header in headers]


@pytest.mark.parametrize(("language", "columns"), [
    ("fr", ["Date", "Utilisateur", "Action", "Rapport", "Format", "Périmètre"]),
    ("ar", ["التاريخ", "المستخدم", "الإجراء", "التقرير"]),
])
def test_audit_log_admin_columns_translated(client, language, columns):
    client.force_login(_superuser())
    AuditLogEntry.objects.create(action="view", report="summary", scope="programme")
    headers = _headers(client, "/admin/raqmya_reports/auditlogentry/", language)
    assert headers[:len(columns)] == columns


@pytest.mark.parametrize(("language", "columns"), [
    ("fr", ["Utilisateur", "Rôle", "Région", "Province", "Cours"]),
    ("ar", ["المستخدم", "الدور", "الجهة", "الإقليم", "الدرس"]),
])
def test_report_scope_admin_columns_translated(client, language, columns):
    client.force_login(_superuser())
    operator = get_user_model().objects.create_user(username="op", password="unused")
    ReportScope.objects.create(user=operator, role=ReportScope.Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    headers = _headers(client, "/admin/raqmya_reports/reportscope/", language)
    assert headers[:len(columns)] == columns
