"""A live devstack for the browser tests: migrated, seeded with the demo, served by ``runserver``."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("RAQMYA_CHROMIUM", "/usr/bin/chromium")
# Chromium reaches nothing but the devstack: no background requests, no updates.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The devstack server exited with status {process.returncode} before answering.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"The devstack server did not answer at {url} within {seconds} s.")


@pytest.fixture(scope="session")
def devstack(tmp_path_factory):
    """Serve a fresh devstack on 127.0.0.1; yield its base URL and the manager's password."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package or set RAQMYA_CHROMIUM.")
    var = tmp_path_factory.mktemp("devstack-var")
    environment = {**os.environ, "RAQMYA_DEVSTACK_VAR": str(var), "RAQMYA_DEBUG": "0"}
    environment.pop("RAQMYA_DATABASE_URL", None)
    manage = [sys.executable, str(REPOSITORY / "devstack" / "manage.py")]
    password = secrets.token_urlsafe(12)
    subprocess.run([*manage, "migrate", "--run-syncdb", "--verbosity", "0"], check=True, env=environment)
    subprocess.run(
        # A random password may start with "-": the "=" form keeps argparse from reading it as an option.
        [*manage, "raqmya_demo", "--learners", "15", f"--manager-password={password}"],
        check=True,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    port = _free_port()
    log_file = (var / "server.log").open("w")
    server = subprocess.Popen(  # pylint: disable=consider-using-with
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        env=environment,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base_url}/login/", server)
        yield {"url": base_url, "manager_password": password, "log": var / "server.log"}
    finally:
        server.terminate()
        server.wait(timeout=20)
        log_file.close()


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium through Playwright; Playwright's own browser download is never used."""
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
