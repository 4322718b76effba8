"""A cache of the Wagtail pages anonymous visitors read, emptied whenever content changes.

Only anonymous GET and HEAD requests of Wagtail pages are served from it, and only 200
responses are kept, when they set no cookie, used no CSRF token (a page with a form), carried no
message, and belong to a page without view restrictions. Logged-in users, previews (admin URLs)
and everything else go through Django as usual.

Invalidation is by generation: each key includes a number that any change to published
content replaces (publish, unpublish, move, delete, a page or snippet saved, a translation
published, images, documents, sites, locales, view restrictions). Old entries are never read
again and expire after PAGE_CACHE_SECONDS. With Redis the number is shared by every app server,
so a publish on one is seen by all on the next request.
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
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
CACHE_STATUS_HEADER = "X-Page-Cache"
# Headers the cached copy leaves out. The outer middleware (security headers, CSP, session)
# adds its own headers again to every response, from the cache or not.
DROPPED_HEADERS = {"set-cookie", CACHE_STATUS_HEADER.lower()}


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
    url = request.build_absolute_uri()
    digest = hashlib.sha256(f"{get_language()}|{url}".encode()).hexdigest()
    return f"page-cache:{current_generation()}:{digest}"


def _is_candidate(request):
    return (
        cache_seconds() > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not _has_messages(request)
    )


class AnonymousPageCacheMiddleware:
    """Serves and stores anonymous visitors' Wagtail pages (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key and self._storable(request, response):
            self._store(key, response)
            response[CACHE_STATUS_HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        if view_func is not serve or not _is_candidate(request):
            return None
        try:
            key = cache_key(request)
            cached = cache.get(key)
        except Exception:  # without the cache, pages are simply rendered
            logger.exception("Page cache unavailable")
            return None
        if cached is None:
            request.page_cache_key = key
            return None
        return self._response_from(cached)

    @staticmethod
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

    @staticmethod
    def _store(key, response):
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in DROPPED_HEADERS
        ]
        entry = {"status": response.status_code, "content": response.content, "headers": headers}
        try:
            cache.set(key, entry, timeout=cache_seconds())
        except Exception:
            logger.exception("Could not store a page in the cache")

    @staticmethod
    def _response_from(entry):
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response[CACHE_STATUS_HEADER] = "hit"
        return response
