"""The placement result lists the recommended courses by name, linked to their about pages, in French and Arabic."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as settings_module
from django.test import override_settings
from django.utils import translation

from devstack.services import DevstackI18nService
from raqmya_reports.registry.models import CatalogueEntry, Course
from tests.raqmya_reports.factories import make_profile

from ..conftest import RecordingRuntime, load_block
from .test_block import placement_xml, take_test

BACKEND = "tests.raqmya_reports.catalogue_backend"
TITLED = "course-v1:Raqmya+CAT+2026"
PLATFORM_NAMED = "course-v1:Raqmya+PLAT+2026"


@pytest.fixture(name="block")
def fixture_block(learner, settings):
    """A placement block for a learner whose track's catalogue has a titled course and one the platform names."""
    settings.RAQMYA_PLATFORM_BACKEND = BACKEND
    make_profile(learner)
    for key, title, level in ((TITLED, "Sécurité numérique – الأمن الرقمي", 7), (PLATFORM_NAMED, "", 8)):
        CatalogueEntry.objects.create(course=Course.objects.create(course_key=key, display_name=title),
                                      tracks=["perfectionnement"], hours=10, level=level)
    return load_block(RecordingRuntime(lms_user_id=learner.id, i18n_factory=DevstackI18nService), placement_xml())


def _course_items(html: str) -> list[str]:
    listing = re.search(r'<ul class="raqmya-placement__courses">(.*?)</ul>', html, re.DOTALL).group(1)
    return [item.strip() for item in re.findall(r"<li>(.*?)</li>", listing, re.DOTALL)]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_result_links_course_names_to_about_pages(block, language):
    with translation.override(language):
        _served, body = take_test(block)
    assert _course_items(body["html"]) == [
        f'<a href="https://lms.raqmya.test/courses/{TITLED}/about" dir="auto">Sécurité numérique – الأمن الرقمي</a>',
        f'<a href="https://lms.raqmya.test/courses/{PLATFORM_NAMED}/about" dir="auto">'
        "Cours nommé par la plateforme</a>",
    ]


def test_result_in_arabic_heads_the_courses_in_arabic(block):
    with translation.override("ar"):
        _served, body = take_test(block)
        html = block.render("student_view", {}).content
    assert 'dir="rtl"' in html
    assert "الأمن الرقمي" in body["html"]
    assert "course-v1:Raqmya+CAT+2026</li>" not in body["html"]


def test_result_without_about_page_shows_name_only(block, settings):
    settings.RAQMYA_PLATFORM_BACKEND = "raqmya_reports.platform_backends.standalone"
    _served, body = take_test(block)
    assert _course_items(body["html"])[0] == '<span dir="auto">Sécurité numérique – الأمن الرقمي</span>'


def test_student_view_data_gives_names_and_links(block):
    take_test(block)
    courses = block.student_view_data()["recommended_courses"]
    assert [(course["course_key"], course["name"]) for course in courses] == [
        (TITLED, "Sécurité numérique – الأمن الرقمي"), (PLATFORM_NAMED, "Cours nommé par la plateforme"),
    ]
    assert courses[0]["about_url"] == f"https://lms.raqmya.test/courses/{TITLED}/about"


def test_result_without_reports_app_shows_keys(block):
    take_test(block)
    without_reports = [app for app in settings_module.INSTALLED_APPS if not app.startswith("raqmya_reports")]
    with override_settings(INSTALLED_APPS=without_reports):
        courses = block.student_view_data()["recommended_courses"]
    assert courses == [
        {"course_key": TITLED, "name": TITLED, "about_url": None},
        {"course_key": PLATFORM_NAMED, "name": PLATFORM_NAMED, "about_url": None},
    ]
