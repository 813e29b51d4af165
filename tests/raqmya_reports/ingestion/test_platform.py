"""Tests of the platform door that the ingestion uses: the standalone backend and the setting's checks."""

import pytest
from django.utils import translation

from raqmya_reports import platform
from raqmya_reports.errors import PlatformBackendError
from raqmya_reports.ingestion.facts import get_course
from tests.raqmya_reports.factories import COURSE_KEY, make_user

pytestmark = pytest.mark.django_db


def test_standalone_backend_is_selected_by_the_test_settings():
    assert platform.backend().__name__ == "raqmya_reports.platform_backends.standalone"


def test_user_by_id_returns_the_user():
    user = make_user()
    assert platform.get_user_by_id(user.id) == user


def test_user_by_id_missing_user():
    assert platform.get_user_by_id(987654) is None


def test_user_by_id_not_a_number():
    assert platform.get_user_by_id("seven") is None


def test_course_display_name_is_the_recorded_one():
    get_course(COURSE_KEY, "Culture numérique")
    assert platform.get_course_display_name(COURSE_KEY) == "Culture numérique"


def test_course_display_name_unknown_course():
    assert platform.get_course_display_name("course-v1:Raqmya+NONE+2026") == "course-v1:Raqmya+NONE+2026"


def test_setting_is_read_at_each_call(settings):
    settings.RAQMYA_PLATFORM_BACKEND = "raqmya_reports.platform_backends.missing"
    expected = "'raqmya_reports.platform_backends.missing'"
    with translation.override("en"), pytest.raises(PlatformBackendError, match=expected):
        platform.get_user_by_id(1)


def test_module_without_the_functions_is_rejected(settings):
    settings.RAQMYA_PLATFORM_BACKEND = "raqmya_reports.errors"
    expected = "lacks get_course_display_name, get_user_by_id"
    with translation.override("en"), pytest.raises(PlatformBackendError, match=expected):
        platform.backend()


def test_edx_backend_imports_without_edx_platform():
    from raqmya_reports.platform_backends import edx  # pylint: disable=import-outside-toplevel

    assert callable(edx.get_course_display_name)
