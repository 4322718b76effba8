"""Anonymous visitors' pages come from the cache, and what editors publish is visible at once.

Editors work through the real Wagtail admin views; visitors through the test client. The
X-Wagtail-Cache header (hit, miss; skip for a response not stored) tells where a response came
from.
"""

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.contrib.frontend_cache.backends import BaseBackend

from ngo_site.page_cache import CACHE_STATUS_HEADER
from tests.editorial import conftest as editorial
from tests.editorial.conftest import standard_page_form
from tests.site.factories import FooterContentFactory, StandardPageFactory

# Fixtures of the editorial roles: users in the real groups, the English and French trees.
make_user, moderator, client_for, trees = (
    editorial.make_user,
    editorial.moderator,
    editorial.client_for,
    editorial.trees,
)

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.WAGTAIL_CACHE = True


@pytest.fixture
def about(home_page):
    return StandardPageFactory(parent=home_page, title="About us", slug="about")


def cache_status(response):
    return response.headers.get(CACHE_STATUS_HEADER)


def not_shared(response):
    """Rendered for this request and not stored."""
    return cache_status(response) not in ("hit", "miss")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def test_second_anonymous_view_comes_from_the_cache(client, about, django_assert_max_num_queries):
    first = client.get("/en/about/")
    assert first.status_code == 200 and cache_status(first) == "miss"

    with django_assert_max_num_queries(0):
        second = client.get("/en/about/")

    assert second.status_code == 200 and cache_status(second) == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert client.head("/en/about/").status_code == 200


def test_tracking_query_parameters_share_the_plain_urls_entry(client, about):
    assert cache_status(client.get("/en/about/")) == "miss"

    for query in ({"utm_source": "1"}, {"utm_source": "2", "fbclid": "x"}, {"mtm_kwd": "z"}):
        response = client.get("/en/about/", query)
        assert response.status_code == 200 and cache_status(response) == "hit", query


def test_only_wagtail_pages_are_cached(client, about):
    for path in ("/en/search/?q=about", "/robots.txt", "/admin/login/?next=/admin/pages/"):
        client.get(path)
        assert not_shared(client.get(path)), path


def test_the_librarys_searches_and_facets_are_kept_apart(client, home_page):
    from tests.resources.factories import LibraryPageFactory

    LibraryPageFactory(parent=home_page)
    variants = [{}, {"q": "water"}, {"sort": "oldest"}, {"page": "2"}, {"year": "2020"}]
    for query in variants:
        assert cache_status(client.get("/en/resources/", query)) == "miss", query
    for query in variants:
        assert cache_status(client.get("/en/resources/", query)) == "hit", query
    # Tracking parameters beside them still share the entry.
    tracked = client.get("/en/resources/", {"q": "water", "utm_campaign": "spring"})
    assert cache_status(tracked) == "hit"


def test_a_disallowed_host_skips_the_cache_without_an_error_log(client, about, caplog):
    client.get("/en/about/")

    response = client.get("/en/about/", headers={"host": "evil.example"})

    assert response.status_code == 400
    assert not [
        record
        for record in caplog.records
        if record.name.startswith("ngo_site") and record.levelname in ("ERROR", "CRITICAL")
    ]


# --- What caches in front of the site may keep (Cache-Control) -------------------------------


class RecordingPurgeBackend(BaseBackend):
    """A frontend cache backend (WAGTAILFRONTENDCACHE) that records the URLs it is asked to
    purge instead of calling a CDN."""

    purged = []

    def purge(self, url):
        self.purged.append(url)


