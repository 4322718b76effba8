"""gunicorn as in production, for the tests that need real worker processes or gunicorn's own
HTTP parser (tests/site/test_gunicorn_error_pages.py, tests/partnerships/
test_limits_across_workers.py).

The server runs gunicorn.conf.py with ngo_site.settings.production, configured by environment
variables as docs/deployment.md describes, plus a settings module the test writes (`settings`,
e.g. static files without collectstatic's manifest). Its database is a copy of the SQLite test
database (SQLite's backup API), so nothing needs migrating; on PostgreSQL the test is skipped.
"""

import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

PRODUCTION_SETTINGS = """
from ngo_site.settings.production import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
"""


@dataclass
class RunningServer:
    port: int
    base: str
    database: Path
    log: Path
    access_log: Path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers_health(base):
    try:
        with urllib.request.urlopen(base + "/health/", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@contextmanager
def running_gunicorn(tmp_path, settings=PRODUCTION_SETTINGS, env=None, access_format=None):
    """gunicorn with 2 workers on a free port of 127.0.0.1, answering /health/; stopped (its
    process group) when the block ends. `env` adds to or overrides the environment; a value of
    None removes the variable."""
    if connection.vendor != "sqlite":
        pytest.skip("copies the SQLite test database for the server (SQLite stage)")
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)
    module = f"gunicorn_settings_{secrets.token_hex(4)}"
    (tmp_path / f"{module}.py").write_text(settings)
    port = free_port()
    access_log = tmp_path / "access.log"
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith("DJANGO")},
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
        "DJANGO_SETTINGS_MODULE": module,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": str(access_log),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": None,
        **(env or {}),
    }
    environment = {name: value for name, value in environment.items() if value is not None}
    command = [GUNICORN, "-c", "gunicorn.conf.py"]
    if access_format:
        command += ["--access-logformat", access_format]
    log_path = tmp_path / "gunicorn.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 30
            while not answers_health(base):
                assert process.poll() is None, log_path.read_text()[-3000:]
                assert time.monotonic() < deadline, "gunicorn did not answer /health/"
                time.sleep(0.2)
            yield RunningServer(port, base, database, log_path, access_log)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
