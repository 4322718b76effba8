"""While the database is down, visitors get a clean 503 page, and the site recovers by itself.

The outage is simulated: every attempt to use a database connection raises the error psycopg
raises when PostgreSQL restarts. `make fault` (scripts/bench-http fault) does it for real, with
gunicorn under load. A Redis outage: tests/site/test_redis_outage.py.
"""

import sqlite3
from unittest import mock

import psycopg
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from ngo_site.outage import is_database_outage
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(home_page, footer):
    return StandardPageFactory(parent=home_page, title="About us", slug="about")


@pytest.fixture
def visitor():
    # The outage is logged by django.request as any error; the client must not re-raise it.
    return Client(raise_request_exception=False)


def database_down(error=None):
    """Every use of a connection fails as Django reports psycopg's refused connection."""
    if error is None:
        error = OperationalError("connection failed: Connection refused")
        error.__cause__ = psycopg.OperationalError("connection failed: Connection refused")
    return mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", autospec=True, side_effect=error
    )


def assert_outage_page(response, language="en"):
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.OUTAGE_RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Traceback" not in html and "OperationalError" not in html
    assert "Connection refused" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == language
    assert soup.find(id="main-content") is not None
    # Security headers are still added to the outage page.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    return soup


def test_a_page_asked_for_while_the_database_is_down_gets_the_503_page(visitor, about):
    with database_down() as ensure_connection:
        response = visitor.get("/en/about/")

    assert ensure_connection.call_count >= 1, "the request did not reach the database"
    soup = assert_outage_page(response)
    assert soup.h1.get_text(strip=True) == "Temporarily unavailable"
    assert "try again in 5 seconds" in soup.main.get_text(" ", strip=True)


def test_the_503_page_speaks_the_language_of_the_address(visitor, about):
    with database_down():
        response = visitor.get("/fr/about/")

    soup = assert_outage_page(response, language="fr")
    assert soup.h1.get_text(strip=True) == "Momentanément indisponible"
    assert "réessayer dans 5 secondes" in soup.main.get_text(" ", strip=True)


@pytest.mark.parametrize(
    "path", ["/en/search/?q=waste", "/en/contact/", "/en/no-such-page/", "/", "/sitemap.xml"]
)
def test_every_kind_of_request_gets_the_503_page(visitor, about, path):
    # Views, 404s (the redirects middleware queries), the language redirect, the sitemap.
    with database_down(InterfaceError("connection already closed")):
        response = visitor.get(path)

    assert_outage_page(response, language="fr" if path.startswith("/fr") else "en")


def test_a_session_cookie_does_not_turn_the_outage_into_a_server_error(visitor, about):
    visitor.cookies["sessionid"] = "abc"

    with database_down():
        response = visitor.get("/en/about/")

    assert_outage_page(response)


def test_the_site_answers_again_as_soon_as_the_database_is_back(visitor, about):
    with database_down():
        assert visitor.get("/en/about/").status_code == 503

    response = visitor.get("/en/about/")

    assert response.status_code == 200 and b"About us" in response.content


def test_other_errors_are_still_server_errors(visitor, about):
    with mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", autospec=True, side_effect=ValueError("bug")
    ):
        response = visitor.get("/en/about/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_connections_are_checked_before_reuse():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    "cause, outage",
    [
        (None, False),  # not raised by a driver: nothing says the database is down
        (psycopg.OperationalError("connection failed: Connection refused"), True),
        (type("ConnectionFailure", (Exception,), {"sqlstate": "08006"})(), True),
        (type("AdminShutdown", (Exception,), {"sqlstate": "57P01"})(), True),
        (type("TooManyConnections", (Exception,), {"sqlstate": "53300"})(), True),
        (type("SyntaxError", (Exception,), {"sqlstate": "42601"})(), False),
        (sqlite3.OperationalError("database is locked"), True),
        (sqlite3.OperationalError('fts5: syntax error near "\'"'), False),
    ],
)
def test_only_an_unreachable_database_counts_as_an_outage(cause, outage):
    error = OperationalError("the database failed")
    error.__cause__ = cause

    assert is_database_outage(error) is outage
    assert is_database_outage(InterfaceError("connection already closed"))
    assert not is_database_outage(ValueError("a bug"))
