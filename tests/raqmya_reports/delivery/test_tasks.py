"""Tests of the export tasks: large exports stored through Django storage behind a download link, scheduled
exports per scope, and one run through a real Celery worker on Redis."""

import datetime as dt

# pylint: disable=unused-argument  # fixtures that build data are requested by name
import io
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from raqmya_reports.delivery import exports, tasks
from raqmya_reports.delivery.errors import ExportTooLong, UnknownReport
from raqmya_reports.delivery.exports import CLOCK_ROWS, TimeLimit, _within, stream_export
from raqmya_reports.delivery.models import AuditLogEntry, ReportScope
from raqmya_reports.delivery.scope import scope_of
from raqmya_reports.delivery.service import open_report_in_scope
from raqmya_reports.reports.errors import ReportConfigurationError
from tests.raqmya_reports.delivery.scoping import Role, build_two_provinces, make_reader


@pytest.fixture(name="storage", autouse=True)
def fixture_storage(settings, tmp_path):
    """Write exports to a file-system storage under the test's own folder."""
    settings.STORAGES = {
        **settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(name="identity_operator")
def fixture_identity_operator(client, db):
    """Log in a Casablanca province operator who may see identities, over the two-province programme."""
    build_two_provinces()
    user = make_reader("op_id", Role.PROVINCE_OPERATOR, identities=True, province_id="MA-CAS")
    client.force_login(user)
    return client, user


def test_learner_export_redirects_to_own_download(identity_operator):
    client, user = identity_operator
    response = client.get(reverse("raqmya_reports:export", args=["learners", "csv"]), {"year": "2026"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/raqmya/exports/file/raqmya_exports/{user.pk}/")


def test_learner_export_download_has_scoped_rows(identity_operator):
    client, _user = identity_operator
    response = client.get(reverse("raqmya_reports:export", args=["learners", "csv"]), {"year": "2026"}, follow=True)
    text = b"".join(response.streaming_content).decode("utf-8")
    usernames = sorted(line.split(",")[-4] for line in text.lstrip("\ufeff").splitlines()[1:])
    assert usernames == [f"casa{index}" for index in range(7)]


def test_learner_export_in_background_audited_once(identity_operator):
    """The request that queues the export writes the one audit entry; the task, run here at once, writes none."""
    client, user = identity_operator
    response = client.get(reverse("raqmya_reports:export", args=["learners", "csv"]), {"year": "2026"}, follow=True)
    assert response.status_code == 200
    entries = AuditLogEntry.objects.filter(user=user)
    assert [(entry.action, entry.report, entry.output_format) for entry in entries] == [
        (AuditLogEntry.Action.EXPORT, "learners", "csv")]


def test_download_of_another_users_export_forbidden(identity_operator, client):
    owner_client, _user = identity_operator
    location = owner_client.get(reverse("raqmya_reports:export", args=["learners", "csv"]), {"year": "2026"})
    client.force_login(make_reader("op_other", Role.PROVINCE_OPERATOR, identities=True, province_id="MA-RAB"))
    assert client.get(location["Location"]).status_code == 403


def test_download_not_yet_written_is_202(identity_operator):
    client, user = identity_operator
    url = reverse("raqmya_reports:download", args=[_queued_path(user.pk, 0)])
    assert client.get(url).status_code == 202


def _queued_path(user_id: int, seconds_ago: int, export_format: str = "csv") -> str:
    return f"raqmya_exports/{user_id}/{int(time.time()) - seconds_ago}-{uuid.uuid4().hex}/x.{export_format}"


def test_export_path_carries_queue_time(identity_operator):
    _client, user = identity_operator
    before = int(time.time())
    path = tasks.export_path(user.pk, "learners", 2026, "csv")
    assert before <= tasks.queued_at(path) <= int(time.time())
    assert tasks.queued_at(f"raqmya_exports/{user.pk}/{uuid.uuid4().hex}/x.csv") is None


@pytest.mark.parametrize("folder", ["²-abc", "١٠٠-abc", "9" * 13 + "-abc", "9" * 4301 + "-abc", "-5-abc", "+5-abc"])
def test_non_ascii_time_not_read(folder):
    assert tasks.queued_at(f"raqmya_exports/7/{folder}/x.csv") is None


@pytest.mark.parametrize("folder", ["²-abc", uuid.uuid4().hex, f"{int(time.time()) + 3600}-abc"])
def test_download_of_name_no_task_writes_is_404(identity_operator, settings, folder):
    """A name without a queue time, or queued an hour from now, was never given by the export page."""
    client, user = identity_operator
    # The deadline is not read for such a name, so even a bad setting leaves it at 404.
    settings.RAQMYA_EXPORT_DEADLINE = "1h"
    response = client.get(reverse("raqmya_reports:download", args=[f"raqmya_exports/{user.pk}/{folder}/x.csv"]),
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404


def _exported(client) -> str:
    """Export the learner list as ``client``'s user, written at once; return the download's storage name."""
    response = client.get(reverse("raqmya_reports:export", args=["learners", "csv"]), {"year": "2026"})
    return response["Location"].split("/raqmya/exports/file/", 1)[1]


def test_download_stores_scope_of_export(identity_operator):
    client, _user = identity_operator
    assert tasks.written_scope(_exported(client)) == "province:MA-CAS"


def test_download_refused_once_identities_withdrawn(identity_operator):
    client, user = identity_operator
    name = _exported(client)
    assert client.get(reverse("raqmya_reports:download", args=[name])).status_code == 200
    ReportScope.objects.filter(user=user).update(can_see_identities=False)
    response = client.get(reverse("raqmya_reports:download", args=[name]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "Your role no longer sees learner-level lists" in response.content.decode("utf-8")


def test_download_refused_once_role_removed(identity_operator):
    client, user = identity_operator
    name = _exported(client)
    ReportScope.objects.filter(user=user).delete()
    assert client.get(reverse("raqmya_reports:download", args=[name])).status_code == 403


def test_download_refused_once_province_changed(identity_operator):
    client, user = identity_operator
    name = _exported(client)
    ReportScope.objects.filter(user=user).update(province_id="MA-RAB")
    response = client.get(reverse("raqmya_reports:download", args=[name]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert ("Your reports role changed since this export was written (it covered province:MA-CAS, your role now "
            "covers province:MA-RAB): export the report again.") in response.content.decode("utf-8")


def test_download_served_to_user_now_seeing_everything(identity_operator):
    client, user = identity_operator
    name = _exported(client)
    ReportScope.objects.filter(user=user).update(role=Role.PROGRAMME_MANAGER, province_id=None)
    assert client.get(reverse("raqmya_reports:download", args=[name])).status_code == 200


def test_download_within_deadline_is_202(identity_operator):
    client, user = identity_operator
    response = client.get(reverse("raqmya_reports:download", args=[_queued_path(user.pk, 3500)]))
    assert response.status_code == 202


@pytest.mark.parametrize(("deadline", "duration"), [(None, "1\xa0hour"), (120, "2\xa0minutes"), (60, "1\xa0minute")])
def test_download_past_deadline_is_500(identity_operator, settings, caplog, deadline, duration):
    # A worker killed while it wrote the file stores neither the file nor a failure.
    client, user = identity_operator
    if deadline is not None:
        settings.RAQMYA_EXPORT_DEADLINE = deadline
    path = _queued_path(user.pk, (deadline or 3600) + 5)
    response = client.get(reverse("raqmya_reports:download", args=[path]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert response.content.decode("utf-8") == (
        f"The export did not finish within {duration}: the worker writing it may have stopped. Export again; "
        "if it does not finish again, ask the site's operators to read the worker's log."
    )
    assert f"Export {path} of user {user.pk} stored neither its file nor a failure" in caplog.text


STOPPED = (
    "The export timed out: it was still being written 1\xa0minute after it was requested, the longest this site "
    "allows, so it was stopped and nothing was stored. Export a smaller part (one province, one cohort or a few "
    "months), or ask the site's operators to raise RAQMYA_EXPORT_DEADLINE."
)


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
def test_export_past_deadline_stores_reason(identity_operator, settings, export_format):
    client, user = identity_operator
    settings.RAQMYA_EXPORT_DEADLINE = 60
    path = _queued_path(user.pk, 61, export_format)
    with pytest.raises(ExportTooLong, match="1\xa0minute after it was requested"):
        tasks.export_report_task(user.pk, "learners", export_format, {"year": "2026"}, "en", path)
    assert not default_storage.exists(path)
    assert tasks.read_failure(path) == (400, STOPPED)
    response = client.get(reverse("raqmya_reports:download", args=[path]))
    assert response.status_code == 400
    assert response.content.decode("utf-8") == STOPPED


def test_deadline_after_last_row_not_stored(identity_operator, settings, monkeypatch):
    """The deadline passes once the rows are written, while the XLSX file is finished: nothing is stored."""
    _client, user = identity_operator
    settings.RAQMYA_EXPORT_DEADLINE = 60
    path = _queued_path(user.pk, 30, "xlsx")
    reads = []
    real_time = time.time

    class Clock:
        """Time as it is at the first read of the clock, and an hour later at every other."""

        @staticmethod
        def time():
            reads.append(real_time())
            return reads[-1] + (3600 if len(reads) > 1 else 0)

    monkeypatch.setattr(exports, "time", Clock)
    with pytest.raises(ExportTooLong):
        tasks.export_report_task(user.pk, "learners", "xlsx", {"year": "2026"}, "en", path)
    # One read before the first of the 7 rows, one when the file is whole.
    assert len(reads) == 2
    assert not default_storage.exists(path)
    assert tasks.read_failure(path) == (400, STOPPED)


def test_export_within_deadline_stored(identity_operator, settings):
    _client, user = identity_operator
    settings.RAQMYA_EXPORT_DEADLINE = 60
    path = _queued_path(user.pk, 50)
    assert tasks.export_report_task(user.pk, "learners", "csv", {"year": "2026"}, "en", path) == path
    assert default_storage.open(path).read().decode("utf-8-sig").count("\n") == 1 + 7
    assert not default_storage.exists(path + tasks.FAILURE_SUFFIX)


def test_past_deadline_reason_arabic(identity_operator, settings):
    _client, user = identity_operator
    path = _queued_path(user.pk, 3601)
    with pytest.raises(ExportTooLong):
        tasks.export_report_task(user.pk, "learners", "csv", {"year": "2026"}, "ar", path)
    status, message = tasks.read_failure(path)
    assert status == 400
    assert message.startswith("انتهت مهلة التصدير: كان لا يزال قيد الكتابة بعد 1\xa0ساعة من طلبه")
    assert "RAQMYA_EXPORT_DEADLINE" in message


def test_clock_read_every_thousand_rows(identity_operator):
    # The clock passes the limit while row 1,500 is produced, so the export stops at the next read, row 2,000.
    ends_at = time.time() + 0.2

    def slow_rows():
        for number in range(5 * CLOCK_ROWS):
            if number == 1500:
                while time.time() <= ends_at:
                    time.sleep(0.05)
            yield (number,)

    written = []
    with pytest.raises(ExportTooLong):
        for row in _within(slow_rows(), TimeLimit(ends_at, 60)):
            written.append(row[0])
    assert len(written) == 2 * CLOCK_ROWS
    assert written[-1] == 2 * CLOCK_ROWS - 1


def test_stream_export_time_limit(identity_operator):
    _client, user = identity_operator
    opened = open_report_in_scope(scope_of(user), user, "learners", {"year": "2026"}, AuditLogEntry.Action.EXPORT,
                                  output_format="csv")
    past = TimeLimit(time.time() - 1, 60)
    with pytest.raises(ExportTooLong):
        b"".join(stream_export(opened, "csv", "en", time_limit=past))
    assert b"".join(stream_export(opened, "csv", "en")).decode("utf-8-sig").count("\n") == 1 + 7


def test_queue_options_expire_at_deadline(settings):
    settings.RAQMYA_EXPORT_DEADLINE = 600
    path = _queued_path(4, 100)
    queued = tasks.queued_at(path)
    assert tasks.queue_options(path) == {"expires": dt.datetime.fromtimestamp(queued + 600, tz=dt.timezone.utc)}
    assert not tasks.queue_options("raqmya_exports/4/no-stamp/x.csv")


def test_download_past_deadline_in_french(identity_operator):
    client, user = identity_operator
    response = client.get(reverse("raqmya_reports:download", args=[_queued_path(user.pk, 4000)]),
                          HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 500
    assert response.content.decode("utf-8").startswith("L’export ne s’est pas terminé en 1\xa0heure : ")


def test_file_stored_after_deadline_is_served(identity_operator):
    client, user = identity_operator
    path = _queued_path(user.pk, 7200)
    default_storage.save(path, ContentFile(b"user_id\n7\n"))
    response = client.get(reverse("raqmya_reports:download", args=[path]))
    assert (response.status_code, b"".join(response.streaming_content)) == (200, b"user_id\n7\n")


@pytest.mark.parametrize("value", ["1h", 30, True, 3600.5])
def test_invalid_export_deadline_rejected(identity_operator, settings, value):
    settings.RAQMYA_EXPORT_DEADLINE = value
    with pytest.raises(ReportConfigurationError) as raised:
        tasks.export_deadline()
    assert str(raised.value) == (
        f"Invalid RAQMYA_EXPORT_DEADLINE {value!r}: set a whole number of seconds, at least 60, such as 3600."
    )


def test_failed_export_download_gives_reason(identity_operator):
    client, user = identity_operator
    path = tasks.export_path(user.pk, "learners", 2026, "xlsx")
    with pytest.raises(UnknownReport):
        tasks.export_report_task(user.pk, "trainers", "xlsx", {"year": "2026"}, "en", path)
    response = client.get(reverse("raqmya_reports:download", args=[path]))
    assert response.status_code == 400
    assert response.content.decode("utf-8").startswith("Unknown report 'trainers': choose one of summary,")


def test_failed_export_unexpected_error_is_500(identity_operator, django_user_model):
    client, user = identity_operator
    path = tasks.export_path(user.pk, "learners", 2026, "csv")
    missing_user = django_user_model.objects.order_by("-pk").first().pk + 1
    with pytest.raises(django_user_model.DoesNotExist):
        tasks.export_report_task(missing_user, "learners", "csv", {"year": "2026"}, "en", path)
    response = client.get(reverse("raqmya_reports:download", args=[path]))
    assert response.status_code == 500
    assert response.content.decode("utf-8") == (
        "The export failed. Try again; if it fails again, ask the site's operators to read the worker's log."
    )


def test_failed_export_without_role_refused(client, db, django_user_model):
    user = django_user_model.objects.create_user("no_role", password="unused-password-1")
    client.force_login(user)
    path = tasks.export_path(user.pk, "learners", 2026, "csv")
    with pytest.raises(PermissionDenied):
        tasks.export_report_task(user.pk, "learners", "csv", {"year": "2026"}, "en", path)
    response = client.get(reverse("raqmya_reports:download", args=[path]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "raqmya_reports/forbidden.html" in [template.name for template in response.templates]
    assert "Your account has no reports role: ask a programme manager to grant one." in response.content.decode()


@pytest.mark.parametrize("content", [b"no newline", b"", b"abc\nmessage", b"200\nlooks like the export",
                                     b"302\nelsewhere", b"\xff\xfe\nbytes", b"400\n"])
def test_unreadable_failure_file_is_500(identity_operator, content):
    client, user = identity_operator
    path = tasks.export_path(user.pk, "learners", 2026, "csv")
    default_storage.save(path + tasks.FAILURE_SUFFIX, ContentFile(content))
    response = client.get(reverse("raqmya_reports:download", args=[path]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert response.content.decode("utf-8") == (
        "The export failed. Try again; if it fails again, ask the site's operators to read the worker's log."
    )


def test_failure_not_stored_keeps_export_error(identity_operator, settings, tmp_path):
    client, user = identity_operator
    path = tasks.export_path(user.pk, "learners", 2026, "csv")
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"  # no folder can be made under a file
    with pytest.raises(UnknownReport):
        tasks.export_report_task(user.pk, "trainers", "csv", {"year": "2026"}, "en", path)
    settings.MEDIA_ROOT = tmp_path
    assert client.get(reverse("raqmya_reports:download", args=[path])).status_code == 202


def test_download_of_folder_not_found(identity_operator):
    client, user = identity_operator
    path = tasks.export_path(user.pk, "learners", 2026, "csv")
    default_storage.save(path, ContentFile(b"a,b\n"))
    folder = path.rsplit("/", 1)[0]
    assert client.get(reverse("raqmya_reports:download", args=[folder])).status_code == 404


def test_download_path_escape_forbidden(identity_operator):
    client, user = identity_operator
    url = reverse("raqmya_reports:download", args=[f"raqmya_exports/{user.pk}/../1/x.csv"])
    assert client.get(url).status_code == 403


def _schedule(settings, grant, **fields):
    settings.RAQMYA_SCHEDULED_EXPORTS = [{"scope": grant.pk, "report": "provinces", "frequency": "weekly",
                                          "format": "xlsx", "filters": {"year": "2026"}, **fields}]


@pytest.mark.django_db
def test_scheduled_export_stored_in_grant_scope(settings):
    build_two_provinces()
    user = make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    _schedule(settings, ReportScope.objects.get(user=user))
    name = tasks.run_scheduled_exports("weekly")[0]
    sheet = load_workbook(io.BytesIO(default_storage.open(name).read())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["MA-CAS", "all"]


@pytest.mark.django_db
def test_scheduled_export_audited_once(settings):
    build_two_provinces()
    user = make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    _schedule(settings, ReportScope.objects.get(user=user))
    tasks.run_scheduled_exports("weekly")
    assert AuditLogEntry.objects.filter(user=user, action=AuditLogEntry.Action.EXPORT).count() == 1


@pytest.mark.django_db
def test_scheduled_export_other_frequency_not_run(settings):
    build_two_provinces()
    user = make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    _schedule(settings, ReportScope.objects.get(user=user))
    assert tasks.run_scheduled_exports("monthly") == []


@pytest.mark.django_db
def test_scheduled_export_emailed(settings):
    build_two_provinces()
    user = make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    user.email = "op@example.org"
    user.save()
    _schedule(settings, ReportScope.objects.get(user=user), delivery="email")
    tasks.run_scheduled_exports("weekly")
    outbox = mail.outbox  # pylint: disable=no-member
    assert [(message.to, message.attachments[0][0].endswith(".xlsx")) for message in outbox] == [
        (["op@example.org"], True)
    ]


@pytest.mark.django_db
def test_scheduled_export_has_no_deadline(settings):
    """A scheduled export has no download page waiting for it, so RAQMYA_EXPORT_DEADLINE is not read."""
    build_two_provinces()
    user = make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    grant = ReportScope.objects.get(user=user)
    settings.RAQMYA_EXPORT_DEADLINE = "3600"  # not a number: reading it would raise
    settings.RAQMYA_SCHEDULED_EXPORTS = [
        {"scope": grant.pk, "report": "provinces", "frequency": "weekly", "filters": {"year": "2026"}},
    ]
    [name] = tasks.run_scheduled_exports("weekly")
    assert load_workbook(default_storage.open(name)).active.max_row > 1


@pytest.mark.django_db
def test_scheduled_export_bad_schedule_logged_others_run(settings, caplog):
    build_two_provinces()
    user = make_reader("op_casa", Role.PROVINCE_OPERATOR, province_id="MA-CAS")
    grant = ReportScope.objects.get(user=user)
    settings.RAQMYA_SCHEDULED_EXPORTS = [
        {"scope": 987654, "report": "provinces", "frequency": "weekly"},
        {"scope": grant.pk, "report": "provinces", "frequency": "weekly", "filters": {"year": "2026"}},
    ]
    assert len(tasks.run_scheduled_exports("weekly")) == 1
    assert "Scheduled export setting 0 (scope grant 987654) failed" in caplog.text


# A real worker on Redis: it needs a database that another process can open, so MariaDB. The Redis
# database is 11 unless RAQMYA_TEST_REDIS_URL names another.
REDIS_URL = os.environ.get("RAQMYA_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=3).close()
    except OSError:
        return False
    return True


@pytest.mark.mysql
@pytest.mark.slow
# A transactional test empties the database when it ends. serialized_rollback puts the migrations' data
# back for the next one and stops the flush from making new content types, whose new ids would clash
# on MariaDB with the serialized rows of the next serialized test.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_export_task_runs_on_a_real_worker(tmp_path):
    if connection.vendor != "mysql":
        pytest.skip("a worker process cannot open the test's in-memory SQLite database; run with MariaDB")
    if not _redis_reachable():
        # CI sets RAQMYA_REQUIRE_REDIS=1, so that a missing Redis fails the run there instead of skipping.
        message = "Redis is not reachable at 127.0.0.1:6379; start it to run the Celery worker test"
        if os.environ.get("RAQMYA_REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    build_two_provinces()
    user = make_reader("op_casa", Role.PROVINCE_OPERATOR, identities=True, province_id="MA-CAS")
    database = connection.settings_dict
    environment = {
        **os.environ,
        "RAQMYA_CELERY_BROKER_URL": REDIS_URL,
        "RAQMYA_DATABASE_URL": f"mysql://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "RAQMYA_DEVSTACK_VAR": str(tmp_path),
    }
    worker = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "celery", "-A", "devstack.celery_app", "worker", "--pool=solo", "--concurrency=1",
         "--loglevel=INFO"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        from celery import Celery  # pylint: disable=import-outside-toplevel

        sender = Celery("raqmya_test_sender", broker=REDIS_URL)
        # Queued two hours ago, past the one-hour deadline: the worker discards it, unread.
        expired = _queued_path(user.pk, 7200)
        arguments = [user.pk, "learners", "csv", {"year": "2026"}, "fr"]
        sender.send_task("raqmya_reports.export_report", args=[*arguments, expired], **tasks.queue_options(expired))
        path = tasks.export_path(user.pk, "learners", 2026, "csv")
        sender.send_task("raqmya_reports.export_report", args=[*arguments, path], **tasks.queue_options(path))
        stored = tmp_path / "media" / path
        deadline = time.monotonic() + 60
        while not stored.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert stored.read_bytes().decode("utf-8").count("\n") == 1 + 7
        # One worker takes the tasks in the order they were queued: the expired one came first.
        # The file and the scope it was written in.
        stored_names = sorted(path.name for path in (tmp_path / "media" / tasks.EXPORT_FOLDER).rglob("*")
                              if path.is_file())
        assert stored_names == ["raqmya-learners-2026.csv", "raqmya-learners-2026.csv" + tasks.SCOPE_SUFFIX]
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)


def test_beat_schedule_runs_weekly_and_monthly_exports(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    entries = {name: entry["args"] for name, entry in schedule.items() if name.startswith("raqmya")}
    assert entries == {"raqmya-weekly-exports": ("weekly",), "raqmya-monthly-exports": ("monthly",)}


def test_devstack_celery_eager_without_broker():
    from devstack.celery_app import app  # pylint: disable=import-outside-toplevel

    assert app.conf.task_always_eager is True
