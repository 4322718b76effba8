"""While Redis is down or hangs, every page is still served (the caches answer as misses), forms
are stored, editors publish, and /health/ says "degraded" without taking the server out.

The caches point at a real address with the production backend and options: nothing listens
there (a refused connection), or a socket accepts connections and never answers (a hung
server, which costs each cache call CACHE_SOCKET_TIMEOUT). `make fault` (scripts/bench-http
fault) stops and starts a real Redis under load.
"""

import socket
from urllib.parse import urlencode

import pytest
from django.db.models import Count
from django.test import Client
from wagtail.models import Locale

from partnerships.models import ContactSubmission, PartnershipsPage
from programmes.models import ProgrammePage, ProjectPage
from resources.models import LibraryPage, ResourceFacet, ResourcePage
from tests.conftest import SHARED_DEMO

pytestmark = SHARED_DEMO


def redis_caches_at(location):
    """Every cache of the production settings, with their backend and options, at `location`."""
    from ngo_site.settings.base import redis_cache

    cache = redis_cache(location)
    return {"default": cache, "pages": cache, "template_fragments": cache}


def dead_redis():
    """Every cache on an address where nothing listens (the discard port)."""
    return redis_caches_at("redis://127.0.0.1:9/0")


@pytest.fixture
def hung_redis():
    """A listening socket that completes the TCP handshake and never answers: a hung Redis."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield redis_caches_at(f"redis://127.0.0.1:{listener.getsockname()[1]}/0")


@pytest.fixture
def visitor():
    # A server error raises in the test instead of being turned into a 500 response.
    return Client(raise_request_exception=True)


def first_live(model, language="en"):
    return (
        model.objects.live()
        .filter(locale=Locale.objects.get(language_code=language))
        .order_by("path")
        .first()
    )


def page_kinds():
    """One address of each kind of page a visitor reads, from the demo content."""
    library = first_live(LibraryPage)
    facet = (
        ResourceFacet.objects.filter(library_id=library.pk)
        .exclude(facet="year")
        .values("facet", "value")
        .annotate(n=Count("id"))
        .order_by("-n", "facet", "value")
        .first()
    )
    return {
        "home": "/en/",
        "programme": first_live(ProgrammePage).url,
        "project": first_live(ProjectPage).url,
        "library": library.url,
        "library, text and facet": library.url
        + "?"
        + urlencode({"q": "work", facet["facet"]: facet["value"]}),
        "resource": first_live(ResourcePage, "fr").url,
        "partnerships": first_live(PartnershipsPage).url,
        "site search": "/en/search/?q=work",
        "contact form": "/en/contact/",
    }


def test_every_kind_of_page_is_served_while_redis_is_down(visitor, settings):
    settings.CACHES = dead_redis()
    settings.WAGTAIL_CACHE = True

    for kind, path in page_kinds().items():
        # Twice: the second visit would be the page cache's hit.
        for _ in range(2):
            response = visitor.get(path)
            assert response.status_code == 200, (kind, path, response.status_code)
            assert response.get("X-Wagtail-Cache") != "hit", kind


def test_a_hung_redis_slows_pages_but_does_not_fail_them(visitor, settings, hung_redis):
    settings.CACHES = hung_redis
    settings.WAGTAIL_CACHE = True
    pages = page_kinds()

    # The site search makes the fewest cache calls (14), each waiting CACHE_SOCKET_TIMEOUT.
    response = visitor.get(pages["site search"])

    assert response.status_code == 200


def test_a_contact_message_sent_while_redis_is_down_is_stored(visitor, settings):
    # The form's rate limit counts in the cache: without it the message still goes through.
    settings.CACHES = dead_redis()
    settings.PARTNERSHIPS_FORM_MIN_SECONDS = 0
    form = visitor.get("/en/contact/").context["form"]

    response = visitor.post(
        "/en/contact/",
        {
            "name": "Amina",
            "email": "amina@example.org",
            "topic": "media",
            "message": "Sent while the cache was down.",
            "started": form.initial["started"],
            "company_website": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/contact/thank-you/"
    assert ContactSubmission.objects.filter(message="Sent while the cache was down.").exists()
    assert visitor.get(response["Location"]).status_code == 200


def test_health_says_degraded_and_keeps_the_server_in(visitor, settings, caplog):
    settings.CACHES = dead_redis()

    response = visitor.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"]["status"] == "error"
    assert "Health check cache failed" in caplog.text


def test_editors_publish_while_redis_is_down(client, admin_client, settings):
    from wagtail.models import Page

    from ngo_site.models import StandardPage
    from tests.editorial.conftest import standard_page_form

    page = first_live(StandardPage)
    settings.CACHES = dead_redis()
    settings.WAGTAIL_CACHE = True

    response = admin_client.post(
        f"/admin/pages/{page.pk}/edit/",
        standard_page_form("Published without a cache", page.slug, **{"action-publish": "Publish"}),
    )

    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).title == "Published without a cache"
    assert b"Published without a cache" in client.get(page.url).content
