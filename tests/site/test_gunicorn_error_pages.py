"""Requests gunicorn's HTTP parser refuses get the site's error pages, not gunicorn's bare one.

gunicorn runs as in production (tests/gunicorn_server.py: gunicorn.conf.py, the production
settings, 2 workers, a copy of the SQLite test database); once with one thread per worker (the
sync worker) and once with two (gunicorn's threaded worker). The requests are written on a raw
socket: no HTTP client sends a control character in a header.
"""

import http.client
import socket
import time

import pytest

from tests.gunicorn_server import running_gunicorn

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.one_database]

# gunicorn's own page (gunicorn.util.write_error).
GUNICORN_PAGE = b"<h1><p>"


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
    with running_gunicorn(
        tmp_path,
        env={"GUNICORN_THREADS": str(request.param)},
        access_format="%(m)s %(U)s %(s)s",
    ) as server:
        yield {
            "port": server.port,
            "threads": request.param,
            "access_log": server.access_log,
            "log": server.log,
        }


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

    # A PUT to a page is refused (405) and a form post without its CSRF token (403) before
    # their body is read. Closing the connection with the rest of the body still arriving made
    # TCP reset it, and the client's upload failed without an answer (make fuzz met it: an 89 KB
    # multipart PUT); the rest of the body is now read first (ngo_site.wsgi).
    body = b"a=" + b"x" * 300_000
    status, _headers, _body = parse(upload_slowly(gunicorn_server["port"], "PUT", "/en/", body))
    assert status == 405
    status, _headers, page = parse(
        upload_slowly(gunicorn_server["port"], "POST", "/en/contact/", body)
    )
    assert status == 403
    assert b'class="site-header"' in page


def upload_slowly(port, method, path, body):
    """What the server answers to a request whose body arrives in pieces, as over a slow link:
    the first kilobyte, a pause in which the site answers (before reading the body), the rest."""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
        "Connection: close\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(head + body[:1000])
        time.sleep(0.3)
        for start in range(1000, len(body), 16384):
            client.sendall(body[start : start + 16384])
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)
