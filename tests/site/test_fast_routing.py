"""Routing decisions kept per content generation (ngo_site.serving.CachedRouteMiddleware).

The first request of a URL is routed by Wagtail (through `route_by_url_path`); the page it
leads to, and that page's ancestors, are kept for the current content generation, so the next
requests read only the served page's specific row. Any publication, move, slug change, or
change to a site, locale or view restriction starts a new generation; view restrictions are
still checked on every request, after the routing.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from ngo_site import serving
from ngo_site.models import StandardPage
from tests.programmes.factories import (
    ImageFactory,
    LibraryPageFactory,
    ProgrammeFeaturedResourceFactory,
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    ProjectPageFactory,
    ResourcePageFactory,
)
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(home_page, footer):
    return StandardPageFactory(parent=home_page, title="About us", slug="about")


@pytest.fixture
def team(about):
    return StandardPageFactory(parent=about, title="Our team", slug="team")


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response, [query["sql"] for query in context.captured_queries]


def route_entries():
    """The routing decisions in the (local-memory) cache."""
    return [key for key in cache._cache if ":fragment:route:" in key]


def publish(page, **changes):
    page = page.specific
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_the_page_of_a_kept_decision_is_read_by_its_primary_key_alone(client, team):
    first = client.get("/en/about/team/")
    assert first.status_code == 200 and route_entries()

    response, queries = queries_of(client, "/en/about/team/")

    assert response.status_code == 200
    assert response.context["page"].pk == team.pk
    assert isinstance(response.context["page"], StandardPage)
    assert response.content == first.content
    assert len(queries) == 1, queries
    assert "ngo_site_standardpage" in queries[0] and "url_path" not in queries[0].split("WHERE")[1]
    # The breadcrumbs come from the kept ancestors.
    assert 'href="/en/about/"' in response.content.decode()


def test_each_page_gets_its_own_decision(client, about, team):
    assert "Our team" in client.get("/en/about/team/").content.decode()
    for url, title in (("/en/about/", "About us"), ("/en/about/team/", "Our team")):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["page"].title == title


def test_the_home_page_is_routed_from_a_kept_decision(client, home_page):
    client.get("/en/")
    response, queries = queries_of(client, "/en/")
    assert response.status_code == 200 and response.context["page"].pk == home_page.pk
    assert not any("wagtailcore_locale" in sql for sql in queries)


def test_a_published_change_shows_on_the_next_request(client, about):
    client.get("/en/about/")
    publish(about, title="About the network")

    response = client.get("/en/about/")
    assert response.status_code == 200
    assert "About the network" in response.content.decode()


def test_a_new_title_shows_even_if_the_decision_were_kept(client, about):
    """The served page's row is read on every request, never kept."""
    client.get("/en/about/")
    # Past the signals, so the generation stays the same.
    Page.objects.filter(pk=about.pk).update(title="Renamed quietly")

    assert "Renamed quietly" in client.get("/en/about/").content.decode()


def test_an_unpublished_page_is_gone(client, about):
    assert client.get("/en/about/").status_code == 200
    about.unpublish()

    assert client.get("/en/about/").status_code == 404
    assert client.get("/en/about/").status_code == 404


def test_a_page_made_not_live_behind_the_signals_is_not_served(client, about):
    client.get("/en/about/")
    Page.objects.filter(pk=about.pk).update(live=False)  # the generation does not change

    assert client.get("/en/about/").status_code == 404


def test_a_changed_slug_moves_the_page_to_its_new_url(client, about, team):
    assert client.get("/en/about/team/").status_code == 200
    publish(about, slug="who-we-are")

    assert client.get("/en/about/team/").status_code == 404
    assert client.get("/en/about/").status_code == 404
    response = client.get("/en/who-we-are/team/")
    assert response.status_code == 200 and response.context["page"].pk == team.pk
    assert 'href="/en/who-we-are/"' in response.content.decode()


def test_a_moved_page_is_found_at_its_new_url_only(client, home_page, about, team):
    elsewhere = StandardPageFactory(parent=home_page, title="Network", slug="network")
    assert client.get("/en/about/team/").status_code == 200

    Page.objects.get(pk=team.pk).move(elsewhere, pos="last-child")

    # The old URL no longer serves the page: wagtail.contrib.redirects sends it to the new one.
    old = client.get("/en/about/team/")
    assert old.status_code == 301 and old["Location"] == "/en/network/team/"
    response = client.get("/en/network/team/")
    assert response.status_code == 200 and response.context["page"].pk == team.pk
    assert 'href="/en/network/"' in response.content.decode()


def test_an_unknown_path_stays_404_and_is_not_kept(client, about):
    for _attempt in range(2):
        assert client.get("/en/no-such-page/").status_code == 404
        assert client.get("/en/about/no-such-page/").status_code == 404
    assert route_entries() == []


