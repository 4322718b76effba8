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

The key is the language, the host, the path and only the query parameters some page reads
(`cached_query_parameters`): `?utm_source=…`, `?fbclid=…` or any made-up parameter share the
entry of the plain URL, so a random query string cannot force a fresh rendering nor fill the
cache. A page type stores responses only for the parameters it reads itself
(`cache_query_parameters` on its class, e.g. resources.models.LibraryPage).

A cache outage never fails a page: every read and write goes through `guarded` (and, with
Redis, the ResilientRedisCache backend of ngo_site.resilient_cache), which renders without the
cache instead, logs one warning when the cache stops answering, and then leaves it alone for
CACHE_RETRY_SECONDS, so that a hung Redis costs one worker one socket timeout every few seconds
rather than every request. A publication made meanwhile is replayed (the generation bumped)
once the cache answers again, so no page cached before it is served after.

Responses also tell caches in front of the site what they may keep (`cache_control`): a stored
page is `public` with `s-maxage` when a frontend cache purge is configured (WAGTAILFRONTENDCACHE),
and a logged-in, preview, form or restricted response is `private, no-cache`.
"""

import hashlib
import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.translation import get_language, get_language_from_path
from wagtail import hooks
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import resilient_cache

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


# --- Cache outages --------------------------------------------------------------------------


def guarded(operation, fallback=None):
    """`operation()`, or `fallback` when the cache fails or failed less than
    CACHE_RETRY_SECONDS ago. Only the cache call goes in `operation`, never the rendering.

    With Redis the backend (ngo_site.resilient_cache) already answers as a miss while Redis is
    down; this also covers any other backend, and tells a miss from an outage."""
    if not resilient_cache.is_usable():
        return fallback
    failures_before = resilient_cache.failures()
    try:
        result = operation()
    except Exception as error:  # any failure of the cache server or its client
        resilient_cache.failed(error)
        return fallback
    if resilient_cache.failures() != failures_before:  # the backend hid a failure
        return fallback
    if resilient_cache.answered():  # an outage ended: `result` predates the replayed bump
        return fallback
    return result


_bump_pending = False  # a publication happened while the cache was down, in this process


def _replay_bump():
    global _bump_pending
    if _bump_pending:
        _bump_pending = False
        bump_generation()


resilient_cache.CacheHealth.on_recovery.append(_replay_bump)


# --- Generation -----------------------------------------------------------------------------


def _read_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh (or evicted) number must never repeat an old one, or old entries would match.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def current_generation():
    """The current generation, or None when the cache is unavailable."""
    return guarded(_read_generation)


def bump_generation():
    global _bump_pending

    def bump():
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
        return True

    # A cache outage must not stop editors from publishing; the bump is replayed when the
    # cache answers again, or pages cached before this change would come back.
    if not guarded(bump, fallback=False):
        _bump_pending = True


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
        # Known without a query (ngo_site.serving keeps the site's restrictions).
        request.page_is_restricted = page.get_view_restrictions().exists()
        if getattr(request, "page_cache_key", None):
            request.page_cache_shareable = not request.page_is_restricted and (
                _reads_only_its_own_parameters(page, request)
            )
        return next_serve_page(page, request, args, kwargs)

    return serve


def _has_messages(request):
    storage = getattr(request, "_messages", None)
    return storage is not None and (len(storage) > 0 or bool(storage._queued_messages))


def query_parameters_of(page_class):
    """The query parameters whose values change what a page of this type shows: those it
    declares in `cache_query_parameters` (none by default)."""
    return tuple(getattr(page_class, "cache_query_parameters", None) or ())


_cached_parameters = None


def cached_query_parameters():
    """Every query parameter some page type reads: the only ones the cache key keeps."""
    global _cached_parameters
    if _cached_parameters is None:
        from wagtail.models import get_page_models

        _cached_parameters = frozenset(
            name for model in get_page_models() for name in query_parameters_of(model)
        )
    return _cached_parameters


def _kept_query(request):
    kept = cached_query_parameters()
    return [
        (name, value)
        for name in sorted(set(request.GET) & kept)
        for value in request.GET.getlist(name)
    ]


def _reads_only_its_own_parameters(page, request):
    """A response is stored under a key of the parameters it was asked with; a page that does
    not read one of them (`/about/?page=2`) would be stored under a key of its own for nothing,
    so it is rendered instead."""
    read = set(query_parameters_of(page.specific_class))
    return all(name in read for name, _value in _kept_query(request))


def cache_key(request):
    """The key of this request's page, or None when it cannot be cached (a Host outside
    ALLOWED_HOSTS, which Django answers with 400 further down)."""
    # The language of the URL's prefix, as LocaleMiddleware will choose it: the same key is
    # then computed before that middleware has run (PageCacheMiddleware) and after it.
    language = get_language_from_path(request.path_info) or get_language()
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    url = f"{request.scheme}://{host}{request.path}?{urlencode(_kept_query(request))}"
    digest = hashlib.sha256(f"{language}|{url}".encode()).hexdigest()
    return f"page-cache:{digest}"


def lookup(request):
    """(key, generation, entry): the entry is None unless one was stored for this URL and
    language under the current generation; the key is None when the page cannot be cached
    (a disallowed Host, or the cache unavailable)."""
    key = cache_key(request)
    if key is None:
        return None, None, None
    found = guarded(lambda: cache.get_many([GENERATION_KEY, key]))
    if found is None:
        return None, None, None
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
        return (key if generation is not None else None), generation, None
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
            _key, _generation, cached = lookup(request)
            if cached is not None:
                return _response_from(cached)
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key and _storable(request, response):
            # The generation read before rendering: a publish meanwhile outdates this copy.
            _set_cache_control(response, public=True)
            _store(key, request.page_cache_generation, response)
            response[CACHE_STATUS_HEADER] = "miss"
        elif _is_personal(request, response):
            _set_cache_control(response, public=False)
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
        key, generation, cached = lookup(request)
        if cached is None:
            if key is not None:
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


def frontend_cache_seconds():
    """How long a CDN or caching proxy may keep a page (s-maxage): only when it is told to
    purge pages on publication (WAGTAILFRONTENDCACHE), or it would show outdated pages."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return 0
    return getattr(settings, "FRONTEND_CACHE_SECONDS", 60)


def _is_personal(request, response):
    """A response made for this visitor: a logged-in user, a preview, a form (CSRF token), a
    restricted page or a cookie; no shared cache may keep it."""
    user = getattr(request, "user", None)
    return (
        (user is not None and user.is_authenticated)
        or getattr(request, "is_preview", False)
        or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        or bool(response.cookies)
        or getattr(request, "page_is_restricted", False)
    )


def _set_cache_control(response, public):
    if response.has_header("Cache-Control"):
        return  # the view said it itself (e.g. never_cache)
    if not public:
        response["Cache-Control"] = "private, no-cache"
    elif frontend_cache_seconds() > 0:
        response["Cache-Control"] = f"public, max-age=0, s-maxage={frontend_cache_seconds()}"
    else:
        # Browsers and proxies check again each time: only this site's cache keeps the page.
        response["Cache-Control"] = "max-age=0"


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
    guarded(lambda: cache.set(key, entry, timeout=cache_seconds()))


def _response_from(entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response[CACHE_STATUS_HEADER] = "hit"
    return response
