"""The LMS's Celery beat that the plugin adds for scheduled exports, rendered by the real Tutor CLI."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from celery import Celery

from tests.tutor.conftest import TutorProject

pytestmark = pytest.mark.slow

COMPOSE_COMMAND = [
    "celery", "--app=lms.celery", "beat", "--loglevel=info", "--schedule=/openedx/data/raqmya-celerybeat-schedule",
]
K8S_COMMAND = [
    "celery", "--app=lms.celery", "beat", "--loglevel=info", "--schedule=/openedx/beat/raqmya-celerybeat-schedule",
]


def compose_services(project: TutorProject, *path: str) -> dict[str, Any]:
    """Return the services of a rendered docker compose file, parsed as YAML."""
    return yaml.safe_load(project.env_file(*path).read_text(encoding="utf-8"))["services"]


def deployments(project: TutorProject) -> dict[str, dict]:
    """Return the Kubernetes Deployments of the rendered k8s/deployments.yml, by name."""
    documents = yaml.safe_load_all(project.env_file("k8s", "deployments.yml").read_text(encoding="utf-8"))
    return {doc["metadata"]["name"]: doc for doc in documents if doc and doc["kind"] == "Deployment"}


def test_compose_beat_service_command(enabled_project: TutorProject):
    beat = compose_services(enabled_project, "local", "docker-compose.yml")["lms-beat"]
    assert beat["command"] == COMPOSE_COMMAND


def test_compose_beat_uses_the_worker_image(enabled_project: TutorProject):
    beat = compose_services(enabled_project, "local", "docker-compose.yml")["lms-beat"]
    worker = compose_services(enabled_project, "local", "docker-compose.prod.yml")["lms-worker"]
    assert beat["image"] == worker["image"]
    assert beat["image"].startswith("docker.io/overhangio/openedx:")


def test_compose_beat_reads_the_lms_settings(enabled_project: TutorProject):
    beat = compose_services(enabled_project, "local", "docker-compose.yml")["lms-beat"]
    worker = compose_services(enabled_project, "local", "docker-compose.prod.yml")["lms-worker"]
    assert beat["environment"] == worker["environment"]
    assert beat["environment"]["DJANGO_SETTINGS_MODULE"] == "lms.envs.tutor.production"
    assert beat["restart"] == "unless-stopped"
    assert beat["depends_on"] == ["lms", "redis"]


def test_compose_beat_schedule_in_writable_volume(enabled_project: TutorProject):
    beat = compose_services(enabled_project, "local", "docker-compose.yml")["lms-beat"]
    # The schedule file's folder is a bind mount without the read-only "ro" flag.
    assert "../../data/lms:/openedx/data:z" in beat["volumes"]
    assert "../apps/openedx/settings/lms:/openedx/edx-platform/lms/envs/tutor:roz" in beat["volumes"]


def test_k8s_beat_deployment_one_replica(enabled_project: TutorProject):
    beat = deployments(enabled_project)["lms-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert beat["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": "lms-beat"}


def test_k8s_beat_command_and_image(enabled_project: TutorProject):
    found = deployments(enabled_project)
    container = found["lms-beat"]["spec"]["template"]["spec"]["containers"][0]
    worker = found["lms-worker"]["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == K8S_COMMAND
    assert container["image"] == worker["image"]
    assert container["env"] == worker["env"]


def test_k8s_beat_schedule_in_empty_dir(enabled_project: TutorProject):
    pod = deployments(enabled_project)["lms-beat"]["spec"]["template"]["spec"]
    mounts = {mount["name"]: mount["mountPath"] for mount in pod["containers"][0]["volumeMounts"]}
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    assert mounts["beat-schedule"] == "/openedx/beat"
    assert volumes["beat-schedule"] == {"name": "beat-schedule", "emptyDir": {}}


def test_beat_off_renders_no_service(enabled_copy: TutorProject):
    enabled_copy.run("config", "save", "--set", "RAQMYA_RUN_BEAT=false")
    assert enabled_copy.config()["RAQMYA_RUN_BEAT"] is False
    assert "lms-beat" not in compose_services(enabled_copy, "local", "docker-compose.yml")
    assert "lms-beat" not in deployments(enabled_copy)
    assert "lms-worker" in deployments(enabled_copy)


def test_bad_run_beat_value_rejected(enabled_copy: TutorProject):
    result = enabled_copy.run("config", "save", "--set", "RAQMYA_RUN_BEAT=often", check=False)
    assert result.returncode != 0
    assert "RAQMYA_RUN_BEAT" in result.stdout + result.stderr


def test_dev_compose_files_include_beat_service(enabled_project: TutorProject):
    # tutor dev runs local/docker-compose.yml, which contains lms-beat, with dev/docker-compose.yml on top.
    files = enabled_project.python(
        "import os\n"
        "from tutor import config\n"
        "from tutor.commands.dev import DevTaskRunner\n"
        "root = os.environ['TUTOR_ROOT']\n"
        "print('\\n'.join(DevTaskRunner(root, config.load(root)).docker_compose_files))\n"
    ).stdout.splitlines()
    assert str(enabled_project.env_file("local", "docker-compose.yml")) in files
    assert "lms-beat" in compose_services(enabled_project, "local", "docker-compose.yml")
    assert "lms-beat" not in compose_services(enabled_project, "dev", "docker-compose.yml")


def test_lms_settings_copy_beat_schedule_for_celery(enabled_project: TutorProject):
    text = enabled_project.lms_settings.read_text(encoding="utf-8")
    line = re.search(r"^CELERYBEAT_SCHEDULE = .*$", text, re.MULTILINE)
    assert line is not None
    namespace: dict[str, Any] = {
        "CELERYBEAT_SCHEDULE": {"platform-task": {"task": "platform.task", "schedule": 60.0}},
        "CELERY_BEAT_SCHEDULE": {"raqmya-weekly-exports": {"task": "raqmya_reports.run_scheduled_exports",
                                                           "schedule": 3600.0, "args": ("weekly",)}},
        "BROKER_URL": "memory://",
    }
    exec(compile(line.group(0), "production.py", "exec"), namespace)  # pylint: disable=exec-used
    settings = type("Settings", (), {name: value for name, value in namespace.items() if name.isupper()})
    app = Celery("lms-settings-check")
    app.config_from_object(settings)
    assert sorted(app.conf.beat_schedule) == ["platform-task", "raqmya-weekly-exports"]
    assert app.conf.beat_schedule["raqmya-weekly-exports"]["args"] == ("weekly",)
