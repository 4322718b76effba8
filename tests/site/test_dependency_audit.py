"""`make audit` (scripts/audit): pip-audit of the lock files tells a clean audit, vulnerabilities
found and an advisory database that cannot be reached apart, without the network.

The advisory service is OSV's query API (PIP_AUDIT_VULNERABILITY_SERVICE=osv, PIP_AUDIT_OSV_URL),
served here on loopback by a small HTTP server that holds one advisory, against pypdf before 7.
pip-audit itself runs for real on the real lock file.
"""

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.one_database

REPOSITORY = Path(__file__).resolve().parents[2]
AUDIT = REPOSITORY / "scripts" / "audit"
LOCK_FILE = REPOSITORY / "requirements" / "production.txt"

PYPDF_ADVISORY = {
    "id": "GHSA-test-pypdf-loop",
    "summary": "Infinite loop on a malformed PDF",
    "affected": [
        {
            "package": {"name": "pypdf", "ecosystem": "PyPI"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "7.0.0"}]}],
        }
    ],
}


class AdvisoryService(BaseHTTPRequestHandler):
    """OSV's POST /v1/query: {} for a package version without advisory."""

    status = 200

    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        affected = query["package"]["name"] == "pypdf" and query["version"].split(".")[0] < "7"
        body = json.dumps({"vulns": [PYPDF_ADVISORY]} if affected else {}).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def advisory_service():
    server = ThreadingHTTPServer(("127.0.0.1", 0), AdvisoryService)
    server.status = 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def audit(osv_url, *lock_files):
    return subprocess.run(
        [sys.executable, str(AUDIT), *map(str, lock_files)],
        env={
            **os.environ,
            "PIP_AUDIT_VULNERABILITY_SERVICE": "osv",
            "PIP_AUDIT_OSV_URL": osv_url,
            "AUDIT_TIMEOUT": "5",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def url(server):
    return f"http://127.0.0.1:{server.server_address[1]}/v1/query"


def lock_with_old_pypdf(tmp_path):
    """The real lock file with its pypdf pin put back to 6.21.4 (hashes kept: not checked)."""
    text = LOCK_FILE.read_text()
    old_pin = "\n".join(
        "pypdf==6.21.4 \\" if line.startswith("pypdf==") else line for line in text.splitlines()
    )
    assert old_pin != text
    path = tmp_path / "production.txt"
    path.write_text(old_pin + "\n")
    return path


def test_the_current_lock_file_passes_against_the_advisory(advisory_service):
    result = audit(url(advisory_service), LOCK_FILE)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "pinned packages were checked: no known vulnerability" in result.stdout


def test_a_vulnerable_pin_is_reported_with_its_fix(advisory_service, tmp_path):
    result = audit(url(advisory_service), lock_with_old_pypdf(tmp_path))

    assert result.returncode == 1, result.stdout + result.stderr
    assert "pypdf 6.21.4: GHSA-test-pypdf-loop (fixed in: 7.0.0)" in result.stdout
    assert "VULNERABILITIES FOUND: 1 in 1 of the" in result.stderr
    assert "UNREACHABLE" not in result.stderr


def test_an_unreachable_advisory_database_is_not_a_clean_audit():
    result = audit(f"http://127.0.0.1:{closed_port()}/v1/query", LOCK_FILE)

    assert result.returncode == 3, result.stdout + result.stderr
    assert "ADVISORY DATABASE UNREACHABLE" in result.stderr
    assert "not a clean audit" in result.stderr
    assert "no known vulnerability" not in result.stdout + result.stderr


def test_an_advisory_database_that_answers_errors_is_not_a_clean_audit(advisory_service):
    advisory_service.status = 503

    result = audit(url(advisory_service), LOCK_FILE)

    assert result.returncode == 3, result.stdout + result.stderr
    assert "ADVISORY DATABASE UNREACHABLE" in result.stderr
