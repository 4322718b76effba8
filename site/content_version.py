"""Caching what every page shows (the menu, the footer, the home pages, the locales) until the
published content changes.

The key of each fragment holds the page cache's *generation* (`ngo_site.caching`), which any
change to published content replaces: publishing, unpublishing, moving or deleting a page, and
saving a page, snippet, image, document, locale, site or view restriction. Fragments of an old
generation are never read again and expire on their own.

This needs a cache that every process of the site shares (Redis, or a single process such as
the development server and the tests): with a per-process cache, a publication handled by one
gunicorn worker would not reach the fragments the other workers keep. `CACHE_IS_SHARED` says
which (docs/configuration.md); without it fragments are only remembered for one request.
"""

from django.conf import settings
from django.core.cache import cache

from .localisation import _memoised

# Cached fragments live at most this long even if nothing is published (seconds).
FRAGMENT_TIMEOUT = 60 * 60 * 24


def current():
    """The current generation of the published content, read once per request."""
    from .caching import current_generation

    return str(_memoised("content_generation", current_generation))


def cached(name, compute, *key_parts):
    """`compute()`, cached under `name` and `key_parts` for the current generation when the
    cache is shared, and in any case memoised for the rest of the request."""
    if not getattr(settings, "CACHE_IS_SHARED", False):
        return _memoised(("fragment", name, *key_parts), compute)
    key = ":".join(["fragment", name, current(), *(str(part) for part in key_parts)])

    def read():
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, FRAGMENT_TIMEOUT)
        return value

    return _memoised(("fragment", key), read)
