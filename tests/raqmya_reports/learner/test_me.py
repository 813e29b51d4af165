"""Tests of the learner's page and its API: own data only, track, cohort, levels, courses, hours, retake link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from raqmya_reports.api import (
    InvalidAssessmentResult,
    record_assessment_result,
    record_placement,
    record_placement_reset,
)
from raqmya_reports.learner.data import learner_summary
from raqmya_reports.registry.models import BeneficiaryProfile, CatalogueEntry, Course, CourseGrade

from ..factories import make_cohort, make_profile, make_user

pytestmark = pytest.mark.django_db

USAGE_KEY = "block-v1:Raqmya+DIGI101+2026+type@raqmya_placement+block@placement"
NOW = dt.datetime(2026, 12, 4, 12, tzinfo=dt.timezone.utc)


@pytest.fixture(name="learner")
def fixture_learner():
    user = make_user()
    make_profile(user, sector="public_administration")
    for key, tracks, hours, level in (("course-v1:R+A+1", ["perfectionnement"], 12, 2),
                                      ("course-v1:R+B+1", ["perfectionnement"], 8, 3),
                                      ("course-v1:R+C+1", ["acculturation"], 30, 2)):
        CatalogueEntry.objects.create(course=Course.objects.create(course_key=key, display_name=f"Cours {key[-3]}"),
                                      tracks=tracks, hours=hours, level=level)
    return user


def place(user, levels, when=NOW - dt.timedelta(days=40), track="perfectionnement"):
    record_placement(user_id=user.id, usage_key=USAGE_KEY, attempt=1, levels=levels, track=track, submitted_at=when)


def test_summary_names_the_learner_track(learner):
    assert learner_summary(learner.id, NOW)["track"] == {"code": "perfectionnement",
                                                         "name": "Perfectionnement digital"}


def test_summary_of_a_learner_without_a_profile_has_no_track():
    assert learner_summary(make_user().id, NOW)["track"] is None


def test_summary_gives_the_cohort(learner):
    make_cohort(name="Pilote Rabat 2026").memberships.create(user=learner, programme_year=2026)
    assert learner_summary(learner.id, NOW)["cohort"]["name"] == "Pilote Rabat 2026"


def test_summary_gives_the_placement_level_per_area(learner):
    place(learner, {"1": 3, "4": 5})
    levels = {area["code"]: area["placement_level"] for area in learner_summary(learner.id, NOW)["areas"]}
    assert levels == {"1": 3, "2": None, "3": None, "4": 5, "5": None}


def test_summary_gives_the_assessment_percent_per_area(learner):
    record_assessment_result(user_id=learner.id, usage_key="block-v1:R+A+1+type@raqmya_assessment+block@a",
                             course_key="course-v1:R+A+1", attempt=1, track="perfectionnement", earned=3, possible=4,
                             passed=True, competences={"4.1": {"earned": 1, "possible": 2},
                                                       "4.2": {"earned": 2, "possible": 2}},
                             submitted_at=NOW)
    areas = {area["code"]: area["assessment_percent"] for area in learner_summary(learner.id, NOW)["areas"]}
    assert areas["4"] == 75.0
    assert areas["1"] is None


def test_summary_marks_recommended_courses_done_or_to_do(learner):
    CourseGrade.objects.create(user=learner, course=Course.objects.get(course_key="course-v1:R+A+1"), passed=True)
    courses = learner_summary(learner.id, NOW)["courses"]
    done = [(course["course_key"], course["done"]) for course in courses]
    assert done == [("course-v1:R+A+1", True), ("course-v1:R+B+1", False)]


@pytest.mark.parametrize(("page_language", "expected"), [
    ("fr", ["course-v1:R+A+1", "course-v1:R+B+1"]), ("ar", ["course-v1:R+B+1", "course-v1:R+A+1"]),
    ("ar-ma", ["course-v1:R+B+1", "course-v1:R+A+1"]),
])
def test_summary_courses_in_page_language_first(learner, page_language, expected):
    CatalogueEntry.objects.filter(course__course_key="course-v1:R+B+1").update(language="ar")
    with translation.override(page_language):
        courses = learner_summary(learner.id, NOW)["courses"]
    assert [course["course_key"] for course in courses] == expected


def test_summary_counts_hours_passed_against_the_track_hours(learner):
    CourseGrade.objects.create(user=learner, course=Course.objects.get(course_key="course-v1:R+A+1"), passed=True)
    assert learner_summary(learner.id, NOW)["hours"] == {"completed": 12.0, "track": 20.0}


def test_summary_allows_a_retake_after_the_delay(learner):
    place(learner, {"1": 3})
    retake = learner_summary(learner.id, NOW)["placement_retake"]
    assert retake["allowed"] is True
    assert retake["url"] == f"/courses/course-v1:Raqmya+DIGI101+2026/jump_to/{USAGE_KEY}"


def test_summary_refuses_a_retake_before_the_delay(learner):
    place(learner, {"1": 3}, when=NOW - dt.timedelta(days=2))
    assert learner_summary(learner.id, NOW)["placement_retake"]["allowed"] is False


def test_summary_without_placement_has_no_retake(learner):
    assert learner_summary(learner.id, NOW)["placement_retake"] is None


def test_page_redirects_anonymous_users_to_login(client):
    response = client.get(reverse("raqmya_reports:learner_page"))
    assert response.status_code == 302


def test_page_shows_the_track_in_french(client, learner):
    client.force_login(learner)
    response = client.get(reverse("raqmya_reports:learner_page"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "<strong>Perfectionnement digital</strong>" in response.content.decode()


def test_page_in_arabic_is_right_to_left(client, learner, settings):
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(reverse("raqmya_reports:learner_page")).content.decode()
    assert 'dir="rtl"' in html


def test_page_shows_only_the_signed_in_learner(client, learner):
    other = make_user()
    make_profile(other)
    BeneficiaryProfile.objects.filter(user=other).update(track="acculturation")
    client.force_login(other)
    html = client.get(reverse("raqmya_reports:learner_page")).content.decode()
    assert "Cours A" not in html


def test_api_returns_the_same_summary_as_the_page(client, learner):
    client.force_login(learner)
    body = client.get(reverse("raqmya_reports:api_me")).json()
    assert body["track"]["code"] == "perfectionnement"
    assert body["hours"] == learner_summary(learner.id, timezone.now())["hours"]


def test_api_refuses_anonymous_callers(client):
    assert client.get(reverse("raqmya_reports:api_me")).status_code in (401, 403)


def test_summary_names_courses_with_about_pages(learner, settings):
    settings.RAQMYA_PLATFORM_BACKEND = "tests.raqmya_reports.catalogue_backend"
    Course.objects.filter(course_key="course-v1:R+B+1").update(display_name="")
    courses = learner_summary(learner.id, NOW)["courses"]
    assert [(course["name"], course["about_url"]) for course in courses] == [
        ("Cours A", None), ("course-v1:R+B+1", None),
    ]


def test_page_links_course_name_to_about_page(client, learner, settings):
    settings.RAQMYA_PLATFORM_BACKEND = "tests.raqmya_reports.catalogue_backend"
    Course.objects.create(course_key="course-v1:Raqmya+CAT+2026", display_name="الأمن الرقمي")
    CatalogueEntry.objects.create(course=Course.objects.get(course_key="course-v1:Raqmya+CAT+2026"),
                                  tracks=["perfectionnement"], hours=4, level=5)
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(reverse("raqmya_reports:learner_page")).content.decode()
    assert ('<a href="https://lms.raqmya.test/courses/course-v1:Raqmya+CAT+2026/about" dir="auto">الأمن الرقمي</a>'
            in html)
    assert '<span dir="auto">Cours A</span>' in html


def test_api_gives_course_about_url(client, learner):
    client.force_login(learner)
    courses = client.get(reverse("raqmya_reports:api_me")).json()["courses"]
    assert [(course["name"], course["about_url"]) for course in courses] == [("Cours A", None), ("Cours B", None)]


def _page(client, user, language):
    client.force_login(user)
    client.cookies["openedx-language-preference"] = language
    return client.get(reverse("raqmya_reports:learner_page")).content.decode()


@pytest.mark.parametrize(("language", "sentence"), [
    ("fr", "Pas encore d’heures de formation\u00a0: le catalogue ne propose encore aucun cours de votre parcours."),
    ("ar", "لا توجد ساعات تكوين بعد: لا يضم الفهرس حتى الآن أي درس من مسارك."),
])
def test_page_hours_without_catalogue(client, language, sentence):
    user = make_user()
    make_profile(user, sector="public_administration")
    html = _page(client, user, language)
    assert re.search(r"<p data-hours>([^<]*)</p>", html).group(1) == sentence
    assert "<progress" not in html


def test_page_hours_french_numbers(client, learner):
    html = _page(client, learner, "fr")
    hours = re.sub(r"\s+", " ", re.search(r"<p data-hours>([^<]*)</p>", html).group(1))
    assert hours == "Heures effectuées : 0,0 sur 20,0."
    assert "Parcours\u00a0: <strong>Perfectionnement digital</strong>" in html


@pytest.mark.parametrize(("language", "labels"), [
    ("fr", ["Retour aux cours", "Déconnexion"]),
    ("ar", ["العودة إلى الدروس", "تسجيل الخروج"]),
])
def test_page_links_back_and_logout(client, learner, language, labels):
    html = _page(client, learner, language)
    nav = re.search(r'<nav class="learner-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.search(r'<a href="/">([^<]*)</a>', nav).group(1) == labels[0]
    assert re.search(r'<form method="post" action="/logout/">.*?<button[^>]*>([^<]*)</button>', nav, re.S).group(1) \
        == labels[1]
    assert "Tableau de bord" not in nav


def test_page_percent_french_spacing(client, learner):
    record_assessment_result(user_id=learner.id, usage_key="block-v1:R+A+1+type@raqmya_assessment+block@a",
                             course_key="course-v1:R+A+1", attempt=1, track="perfectionnement", earned=3, possible=4,
                             passed=True, competences={"1.1": {"earned": 3, "possible": 4}}, submitted_at=NOW)
    assert "75,0\u00a0%" in _page(client, learner, "fr")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_page_progress_numbers_unlocalized(client, learner, language):
    """The progress bar's attributes are HTML numbers, with a dot, while the sentence is in the language."""
    CourseGrade.objects.create(user=learner, course=Course.objects.get(course_key="course-v1:R+A+1"), passed=True)
    html = _page(client, learner, language)
    assert re.search(r'<progress max="([^"]*)" value="([^"]*)"', html).groups() == ("20.0", "12.0")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_page_cohort_dates_isolated_left_to_right(client, learner, language):
    make_cohort(name="Pilote Rabat 2026").memberships.create(user=learner, programme_year=2026)
    html = _page(client, learner, language)
    dates = re.search(r'<bdi dir="ltr" class="learner-dates">\((.*?)\)</bdi>', html, re.S).group(1)
    assert re.findall(r'<time datetime="([^"]*)">', dates) == ["2026-01-01", "2026-12-31"]


def test_summary_allows_a_retake_after_a_staff_reset(learner):
    place(learner, {"1": 3}, when=NOW - dt.timedelta(days=2))
    reset_at = NOW - dt.timedelta(hours=1)
    assert record_placement_reset(user_id=learner.id, usage_key=USAGE_KEY, reset_at=reset_at) == 1
    retake = learner_summary(learner.id, NOW)["placement_retake"]
    assert retake["allowed"] is True
    assert retake["available_at"] == reset_at.isoformat()


def test_staff_reset_leaves_a_later_run_unmarked(learner):
    place(learner, {"1": 3}, when=NOW - dt.timedelta(days=2))
    assert record_placement_reset(user_id=learner.id, usage_key=USAGE_KEY, reset_at=NOW - dt.timedelta(days=3)) == 0
    assert learner_summary(learner.id, NOW)["placement_retake"]["allowed"] is False


def test_staff_reset_needs_an_aware_time(learner):
    with translation.override("en"), pytest.raises(InvalidAssessmentResult, match="reset_at .* not a datetime"):
        record_placement_reset(user_id=learner.id, usage_key=USAGE_KEY, reset_at=dt.datetime(2026, 3, 1))