@pytest.fixture
def frontend_cache(settings):
    """A configured frontend cache purge, with Wagtail's publish/unpublish handlers connected as
    when wagtail.contrib.frontend_cache is installed (the test settings configure none)."""
    from wagtail.contrib.frontend_cache import signal_handlers
    from wagtail.signals import page_published, page_unpublished

    settings.WAGTAILFRONTENDCACHE = {
        "recording": {"BACKEND": "tests.site.test_caching.RecordingPurgeBackend"}
    }
    RecordingPurgeBackend.purged = []
    signal_handlers.register_signal_handlers()
    yield RecordingPurgeBackend.purged
    for model in apps.get_models():
        page_published.disconnect(signal_handlers.page_published_signal_handler, sender=model)
        page_unpublished.disconnect(signal_handlers.page_unpublished_signal_handler, sender=model)


def test_without_a_frontend_cache_purge_pages_are_not_kept_by_proxies(client, about):
    first = client.get("/en/about/")
    hit = client.get("/en/about/")

    assert first["Cache-Control"] == hit["Cache-Control"] == "max-age=0"


def test_with_a_frontend_cache_purge_anonymous_pages_may_be_kept_by_it(
    client, about, frontend_cache, settings
):
    settings.FRONTEND_CACHE_SECONDS = 120

    first = client.get("/en/about/")
    hit = client.get("/en/about/")

    assert cache_status(hit) == "hit"
    assert first["Cache-Control"] == hit["Cache-Control"] == "public, max-age=0, s-maxage=120"


def test_personal_responses_are_private(client, admin_client, home_page, frontend_cache):
    from wagtail.models import PageViewRestriction

    about = StandardPageFactory(parent=home_page, title="About us", slug="about")
    secret = StandardPageFactory(parent=home_page, title="Board minutes", slug="board")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )

    logged_in = admin_client.get("/en/about/")
    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(about.pk,)))
    password_form = client.get("/en/board/")

    for response in (logged_in, preview, password_form):
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-cache" in cache_control, cache_control
        assert "public" not in cache_control and "s-maxage" not in cache_control


def test_publish_and_unpublish_in_the_admin_purge_the_page_at_the_frontend_cache(
    admin_client, trees, frontend_cache
):
    english, french = trees["en_page"], trees["fr_page"]

    response = admin_client.post(
        edit_url(english),
        standard_page_form("About the network", "about", **{"action-publish": "Publish"}),
    )
    assert response.status_code == 302
    # The page's address under each language prefix (Wagtail's WAGTAILFRONTENDCACHE_LANGUAGES
    # defaults to the content languages); only the page itself, not the pages that list it.
    both_languages = {"http://localhost/en/about/", "http://localhost/fr/about/"}
    assert set(frontend_cache) == both_languages

    frontend_cache.clear()
    unpublish = reverse("wagtailadmin_pages:unpublish", args=(french.pk,))
    assert admin_client.post(unpublish).status_code == 302
    assert set(frontend_cache) == both_languages


def test_the_page_cache_is_emptied_again_when_the_publication_commits(
    client, admin_client, about, django_capture_on_commit_callbacks
):
    client.get("/en/about/")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(
            edit_url(about),
            standard_page_form("About the network", "about", **{"action-publish": "Publish"}),
        )
        assert response.status_code == 302
        # A visitor served before the commit stores a copy under the generation of then...
        assert cache_status(client.get("/en/about/")) == "miss"
        assert cache_status(client.get("/en/about/")) == "hit"
    assert callbacks

    # ...which the bump on commit outdates.
    after = client.get("/en/about/")
    assert cache_status(after) == "miss" and b"About the network" in after.content


def test_a_change_published_in_the_admin_is_visible_on_the_next_request(
    client, admin_client, about
):
    assert b"About us" in client.get("/en/about/").content
    assert cache_status(client.get("/en/about/")) == "hit"

    response = admin_client.post(
        edit_url(about),
        standard_page_form("About the network", "about", **{"action-publish": "Publish"}),
    )
    assert response.status_code == 302

    after = client.get("/en/about/")
    assert cache_status(after) == "miss"
    assert b"About the network" in after.content


