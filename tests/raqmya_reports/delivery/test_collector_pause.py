"""Exports written by the command line and by the Celery task pause Python's cyclic garbage collector.

An export makes a few tuples per row, and the collector ran 88 times over the learner rows of a
generated programme year, once over every object of the process. Reference counting still frees
the rows. A download streamed by a web request leaves the collector alone, since its process
serves other requests meanwhile.
"""

import gc
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from raqmya_reports.delivery.exports import collector_paused
from raqmya_reports.registry.models import Course
from tests.raqmya_reports.delivery.scoping import Role, build_two_provinces, make_reader

pytestmark = pytest.mark.django_db


class _CollectorWatch:
    """Records, for each SQL statement sent on the default connection, whether the collector was enabled."""

    def __init__(self):
        self.statements: list[tuple[str, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, gc.isenabled()))
        return execute(sql, params, many, context)

    def course_names_read(self) -> list[bool]:
        """Return the collector's state at each read of course names, which the export makes while it writes."""
        table = Course._meta.db_table
        return [enabled for sql, enabled in self.statements if table in sql and "course_key_hash" in sql]


@pytest.fixture(name="collector_on")
def fixture_collector_on():
    """Run the test with the collector enabled, as a process starts, and restore its state after."""
    enabled = gc.isenabled()
    gc.enable()
    yield
    if not enabled:
        gc.disable()


def test_pause_restores_enabled(collector_on):
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pause_restores_after_error(collector_on):
    with pytest.raises(KeyError, match="stop"), collector_paused():
        raise KeyError("stop")
    assert gc.isenabled()


def test_pause_keeps_disabled(collector_on):
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_pause_closed_generator_restores(collector_on):
    def chunks():
        with collector_paused():
            yield b"header"
            yield b"row"

    written = chunks()
    assert next(written) == b"header"
    assert not gc.isenabled()
    written.close()
    assert gc.isenabled()


def test_pause_shared_by_two_threads(collector_on):
    # Thread A pauses, then B. A ends while B still writes, then B ends. If each thread read the
    # collector's state for itself, B would read it disabled by A and leave it disabled.
    a_paused, b_paused, a_ended = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def export_a():
        with collector_paused():
            a_paused.set()
            b_paused.wait(5)
        seen["after a"] = gc.isenabled()
        a_ended.set()

    def export_b():
        a_paused.wait(5)
        with collector_paused():
            b_paused.set()
            a_ended.wait(5)
            seen["b after a"] = gc.isenabled()

    threads = [threading.Thread(target=export_a), threading.Thread(target=export_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after a": False, "b after a": False}
    assert gc.isenabled()


def test_pause_many_threads_restore(collector_on):
    def exports():
        for _ in range(2000):
            with collector_paused():
                pass

    threads = [threading.Thread(target=exports) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert gc.isenabled()


def test_command_export_paused(collector_on, tmp_path):
    build_two_provinces()
    watch = _CollectorWatch()
    with connection.execute_wrapper(watch):
        call_command("raqmya_export", "learners", "--format", "csv", "--year", "2026",
                     "--output", str(tmp_path / "learners.csv"), stderr=io.StringIO())
    reads = watch.course_names_read()
    assert reads and not any(reads)
    assert gc.isenabled()
    assert (tmp_path / "learners.csv").read_text(encoding="utf-8-sig").count("\n") > 1


def test_task_export_paused(collector_on, client, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    build_two_provinces()
    client.force_login(make_reader("op_pause", Role.PROVINCE_OPERATOR, identities=True, province_id="MA-CAS"))
    watch = _CollectorWatch()
    with connection.execute_wrapper(watch):
        response = client.get(reverse("raqmya_reports:export", args=["learners", "csv"]), {"year": "2026"})
    assert response.status_code == 302
    reads = watch.course_names_read()
    assert reads and not any(reads)
    assert gc.isenabled()


def test_web_download_not_paused(collector_on, client):
    build_two_provinces()
    client.force_login(make_reader("manager_pause", Role.PROGRAMME_MANAGER))
    watch = _CollectorWatch()
    with connection.execute_wrapper(watch):
        response = client.get(reverse("raqmya_reports:export", args=["courses", "csv"]), {"year": "2026"})
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert body.count(b"\n") > 1
    assert watch.statements and all(enabled for _sql, enabled in watch.statements)
