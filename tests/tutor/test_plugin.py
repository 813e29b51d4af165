"""The plugin through the real Tutor CLI: rendered settings, Dockerfile, config.yml and init task."""

from __future__ import annotations

import ast
import datetime
import json
import shlex
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.tutor.conftest import TutorProject
from tutorraqmya import config as plugin_config
from tutorraqmya.__about__ import __version__

pytestmark = pytest.mark.slow

PIP_CACHE_MOUNT = "--mount=type=cache,target=/openedx/.cache/pip,sharing=shared"
DEFAULT_REQUIREMENT = f"openedx-raqmya=={__version__}"
FORM = "raqmya_reports.registry.forms.BeneficiaryProfileForm"
COMMON_SETTINGS = [setting.name for setting in plugin_config.django_settings(plugin_config.BOTH)]
LMS_ONLY_SETTINGS = [setting.name for setting in plugin_config.django_settings(plugin_config.LMS)]
TABLE_DEFAULTS = dict(plugin_config.defaults())


def settings_values(path: Path) -> dict[str, Any]:
    """Return the last module-level literal assigned to each ``RAQMYA_*`` setting and the registration form."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.startswith("RAQMYA_") or name == "REGISTRATION_EXTENSION_FORM":
                values[name] = ast.literal_eval(node.value)
    return values


def dockerfile_instructions(path: Path) -> list[str]:
    """Return the Dockerfile's instructions, with continuation lines joined and comments dropped."""
    instructions = []
    parts: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            parts.append(stripped[:-1].strip())
            continue
        parts.append(stripped)
        instructions.append(" ".join(parts))
        parts = []
    return instructions


def pip_installs(instructions: list[str]) -> list[tuple[int, list[str]]]:
    """Return ``(index, shell words after "install")`` for each ``RUN ... $PIP_COMMAND install``."""
    installs = []
    for index, instruction in enumerate(instructions):
        if not instruction.startswith("RUN "):
            continue
        words = shlex.split(instruction)
        for position in range(len(words) - 1):
            if words[position] == "$PIP_COMMAND" and words[position + 1] == "install":
                installs.append((index, words[position + 2:]))
                break
    return installs


def raqmya_installs(instructions: list[str]) -> list[tuple[int, list[str]]]:
    """Return the pip installs whose arguments name openedx-raqmya."""
    return [(index, words) for index, words in pip_installs(instructions) if "openedx-raqmya" in " ".join(words)]


def index_of(instructions: list[str], text: str) -> int:
    """Return the index of the first instruction that contains ``text``."""
    return next(index for index, instruction in enumerate(instructions) if text in instruction)


def test_lms_settings_default_values(enabled_project: TutorProject):
    values = settings_values(enabled_project.lms_settings)
    assert values["RAQMYA_YEARLY_TARGET"] == 12500
    assert values["RAQMYA_TIME_ZONE"] == "Africa/Casablanca"
    assert values["RAQMYA_PROGRAMME_YEAR_START"] == "01-01"
    assert values["REGISTRATION_EXTENSION_FORM"] == FORM
    # The package default (edx-platform backend) applies because the plugin does not assign it.
    assert "RAQMYA_PLATFORM_BACKEND" not in values


def test_cms_settings_default_values(enabled_project: TutorProject):
    values = settings_values(enabled_project.cms_settings)
    assert values["RAQMYA_YEARLY_TARGET"] == 12500
    assert values["RAQMYA_TIME_ZONE"] == "Africa/Casablanca"
    assert values["RAQMYA_PROGRAMME_YEAR_START"] == "01-01"
    assert "REGISTRATION_EXTENSION_FORM" not in values
    assert "RAQMYA_PLATFORM_BACKEND" not in values


def test_lms_settings_every_table_default(enabled_project: TutorProject):
    values = settings_values(enabled_project.lms_settings)
    for name in COMMON_SETTINGS + LMS_ONLY_SETTINGS:
        assert values[name] == TABLE_DEFAULTS[name], name
        assert type(values[name]) is type(TABLE_DEFAULTS[name]), name


