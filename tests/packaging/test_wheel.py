"""The distribution as an operator installs it: ``pip install .`` into a fresh virtual environment."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
STACK_PINS = REPOSITORY / "requirements" / ("verawood.txt" if sys.version_info >= (3, 12) else "ulmo.txt")

# Run inside the fresh environment, from a directory without the repository on sys.path.
INSPECT = textwrap.dedent(
    """
    import json
    from importlib.metadata import distribution
    from pathlib import Path

    dist = distribution("openedx-raqmya")
    result = {"entry_points": {}, "files": sorted(str(path) for path in dist.files)}
    for entry_point in dist.entry_points:
        loaded = entry_point.load()
        result["entry_points"][f"{entry_point.group}:{entry_point.name}"] = {
            "object": f"{loaded.__module__}.{loaded.__qualname__}",
            "module_file": str(Path(__import__(loaded.__module__, fromlist=['_']).__file__).resolve()),
        }
    print(json.dumps(result))
    """
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Install the package (not editable) with its pinned dependencies into a new environment."""
    root = tmp_path_factory.mktemp("fresh")
    environment = root / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    python = environment / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", str(REPOSITORY), "xblock-sdk", "-c", str(STACK_PINS)],
        check=True,
        cwd=root,
    )
    return root, python


@pytest.mark.slow
def test_wheel_entry_points_resolve(installed):
    root, python = installed
    output = subprocess.run([python, "-c", INSPECT], check=True, cwd=root, capture_output=True, text=True).stdout
    entry_points = json.loads(output)["entry_points"]
    assert entry_points["xblock.v1:raqmya_assessment"]["object"] == "raqmya_xblocks.assessment.block.AssessmentBlock"
    assert entry_points["lms.djangoapp:raqmya_reports"]["object"] == "raqmya_reports.apps.RaqmyaReportsConfig"
    assert entry_points["cms.djangoapp:raqmya_reports"]["object"] == "raqmya_reports.apps.RaqmyaReportsConfig"
    assert entry_points["xblock.v1:raqmya_placement"]["object"] == "raqmya_xblocks.placement.block.PlacementBlock"
    assert entry_points["openedx.user_partition_scheme:raqmya_track"]["object"] == (
        "raqmya_reports.partitions.TrackPartitionScheme"
    )
    assert entry_points["openedx.dynamic_partition_generator:raqmya_track"]["object"] == (
        "raqmya_reports.partitions.create_track_partition"
    )
    for name, entry_point in entry_points.items():
        assert str(root / "venv") in entry_point["module_file"], f"{name} loaded from outside the fresh environment"


@pytest.mark.slow
def test_wheel_contains_templates_static_and_catalogues(installed):
    root, python = installed
    files = json.loads(
        subprocess.run([python, "-c", INSPECT], check=True, cwd=root, capture_output=True, text=True).stdout
    )["files"]
    expected = [
        "raqmya_reports/templates/raqmya_reports/dashboard.html",
        "raqmya_reports/data/morocco_divisions.csv",
        "raqmya_reports/conf/locale/fr/LC_MESSAGES/django.mo",
        "raqmya_reports/conf/locale/ar/LC_MESSAGES/django.mo",
        "raqmya_xblocks/conf/locale/fr/LC_MESSAGES/text.mo",
        "raqmya_xblocks/conf/locale/ar/LC_MESSAGES/text.mo",
        "raqmya_xblocks/assessment/public/js/assessment.js",
        "raqmya_xblocks/assessment/public/css/assessment.css",
        "raqmya_reports/static/raqmya_reports/vendor/chartjs/chart.umd.js",
        "raqmya_reports/static/raqmya_reports/vendor/chartjs/LICENSE.md",
    ]
    for path in expected:
        assert path in files, f"{path} is missing from the installed distribution"
    # Django and the XBlock i18n service look for the catalogues under these names.
    site_packages = next((root / "venv" / "lib").glob("python3.*/site-packages"))
    assert (site_packages / "raqmya_reports/locale/ar/LC_MESSAGES/django.mo").is_file()
    assert (site_packages / "raqmya_xblocks/translations/ar/LC_MESSAGES/text.mo").is_file()


@pytest.mark.slow
def test_wheel_passes_check_in_standin_lms(installed, tmp_path):
    root, python = installed
    shutil.copytree(REPOSITORY / "devstack", tmp_path / "devstack", ignore=shutil.ignore_patterns("var", "tutor"))
    environment = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "devstack.settings.lms",
        "RAQMYA_DEVSTACK_VAR": str(tmp_path / "var"),
    }
    environment.pop("RAQMYA_DATABASE_URL", None)
    result = subprocess.run(
        [python, "-m", "django", "check", "--fail-level", "WARNING"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
