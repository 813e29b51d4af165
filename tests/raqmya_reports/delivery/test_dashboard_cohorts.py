"""The dashboard's phase and cohort filters: the choices within the caller's scope, the figures and the downloads."""

# pylint: disable=unused-argument  # fixtures that build data are requested by name
import csv
import io
import json
import re

import pytest
from django.urls import reverse

from tests.raqmya_reports.delivery.scoping import Role, build_two_provinces, make_reader
from tests.raqmya_reports.factories import make_cohort

pytestmark = pytest.mark.django_db

DASHBOARD = "/raqmya/dashboard/"
LANGUAGE_COOKIE = "openedx-language-preference"


@pytest.fixture(name="cohorts")
def fixture_cohorts(settings):
    """Three 2026 cohorts over the two provinces' data, and one of 2025.

    Pilote Casablanca (MA-CAS, pilot): casa0, casa1, casa2. Rabat (MA-RAB, generalisation): rabat0.
    National (no province, generalisation): casa5 and rabat1. Ancien 2025 (MA-RAB, pilot): no member.
    """
    settings.RAQMYA_MIN_CELL_SIZE = 1
    users = build_two_provinces()["users"]
    casa = make_cohort("Pilote Casablanca 2026", province_id="MA-CAS", track="acculturation")
    rabat = make_cohort("Rabat 2026", province_id="MA-RAB", phase="generalisation", track="acculturation")
    national = make_cohort("National 2026", phase="generalisation", track="acculturation")
    old = make_cohort("Ancien 2025", province_id="MA-RAB", programme_year=2025)
    for cohort, names in ((casa, ["casa0", "casa1", "casa2"]), (rabat, ["rabat0"]), (national, ["casa5", "rabat1"])):
        for name in names:
            cohort.memberships.create(user=users[name], programme_year=2026)
    return {"casa": casa, "rabat": rabat, "national": national, "old": old}


def _course_b_id():
    """Return the id of course B of ``build_two_provinces``, which only the Rabat learners take."""
    from raqmya_reports.registry.models import Course  # pylint: disable=import-outside-toplevel

    return Course.objects.get(course_key__contains="102").pk


def _counts(html):
    return re.findall(r'<p class="figure-count">([^<]+)</p>', html)


def _cohort_options(html):
    select = re.search(r'<select id="cohort" name="cohort">(.*?)</select>', html, re.DOTALL).group(1)
    return re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)


def _login(client, username, role, **limit):
    client.force_login(make_reader(username, role, **limit))
    return client


def test_form_labels_phase_and_cohort(client, cohorts):
    html = _login(client, "boss", "permission").get(DASHBOARD, {"year": "2026"}).content.decode()
    assert '<label for="phase">Phase</label>' in html
    assert '<label for="cohort">Cohorte</label>' in html
    assert '<option value="pilot">Pilote</option>' in html
    assert '<option value="generalisation">Généralisation</option>' in html


def test_form_in_arabic(client, cohorts):
    client.cookies[LANGUAGE_COOKIE] = "ar"
    html = _login(client, "boss", "permission").get(DASHBOARD, {"year": "2026"}).content.decode()
    assert '<label for="phase">المرحلة</label>' in html
    assert '<optgroup label="سنة البرنامج 2026">' in html


def test_manager_sees_every_cohort_by_year(client, cohorts):
    html = _login(client, "boss", "permission").get(DASHBOARD, {"year": "2026"}).content.decode()
    assert [name for _pk, name in _cohort_options(html)] == [
        "Tout", "National 2026", "Pilote Casablanca 2026", "Rabat 2026", "Ancien 2025",
    ]
    assert re.findall(r'<optgroup label="([^"]+)">', html) == ["Année du programme 2026", "Année du programme 2025"]


def test_manager_figures_of_pilot_phase(client, cohorts):
    html = _login(client, "boss", "permission").get(DASHBOARD, {"year": "2026", "phase": "pilot"}).content.decode()
    # Registered, enrolled, active, passed, certified: casa0 to casa2 passed course A.
    assert _counts(html) == ["3", "3", "0", "3", "0"]
    assert '<option value="pilot" selected>Pilote</option>' in html


def test_manager_figures_of_one_cohort(client, cohorts):
    params = {"year": "2026", "cohort": str(cohorts["national"].pk)}
    html = _login(client, "boss", "permission").get(DASHBOARD, params).content.decode()
    assert _counts(html)[:2] == ["2", "2"]
    assert f'<option value="{cohorts["national"].pk}" selected>National 2026</option>' in html


def test_cohort_with_leading_zero_read_as_its_id(client, cohorts):
    """ "007" is cohort 7: the form selects it and the download links carry 7, as the figures count it."""
    cohort = cohorts["national"].pk
    client = _login(client, "boss", "permission")
    html = client.get(DASHBOARD, {"year": "2026", "cohort": f"00{cohort}"}).content.decode()
    assert _counts(html)[:2] == ["2", "2"]
    assert f'<option value="{cohort}" selected>National 2026</option>' in html
    assert f"cohort=00{cohort}" not in html
    assert f"cohort={cohort}" in html


