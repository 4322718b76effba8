"""The 500 page must render when the database is down: it is often why there is an error."""

import sys
import types
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import path

from ngo_site import urls as site_urls
from ngo_site.views import server_error


@pytest.fixture
def database_down():
    """Every attempt to connect to a database raises OperationalError; the mock counts them."""
    with mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        autospec=True,
        side_effect=OperationalError("could not connect to server: the test turned it off"),
    ) as ensure_connection:
        yield ensure_connection


def assert_server_error_page(response):
    assert response.status_code == 500
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.html.get("lang") == "en"
    assert soup.select_one('a.skip-link[href="#main-content"]') is not None
    assert soup.find(id="main-content") is not None
    assert soup.select_one("header.site-header") is not None
    assert soup.select_one('link[rel="stylesheet"][href$="ngo_site/css/site.css"]') is not None
    assert soup.h1.get_text(strip=True) == "Something went wrong on our side"
    french = soup.select_one('[lang="fr"]')
    assert french is not None and "Un problème est survenu" in french.get_text()


def test_the_site_uses_its_own_500_handler():
    assert site_urls.handler500 == "ngo_site.views.server_error"


def test_server_error_handler_renders_without_touching_the_database(rf, database_down):
    request = rf.get("/en/programmes/")

    response = server_error(request)

    assert_server_error_page(response)
    assert database_down.call_count == 0, "the 500 page tried to use the database"


def failing_view(request):
    """A view whose database query fails, as every view does when the database is down."""
    from wagtail.models import Page

    Page.objects.count()


# A URLconf made of the site's own, plus a view that needs the database.
urlconf = types.ModuleType("tests.site.urls_with_failing_view")
urlconf.urlpatterns = [path("needs-the-database/", failing_view), *site_urls.urlpatterns]
urlconf.handler500 = site_urls.handler500


@pytest.fixture
def failing_urlconf(settings, monkeypatch):
    monkeypatch.setitem(sys.modules, urlconf.__name__, urlconf)
    settings.ROOT_URLCONF = urlconf.__name__


def test_a_request_that_fails_on_the_database_gets_the_500_page(failing_urlconf, database_down):
    client = Client(raise_request_exception=False)

    response = client.get("/needs-the-database/")

    assert database_down.call_count >= 1, "the view did not reach the database"
    assert_server_error_page(response)
