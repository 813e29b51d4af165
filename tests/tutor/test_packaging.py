"""The tutor-contrib-raqmya distribution: its wheel declares the Tutor entry point and ships the templates."""

from __future__ import annotations

import configparser
import email
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.tutor.conftest import PLUGIN_DIR, TutorProject
from tutorraqmya.__about__ import __version__

pytestmark = pytest.mark.slow

TEMPLATE_FILES = sorted(
    path.relative_to(PLUGIN_DIR).as_posix()
    for folder in ("patches", "jobs")
    for path in (PLUGIN_DIR / "tutorraqmya" / folder).iterdir()
    if path.is_file()
)


@pytest.fixture(scope="module")
def wheel_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the plugin's wheel from a copy of devstack/tutor, so that no build output lands in the checkout."""
    root = tmp_path_factory.mktemp("plugin-wheel")
    source = root / "source"
    shutil.copytree(PLUGIN_DIR, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", root, source],
        check=True,
        cwd=root,
    )
    [path] = root.glob("tutor_contrib_raqmya-*.whl")
    return path


@pytest.fixture(scope="module")
def wheel(wheel_path: Path) -> zipfile.ZipFile:
    """The built wheel, open for reading."""
    with zipfile.ZipFile(wheel_path) as archive:
        yield archive


def dist_info_file(wheel: zipfile.ZipFile, name: str) -> str:
    """Return the text of a file in the wheel's .dist-info folder."""
    return wheel.read(f"tutor_contrib_raqmya-{__version__}.dist-info/{name}").decode("utf-8")


def test_wheel_declares_tutor_entry_point(wheel: zipfile.ZipFile):
    entry_points = configparser.ConfigParser()
    entry_points.read_string(dist_info_file(wheel, "entry_points.txt"))
    assert entry_points.sections() == ["tutor.plugin.v1"]
    assert dict(entry_points["tutor.plugin.v1"]) == {"raqmya": "tutorraqmya.plugin"}


def test_wheel_metadata_name_and_version(wheel: zipfile.ZipFile):
    metadata = email.message_from_string(dist_info_file(wheel, "METADATA"))
    assert metadata["Name"] == "tutor-contrib-raqmya"
    assert metadata["Version"] == __version__
    assert metadata.get_all("Requires-Dist") == ["tutor<23.0.0,>=21.0.0"]


def test_wheel_ships_templates(wheel: zipfile.ZipFile):
    assert TEMPLATE_FILES == [
        "tutorraqmya/jobs/init-lms.sh",
        "tutorraqmya/patches/k8s-deployments",
        "tutorraqmya/patches/local-docker-compose-services",
        "tutorraqmya/patches/openedx-cms-common-settings",
        "tutorraqmya/patches/openedx-common-settings",
        "tutorraqmya/patches/openedx-dockerfile-post-python-requirements",
        "tutorraqmya/patches/openedx-lms-common-settings",
    ]
    for name in TEMPLATE_FILES:
        assert wheel.read(name) == (PLUGIN_DIR / name).read_bytes()


def test_installed_wheel_loads_through_entry_point(wheel_path: Path, tmp_path: Path):
    site_dir = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site_dir, wheel_path],
        check=True,
        cwd=tmp_path,
    )
    project = TutorProject(tmp_path / "tutor", site_dir=site_dir)

    listed = project.run("plugins", "list").stdout.splitlines()
    assert [line.split() for line in listed if line.startswith("raqmya")] == [["raqmya", "installed", __version__]]

    project.run("plugins", "enable", "raqmya")
    assert "RAQMYA_YEARLY_TARGET = 12500" in project.lms_settings.read_text(encoding="utf-8")