def test_a_private_page_still_asks_for_a_login_on_a_kept_decision(client, admin_client, about):
    assert client.get("/en/about/").status_code == 200
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)

    for _attempt in range(2):  # the second time from the decision kept after the restriction
        response = client.get("/en/about/")
        assert response.status_code == 302 and "/_util/login/" in response["Location"]
    assert route_entries()
    response = admin_client.get("/en/about/")
    assert response.status_code == 200 and "About us" in response.content.decode()


def test_a_restricted_section_covers_its_pages_on_a_kept_decision(client, about, team):
    """The check uses the kept ancestors: a restriction on a parent applies to the child."""
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    for _attempt in range(2):
        response = client.get("/en/about/team/")
        assert response.status_code == 302 and "/_util/login/" in response["Location"]


def test_logged_in_editors_get_the_live_page(client, admin_client, about):
    about.specific.title = "A draft title"
    about.specific.save_revision()  # not published
    assert client.get("/en/about/").status_code == 200

    for visitor in (admin_client, client):
        for _attempt in range(2):
            page = visitor.get("/en/about/").content.decode()
            assert "About us" in page and "A draft title" not in page


def test_a_french_url_routes_to_the_french_page(client, home_page, about, french):
    french_home = home_page.copy_for_translation(french)
    french_home.save_revision().publish()
    french_about = about.copy_for_translation(french)
    french_about.title = "À propos"
    french_about.save_revision().publish()

    for _attempt in range(2):
        english = client.get("/en/about/")
        french_page = client.get("/fr/about/")
        assert english.context["page"].pk == about.pk
        assert french_page.context["page"].pk == french_about.pk
        assert "À propos" in french_page.content.decode()
        assert 'href="/fr/"' in french_page.content.decode()


def test_a_page_type_with_its_own_route_is_routed_by_wagtail_every_time(client, about, monkeypatch):
    calls = []

    def route(self, request, path_components):
        calls.append(path_components)
        return Page.route(self, request, path_components)

    monkeypatch.setattr(StandardPage, "route", route)
    for _attempt in range(2):
        assert client.get("/en/about/").status_code == 200
    assert len(calls) == 2
    assert route_entries() == []


def test_other_methods_are_routed_by_wagtail(client, about):
    client.get("/en/about/")
    _response, queries = queries_of(client, "/en/about/")
    assert len(queries) == 1
    assert client.head("/en/about/").status_code == 200
    with CaptureQueriesContext(connection) as options:
        assert client.options("/en/about/").status_code == 200
    assert len(options.captured_queries) > 1


def test_a_failing_decision_leaves_the_routing_to_wagtail(client, about, monkeypatch):
    client.get("/en/about/")

    def broken(request, decision):
        raise RuntimeError("bug")

    monkeypatch.setattr(serving, "_apply_decision", broken)
    response = client.get("/en/about/")
    assert response.status_code == 200 and response.context["page"].pk == about.pk


def test_pages_are_routed_while_the_cache_is_down(about, team, settings):
    from tests.site.test_outage import DEAD_REDIS

    settings.CACHES = DEAD_REDIS
    settings.CACHE_RETRY_SECONDS = 0
    visitor = Client(raise_request_exception=False)
    for _attempt in range(2):
        response = visitor.get("/en/about/team/")
        assert response.status_code == 200 and response.context["page"].pk == team.pk
        assert visitor.get("/en/about/no-such-page/").status_code == 404


def test_without_a_shared_cache_every_request_is_routed_by_wagtail(client, about, settings):
    settings.CACHE_IS_SHARED = False
    client.get("/en/about/")
    response, queries = queries_of(client, "/en/about/")
    assert response.status_code == 200 and response.context["page"].pk == about.pk
    assert any("url_path" in sql.split("WHERE")[-1] for sql in queries)


def test_a_programme_page_costs_one_query(client, home_page, footer):
    """Routing, view restrictions, layout and content (fragment cache) all come from the cache
    but the programme's own row (4 queries before routing decisions were kept)."""
    index = ProgrammeIndexPageFactory(parent=home_page)
    library = LibraryPageFactory(parent=home_page)
    programme = ProgrammePageFactory(parent=index, title="Social Protection", image=ImageFactory())
    for number in range(3):
        ProjectPageFactory(parent=programme, title=f"Project {number}", image=ImageFactory())
        resource = ResourcePageFactory(parent=library, title=f"Resource {number}")
        ProgrammeFeaturedResourceFactory(programme=programme, resource=resource)
    first = client.get(programme.url)
    assert first.status_code == 200

    response, queries = queries_of(client, programme.url)

    assert response.status_code == 200 and response.content == first.content
    assert len(queries) == 1, queries
    assert "programmes_programmepage" in queries[0]
