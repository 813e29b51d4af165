"""Tests of what people read on the report pages: the refusal page, the audit log's filters, track and course names."""

# pylint: disable=unused-argument  # fixtures that build data are requested by name
import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from raqmya_reports.delivery.models import AuditLogEntry
from raqmya_reports.registry.models import Course
from tests.raqmya_reports.delivery.scoping import Role, build_two_provinces, make_reader

pytestmark = pytest.mark.django_db

LANGUAGE_COOKIE = "openedx-language-preference"
DASHBOARD = "/raqmya/dashboard/"
NBSP = "\u00a0"


@pytest.fixture(name="data")
def fixture_data():
    return build_two_provinces()


def _in(client, language):
    client.cookies[LANGUAGE_COOKIE] = language
    return client


def _reason(html):
    return re.search(r"<p class=\"error\" role=\"alert\" data-reason>([^<]*)</p>", html).group(1)


def _back_link(html):
    return re.search(r'<a class="back-link" href="([^"]*)">([^<]*)</a>', html).groups()


@pytest.mark.parametrize(("language", "direction", "reason", "back"), [
    ("fr", "ltr", "Le filtre province MA-RAB est hors de votre périmètre",
     "Aller au tableau de bord de votre périmètre"),
    ("ar", "rtl", "province MA-RAB خارج نطاقك", "الذهاب إلى لوحة القيادة الخاصة بنطاقك"),
])
@pytest.mark.parametrize("path", [DASHBOARD, "/raqmya/exports/summary.csv", "/raqmya/exports/provinces.xlsx"])
def test_refusal_page_outside_scope(client, data, language, direction, reason, back, path):
    client.force_login(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    response = _in(client, language).get(path, {"year": "2026", "province": "MA-RAB"})
    html = response.content.decode()
    assert response.status_code == 403
    assert re.search(r'<html lang="([a-z]+)" dir="([a-z]+)"', html).groups() == (language, direction)
    assert reason in _reason(html)
    assert _back_link(html) == ("/raqmya/dashboard/", back)


@pytest.mark.parametrize(("language", "reason", "back"), [
    ("fr", "Seuls les responsables du programme peuvent lire le journal d’audit.",
     "Aller au tableau de bord de votre périmètre"),
    ("ar", "لا يمكن قراءة سجل التدقيق إلا لمسؤولي البرنامج.", "الذهاب إلى لوحة القيادة الخاصة بنطاقك"),
])
def test_refusal_page_audit_log_operator(client, data, language, reason, back):
    client.force_login(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    response = _in(client, language).get(reverse("raqmya_reports:audit_log"))
    html = response.content.decode()
    assert (response.status_code, _reason(html), _back_link(html)[1]) == (403, reason, back)


@pytest.mark.parametrize(("language", "reason", "back"), [
    ("fr", "Votre compte n’a aucun rôle d’accès aux rapports", "Aller à ma page du programme"),
    ("ar", "ليس لحسابك أي دور في التقارير", "الذهاب إلى صفحتي في البرنامج"),
])
def test_refusal_page_learner_dashboard(client, language, reason, back):
    client.force_login(get_user_model().objects.create_user(username="learner", password="unused"))
    response = _in(client, language).get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 403
    assert reason in _reason(html)
    assert _back_link(html) == ("/raqmya/me/", back)
    assert "Forbidden" not in html


@pytest.mark.parametrize(("language", "line"), [
    ("fr", f"Région{NBSP}: Casablanca-Settat<br>Province{NBSP}: Casablanca"),
    ("ar", "الجهة: الدار البيضاء - سطات<br>إقليم: الدار البيضاء"),
])
def test_audit_log_names_territories(client, data, language, line):
    AuditLogEntry.objects.create(action="export", report="regions", output_format="csv", scope="programme",
                                 filters={"region": "MA-06", "province": "MA-CAS"})
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    html = _in(client, language).get(reverse("raqmya_reports:audit_log")).content.decode()
    cells = re.findall(r"<td>(.*?)</td>", re.search(r"<tr data-entry=\"\d+\">(.*?)</tr>", html, re.S).group(1), re.S)
    assert cells[-1].strip() == line
    assert cells[2] != "regions"


def test_audit_log_time_in_report_zone_with_offset(client, data):
    entry = AuditLogEntry.objects.create(action="view", report="summary", output_format="html", scope="programme",
                                         filters={})
    AuditLogEntry.objects.filter(pk=entry.pk).update(created=dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.timezone.utc))
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    html = _in(client, "fr").get(reverse("raqmya_reports:audit_log")).content.decode()
    # Casablanca is at UTC+1 on 1 April 2026: the entry is of 1 April, as the reports count it.
    assert '<time datetime="2026-04-01 00:30:00+01:00">2026-04-01 00:30:00+01:00</time>' in html
    assert "Quand (Africa/Casablanca)" in html


def test_audit_log_filters_labelled(client, data):
    AuditLogEntry.objects.create(action="view", report="summary", output_format="html", scope="province:MA-CAS",
                                 filters={"year": 2026, "track": "acculturation", "phase": "", "sector": "student"})
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    html = _in(client, "fr").get(reverse("raqmya_reports:audit_log")).content.decode()
    cells = re.search(r"<tr data-entry=\"\d+\">(.*?)</tr>", html, re.S).group(1)
    values = [re.sub(r"[ \t\n]+", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", cells, re.S)]
    assert values[2:] == [
        "Résumé", "HTML", f"Province{NBSP}: MA-CAS",
        f"Année du programme{NBSP}: 2026<br>Parcours{NBSP}: Acculturation digitale<br>Secteur{NBSP}: Étudiant ou élève",
    ]
    assert "{" not in cells


@pytest.mark.parametrize(("language", "names"), [
    ("fr", ["Acculturation digitale", "Tous les parcours"]),
    ("ar", ["التثقيف الرقمي", "جميع المسارات"]),
])
def test_dashboard_course_table_names(client, data, language, names):
    Course.objects.update(display_name="Culture numérique")
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    html = _in(client, language).get(DASHBOARD, {"year": "2026"}).content.decode()
    section = html.split('id="course-heading"', 1)[1]
    tracks = re.findall(r'<td data-track="[a-z]+">([^<]*)</td>', section)
    assert sorted(set(tracks)) == sorted(names)
    assert '<th scope="row" dir="auto">Culture numérique</th>' in section
    assert "course-v1:" not in section


def test_dashboard_download_labels_french_colon(client, data):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    html = _in(client, "fr").get(DASHBOARD, {"year": "2026"}).content.decode()
    labels = re.findall(r'<ul class="downloads">\s*<li>([^<]*)<a', html)
    assert labels[0].strip() == f"Résumé{NBSP}:"


@pytest.mark.parametrize(("language", "reason"), [
    ("fr", "Votre rôle ne permet pas de voir les listes d’apprenants"),
    ("ar", "لا يسمح دورك برؤية قوائم المتعلمين"),
])
def test_refusal_page_learner_list_export(client, data, language, reason):
    client.force_login(make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS"))
    response = _in(client, language).get("/raqmya/exports/learners.csv", {"year": "2026"})
    assert response.status_code == 403
    assert reason in _reason(response.content.decode())
