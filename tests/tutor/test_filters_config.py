"""The plugin's OPEN_EDX_FILTERS_CONFIG patch: the track step is appended and the operator's own steps stay."""

from __future__ import annotations

import pytest

from tests.tutor.conftest import TutorProject

pytestmark = pytest.mark.slow

ENROLLMENT_STARTED = "org.openedx.learning.course.enrollment.started.v1"
STEP = "raqmya_reports.filters.TrackEnrollmentStep"
FIRST_LINE = "OPEN_EDX_FILTERS_CONFIG = dict("
LAST_LINE = f'OPEN_EDX_FILTERS_CONFIG["{ENROLLMENT_STARTED}"] = _raqmya_enrollment'


def filters_patch(project: TutorProject) -> str:
    """Return the rendered lines of the plugin that build OPEN_EDX_FILTERS_CONFIG in the LMS settings."""
    source = project.lms_settings.read_text(encoding="utf-8")
    start = source.index(FIRST_LINE)
    end = source.index(LAST_LINE, start) + len(LAST_LINE)
    return source[start:end]


def run_patch(project: TutorProject, operator_config: dict | None) -> dict:
    """Execute the patch over settings in which the operator set ``operator_config`` (or nothing)."""
    namespace: dict = {} if operator_config is None else {"OPEN_EDX_FILTERS_CONFIG": operator_config}
    exec(compile(filters_patch(project), "patch", "exec"), namespace)  # pylint: disable=exec-used
    return namespace["OPEN_EDX_FILTERS_CONFIG"]


def test_filters_patch_keeps_operator_steps_and_appends_the_track_step(enabled_project: TutorProject):
    operator = {
        ENROLLMENT_STARTED: {"fail_silently": False, "pipeline": ["operator.steps.Check"]},
        "org.openedx.learning.student.login.requested.v1": {"pipeline": ["operator.steps.Login"]},
    }
    config = run_patch(enabled_project, operator)
    assert config[ENROLLMENT_STARTED] == {"fail_silently": False, "pipeline": ["operator.steps.Check", STEP]}
    assert config["org.openedx.learning.student.login.requested.v1"] == {"pipeline": ["operator.steps.Login"]}


def test_filters_patch_without_operator_config_adds_the_track_step(enabled_project: TutorProject):
    assert run_patch(enabled_project, None) == {ENROLLMENT_STARTED: {"fail_silently": True, "pipeline": [STEP]}}


def test_filters_patch_applied_twice_lists_the_step_once(enabled_project: TutorProject):
    once = run_patch(enabled_project, None)
    assert run_patch(enabled_project, once)[ENROLLMENT_STARTED]["pipeline"] == [STEP]
