"""A Redis cache that a Redis outage cannot turn into errors: `ResilientRedisCache`.

Every part of the site that uses the cache (the page cache, the fragments of
ngo_site.content_version, Wagtail's own site-root cache behind every `page.url`, the forms' rate
limit) would otherwise fail its request with a 500 when Redis stops answering, and hang a
worker when Redis hangs. Here each call that fails with a Redis or socket error answers as a
cache miss would (`get` gives the default, `set` does nothing), the process logs one warning,
and for CACHE_RETRY_SECONDS the cache is not tried at all: a hung Redis costs a worker one
socket timeout (CACHE_SOCKET_TIMEOUT) every few seconds instead of one per call. The first call
that succeeds afterwards logs that the cache is back and runs the `on_recovery` callbacks (the
page cache replays a publication made during the outage).

Only the service failing is hidden: a programming error (a bad key, incr of a missing key)
still raises. This module imports nothing of Wagtail, so that settings can name it.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed

logger = logging.getLogger("ngo_site.caching")

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is in the requirements
    RedisError = OSError

# What a cache server that is down, unreachable or hung raises.
CACHE_ERRORS = (RedisError, OSError)


class CacheHealth:
    """Whether the cache answered lately, in this process."""

    lock = threading.Lock()
    down_until = 0.0  # time.monotonic() before which the cache is not tried again
    down = False
    failures = 0  # how many calls failed, ever: tells a caller whether its own call did
    on_recovery = []  # callables run once the cache answers again after an outage


def retry_seconds():
    return getattr(settings, "CACHE_RETRY_SECONDS", 5)


def is_usable():
    return time.monotonic() >= CacheHealth.down_until


def failures():
    return CacheHealth.failures


def failed(error):
    with CacheHealth.lock:
        CacheHealth.down_until = time.monotonic() + retry_seconds()
        first = not CacheHealth.down
        CacheHealth.down = True
        CacheHealth.failures += 1
    if first:
        # One line, not a traceback per request: the outage is the news, not the stack.
        logger.warning(
            "Cache unavailable (%s: %s); pages are rendered without it, retrying every %s s",
            type(error).__name__,
            error,
            retry_seconds(),
        )


def answered():
    """Note a call that succeeded; True when it ends an outage (the recovery callbacks have
    then run, after the call: what it read predates them and is not to be used)."""
    if not CacheHealth.down:
        return False
    with CacheHealth.lock:
        was_down, CacheHealth.down = CacheHealth.down, False
    if was_down:
        logger.warning("Cache available again")
        for callback in list(CacheHealth.on_recovery):
            callback()
    return was_down


def forget():
    """Start afresh, as after a restart (a new cache configured, in tests)."""
    CacheHealth.down_until, CacheHealth.down = 0.0, False


def _on_setting_changed(setting, **kwargs):
    if setting in ("CACHES", "CACHE_RETRY_SECONDS"):
        forget()


setting_changed.connect(_on_setting_changed, dispatch_uid="resilient_cache_on_settings_change")


def _resilient(name, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        if not is_usable():
            return fallback(*args, **kwargs)
        try:
            result = method(self, *args, **kwargs)
        except CACHE_ERRORS as error:
            failed(error)
            return fallback(*args, **kwargs)
        if answered():
            return fallback(*args, **kwargs)  # read before the recovery callbacks ran
        return result

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


def _default(key, default=None, *args, **kwargs):
    return default


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _keys_not_set(data, *args, **kwargs):
    return list(data)


def _computed(key, default, *args, **kwargs):
    return default() if callable(default) else default


def _delta(key, delta=1, *args, **kwargs):
    return delta


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering as a miss while Redis is unavailable (module docstring)."""

    get = _resilient("get", _default)
    get_many = _resilient("get_many", _empty)
    get_or_set = _resilient("get_or_set", _computed)
    has_key = _resilient("has_key", _false)
    set = _resilient("set", _none)
    add = _resilient("add", _false)
    touch = _resilient("touch", _false)
    set_many = _resilient("set_many", _keys_not_set)
    delete = _resilient("delete", _false)
    delete_many = _resilient("delete_many", _none)
    incr = _resilient("incr", _delta)
    clear = _resilient("clear", _false)
