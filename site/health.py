"""/health/: for load balancers and uptime monitors. Cheap, anonymous and never cached."""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CACHE_PROBE_KEY = "health:probe"


def database_is_up():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_is_up():
    """A round trip through the shared cache: what one worker writes, the others can read."""
    token = uuid.uuid4().hex
    cache.set(CACHE_PROBE_KEY, token, timeout=30)
    return cache.get(CACHE_PROBE_KEY) == token


CHECKS = {"database": database_is_up, "cache": cache_is_up}


@never_cache
@require_safe
def health(request):
    """200 {"status": "ok", ...} when every check passes, 503 naming the failed one otherwise."""
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            passed = check()
        except Exception:  # any failure of a backing service means "not ready", never a 500
            logger.exception("Health check %s failed", name)
            passed = False
        results[name] = {
            "status": "ok" if passed else "error",
            "milliseconds": round((time.perf_counter() - started) * 1000, 1),
        }
    healthy = all(result["status"] == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
