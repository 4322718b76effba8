"""A version number of the published site, for caches that must never show stale content.

Anything cached about published content (the navigation, the footer, the locales) puts the
current version in its cache key. Publishing, unpublishing, moving or deleting a page, and
saving a snippet, a locale, a site or a view restriction, change the version: every such entry
is then missed and rebuilt on the next request, and the old ones expire on their own. This is
coarse on purpose: editors publish a few times an hour, visitors read thousands of times.

The version is a random token rather than a counter so that a cache that lost it (restart,
eviction) never hands out an old number again.
"""

import uuid

from django.core.cache import cache

from .localisation import _memoised

VERSION_KEY = "ngo:content-version"
# Cached fragments live at most this long even if nothing is published (seconds).
FRAGMENT_TIMEOUT = 60 * 60 * 24


def current():
    """The current version, read from the cache once per request."""

    def read():
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            version = cache.get(VERSION_KEY)
        return version

    return _memoised("content_version", read)


def bump(**_signal_kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def cached(name, compute, *key_parts):
    """`compute()`, cached under `name` and `key_parts` for the current content version (and
    memoised for the rest of the request)."""
    key = ":".join(["ngo", name, current(), *(str(part) for part in key_parts)])

    def read():
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, FRAGMENT_TIMEOUT)
        return value

    return _memoised(("cached", key), read)


def connect_signals():
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(bump, dispatch_uid="ngo_content_version_published")
    page_unpublished.connect(bump, dispatch_uid="ngo_content_version_unpublished")
    post_page_move.connect(bump, dispatch_uid="ngo_content_version_moved")
    post_save.connect(_bump_for_shown_models, dispatch_uid="ngo_content_version_saved")
    post_delete.connect(_bump_for_shown_models, dispatch_uid="ngo_content_version_deleted")


def _bump_for_shown_models(sender, **kwargs):
    """Pages count when deleted (saving a page is only a draft until published); snippets,
    locales, sites and view restrictions whenever they change. Snippets are looked up at signal
    time: Wagtail registers them lazily, after the apps are ready."""
    from wagtail.models import Locale, Page, PageViewRestriction, Site
    from wagtail.snippets.models import get_snippet_models

    if kwargs.get("raw"):
        return
    if issubclass(sender, Page):
        if "created" not in kwargs:
            bump()
    elif issubclass(sender, Locale | Site | PageViewRestriction) or sender in get_snippet_models():
        bump()
