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

When the cache does not answer, fragments are computed for each request as if it were not
shared (ngo_site.caching.guarded logs the outage once): a Redis outage slows pages, never
fails them.
"""

import uuid

from django.conf import settings
from django.core.cache import cache

from .localisation import _memoised

# Cached fragments live at most this long even if nothing is published (seconds).
FRAGMENT_TIMEOUT = 60 * 60 * 24


# The prefix of a generation made up for one request while the cache is unavailable.
UNAVAILABLE = "unavailable-"


def current():
    """The current generation of the published content, read once per request. While the
    cache is unavailable, a value of this request alone: what other processes publish cannot
    be followed then, so nothing keyed on it (e.g. the library's universes) is reused."""
    return _memoised("content_generation", _generation_or_unique)


def _generation_or_unique():
    from .caching import current_generation

    generation = current_generation()
    return UNAVAILABLE + uuid.uuid4().hex if generation is None else str(generation)


def cached(name, compute, *key_parts):
    """`compute()`, cached under `name` and `key_parts` for the current generation when the
    cache is shared (and answers), and in any case memoised for the rest of the request."""
    from .caching import guarded

    generation = current() if getattr(settings, "CACHE_IS_SHARED", False) else UNAVAILABLE
    if generation.startswith(UNAVAILABLE):
        return _memoised(("fragment", name, *key_parts), compute)
    key = ":".join(["fragment", name, generation, *(str(part) for part in key_parts)])

    def read():
        value = guarded(lambda: cache.get(key))
        if value is None:
            value = compute()  # outside `guarded`: an error of the page itself is not hidden
            guarded(lambda: cache.set(key, value, FRAGMENT_TIMEOUT))
        return value

    return _memoised(("fragment", key), read)
