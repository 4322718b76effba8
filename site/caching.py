"""A cache of the Wagtail pages anonymous visitors read, emptied whenever content changes.

Only anonymous GET and HEAD requests of Wagtail pages are served from it, and only 200
responses are kept, when they set no cookie, used no CSRF token (a page with a form), carried no
message, and belong to a page without view restrictions. Logged-in users, previews (admin URLs)
and everything else go through Django as usual.

Two middleware share the work. AnonymousPageCacheMiddleware, after authentication and
messages, decides which responses may be kept (a Wagtail page, an anonymous visitor, no
message). PageCacheMiddleware, near the top of MIDDLEWARE, stores them with every header the
middleware below it added (Vary, Content-Language, X-Frame-Options), and serves a request that
carries neither a session nor a messages cookie straight from the cache: such a visitor cannot
be logged in nor have a message waiting, so sessions, locale, CSRF, authentication and
redirects need not run. That is most of the cost of a hit (docs/benchmarks.md, "HTTP load").

Invalidation is by generation: each entry records a number that any change to published
content replaces (publish, unpublish, move, delete, a page or snippet saved, a translation
published, images, documents, sites, locales, view restrictions), and is served only while that
number is current. The number and the entry are read in one round trip (get_many); an outdated
entry is replaced by the next rendering of its URL, or expires after PAGE_CACHE_SECONDS. With
Redis the number is shared by every app server, so a publish on one is seen by all on the next
request.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.translation import get_language, get_language_from_path
from wagtail import hooks
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
CACHE_STATUS_HEADER = "X-Page-Cache"
# Headers the cached copy leaves out. The outer middleware (security headers, CSP, session)
# adds its own headers again to every response, from the cache or not.
DROPPED_HEADERS = {"set-cookie", CACHE_STATUS_HEADER.lower()}
# django.contrib.messages' cookie (CookieStorage, the first store of FallbackStorage).
MESSAGES_COOKIE = "messages"


def cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


# --- Generation -----------------------------------------------------------------------------


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh (or evicted) number must never repeat an old one, or old entries would match.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    try:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:  # a cache outage must not stop editors from publishing
        logger.exception("Could not empty the page cache")


def invalidate_page_cache(**kwargs):
    """Empty the page cache now, and again when the transaction commits: a request served in
    between could have stored the content from before the change."""
    bump_generation()
    transaction.on_commit(bump_generation)


def _models_shown_on_pages():
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.snippets.models import get_snippet_models

    return (
        Page,
        PageViewRestriction,
        Site,
        Locale,
        AbstractImage,
        AbstractDocument,
        BaseSiteSetting,
        BaseGenericSetting,
        *get_snippet_models(),
    )


@receiver(post_save, dispatch_uid="page_cache_on_save")
@receiver(post_delete, dispatch_uid="page_cache_on_delete")
def invalidate_on_content_change(sender, instance, **kwargs):
    if isinstance(instance, _models_shown_on_pages()):
        invalidate_page_cache()


@receiver(page_published, dispatch_uid="page_cache_on_publish")
@receiver(page_unpublished, dispatch_uid="page_cache_on_unpublish")
@receiver(post_page_move, dispatch_uid="page_cache_on_move")
@receiver(page_slug_changed, dispatch_uid="page_cache_on_slug_change")
def invalidate_on_page_event(sender, **kwargs):
    invalidate_page_cache()


# --- Serving --------------------------------------------------------------------------------


@hooks.register("on_serve_page")
def mark_shareable_page(next_serve_page):
    """Let the middleware keep the response only for pages anyone may see: a page under a
    password or login restriction is never stored, even when this visitor passed it."""

    def serve(page, request, args, kwargs):
        if getattr(request, "page_cache_key", None):
            request.page_cache_shareable = not page.get_view_restrictions().exists()
        return next_serve_page(page, request, args, kwargs)

    return serve


def _has_messages(request):
    storage = getattr(request, "_messages", None)
    return storage is not None and (len(storage) > 0 or bool(storage._queued_messages))


def cache_key(request):
    # The language of the URL's prefix, as LocaleMiddleware will choose it: the same key is
    # then computed before that middleware has run (PageCacheMiddleware) and after it.
    language = get_language_from_path(request.path_info) or get_language()
    url = request.build_absolute_uri()
    digest = hashlib.sha256(f"{language}|{url}".encode()).hexdigest()
    return f"page-cache:{digest}"


def lookup(request):
    """(key, generation, entry): the entry is None unless one was stored for this URL and
    language under the current generation."""
    key = cache_key(request)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        return key, current_generation(), None
    entry = found.get(key)
    if entry is None or entry.get("generation") != generation:
        return key, generation, None
    return key, generation, entry


def _may_skip_the_session(request):
    """A visitor without a session or messages cookie is anonymous and has no message."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def _is_candidate(request):
    return (
        cache_seconds() > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not _has_messages(request)
    )


class PageCacheMiddleware:
    """Serves hits to visitors without a session, before the session, locale, CSRF and
    authentication middleware; stores what AnonymousPageCacheMiddleware marked as storable,
    with every header added below it. Place it above SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            cache_seconds() > 0
            and request.method in ("GET", "HEAD")
            and _may_skip_the_session(request)
        ):
            try:
                _key, _generation, cached = lookup(request)
            except Exception:  # without the cache, pages are simply rendered
                logger.exception("Page cache unavailable")
                cached = None
            if cached is not None:
                return _response_from(cached)
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key and _storable(request, response):
            # The generation read before rendering: a publish meanwhile outdates this copy.
            _store(key, request.page_cache_generation, response)
            response[CACHE_STATUS_HEADER] = "miss"
        return response


class AnonymousPageCacheMiddleware:
    """Marks anonymous visitors' Wagtail page views as cacheable, and serves hits to anonymous
    visitors who carry a session cookie (see the module's docstring). Place it after
    AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        if view_func is not serve or not _is_candidate(request):
            return None
        try:
            key, generation, cached = lookup(request)
        except Exception:  # without the cache, pages are simply rendered
            logger.exception("Page cache unavailable")
            return None
        if cached is None:
            request.page_cache_key, request.page_cache_generation = key, generation
            return None
        return _response_from(cached)


def _storable(request, response):
    cache_control = response.get("Cache-Control", "").lower()
    session = getattr(request, "session", None)
    return (
        request.method == "GET"
        and getattr(request, "page_cache_shareable", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not _has_messages(request)
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


def _store(key, generation, response):
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in DROPPED_HEADERS
    ]
    entry = {
        "generation": generation,
        "status": response.status_code,
        "content": response.content,
        "headers": headers,
    }
    try:
        cache.set(key, entry, timeout=cache_seconds())
    except Exception:
        logger.exception("Could not store a page in the cache")


def _response_from(entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response[CACHE_STATUS_HEADER] = "hit"
    return response