def test_unpublished_moved_and_deleted_pages_are_gone_at_once(client, admin_client, home_page):
    section = StandardPageFactory(parent=home_page, title="Section", slug="section")
    unpublished = StandardPageFactory(parent=home_page, title="Old news", slug="old-news")
    moved = StandardPageFactory(parent=home_page, title="Moving", slug="moving")
    deleted = StandardPageFactory(parent=home_page, title="Doomed", slug="doomed")
    for path in ("/en/old-news/", "/en/moving/", "/en/doomed/", "/en/"):
        client.get(path)
        assert cache_status(client.get(path)) == "hit", path

    unpublish = reverse("wagtailadmin_pages:unpublish", args=(unpublished.pk,))
    assert admin_client.post(unpublish).status_code == 302
    assert client.get("/en/old-news/").status_code == 404

    move = reverse("wagtailadmin_pages:move_confirm", args=(moved.pk, section.pk))
    assert admin_client.post(move).status_code == 302
    # Wagtail leaves a redirect at the old address; the cached page is not served there.
    old_address = client.get("/en/moving/")
    assert old_address.status_code in (301, 302)
    assert old_address["Location"].endswith("/section/moving/")
    assert client.get("/en/section/moving/").status_code == 200

    delete = reverse("wagtailadmin_pages:delete", args=(deleted.pk,))
    assert admin_client.post(delete).status_code == 302
    assert client.get("/en/doomed/").status_code == 404


def test_a_published_translation_is_visible_at_once(client, trees, moderator, client_for):
    assert b"propos" in client.get("/fr/about/").content
    assert cache_status(client.get("/fr/about/")) == "hit"

    response = client_for(moderator).post(
        edit_url(trees["fr_page"]),
        standard_page_form("À propos du réseau", "about", **{"action-publish": "Publier"}),
    )
    assert response.status_code == 302
    client.logout()

    after = client.get("/fr/about/")
    assert cache_status(after) == "miss"
    assert "À propos du réseau" in after.content.decode()


def test_a_snippet_change_is_visible_at_once(client, admin_client, about):
    footer = FooterContentFactory(organisation_name="Harbour Workers")
    assert b"Harbour Workers" in client.get("/en/about/").content
    assert cache_status(client.get("/en/about/")) == "hit"

    edit = reverse("wagtailsnippets_ngo_site_footercontent:edit", args=(footer.pk,))
    response = admin_client.post(
        edit,
        {
            "name": footer.name,
            "organisation_name": "Dock Workers Union",
            "address": "",
            "email": "",
            "social_links-count": "0",
            "legal_links-count": "0",
            "copyright_notice": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    assert b"Dock Workers Union" in client.get("/en/about/").content


def test_logged_in_users_are_never_served_from_the_cache(client, admin_user, about):
    client.get("/en/about/")
    # A change that no signal reports: anonymous visitors keep the cached copy...
    type(about).objects.filter(pk=about.pk).update(title="Quietly renamed")
    assert b"About us" in client.get("/en/about/").content

    client.force_login(admin_user)
    response = client.get("/en/about/")

    # ...but a logged-in user always gets the page rendered for them, and nothing is stored.
    assert not_shared(response)
    assert b"Quietly renamed" in response.content


def test_a_hit_keeps_the_headers_of_a_rendered_page(client, about):
    first = client.get("/en/about/")

    second = client.get("/en/about/")

    assert cache_status(second) == "hit"
    for header in ("Content-Language", "X-Frame-Options", "Content-Security-Policy", "Vary"):
        assert second.get(header) == first.get(header), header
    assert second["X-Frame-Options"] == "DENY" and second["Content-Language"] == "en"


def test_anonymous_visitors_with_a_stale_session_cookie_still_get_the_cached_page(client, about):
    client.get("/en/about/")
    client.cookies["sessionid"] = "no-such-session"

    response = client.get("/en/about/")

    assert response.status_code == 200 and cache_status(response) == "hit"


def test_a_french_page_and_its_english_original_are_kept_apart(client, trees):
    english = client.get("/en/about/")
    french = client.get("/fr/about/")

    assert cache_status(client.get("/fr/about/")) == "hit"
    assert client.get("/fr/about/").content == french.content != english.content
    assert client.get("/fr/about/")["Content-Language"] == "fr"


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, rf, about):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    client.get("/en/about/")
    type(about).objects.filter(pk=about.pk).update(title="Quietly renamed")
    waiting = CookieStorage(rf.get("/"))._encode([Message(constants.INFO, "Thank you")])
    client.cookies["messages"] = waiting

    response = client.get("/en/about/")

    assert not_shared(response)
    assert b"Quietly renamed" in response.content


def test_previews_show_the_draft_and_are_never_cached(client, admin_client, about):
    client.get("/en/about/")
    response = admin_client.post(
        edit_url(about), standard_page_form("Draft title", "about", **{"action-submit": ""})
    )
    assert response.status_code == 302

    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(about.pk,)))

    assert preview.status_code == 200 and b"Draft title" in preview.content
    assert not_shared(preview)
    live = client.get("/en/about/")
    assert b"Draft title" not in live.content and b"About us" in live.content


