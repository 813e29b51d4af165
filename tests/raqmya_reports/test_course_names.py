"""Course names and about pages as the reports api gives them to the placement block and the learner page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from raqmya_reports import api
from raqmya_reports.registry.models import Course
from tests.raqmya_reports import catalogue_backend

pytestmark = pytest.mark.django_db

BACKEND = "tests.raqmya_reports.catalogue_backend"
CATALOGUE_KEY = "course-v1:Raqmya+CAT+2026"
PLATFORM_KEY = "course-v1:Raqmya+PLAT+2026"
UNKNOWN_KEY = "course-v1:Raqmya+NONE+2026"
# The name of each key: the catalogue's title, the platform's display name, or the key itself.
NAMES = {CATALOGUE_KEY: "الثقافة الرقمية", PLATFORM_KEY: "Cours nommé par la plateforme", UNKNOWN_KEY: UNKNOWN_KEY}


@pytest.fixture(name="platform")
def fixture_platform(settings):
    settings.RAQMYA_PLATFORM_BACKEND = BACKEND
    Course.objects.create(course_key=CATALOGUE_KEY, display_name="الثقافة الرقمية")
    Course.objects.create(course_key=PLATFORM_KEY)


def test_describe_courses_catalogue_title_first(platform):
    [course] = api.describe_courses([CATALOGUE_KEY])
    assert course == {"course_key": CATALOGUE_KEY, "name": "الثقافة الرقمية",
                      "about_url": f"https://lms.raqmya.test/courses/{CATALOGUE_KEY}/about"}


def test_describe_courses_platform_name_without_title(platform):
    [course] = api.describe_courses([PLATFORM_KEY])
    assert course["name"] == "Cours nommé par la plateforme"


def test_describe_courses_key_when_nobody_names_it(platform):
    [course] = api.describe_courses([UNKNOWN_KEY])
    assert course == {"course_key": UNKNOWN_KEY, "name": UNKNOWN_KEY, "about_url": None}


def test_describe_courses_keeps_order(platform):
    keys = [UNKNOWN_KEY, CATALOGUE_KEY, PLATFORM_KEY]
    assert [course["course_key"] for course in api.describe_courses(keys)] == keys


def test_describe_courses_standalone_has_no_about_page(settings):
    settings.RAQMYA_PLATFORM_BACKEND = "raqmya_reports.platform_backends.standalone"
    Course.objects.create(course_key=CATALOGUE_KEY, display_name="Culture numérique")
    assert api.describe_courses([CATALOGUE_KEY]) == [
        {"course_key": CATALOGUE_KEY, "name": "Culture numérique", "about_url": None}
    ]


def test_course_names_by_key_for_each_source(platform):
    # Repeated keys are named once.
    assert api.course_names([UNKNOWN_KEY, CATALOGUE_KEY, PLATFORM_KEY, CATALOGUE_KEY]) == {
        CATALOGUE_KEY: "الثقافة الرقمية", PLATFORM_KEY: "Cours nommé par la plateforme", UNKNOWN_KEY: UNKNOWN_KEY,
    }


def test_course_names_look_up_no_about_page(platform, monkeypatch):
    lookups = []
    monkeypatch.setattr(catalogue_backend, "get_course_about_url", lookups.append)
    assert api.course_names([CATALOGUE_KEY, PLATFORM_KEY])[PLATFORM_KEY] == "Cours nommé par la plateforme"
    assert lookups == []
    api.describe_courses([CATALOGUE_KEY])
    assert lookups == [CATALOGUE_KEY]


def test_course_names_many_keys_whole_table(platform, monkeypatch):
    """From ``_WHOLE_TABLE_NAMES`` keys on, the course table is read whole, and only the requested keys are named."""
    Course.objects.create(course_key="course-v1:Raqmya+OTHER+2026", display_name="Autre cours")
    keys = [UNKNOWN_KEY, CATALOGUE_KEY, PLATFORM_KEY]
    with CaptureQueriesContext(connection) as by_hash:
        assert api.course_names(keys) == NAMES
    monkeypatch.setattr(api, "_WHOLE_TABLE_NAMES", len(keys))
    with CaptureQueriesContext(connection) as whole:
        assert api.course_names(keys) == NAMES
    assert ["course_key_hash" in query["sql"] for query in by_hash] == [True]
    assert ["course_key_hash" in query["sql"] or "WHERE" in query["sql"] for query in whole] == [False]


def test_course_names_large_table_by_hashes(platform, monkeypatch):
    """A course table of more than ``_ROWS_PER_NAME`` rows per requested key is not read whole."""
    keys = [UNKNOWN_KEY, CATALOGUE_KEY, PLATFORM_KEY]
    Course.objects.bulk_create([Course(course_key=f"course-v1:Raqmya+X{number}+2026",
                                       course_key_hash=f"{number:064d}") for number in range(10)])
    monkeypatch.setattr(api, "_WHOLE_TABLE_NAMES", len(keys))
    monkeypatch.setattr(api, "_ROWS_PER_NAME", 3)
    with CaptureQueriesContext(connection) as queries:
        names = api.course_names(keys)
    assert names == NAMES
    # The first query stops after ten rows: three for each of the three keys, and one more.
    # Then the keys are read by their hashes.
    assert len(queries) == 2
    assert "LIMIT 10" in queries[0]["sql"]
    assert "course_key_hash" in queries[1]["sql"]
