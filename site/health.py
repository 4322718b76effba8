"""/health/: for load balancers and uptime monitors. Cheap, anonymous and never cached.

The database is required: without it the site can only show its 503 page, so /health/ answers
503 and a load balancer takes the server out. The cache is not: while Redis is down every page
is still served (django-redis answers as a miss), so /health/ answers 200 with "status":
"degraded" and the failed check marked "error". A load balancer that took every server out
because of Redis would turn slower pages into no pages; monitoring reads the body to alert.
"""

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


# name: (check, whether the site can serve pages without it)
CHECKS = {"database": (database_is_up, False), "cache": (cache_is_up, True)}


@never_cache
@require_safe
def health(request):
    """200 "ok" when every check passes, 200 "degraded" when only an optional one fails, 503
    "error" when a required one fails; each check is named with its result and duration."""
    results = {}
    required_failed = optional_failed = False
    for name, (check, optional) in CHECKS.items():
        started = time.perf_counter()
        try:
            passed = check()
        except Exception:  # any failure of a backing service means "not ready", never a 500
            logger.exception("Health check %s failed", name)
            passed = False
        if not passed:
            if optional:
                optional_failed = True
                logger.warning("Health check %s failed: the site runs without it", name)
            else:
                required_failed = True
        results[name] = {
            "status": "ok" if passed else "error",
            "milliseconds": round((time.perf_counter() - started) * 1000, 1),
        }
    if required_failed:
        status = "error"
    elif optional_failed:
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "checks": results}, status=503 if required_failed else 200
    )