def test_drafts_and_missing_pages_are_not_stored(client, home_page):
    StandardPageFactory(
        parent=home_page, title="Unpublished", slug="unpublished", live=False, publish=False
    )

    assert client.get("/en/unpublished/").status_code == 404
    assert not_shared(client.get("/en/unpublished/"))


def test_nothing_is_cached_when_the_page_cache_is_off(client, about, settings):
    settings.WAGTAIL_CACHE = False

    client.get("/en/about/")

    assert cache_status(client.get("/en/about/")) is None


# --- Settings from the environment (read in a fresh process, as at start-up) -----------------


def test_page_cache_is_on_by_default_in_a_store_every_process_shares():
    from tests.site.test_settings_env import production_environment, read_settings

    names = ["PAGE_CACHE_SECONDS", "WAGTAIL_CACHE", "CACHES"]
    with_redis = read_settings(names, **production_environment(REDIS_URL="redis://cache:6379/0"))
    without = read_settings(names, **production_environment())
    off = read_settings(names, **production_environment(PAGE_CACHE_SECONDS="0"))

    assert with_redis["PAGE_CACHE_SECONDS"] == without["PAGE_CACHE_SECONDS"] == 300
    assert with_redis["WAGTAIL_CACHE"] and without["WAGTAIL_CACHE"] and not off["WAGTAIL_CACHE"]
    # Emptying the pages' Redis database (FLUSHDB) leaves the default cache's alone.
    assert with_redis["CACHES"]["pages"]["LOCATION"] == "redis://cache:6379/1"
    assert with_redis["CACHES"]["default"]["LOCATION"] == "redis://cache:6379/0"
    assert without["CACHES"]["pages"]["BACKEND"].endswith("FileBasedCache")


def test_frontend_cache_purge_is_configured_from_the_environment():
    from tests.site.test_settings_env import production_environment, read_settings

    names = ["WAGTAILFRONTENDCACHE", "INSTALLED_APPS"]
    none = read_settings(names, **production_environment())
    cloudflare = read_settings(
        names,
        **production_environment(
            FRONTEND_CACHE_CLOUDFLARE_ZONE_ID="zone",
            FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN="token",
            FRONTEND_CACHE_PURGE_URL="http://varnish:8000",
        ),
    )

    assert none["WAGTAILFRONTENDCACHE"] == {}
    assert "wagtail.contrib.frontend_cache" not in none["INSTALLED_APPS"]
    assert "wagtail.contrib.frontend_cache" in cloudflare["INSTALLED_APPS"]
    assert cloudflare["WAGTAILFRONTENDCACHE"] == {
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": "zone",
            "BEARER_TOKEN": "token",
        },
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://varnish:8000",
        },
    }
