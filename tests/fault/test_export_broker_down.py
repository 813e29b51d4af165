"""The Celery broker unreachable when a background export is asked for: a clear error, no file, a retry works."""

from __future__ import annotations

import socket

import pytest
from celery import current_app
from django.core.files.storage import default_storage

from raqmya_reports.delivery import tasks
from tests.raqmya_reports.delivery.scoping import Role, build_two_provinces, make_reader

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on: the broker that cannot be reached."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(name="storage")
def fixture_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _reset_pool() -> None:
    """Drop the app's broker connections so that the next publish connects to the broker now configured."""
    if current_app._pool is not None:  # pylint: disable=protected-access
        current_app._pool.force_close_all()  # pylint: disable=protected-access
        current_app._pool = None  # pylint: disable=protected-access
    current_app.amqp._producer_pool = None  # pylint: disable=protected-access


@pytest.fixture(name="broker_down")
def fixture_broker_down():
    """Point the devstack's Celery app at a closed port, publishing once; restore eager mode afterwards."""
    conf = current_app.conf
    saved = {name: conf[name] for name in ("broker_url", "task_always_eager", "broker_connection_timeout",
                                           "task_publish_retry", "broker_connection_retry_on_startup")}
    conf.update(broker_url=f"redis://127.0.0.1:{_closed_port()}/0", task_always_eager=False,
                broker_connection_timeout=1, task_publish_retry=False)
    _reset_pool()
    yield
    conf.update(saved)
    _reset_pool()


@pytest.fixture(name="operator")
def fixture_operator(client, storage):
    build_two_provinces()
    client.force_login(make_reader("op_id", Role.PROVINCE_OPERATOR, identities=True, province_id="MA-CAS"))
    return client


def _stored_files(storage) -> list:
    folder = storage / tasks.EXPORT_FOLDER
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def test_learner_export_broker_down_clear_error_nothing_written(operator, storage, broker_down):
    client = operator
    client.raise_request_exception = False
    response = client.get("/raqmya/exports/learners.csv?year=2026", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "try again" in response.content.decode("utf-8").lower()
    assert _stored_files(storage) == []


def test_learner_export_retry_after_broker_back_stores_one_file(operator, storage, broker_down):
    client = operator
    client.raise_request_exception = False
    failed = client.get("/raqmya/exports/learners.csv?year=2026")
    assert failed.status_code >= 400
    assert _stored_files(storage) == []
    current_app.conf.update(task_always_eager=True)  # the broker is back: here, the eager devstack worker
    retried = client.get("/raqmya/exports/learners.csv?year=2026")
    assert retried.status_code == 302
    name = retried["Location"].split("/raqmya/exports/file/", 1)[1]
    assert default_storage.exists(name)
    # The export's file, and the scope it was written in, which its download checks.
    stored = [path.name for path in _stored_files(storage)]
    assert stored == ["raqmya-learners-2026.csv", "raqmya-learners-2026.csv" + tasks.SCOPE_SUFFIX]