def test_cms_settings_common_table_defaults_only(enabled_project: TutorProject):
    values = settings_values(enabled_project.cms_settings)
    assert sorted(name for name in values if name.startswith("RAQMYA_")) == sorted(COMMON_SETTINGS)
    for name in COMMON_SETTINGS:
        assert values[name] == TABLE_DEFAULTS[name], name


def test_plugin_only_settings_not_in_django_settings(enabled_project: TutorProject):
    values = settings_values(enabled_project.lms_settings)
    assert "RAQMYA_PIP_REQUIREMENT" not in values
    assert "RAQMYA_REGISTRATION_FORM" not in values
    assert "RAQMYA_RUN_BEAT" not in values


# One override per setting written into Django settings: the --set text and the value the LMS reads.
OVERRIDES = {
    "RAQMYA_YEARLY_TARGET": ("9000", 9000),
    "RAQMYA_TIME_ZONE": ("Europe/Paris", "Europe/Paris"),
    "RAQMYA_PROGRAMME_YEAR_START": ("09-01", "09-01"),
    "RAQMYA_PILOT_START": ("2026-03-02", "2026-03-02"),
    "RAQMYA_PILOT_TARGET": ("1500", 1500),
    "RAQMYA_PILOT_CAPACITY": ("1200", 1200),
    "RAQMYA_COHORT_AUTO_ASSIGN": ("true", True),
    "RAQMYA_MIN_CELL_SIZE": ("10", 10),
    "RAQMYA_PROFICIENCY_LEVELS": ("4", 4),
    "RAQMYA_SCHEDULED_EXPORTS": (
        "[{scope: 2, report: regions, frequency: weekly, format: csv, filters: {track: acculturation}, "
        "language: ar, delivery: email}]",
        [
            {
                "scope": 2,
                "report": "regions",
                "frequency": "weekly",
                "format": "csv",
                "filters": {"track": "acculturation"},
                "language": "ar",
                "delivery": "email",
            }
        ],
    ),
    "RAQMYA_ENFORCE_TRACK_ENROLLMENT": ("true", True),
    "RAQMYA_JOIN_COOKIE_NAME": ("raqmya-join", "raqmya-join"),
    "RAQMYA_JOIN_COOKIE_AGE": ("86400", 86400),
    "RAQMYA_EXPORT_DEADLINE": ("7200", 7200),
    "RAQMYA_JOIN_COOKIE_DOMAIN": (".raqmya.ma", ".raqmya.ma"),
    "RAQMYA_JOIN_REDIRECT_URL": ("https://apps.raqmya.ma/authn/register", "https://apps.raqmya.ma/authn/register"),
    "RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA": ("12", 12),
    "RAQMYA_PLACEMENT_PRECISION": ("0.5", 0.5),
    "RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL": ("5", 5),
    "RAQMYA_PLACEMENT_RETAKE_DAYS": ("14", 14),
    "RAQMYA_ASSESSMENT_CLAIM_CACHE": ("general", "general"),
    "RAQMYA_ASSESSMENT_CLAIM_SECONDS": ("120", 120),
}


def test_every_django_setting_has_an_override():
    assert sorted(OVERRIDES) == sorted(COMMON_SETTINGS + LMS_ONLY_SETTINGS)


@pytest.fixture(scope="module")
def overridden_project(enabled_project: TutorProject, tmp_path_factory: pytest.TempPathFactory) -> TutorProject:
    """A copy of ``enabled_project`` with every setting of OVERRIDES saved in one ``config save``."""
    root = tmp_path_factory.mktemp("overridden") / "tutor"
    shutil.copytree(enabled_project.root, root)
    project = TutorProject(root)
    arguments = [part for name, (text, _value) in OVERRIDES.items() for part in ("--set", f"{name}={text}")]
    project.run("config", "save", *arguments)
    return project


@pytest.mark.parametrize("name", sorted(OVERRIDES))
def test_override_rendered_in_lms(overridden_project: TutorProject, name: str):
    assert settings_values(overridden_project.lms_settings)[name] == OVERRIDES[name][1]


@pytest.mark.parametrize("name", COMMON_SETTINGS)
def test_override_rendered_in_cms(overridden_project: TutorProject, name: str):
    assert settings_values(overridden_project.cms_settings)[name] == OVERRIDES[name][1]


