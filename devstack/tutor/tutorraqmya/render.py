"""Template helpers that write configuration values safely into Python settings and Dockerfiles."""

from __future__ import annotations

import math
import shlex
from collections.abc import Mapping
from gettext import gettext as _
from typing import Any

from jinja2 import pass_context

from . import config
from .errors import RaqmyaRenderError

# Keys of settings_lines(): "common" is the patch that both the LMS and Studio read.
SERVICES = {"common": config.BOTH, "lms": config.LMS, "cms": ("cms",)}

# Folders where Celery beat keeps its schedule file: the LMS data volume under docker compose, an
# emptyDir volume on Kubernetes, where the worker's pod has no writable data volume.
BEAT_FOLDERS = {"compose": "/openedx/data", "k8s": "/openedx/beat"}
BEAT_SCHEDULE_FILE = "raqmya-celerybeat-schedule"


def _is_literal(value: Any) -> bool:
    """Return whether repr(value) is a Python literal that evaluates back to an equal value."""
    if value is None or isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        # repr(nan) and repr(inf) are names, not literals.
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_is_literal(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _is_literal(item) for key, item in value.items())
    return False


def python_literal(value: Any) -> str:
    """Return ``value`` as a Python literal, so that quotes or backslashes cannot break a settings file."""
    if _is_literal(value):
        return repr(value)
    raise RaqmyaRenderError(
        value,
        _("a Python settings file"),
        _("set it to a string, a number, true or false, or a list or mapping of those"),
    )


def shell_quote(value: Any) -> str:
    """Return ``value`` quoted as one word for the POSIX shell that runs a Dockerfile ``RUN`` line."""
    if not isinstance(value, str):
        raise RaqmyaRenderError(value, _("a Dockerfile RUN line"), _("set it to a string"))
    return shlex.quote(value)


def settings_lines(tutor_config: Mapping[str, Any], patch: str) -> str:
    """Return ``NAME = literal`` lines of the table's settings that go to ``patch`` ("common", "lms" or "cms")."""
    lines = []
    for setting in config.django_settings(SERVICES[patch]):
        value = tutor_config.get(setting.name, setting.default)
        lines.append(f"{setting.name} = {python_literal(setting.to_django(value))}")
    return "\n".join(lines)


@pass_context
def raqmya_settings(context: Any, patch: str) -> str:
    """Template function: ``{{ raqmya_settings("common") }}`` renders the settings of that patch."""
    # The render context is the Tutor configuration, so each value is looked up by its name.
    return settings_lines(context.get_all(), patch)


def beat_folder(k8s: bool = False) -> str:
    """Template function: the writable folder of Celery beat's schedule file, under compose or Kubernetes."""
    return BEAT_FOLDERS["k8s" if k8s else "compose"]


def beat_command(k8s: bool = False) -> list[str]:
    """Template function: the command of the LMS's Celery beat, one word per item."""
    schedule = f"{beat_folder(k8s)}/{BEAT_SCHEDULE_FILE}"
    return ["celery", "--app=lms.celery", "beat", "--loglevel=info", f"--schedule={schedule}"]
