"""gunicorn serving the devstack on 127.0.0.1, started and stopped by its process id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
WSGI_APPLICATION = "benchmarks.load.wsgi:application"


def free_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """A gunicorn master with ``workers`` sync worker processes; a context manager that always stops it."""

    def __init__(self, environment: dict, log_path: Path, *, workers: int, wsgi: str = WSGI_APPLICATION):
        self.environment = environment
        self.log_path = log_path
        self.workers = workers
        self.wsgi = wsgi
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._log = None

    def __enter__(self) -> Gunicorn:
        self._log = self.log_path.open("w", encoding="utf-8")
        command = [
            sys.executable, "-m", "gunicorn", self.wsgi,
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--worker-class", "sync",
            "--timeout", "120", "--graceful-timeout", "10", "--preload", "--no-control-socket",
            "--chdir", str(REPOSITORY),
        ]
        self.process = subprocess.Popen(
            command, env=self.environment, cwd=REPOSITORY, stdout=self._log, stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _wait_until_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {self.process.returncode}; see {self.log_path}.")
            try:
                with urllib.request.urlopen(f"{self.url}/login/", timeout=5):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not respond at {self.url} within {seconds:.0f} s; see {self.log_path}.")

    def worker_count(self) -> int:
        """Return how many worker processes the master has now, read from /proc."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return len(children.read_text(encoding="ascii").split()) if children.exists() else 0

    def stop(self) -> None:
        """Stop the master by its id (it stops its workers), killing it if it does not stop in time."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


def server_environment(database_url: str, var_dir: Path, cache_url: str | None) -> dict:
    """Return the environment of the devstack on ``database_url``: no debug pages, its own var folder."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "devstack.settings.lms",
        "RAQMYA_DATABASE_URL": database_url,
        "RAQMYA_DEVSTACK_VAR": str(var_dir),
        "RAQMYA_DEBUG": "0",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")])),
    }
    environment.pop("RAQMYA_CACHE_URL", None)
    if cache_url:
        environment["RAQMYA_CACHE_URL"] = cache_url
    return environment
