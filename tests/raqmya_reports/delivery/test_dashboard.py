"""Tests of the programme dashboard: who may see it, the figures it shows, French and Arabic layouts."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.raqmya_reports.reports.builders import build_programme, enroll, local, make_beneficiary, make_course

pytestmark = pytest.mark.django_db

LANGUAGE_COOKIE = "openedx-language-preference"


@pytest.fixture(name="url")
def fixture_url():
    return reverse("raqmya_reports:dashboard")


@pytest.fixture(name="manager")
def fixture_manager():
    user = get_user_model().objects.create_user(username="manager", password="unused")
    user.user_permissions.add(Permission.objects.get(codename="view_programme_reports"))
    return user


@pytest.fixture(name="manager_client")
def fixture_manager_client(client, manager):
    client.force_login(manager)
    return client


def _cells(html, header):
    """Return the data cells of the row whose header cell is ``header``."""
    match = re.search(rf'<th scope="row">{re.escape(header)}</th>\s*((?:<td[^>]*>[^<]*</td>\s*)+)', html)
    assert match, f"no row headed {header!r}"
    return re.findall(r"<td[^>]*>([^<]*)</td>", match.group(1))


def test_dashboard_url_path(url):
    assert url == "/raqmya/dashboard/"


def test_dashboard_anonymous_redirected_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/raqmya/dashboard/"


def test_dashboard_learner_forbidden(client, url):
    client.force_login(get_user_model().objects.create_user(username="learner", password="unused"))
    assert client.get(url).status_code == 403


def test_dashboard_staff_allowed(client, url):
    client.force_login(get_user_model().objects.create_user(username="ops", password="unused", is_staff=True))
    assert client.get(url).status_code == 200


def test_dashboard_manager_sees_figures(manager_client, url, settings):
    settings.RAQMYA_YEARLY_TARGET = 8
    build_programme()
    response = manager_client.get(url, {"year": "2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<p class="figure-count">(\d+)</p>', html) == ["5", "3", "0", "3", "0"]
    assert 'style="width: 62.5%"' in html
    assert "62,5\u00a0% de l’objectif (5 sur 8)" in html


def test_dashboard_manager_sees_track_table(manager_client, url):
    build_programme()
    html = manager_client.get(url, {"year": "2026"}).content.decode()
    assert _cells(html, "Perfectionnement digital") == ["3", "2", "2"]
    assert _cells(html, "Acculturation digitale") == ["2", "1", "1"]


def test_dashboard_manager_sees_region_table(manager_client, url):
    build_programme()
    html = manager_client.get(url, {"year": "2026"}).content.decode()
    assert _cells(html, "Casablanca-Settat") == ["1", "2", "1", "1"]
    assert _cells(html, "Dakhla-Oued Ed-Dahab") == ["5", "0", "0", "0"]
    assert html.count('<tr data-region=') == 12


def test_dashboard_bar_stops_at_full_width(manager_client, url, settings):
    settings.RAQMYA_YEARLY_TARGET = 2
    build_programme()
    html = manager_client.get(url, {"year": "2026"}).content.decode()
    assert 'style="width: 100.0%"' in html
    assert "250,0\u00a0% de l’objectif (5 sur 2)" in html


def test_dashboard_french_by_default(manager_client, url):
    html = manager_client.get(url).content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Tableau de bord du programme" in html


def test_dashboard_arabic_from_cookie(manager_client, url):
    build_programme()
    manager_client.cookies[LANGUAGE_COOKIE] = "ar"
    html = manager_client.get(url, {"year": "2026"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert _cells(html, "الدار البيضاء - سطات") == ["1", "2", "1", "1"]
    assert _cells(html, "تطوير الكفاءات الرقمية") == ["3", "2", "2"]


def test_dashboard_arabic_from_accept_language(manager_client, url):
    html = manager_client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "لوحة قيادة البرنامج" in html


def test_dashboard_year_selector_marks_selected(manager_client, url):
    build_programme()
    html = manager_client.get(url, {"year": "2025"}).content.decode()
    assert '<option value="2025" selected>2025</option>' in html
    assert re.findall(r'<p class="figure-count">(\d+)</p>', html) == ["1", "0", "0", "0", "0"]


def test_dashboard_invalid_year_is_400(manager_client, url):
    response = manager_client.get(url, {"year": "20x6"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "20x6" in html
    assert 'role="alert"' in html


def test_dashboard_rejects_post(manager_client, url):
    assert manager_client.post(url).status_code == 405


def test_dashboard_tables_are_accessible(manager_client, url):
    html = manager_client.get(url).content.decode()
    assert html.count("<caption>") == 4
    assert html.count('<th scope="col">') == 4 + 5 + 4 + 6
    assert re.findall(r"<h(\d)", html) == ["1", "2", "3", "3", "3", "3", "3", "2", "2", "2", "2", "2", "2"]


def test_dashboard_has_no_external_assets(manager_client, url):
    html = manager_client.get(url).content.decode()
    external = [link for link in re.findall(r'(?:href|src)="([^"#]+)"', html) if not link.startswith("/")]
    assert external == []


def test_dashboard_stylesheet_is_found():
    assert finders.find("raqmya_reports/reports.css") is not None


def test_dashboard_period_in_local_dates(manager_client, url):
    # The year starts at 00:00 in Casablanca, 23:00 UTC the day before: the page shows local dates.
    html = manager_client.get(url, {"year": "2026"}).content.decode()
    # French typography: a no-break space before the colon and between the thousands.
    assert "Objectif\u00a0: 12\u00a0500 bénéficiaires du 1 janvier 2026 au 31 décembre 2026." in html


def test_dashboard_regions_tied_share_a_rank(manager_client, url):
    # Tanger-Tétouan-Al Hoceïma, Rabat-Salé-Kénitra and Souss-Massa each registered 1 beneficiary in 2026.
    build_programme()
    html = manager_client.get(url, {"year": "2026"}).content.decode()
    row = r'<tr data-region="([^"]+)">\s*<th[^>]*>[^<]*</th>\s*<td data-figure="rank">(\d+)</td>'
    ranks = dict(re.findall(row, html))
    assert ranks["MA-01"] == "2"
    assert ranks["MA-04"] == "2"
    assert ranks["MA-09"] == "2"
    assert ranks["MA-02"] == "5"


def _learners(count):
    course = make_course(300 + count)
    # A course with a title: an untitled one costs one platform lookup for its name.
    type(course).objects.filter(pk=course.pk).update(display_name=f"Cours {count}")
    for index in range(count):
        user = make_beneficiary(f"q{count}_{index}", region="MA-06", track="acculturation", created=local(2026, 3, 1))
        enroll(user, course, at=local(2026, 3, 2))


def test_dashboard_query_count_independent_of_learners(manager_client, url):
    counts = []
    for size in (3, 30):
        _learners(size)
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(url, {"year": "2026"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