@pytest.mark.parametrize("settings_type", ["lms", "cms"])
@pytest.mark.parametrize("module", ["production.py", "development.py"])
def test_overridden_settings_compile(overridden_project: TutorProject, settings_type: str, module: str):
    path = overridden_project.env_file("apps", "openedx", "settings", settings_type, module)
    compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_override_kept_in_config_yml(overridden_project: TutorProject):
    # YAML reads the unquoted date as a date; the settings file gets its YYYY-MM-DD text.
    assert overridden_project.config()["RAQMYA_PILOT_START"] == datetime.date(2026, 3, 2)
    assert overridden_project.config()["RAQMYA_PLACEMENT_PRECISION"] == 0.5


@pytest.mark.parametrize("settings_type", ["lms", "cms"])
@pytest.mark.parametrize("module", ["production.py", "development.py"])
def test_rendered_settings_compile(enabled_project: TutorProject, settings_type: str, module: str):
    path = enabled_project.env_file("apps", "openedx", "settings", settings_type, module)
    source = path.read_text(encoding="utf-8")
    assert "RAQMYA_YEARLY_TARGET = 12500" in source
    compile(source, str(path), "exec")


def test_dockerfile_installs_package_once(enabled_project: TutorProject):
    instructions = dockerfile_instructions(enabled_project.dockerfile)
    installs = raqmya_installs(instructions)
    assert [words for _, words in installs] == [[DEFAULT_REQUIREMENT]]
    index = installs[0][0]
    assert shlex.split(instructions[index])[1] == PIP_CACHE_MOUNT


def test_dockerfile_install_after_python_requirements(enabled_project: TutorProject):
    instructions = dockerfile_instructions(enabled_project.dockerfile)
    [(index, _)] = raqmya_installs(instructions)
    assert index > index_of(instructions, "requirements/edx/base.txt")
    # Still in the stage that builds the virtualenv, which the final image copies.
    assert index < index_of(instructions, "FROM python AS nodejs-requirements")


def test_enable_keeps_config_yml_free_of_defaults(enabled_project: TutorProject):
    config = enabled_project.config()
    assert config["PLUGINS"] == ["raqmya"]
    assert sorted(name for name in config if name.startswith("RAQMYA_")) == []


def test_config_save_overrides_yearly_target(enabled_copy: TutorProject):
    enabled_copy.run("config", "save", "--set", "RAQMYA_YEARLY_TARGET=9000")
    assert settings_values(enabled_copy.lms_settings)["RAQMYA_YEARLY_TARGET"] == 9000
    assert settings_values(enabled_copy.cms_settings)["RAQMYA_YEARLY_TARGET"] == 9000
    assert enabled_copy.config()["RAQMYA_YEARLY_TARGET"] == 9000


def test_config_save_overrides_time_zone_and_year_start(enabled_copy: TutorProject):
    enabled_copy.run(
        "config", "save", "--set", "RAQMYA_TIME_ZONE=Europe/Paris", "--set", "RAQMYA_PROGRAMME_YEAR_START=09-01"
    )
    values = settings_values(enabled_copy.lms_settings)
    assert values["RAQMYA_TIME_ZONE"] == "Europe/Paris"
    assert values["RAQMYA_PROGRAMME_YEAR_START"] == "09-01"


def test_registration_form_disabled(enabled_copy: TutorProject):
    enabled_copy.run("config", "save", "--set", "RAQMYA_REGISTRATION_FORM=false")
    assert "REGISTRATION_EXTENSION_FORM" not in settings_values(enabled_copy.lms_settings)
    assert "REGISTRATION_EXTENSION_FORM" not in enabled_copy.lms_settings.read_text(encoding="utf-8")


def test_pip_requirement_with_quote_is_one_word(enabled_copy: TutorProject):
    requirement = "openedx-raqmya @ git+https://git.example.invalid/o'brien/openedx-raqmya.git@main"
    enabled_copy.run("config", "save", "--set", f"RAQMYA_PIP_REQUIREMENT={requirement}")
    installs = raqmya_installs(dockerfile_instructions(enabled_copy.dockerfile))
    assert [words for _, words in installs] == [[requirement]]


