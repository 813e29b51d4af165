"""Tutor hooks of the raqmya plugin: settings, pip install, LMS and Studio settings, Celery beat, init task.

Tutor imports this module when the plugin is enabled, either through the ``tutor.plugin.v1`` entry
point ``raqmya`` or from a one-line module in ``$(tutor plugins printroot)`` that imports it.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from tutor import hooks

from . import config, render

# Patch names come from Tutor's own templates; each one is a file of the same name in patches/.
PATCH_NAMES = (
    "openedx-common-settings",
    "openedx-lms-common-settings",
    "openedx-cms-common-settings",
    "openedx-dockerfile-post-python-requirements",
    "local-docker-compose-services",
    "k8s-deployments",
)


def read_template(folder: str, name: str) -> str:
    """Return the text of a template file shipped in this package, such as ``patches/<patch name>``."""
    # One joinpath() argument per call: Python before 3.11 accepts no more.
    return resources.files("tutorraqmya").joinpath(folder).joinpath(name).read_text(encoding="utf-8")


def check_config(tutor_config: dict[str, Any]) -> None:
    """Stop the Tutor command before anything is rendered when a ``RAQMYA_*`` value is bad."""
    config.check(tutor_config)


hooks.Filters.CONFIG_DEFAULTS.add_items(config.defaults())

hooks.Filters.ENV_TEMPLATE_FILTERS.add_items(
    [
        ("raqmya_python_literal", render.python_literal),
        ("raqmya_shell_quote", render.shell_quote),
    ]
)

# The settings patches call raqmya_settings(...) to write the RAQMYA_* settings of config.SETTINGS.
hooks.Filters.ENV_TEMPLATE_VARIABLES.add_items(
    [
        ("raqmya_settings", render.raqmya_settings),
        # The lms-beat service and deployment (RAQMYA_RUN_BEAT) read their command and schedule folder here.
        ("raqmya_beat_command", render.beat_command),
        ("raqmya_beat_folder", render.beat_folder),
    ]
)

hooks.Filters.ENV_PATCHES.add_items([(name, read_template("patches", name)) for name in PATCH_NAMES])

# One database serves the LMS and Studio, so migrating from the LMS job is enough.
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", read_template("jobs", "init-lms.sh")))

hooks.Actions.CONFIG_LOADED.add()(check_config)
