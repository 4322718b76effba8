"""The caches of published content, and what empties them.

- **Pages**: wagtail-cache keeps anonymous visitors' Wagtail pages (the `pages` cache), through
  its hooks only Wagtail's page view (`is_request_cacheable`) and a 200 setting no cookie
  (`is_response_cacheable`); `PrivateResponseMiddleware` marks a response made for one visitor
  (logged in, a CSRF token, a message, a changed session, a restricted page) private, which
  wagtail-cache never stores.
- **Fragments**: Wagtail's `{% wagtailcache %}` keeps the costly parts of pages (menus, footer,
  a programme's lists) in the `template_fragments` cache; it skips previews.
- **Emptying**: any change to what pages show (a page published, unpublished, moved; a page,
  snippet, image, document, setting, site, locale or view restriction saved or deleted) empties
  both caches (wagtail-cache's `clear_cache`, Django's `clear()`), at the change and again when
  its transaction commits: a request served in between could store the content from before.
- **Proxies and browsers** (`SharedPageCacheControlMiddleware`): a shared page is sent with
  `max-age=0`, or `public, s-maxage` when Wagtail's frontend cache purge is configured.

A cache outage never fails a page: django-redis answers as a miss (IGNORE_EXCEPTIONS) and
wagtail-cache renders the page when its cache fails.
"""

import functools

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import SimpleLazyObject
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.views import serve as wagtail_serve
from wagtailcache.cache import clear_cache

CACHE_STATUS_HEADER = "X-Wagtail-Cache"


def clear_published_content_caches(**kwargs):
    clear_cache()
    caches["template_fragments"].clear()


def clear_now_and_on_commit(**kwargs):
    clear_published_content_caches()
    transaction.on_commit(clear_published_content_caches)


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


def clear_on_content_change(sender, instance, **kwargs):
    if isinstance(instance, _models_shown_on_pages()):
        clear_now_and_on_commit()


def connect_signals():
    """Called from the app's `ready()`."""
    post_save.connect(clear_on_content_change, dispatch_uid="published_caches_on_save")
    post_delete.connect(clear_on_content_change, dispatch_uid="published_caches_on_delete")
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(clear_now_and_on_commit, dispatch_uid=f"published_caches_on_{id(signal)}")


def lazily(compute, names):
    """{name: compute()[name]}, with `compute` run on the first use of any of them: a template
    whose fragment comes from the cache never runs the queries behind it."""
    computed = functools.cache(compute)
    return {name: SimpleLazyObject(lambda name=name: computed()[name]) for name in names}


# --- What wagtail-cache may keep (Wagtail hooks, registered in wagtail_hooks.py) -------------


def is_request_cacheable(request, is_cacheable):
    """Only anonymous visitors' GET and HEAD requests of Wagtail pages: other views (forms, the
    search, feeds, the admin's login) read query parameters the cache's key may leave out."""
    if not is_cacheable or len(messages.get_messages(request)) > 0:
        return False  # a message waiting is shown on a page rendered for this visitor
    return _serves_wagtail_pages(request.path_info, getattr(request, "urlconf", None))


# Asked on every request the page cache may answer, before Django resolves the URL itself:
# resolving it costs about a sixth of a cached page's time, and the answer for a path only
# changes with the code. Bounded, as the paths are the visitors' to choose.
@functools.lru_cache(maxsize=4096)
def _serves_wagtail_pages(path, urlconf):
    try:
        return resolve(path, urlconf).func is wagtail_serve
    except Resolver404:
        return False


def is_response_cacheable(response, is_cacheable):
    """A 200 that sets no cookie: a missing page is cheap to render again, and a made-up URL
    must not fill the cache."""
    return is_cacheable and response.status_code == 200 and not response.cookies


# --- Headers ----------------------------------------------------------------------------------


def _is_personal(request, response):
    storage = messages.get_messages(request)
    return (
        getattr(getattr(request, "user", None), "is_authenticated", False)
        or getattr(request, "is_preview", False)
        or getattr(request, "serves_restricted_content", False)
        or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        or bool(response.cookies)
        or getattr(getattr(request, "session", None), "modified", False)
        or getattr(storage, "used", False)
        or len(storage) > 0
    )


class PrivateResponseMiddleware(MiddlewareMixin):
    """Marks a response made for this visitor `private, no-cache`: wagtail-cache does not store
    it and no proxy keeps it. Place it below MessageMiddleware and wagtail-cache's
    UpdateCacheMiddleware; below FetchFromCacheMiddleware, a page-cache hit skips it."""

    def process_response(self, request, response):
        if _is_personal(request, response):
            patch_cache_control(response, private=True, no_cache=True)
        return response


class SharedPageCacheControlMiddleware(MiddlewareMixin):
    """wagtail-cache tells browsers to keep a page as long as its own cache does; a publication
    must show on the next request, so browsers check again each time, and only a CDN or proxy
    that Wagtail purges on publication (WAGTAILFRONTENDCACHE) may keep the page, or it would show
    outdated pages. Place it above wagtail-cache's UpdateCacheMiddleware."""

    def process_response(self, request, response):
        if response.get(CACHE_STATUS_HEADER) in ("hit", "miss"):
            if response.has_header("Expires"):
                del response["Expires"]
            purged = getattr(settings, "WAGTAILFRONTENDCACHE", None)
            seconds = getattr(settings, "FRONTEND_CACHE_SECONDS", 60) if purged else 0
            response["Cache-Control"] = (
                f"public, max-age=0, s-maxage={seconds}" if seconds else "max-age=0"
            )
        return response