def test_empty_pip_requirement_skips_install(enabled_copy: TutorProject):
    enabled_copy.run("config", "save", "--set", "RAQMYA_PIP_REQUIREMENT=")
    assert raqmya_installs(dockerfile_instructions(enabled_copy.dockerfile)) == []
    assert "tutor-contrib-raqmya" not in enabled_copy.dockerfile.read_text(encoding="utf-8")


BAD_VALUES = [
    ("RAQMYA_YEARLY_TARGET", "0", "0"),
    ("RAQMYA_YEARLY_TARGET", "-5", "-5"),
    ("RAQMYA_YEARLY_TARGET", "abc", "'abc'"),
    ("RAQMYA_YEARLY_TARGET", "true", "True"),
    ("RAQMYA_TIME_ZONE", "Mars/Olympus", "'Mars/Olympus'"),
    ("RAQMYA_TIME_ZONE", "Africa/Casa'blanca", '"Africa/Casa\'blanca"'),
    ("RAQMYA_PROGRAMME_YEAR_START", "02-29", "'02-29'"),
    ("RAQMYA_PROGRAMME_YEAR_START", "13-01", "'13-01'"),
    ("RAQMYA_PROGRAMME_YEAR_START", "1-9", "'1-9'"),
    ("RAQMYA_PIP_REQUIREMENT", "openedx-raqmya\\", "'openedx-raqmya\\\\'"),
    ("RAQMYA_REGISTRATION_FORM", "maybe", "'maybe'"),
    ("RAQMYA_PILOT_START", '"2026-02-30"', "'2026-02-30'"),
    ("RAQMYA_PILOT_TARGET", "0", "0"),
    ("RAQMYA_PILOT_CAPACITY", "-1", "-1"),
    ("RAQMYA_COHORT_AUTO_ASSIGN", "sometimes", "'sometimes'"),
    ("RAQMYA_MIN_CELL_SIZE", "0", "0"),
    ("RAQMYA_PROFICIENCY_LEVELS", "8.5", "8.5"),
    ("RAQMYA_SCHEDULED_EXPORTS", "[{scope: 1, report: sumary, frequency: weekly}]", "[{"),
    ("RAQMYA_SCHEDULED_EXPORTS", "weekly", "'weekly'"),
    ("RAQMYA_ENFORCE_TRACK_ENROLLMENT", "on-ish", "'on-ish'"),
    ("RAQMYA_PLACEMENT_MAX_ITEMS_PER_AREA", "51", "51"),
    ("RAQMYA_PLACEMENT_PRECISION", ".nan", "nan"),
    ("RAQMYA_PLACEMENT_PERFECTIONNEMENT_MIN_LEVEL", "9", "9"),
    ("RAQMYA_PLACEMENT_RETAKE_DAYS", "-3", "-3"),
    ("RAQMYA_ASSESSMENT_CLAIM_CACHE", "'my cache'", "'my cache'"),
    ("RAQMYA_ASSESSMENT_CLAIM_SECONDS", "0", "0"),
    ("RAQMYA_RUN_BEAT", "often", "'often'"),
    ("RAQMYA_JOIN_COOKIE_NAME", "'a b'", "'a b'"),
    ("RAQMYA_JOIN_COOKIE_AGE", "10", "10"),
    ("RAQMYA_EXPORT_DEADLINE", "'1h'", "'1h'"),
    ("RAQMYA_JOIN_COOKIE_DOMAIN", "'bad domain'", "'bad domain'"),
    ("RAQMYA_JOIN_REDIRECT_URL", "register", "'register'"),
]


def test_every_setting_has_a_bad_value_case():
    assert {name for name, _text, _shown in BAD_VALUES} == set(TABLE_DEFAULTS)


def env_files(project: TutorProject) -> list[Path]:
    """Return every rendered file under $TUTOR_ROOT/env."""
    return sorted(path for path in project.env_file().rglob("*") if path.is_file())


