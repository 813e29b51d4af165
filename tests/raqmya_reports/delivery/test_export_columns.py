"""The columns of the exports: one summary header whatever the filters and scope, and a name beside each code."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from raqmya_reports.registry.models import AssessmentResult, Course, DigCompArea, DigCompCompetence
from tests.raqmya_reports.delivery.scoping import Role, build_two_provinces, make_reader
from tests.raqmya_reports.reports.builders import local

pytestmark = pytest.mark.django_db

SUMMARY_HEADER = [
    "breakdown", "key", "label", "registered", "enrolled", "ever_enrolled", "active", "completed", "certified",
]
COURSE_A = "course-v1:Raqmya+DIGI101+2026"
COURSE_B = "course-v1:Raqmya+DIGI102+2026"


@pytest.fixture(autouse=True)
def fixture_site_language():
    """Put back the site's language, which the Arabic requests leave active in this thread."""
    yield
    translation.deactivate()


@pytest.fixture(name="data")
def fixture_data():
    return build_two_provinces()


def _rows(client, report, language="fr", **params):
    url = reverse("raqmya_reports:export", args=[report, "csv"])
    response = client.get(url, {"year": "2026", "language": language, **params}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("username, role, limit, params", [
    ("boss", Role.PROGRAMME_MANAGER, {}, {}),
    ("boss", Role.PROGRAMME_MANAGER, {}, {"track": "acculturation"}),
    ("op_casa", Role.PROVINCE_OPERATOR, {"province_id": "MA-CAS"}, {}),
])
def test_summary_export_header_same_everywhere(client, data, username, role, limit, params):
    client.force_login(make_reader(username, role, **limit))
    rows = _rows(client, "summary", **params)
    assert rows[0] == SUMMARY_HEADER
    assert rows[1][:3] == ["total", "all", "Tous les bénéficiaires"]
    assert {row[0] for row in rows[2:]} == {"track", "region"}


def test_summary_export_names_tracks_in_arabic(client, data):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    rows = _rows(client, "summary", language="ar")
    assert ["track", "acculturation", "التثقيف الرقمي"] in [row[:3] for row in rows]
    assert ["track", "perfectionnement", "تطوير الكفاءات الرقمية"] in [row[:3] for row in rows]


def test_courses_export_names_course_and_track(client, data):
    Course.objects.filter(course_key=COURSE_A).update(display_name="Culture numérique")
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    rows = _rows(client, "courses")
    header = rows[0]
    assert header[:4] == ["course_key", "course_name", "track", "track_label"]
    named = {(row[0], row[2]): (row[1], row[3]) for row in rows[1:]}
    assert named[(COURSE_A, "acculturation")] == ("Culture numérique", "Acculturation digitale")
    assert named[(COURSE_A, "all")] == ("Culture numérique", "Tous les parcours")
    # No catalogue title and no platform name in the test backend: the key stands for the name.
    assert named[(COURSE_B, "all")] == (COURSE_B, "Tous les parcours")


def test_courses_export_names_track_in_arabic(client, data):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    rows = _rows(client, "courses", language="ar")
    labels = {row[2]: row[3] for row in rows[1:]}
    assert labels == {"acculturation": "التثقيف الرقمي", "all": "جميع المسارات"}


def test_competences_export_names_groups(client, data):
    for user in (data["users"]["casa0"], data["users"]["rabat0"]):
        AssessmentResult.objects.create(
            user=user, usage_key="block-v1:Raqmya+DIGI101+2026+type@raqmya_assessment+block@a", attempt=1,
            earned=1, possible=2, passed=False, competences={"2.4": {"earned": 1, "possible": 2}},
            submitted_at=local(2026, 4, 2),
        )
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    rows = _rows(client, "competences")
    assert rows[0] == [
        "grouping", "group", "group_label", "learners", "competence", "competence_label", "result_percent",
    ]
    labels = {(row[0], row[1]): row[2] for row in rows[1:]}
    competences = {row[4]: row[5] for row in rows[1:]}
    assert competences["2.4"] == DigCompCompetence.objects.get(code="2.4").name_fr
    assert competences["area 2"] == DigCompArea.objects.get(code="2").name_fr
    assert labels[("track", "acculturation")] == "Acculturation digitale"
    assert labels[("region", "MA-06")] == "Casablanca-Settat"
    assert labels[("region", "MA-04")] == "Rabat-Salé-Kénitra"


def test_tracks_export_names_tracks_from_reference(client, data):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    rows = _rows(client, "tracks", language="ar")
    assert rows[0][:2] == ["key", "label"]
    labels = {row[0]: row[1] for row in rows[1:]}
    assert labels["acculturation"] == "التثقيف الرقمي"
    assert labels["perfectionnement"] == "تطوير الكفاءات الرقمية"


def test_courses_api_names_course_and_track(client, data):
    Course.objects.filter(course_key=COURSE_A).update(display_name="Culture numérique")
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    response = client.get("/api/raqmya/v1/reports/courses/", {"year": "2026"})
    assert response.status_code == 200
    rows = {(row["course_key"], row["track"]): row for row in response.json()["rows"]}
    row = rows[(COURSE_A, "acculturation")]
    assert row["course_name"] == "Culture numérique"
    assert (row["track_name_fr"], row["track_name_ar"]) == ("Acculturation digitale", "التثقيف الرقمي")
    assert rows[(COURSE_B, "all")]["course_name"] == COURSE_B


@pytest.mark.parametrize("language, registered", [("fr", "Inscrits"), ("ar", "المسجَّلون")])
def test_funnel_export_names_steps(client, data, language, registered):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    rows = _rows(client, "funnel", language=language)
    assert rows[0] == ["step", "step_label", "count"]
    steps = ["registered", "ever_enrolled", "enrolled", "active", "completed", "certified"]
    assert [row[0] for row in rows[1:]] == steps
    assert rows[1][1] == registered