@pytest.mark.parametrize("value", ["١", "1.0", "+1"])
def test_cohort_not_in_ascii_digits_is_400(client, cohorts, value):
    response = _login(client, "boss", "permission").get(DASHBOARD, {"year": "2026", "cohort": value},
                                                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert f"cohort={value!r}" in response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("value", ["20260301", "2026-3-1", "2026-03-01T00:00", "２０２６-03-01"])
def test_date_not_written_yyyy_mm_dd_is_400(client, cohorts, value):
    response = _login(client, "boss", "permission").get(DASHBOARD, {"year": "2026", "date_from": value},
                                                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "a date written YYYY-MM-DD" in response.content.decode()


def test_manager_figures_of_whole_year(client, cohorts):
    html = _login(client, "boss", "permission").get(DASHBOARD, {"year": "2026"}).content.decode()
    assert _counts(html)[:2] == ["10", "10"]


def test_province_operator_sees_own_cohorts_only(client, cohorts):
    html = _login(client, "op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS").get(
        DASHBOARD, {"year": "2026"}).content.decode()
    assert [name for _pk, name in _cohort_options(html)] == ["Tout", "National 2026", "Pilote Casablanca 2026"]


def test_province_operator_other_cohort_forbidden(client, cohorts):
    operator = _login(client, "op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    for cohort in ("rabat", "old"):
        assert operator.get(DASHBOARD, {"year": "2026", "cohort": cohorts[cohort].pk}).status_code == 403
        response = operator.get("/api/raqmya/v1/reports/summary/", {"year": "2026", "cohort": cohorts[cohort].pk})
        assert response.status_code == 403
        export = reverse("raqmya_reports:export", args=["provinces", "csv"])
        assert operator.get(export, {"year": "2026", "cohort": cohorts[cohort].pk}).status_code == 403


def test_province_operator_national_cohort_counts_own_members(client, cohorts):
    operator = _login(client, "op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    html = operator.get(DASHBOARD, {"year": "2026", "cohort": cohorts["national"].pk}).content.decode()
    # casa5 only: rabat1 is a member too, outside the operator's province.
    assert _counts(html)[:2] == ["1", "1"]


def test_other_province_operator_sees_no_cohort(client, cohorts):
    html = _login(client, "op_moh", Role.PROVINCE_OPERATOR, province_id="MA-MOH").get(
        DASHBOARD, {"year": "2026"}).content.decode()
    assert _cohort_options(html) == [("", "Tout")]


def test_region_operator_sees_cohorts_of_region(client, cohorts):
    html = _login(client, "op_rsk", Role.REGION_OPERATOR, region_id="MA-04").get(
        DASHBOARD, {"year": "2026"}).content.decode()
    assert [name for _pk, name in _cohort_options(html)] == ["Tout", "National 2026", "Rabat 2026", "Ancien 2025"]


def test_course_staff_see_cohorts_of_their_learners(client, cohorts):
    course_b = _course_b_id()
    html = _login(client, "staff_b", Role.COURSE_STAFF, course_id=course_b).get(
        DASHBOARD, {"year": "2026"}).content.decode()
    assert [name for _pk, name in _cohort_options(html)] == ["Tout", "National 2026", "Rabat 2026"]


def test_download_links_keep_phase_and_cohort(client, cohorts):
    params = {"year": "2026", "phase": "generalisation", "cohort": str(cohorts["rabat"].pk)}
    html = _login(client, "boss", "permission").get(DASHBOARD, params).content.decode()
    query = f"?year=2026&amp;phase=generalisation&amp;cohort={cohorts['rabat'].pk}"
    assert f'href="/raqmya/exports/provinces.csv{query}"' in html
    assert f'href="/raqmya/exports/summary.xlsx{query}"' in html


def test_download_of_pilot_phase_counts_its_members(client, cohorts):
    export = reverse("raqmya_reports:export", args=["provinces", "csv"])
    response = _login(client, "boss", "permission").get(export, {"year": "2026", "phase": "pilot"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff"))))
    registered = rows[0].index("registered")
    counted = {row[0]: row[registered] for row in rows[1:] if row[registered] != "0"}
    assert counted == {"MA-CAS": "3", "all": "3"}
    assert len(rows) == 1 + 75 + 1


@pytest.mark.parametrize("export_format", ["csv", "json"])
def test_summary_download_of_pilot_phase_counts_its_members(client, cohorts, export_format):
    export = reverse("raqmya_reports:export", args=["summary", export_format])
    response = _login(client, "boss", "permission").get(export, {"year": "2026", "phase": "pilot"})
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    if export_format == "json":
        assert json.loads(text)["totals"]["registered"] == 3
    else:
        rows = list(csv.reader(io.StringIO(text)))
        assert [row for row in rows if row[1] == "all"][0][rows[0].index("registered")] == "3"


def test_item_analysis_download_offered_in_french_and_arabic(client, cohorts):
    boss = _login(client, "boss", "permission")
    html = boss.get(DASHBOARD, {"year": "2026"}).content.decode()
    assert '<li>Analyse des questions\u00a0:\n      <a href="/raqmya/exports/items.xlsx?year=2026">XLSX</a>' in html
    boss.cookies[LANGUAGE_COOKIE] = "ar"
    assert "<li>تحليل الأسئلة:" in boss.get(DASHBOARD, {"year": "2026"}).content.decode()


def test_item_analysis_download_has_both_difficulties(client, cohorts):
    export = reverse("raqmya_reports:export", args=["items", "csv"])
    response = _login(client, "boss", "permission").get(export, {"year": "2026", "phase": "pilot"})
    header = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff").splitlines()[0]
    assert header.endswith(",discrimination,authored_difficulty,estimated_difficulty")