@pytest.mark.parametrize(("name", "value", "shown"), BAD_VALUES)
def test_bad_value_rejected_before_render(enabled_copy: TutorProject, name: str, value: str, shown: str):
    before = {path: path.read_bytes() for path in env_files(enabled_copy)}
    result = enabled_copy.run("config", "save", "--set", f"{name}={value}", check=False)
    assert result.returncode == 1
    assert f"Error: {name} is {shown}" in result.stderr
    assert f"Fix it with: tutor config save --set {name}=" in result.stderr.replace("--set '", "--set ")
    assert {path: path.read_bytes() for path in env_files(enabled_copy)} == before


def test_bad_values_all_reported(enabled_copy: TutorProject):
    result = enabled_copy.run(
        "config", "save", "--set", "RAQMYA_YEARLY_TARGET=0", "--set", "RAQMYA_TIME_ZONE=Nowhere", check=False
    )
    assert result.returncode == 1
    assert "RAQMYA_YEARLY_TARGET is 0 (int)" in result.stderr
    assert "RAQMYA_TIME_ZONE is 'Nowhere' (str)" in result.stderr


def test_fix_after_bad_value_renders(enabled_copy: TutorProject):
    enabled_copy.run("config", "save", "--set", "RAQMYA_YEARLY_TARGET=abc", check=False)
    enabled_copy.run("config", "save", "--set", "RAQMYA_YEARLY_TARGET=9000")
    assert settings_values(enabled_copy.lms_settings)["RAQMYA_YEARLY_TARGET"] == 9000


def test_disable_works_with_bad_value(enabled_copy: TutorProject):
    enabled_copy.run("config", "save", "--set", "RAQMYA_YEARLY_TARGET=abc", check=False)
    enabled_copy.run("plugins", "disable", "raqmya")
    assert enabled_copy.config()["PLUGINS"] == []
    assert "RAQMYA_YEARLY_TARGET" not in settings_values(enabled_copy.lms_settings)


def test_extra_pip_requirements_untouched_by_enable_and_disable(project: TutorProject):
    project.run("config", "save", "--append", "OPENEDX_EXTRA_PIP_REQUIREMENTS=operator-package")
    assert project.config()["OPENEDX_EXTRA_PIP_REQUIREMENTS"] == ["operator-package"]

    project.run("plugins", "enable", "raqmya")
    assert project.config()["OPENEDX_EXTRA_PIP_REQUIREMENTS"] == ["operator-package"]
    installs = [words for _, words in pip_installs(dockerfile_instructions(project.dockerfile))]
    assert [DEFAULT_REQUIREMENT] in installs
    assert ["operator-package"] in installs

    project.run("plugins", "disable", "raqmya")
    assert project.config()["OPENEDX_EXTRA_PIP_REQUIREMENTS"] == ["operator-package"]
    instructions = dockerfile_instructions(project.dockerfile)
    assert raqmya_installs(instructions) == []
    assert ["operator-package"] in [words for _, words in pip_installs(instructions)]


# Lists the init tasks of the raqmya plugin the way ``tutor local do init --limit=raqmya`` selects
# them, rendered with the project's configuration as the job runner does before running them.
LIST_INIT_TASKS = textwrap.dedent(
    """
    import json
    import os

    from tutor import config, env, hooks
    from tutor.commands import cli  # noqa: F401  (registers Tutor's own init tasks on CORE_READY)

    root = os.environ["TUTOR_ROOT"]
    hooks.Actions.CORE_READY.do()
    hooks.Actions.PROJECT_ROOT_READY.do(root)
    tutor_config = config.load(root)
    context = hooks.Contexts.app("raqmya").name
    tasks = hooks.Filters.CLI_DO_INIT_TASKS.iterate_from_context(context)
    print(json.dumps([[service, env.render_str(tutor_config, task)] for service, task in tasks]))
    """
)


def test_init_task_migrates_reports_app(enabled_project: TutorProject):
    tasks = json.loads(enabled_project.python(LIST_INIT_TASKS).stdout)
    assert [service for service, _ in tasks] == ["lms"]
    commands = tasks[0][1].splitlines()
    assert commands[-1] == "./manage.py lms migrate raqmya_reports"
    assert commands[0] == "dockerize -wait tcp://mysql:3306 -timeout 20s"
