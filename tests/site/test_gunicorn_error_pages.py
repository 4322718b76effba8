"""Requests gunicorn's HTTP parser refuses get the site's error pages, not gunicorn's bare one.

gunicorn runs as in production (gunicorn.conf.py, ngo_site.settings.production configured by
environment variables, 2 workers), started the way tests/partnerships/test_limits_across_workers
starts it, on a copy of the SQLite test database; once with one thread per worker (the sync
worker) and once with two (gunicorn's threaded worker). The requests are written on a raw
socket: no HTTP client sends a control character in a header.
"""

import http.client
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.one_database]

REPO = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

SETTINGS_MODULE = """
from ngo_site.settings.production import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
"""

# gunicorn's own page (gunicorn.util.write_error).
GUNICORN_PAGE = b"<h1><p>"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def exchange(port, raw_request):
    """What the server answers to `raw_request`, read until it closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(raw_request)
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def parse(response):
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.lower(): value.strip()
        for name, _, value in (line.partition(":") for line in header_lines)
    }
    return int(status_line.split()[1]), headers, body


@pytest.fixture(params=[1, 2], ids=["sync worker", "threaded worker"])
def gunicorn_server(request, home_page, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("copies the SQLite test database for the server (SQLite stage)")
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)
    (tmp_path / "error_pages_settings.py").write_text(SETTINGS_MODULE)
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("DJANGO")},
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
        "DJANGO_SETTINGS_MODULE": "error_pages_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": str(request.param),
        "GUNICORN_ACCESS_LOG": str(access_log),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    log_path = tmp_path / "gunicorn.log"
    log = open(log_path, "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", "--access-logformat", "%(m)s %(U)s %(s)s"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = exchange(port, b"GET /health/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if parse(answer)[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, "gunicorn did not answer /health/"
            time.sleep(0.2)
        yield {
            "port": port,
            "threads": request.param,
            "access_log": access_log,
            "log": log_path,
        }
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_refused_requests_get_the_site_error_page_with_gunicorn_status(gunicorn_server):
    port = gunicorn_server["port"]
    refused = {
        "control character in a header": (
            b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Note: a\x01b\r\n\r\n",
            400,
        ),
        "invalid header name": (b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX(y): 1\r\n\r\n", 400),
        "request line too long": (
            b"GET /en/?q=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            414,
        ),
    }
    for name, (raw_request, expected_status) in refused.items():
        status, headers, body = parse(exchange(port, raw_request))

        assert status == expected_status, name
        assert GUNICORN_PAGE not in body, name
        # The site's 400 page: its layout, its heading, in the default language.
        assert b'class="site-header"' in body, name
        assert b"<h1>Bad request</h1>" in body, name
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert int(headers["content-length"]) == len(body)
        assert headers["connection"] == "close"

    # gunicorn still logs each refusal with its reason.
    time.sleep(0.5)
    assert gunicorn_server["log"].read_text().count("Invalid request from ip=") == 3


def test_well_formed_requests_keep_their_connection_and_pages(gunicorn_server):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn_server["port"], timeout=10)
    # As the TLS proxy in front passes requests (production redirects plain HTTP to HTTPS).
    behind_proxy = {"X-Forwarded-Proto": "https"}
    connection.request("GET", "/en/no-such-page/", headers=behind_proxy)
    response = connection.getresponse()
    assert response.status == 404
    assert b'class="site-header"' in response.read()
    if gunicorn_server["threads"] > 1:
        # gunicorn's threaded worker keeps the connection open for the next request.
        assert connection.sock is not None
        address = connection.sock.getsockname()
        connection.request("GET", "/en/no-such-page/", headers=behind_proxy)
        assert connection.getresponse().status == 404
        assert connection.sock.getsockname() == address
    connection.close()
