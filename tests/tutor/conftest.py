"""Fixtures that run the real Tutor CLI on a temporary project root with the checkout's plugin."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

PLUGIN_DIR = Path(__file__).resolve().parents[2] / "devstack" / "tutor"

# The configuration checks and template filters are plain modules that the unit tests import.
# The tests never import plugin.py, because importing it registers hooks in the test process.
sys.path.insert(0, str(PLUGIN_DIR))

# Tutor imports every ``*.py`` file in $TUTOR_PLUGINS_ROOT as a plugin named after the file.
# Dropping the cached module makes a second enable in one process register the hooks again.
PLUGIN_SHIM = textwrap.dedent(
    '''
    """Loads the tutor-contrib-raqmya plugin of the repository checkout, which is not pip-installed."""
    import importlib
    import sys

    sys.modules.pop("tutorraqmya.plugin", None)
    importlib.import_module("tutorraqmya.plugin")
    '''
)


def tutor_command() -> list[str]:
    """Return the command that runs the Tutor CLI installed next to this Python interpreter."""
    script = Path(sys.executable).with_name("tutor")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from tutor.commands.cli import main; main()"]


class TutorProject:
    """A Tutor project root in a temporary directory, with the raqmya plugin visible but not enabled.

    By default Tutor finds the checkout's plugin through the module in the plugins root and ignores
    entry points. With ``site_dir``, Tutor finds it only through the entry point of a wheel installed
    into ``site_dir``.
    """

    def __init__(self, root: Path, site_dir: Path | None = None) -> None:
        self.root = root
        self.site_dir = site_dir
        self.plugins_root = root / "plugins"
        self.plugins_root.mkdir(parents=True, exist_ok=True)
        if site_dir is None:
            (self.plugins_root / "raqmya.py").write_text(PLUGIN_SHIM, encoding="utf-8")

    def environment(self) -> dict[str, str]:
        """Return the subprocess environment: this root, the plugin on PYTHONPATH, no TUTOR_* of the caller."""
        environment = {name: value for name, value in os.environ.items() if not name.startswith("TUTOR_")}
        environment["TUTOR_ROOT"] = str(self.root)
        environment["TUTOR_PLUGINS_ROOT"] = str(self.plugins_root)
        if self.site_dir is None:
            # An installed tutor-contrib-raqmya would otherwise be discovered too, and shadow the checkout.
            environment["TUTOR_IGNORE_ENTRYPOINT_PLUGINS"] = "1"
        plugin_path = PLUGIN_DIR if self.site_dir is None else self.site_dir
        python_path = [str(plugin_path)] + [part for part in [os.environ.get("PYTHONPATH")] if part]
        environment["PYTHONPATH"] = os.pathsep.join(python_path)
        return environment

    def run(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``tutor ARGUMENTS`` on this root; with ``check``, fail the test on a non-zero exit."""
        result = subprocess.run(
            tutor_command() + list(arguments),
            env=self.environment(),
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check and result.returncode != 0:
            command = shlex.join(["tutor", *arguments])
            pytest.fail(f"{command} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def python(self, source: str) -> subprocess.CompletedProcess[str]:
        """Run Python ``source`` with Tutor's environment variables for this root."""
        return subprocess.run(
            [sys.executable, "-c", source],
            env=self.environment(),
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    def config(self) -> dict[str, Any]:
        """Return the user configuration that Tutor saved in config.yml."""
        return yaml.safe_load((self.root / "config.yml").read_text(encoding="utf-8"))

    def env_file(self, *path: str) -> Path:
        """Return the path of a rendered file under $TUTOR_ROOT/env."""
        return self.root.joinpath("env", *path)

    @property
    def lms_settings(self) -> Path:
        """Path of the rendered LMS production settings module."""
        return self.env_file("apps", "openedx", "settings", "lms", "production.py")

    @property
    def cms_settings(self) -> Path:
        """Path of the rendered Studio production settings module."""
        return self.env_file("apps", "openedx", "settings", "cms", "production.py")

    @property
    def dockerfile(self) -> Path:
        """Path of the rendered Dockerfile of the openedx image."""
        return self.env_file("build", "openedx", "Dockerfile")


@pytest.fixture
def project(tmp_path: Path) -> TutorProject:
    """A fresh Tutor project root with the plugin visible and nothing saved yet."""
    return TutorProject(tmp_path / "tutor")


@pytest.fixture(scope="module")
def enabled_project(tmp_path_factory: pytest.TempPathFactory) -> TutorProject:
    """A Tutor project root with the raqmya plugin enabled and the defaults rendered; tests read it only."""
    enabled = TutorProject(tmp_path_factory.mktemp("enabled") / "tutor")
    enabled.run("config", "save")
    enabled.run("plugins", "enable", "raqmya")
    return enabled


@pytest.fixture
def enabled_copy(enabled_project: TutorProject, tmp_path: Path) -> TutorProject:
    """A private copy of ``enabled_project`` that a test may change."""
    root = tmp_path / "tutor"
    shutil.copytree(enabled_project.root, root)
    return TutorProject(root)
