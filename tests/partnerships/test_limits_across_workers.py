"""The forms' limits hold across processes: gunicorn with 2 workers and production settings,
posted to over HTTP as a robot would, with real "started" tokens fetched from the page.

Counted in each process's memory (as the cache without Redis is), a limit of 4 let through up to
8 forms with 2 workers; counted in the database, exactly 4 pass, whichever worker answers.

The server runs ngo_site.settings.production, configured by environment variables as
docs/deployment.md describes, with three changes for a test (a settings module written below):
static files without collectstatic's manifest, emails written to files the test reads, and
SQLite taking its write lock at the start of a transaction (two processes writing the same
SQLite file could otherwise fail with "database is locked"; production runs PostgreSQL). The
database is a copy of the test database (SQLite's backup API), so nothing needs migrating.
Requests come "through nginx": from 127.0.0.1 with X-Forwarded-For and X-Forwarded-Proto, as
the documented proxy sends them, so the production default of one trusted proxy is used too.
"""

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.urls import reverse
from django.utils import translation

from tests.gunicorn_server import PRODUCTION_SETTINGS, running_gunicorn

pytestmark = pytest.mark.django_db(transaction=True)

RATE_LIMIT = 4
RECIPIENT_LIMIT = 2

SETTINGS_MODULE = (
    PRODUCTION_SETTINGS
    + """
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = MAIL_DIR
DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
"""
)


@pytest.fixture
def server(home_page, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "PARTNERSHIPS_FORM_MIN_SECONDS": "0",
        "PARTNERSHIPS_FORM_RATE_LIMIT": str(RATE_LIMIT),
        "PARTNERSHIPS_RECIPIENT_MAIL_LIMIT": str(RECIPIENT_LIMIT),
        "TRUSTED_PROXY_COUNT": None,
        "PARTNERSHIPS_TRUSTED_PROXY_COUNT": None,
    }
    with running_gunicorn(
        tmp_path,
        settings=SETTINGS_MODULE.replace("MAIL_DIR", repr(str(mail_dir))),
        env=env,
        # %(p)s: the worker's process id, to check that both workers answered.
        access_format="%(p)s %(m)s %(U)s %(s)s",
    ) as running:
        yield {
            "base": running.base,
            "mail_dir": mail_dir,
            "access_log": running.access_log,
            "db": running.database,
        }


class Visitor:
    """A robot behind the documented nginx: its address arrives in X-Forwarded-For."""

    def __init__(self, base, address):
        self.base = base
        self.headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}

    def open_form(self, path):
        """(CSRF cookie, CSRF field, started token) of a freshly shown form."""
        response = requests.get(self.base + path, headers=self.headers, timeout=10)
        assert response.status_code == 200, response.text[:500]
        field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)[1]
        started = re.search(r'name="started" value="([^"]+)"', response.text)[1]
        return response.cookies["csrftoken"], field, started

    def post(self, path, form, data):
        cookie, field, started = form
        headers = {
            **self.headers,
            # The CSRF cookie is Secure (production): sent by hand over this plain connection.
            "Cookie": f"csrftoken={cookie}",
            "Origin": "https://" + self.base.removeprefix("http://"),
        }
        body = {**data, "csrfmiddlewaretoken": field, "started": started, "company_website": ""}
        response = requests.post(
            self.base + path, data=body, headers=headers, allow_redirects=False, timeout=20
        )
        return response.status_code


def contact(number, email=None):
    return {
        "name": f"Robot {number}",
        "email": email or f"robot{number}@example.org",
        "organisation": "",
        "topic": "media",
        "message": f"Message number {number}",
    }


def emails_to(mail_dir, address):
    return sum(
        message.count(f"To: {address}\n")
        for message in (path.read_text() for path in Path(mail_dir).iterdir())
    )


def test_form_limits_hold_across_two_gunicorn_workers(server):
    with translation.override("en"):
        contact_path, newsletter_path = reverse("contact"), reverse("newsletter_signup")
    base = server["base"]

    # 1. Rate limit per client address: 8 forms at once, each with its own token.
    robot = Visitor(base, "203.0.113.7")
    with ThreadPoolExecutor(4) as pool:
        forms = list(pool.map(lambda _n: robot.open_form(contact_path), range(8)))
        statuses = list(
            pool.map(lambda n: robot.post(contact_path, forms[n], contact(n)), range(8))
        )
    assert sorted(statuses) == [302] * RATE_LIMIT + [429] * (8 - RATE_LIMIT), statuses
    # Another visitor behind the same proxy is not affected by the robot's limit.
    neighbour = Visitor(base, "203.0.113.8")
    assert neighbour.post(contact_path, neighbour.open_form(contact_path), contact(20)) == 302

    # 2. One token, sent three times at once: accepted once.
    replayer = Visitor(base, "203.0.113.9")
    form = replayer.open_form(contact_path)
    with ThreadPoolExecutor(3) as pool:
        statuses = list(
            pool.map(lambda n: replayer.post(contact_path, form, contact(30)), range(3))
        )
    assert sorted(statuses) == [302, 400, 400], statuses

    # 3. One unconfirmed address signed up and "contacting" from five addresses: it gets
    # RECIPIENT_LIMIT emails, though every form is accepted.
    victim = "victim@example.org"
    for number in range(3):
        sender = Visitor(base, f"198.51.100.{number + 1}")
        data = {"email": victim, "name": "Claim your prize", "language": "en"}
        assert sender.post(newsletter_path, sender.open_form(newsletter_path), data) == 302
    for number in range(2):
        sender = Visitor(base, f"198.51.100.{number + 10}")
        data = contact(40 + number, email=victim)
        assert sender.post(contact_path, sender.open_form(contact_path), data) == 302
    assert emails_to(server["mail_dir"], victim) == RECIPIENT_LIMIT

    with sqlite3.connect(server["db"]) as database:
        stored = database.execute("SELECT COUNT(*) FROM partnerships_contactsubmission").fetchone()
    assert stored[0] == RATE_LIMIT + 1 + 1 + 2

    posts = [
        line.split()[0]
        for line in server["access_log"].read_text().splitlines()
        if " POST " in f" {line} "
    ]
    assert len(set(posts)) == 2, "both workers answered forms"
