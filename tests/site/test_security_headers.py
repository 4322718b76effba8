"""Security headers on the public site and the admin, and the HTTPS settings of production."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model

from tests.site.factories import StandardPageFactory
from tests.site.test_settings_env import production_environment, read_settings

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def public_page(home_page):
    return StandardPageFactory(parent=home_page, title="About us", slug="about")


def test_public_page_has_a_strict_content_security_policy(client, public_page):
    response = client.get("/en/about/")

    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_public_page_has_the_other_security_headers(client, public_page):
    response = client.get("/en/about/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_page_has_no_inline_script_or_style_for_the_policy_to_block(client, public_page):
    soup = BeautifulSoup(client.get("/en/about/").content, "html.parser")

    inline_scripts = [
        script
        for script in soup.find_all("script")
        if not script.get("src") and script.get("type") != "application/ld+json"
    ]
    assert inline_scripts == []
    assert soup.find_all("style") == []
    assert soup.find_all(style=True) == []
    event_handlers = [
        tag.name for tag in soup.find_all(True) if any(re.match(r"on", a) for a in tag.attrs)
    ]
    assert event_handlers == []


def test_admin_has_its_own_policy_that_lets_wagtail_work(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    directives = policy(response)
    assert "'unsafe-inline'" in directives["script-src"]
    assert "'unsafe-inline'" in directives["style-src"]
    # Page previews are shown in a frame of the admin itself.
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_admin_login_page_has_the_admin_policy(client):
    response = client.get(reverse("wagtailadmin_login"))

    assert response.status_code == 200
    assert "'unsafe-inline'" in policy(response)["style-src"]


def test_production_sends_hsts_and_secure_cookies_over_https(client, settings, public_page):
    production = read_settings(
        [
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "SECURE_SSL_REDIRECT",
            "SECURE_PROXY_SSL_HEADER",
            "SECURE_REDIRECT_EXEMPT",
        ],
        **production_environment(),
    )
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    for name in ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"):
        setattr(settings, name, production[name])
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = tuple(production["SECURE_PROXY_SSL_HEADER"])
    settings.SECURE_REDIRECT_EXEMPT = production["SECURE_REDIRECT_EXEMPT"]

    # Through the TLS-terminating proxy: HSTS. Plain HTTP: redirected to HTTPS.
    response = client.get("/en/about/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == (
        f"max-age={production['SECURE_HSTS_SECONDS']}; includeSubDomains; preload"
    )
    plain = client.get("/en/about/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    # The load balancer's probe over plain HTTP is not redirected.
    assert client.get("/health/").status_code == 200


# --- Every kind of public response carries them --------------------------------------------


@pytest.fixture
def site_pages(home_page, public_page):
    """One page of each public type, and the URLs of the non-page views."""
    from tests.programmes.factories import ProgrammePageFactory, ProjectPageFactory
    from tests.resources.factories import LibraryPageFactory, make_resource

    programme = ProgrammePageFactory(parent=home_page, title="Social Protection", slug="sp")
    project = ProjectPageFactory(parent=programme, title="Health cover", slug="health")
    library = LibraryPageFactory(parent=home_page)
    # A document is public once a live public page uses it (ngo_site.private_files).
    document = get_document_model().objects.create(
        title="Annual report", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="annual.pdf")
    )
    resource = make_resource(library, title="A report", slug="a-report", documents=[document])
    return {
        "home": "/en/",
        "programme": programme.url,
        "project": project.url,
        "library": library.url,
        "resource": resource.url,
        "search": "/en/search/?q=report",
        "contact": reverse("contact"),
        "document": document.url,
        "404": "/en/no-such-page/",
        "page cache hit": "/en/about/",
    }


KINDS = [
    "home",
    "programme",
    "project",
    "library",
    "resource",
    "search",
    "contact",
    "document",
    "404",
    "page cache hit",
]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_public_response_has_the_security_headers(client, settings, site_pages, kind):
    url = site_pages[kind]
    if kind == "page cache hit":
        settings.WAGTAIL_CACHE = True
        client.get(url)

    response = client.get(url)

    assert response.status_code == (404 if kind == "404" else 200), url
    if kind == "page cache hit":
        assert response["X-Wagtail-Cache"] == "hit"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    directives = policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    if kind == "document":
        # Wagtail serves documents with a stricter policy of its own: nothing may run at all.
        assert directives["default-src"] == ["'none'"], directives
        assert "script-src" not in directives
    else:
        assert directives["script-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]


# --- Cookies on real responses, with the production settings --------------------------------


@pytest.fixture
def production_cookies(settings):
    production = read_settings(
        [
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "CSRF_COOKIE_HTTPONLY",
            "SESSION_COOKIE_SAMESITE",
            "CSRF_COOKIE_SAMESITE",
            "SECURE_PROXY_SSL_HEADER",
        ],
        **production_environment(),
    )
    for name, value in production.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    return production


def test_the_csrf_cookie_of_a_form_page_is_secure_and_same_site(
    client, home_page, production_cookies
):
    response = client.get(reverse("contact"), headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 200
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    # Django's default, on purpose: the token is also in the page, HttpOnly would add nothing.
    assert not cookie["httponly"]


def test_the_session_cookie_of_a_login_is_secure_http_only_and_same_site(
    client, admin_user, production_cookies
):
    login_url = reverse("wagtailadmin_login")
    https = {"X-Forwarded-Proto": "https"}
    client.get(login_url, headers=https)

    response = client.post(
        login_url, {"username": admin_user.username, "password": "password"}, headers=https
    )

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- Permissions-Policy, the language cookie, HTTP methods (issue 25) -----------------------


def permissions(response):
    """The Permissions-Policy header as {feature: allowlist}."""
    return dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))


@pytest.mark.parametrize("url", ["/en/about/", "/admin/login/", "/en/no-such-page/", "/health/"])
def test_every_response_refuses_the_powerful_features(client, public_page, url):
    features = permissions(client.get(url))

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature
    # Embedded video players may still play and go full screen.
    assert features["fullscreen"].startswith("(self ")
    assert '"https://www.youtube-nocookie.com"' in features["fullscreen"]


def test_the_language_cookie_is_secure_http_only_and_same_site_in_production(
    client, home_page, settings
):
    production = read_settings(
        ["LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SAMESITE"],
        **production_environment(),
    )
    for name, value in production.items():
        setattr(settings, name, value)

    response = client.post(reverse("set_language"), {"language": "fr", "next": "/fr/"})

    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize("url", ["/en/about/", "/en/", "/health/", "/admin/login/", "/en/search/"])
def test_trace_is_refused_everywhere(client, public_page, url):
    response = client.generic("TRACE", url)

    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]
    assert response.content == b""


def test_options_on_a_page_answers_the_allowed_methods_without_the_page(client, public_page):
    response = client.options("/en/about/")

    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert response.content == b""


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "PROPFIND"])
def test_other_methods_on_a_page_are_not_allowed(client, public_page, method):
    response = client.generic(method, "/en/about/", data="a=1")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert b"About us" not in response.content


def test_get_head_and_post_on_a_page_still_work(client, public_page):
    assert client.get("/en/about/").status_code == 200
    assert client.head("/en/about/").status_code == 200
    assert client.post("/en/about/").status_code == 200
