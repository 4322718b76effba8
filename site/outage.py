"""A database outage answers "503 Service Unavailable", not a server error.

When PostgreSQL restarts or is unreachable, every request that needs it fails with
django.db.OperationalError or InterfaceError. Those are not bugs: the visitor gets a short page
in their language (templates/503.html, rendered without the database) with `Retry-After`, and
load balancers and caching proxies see a status that means "try again soon". The site recovers
by itself: CONN_HEALTH_CHECKS (site/settings/base.py) makes each worker test its persistent
connection at the start of a request and open a new one once the database is back.

Django turns an exception raised anywhere below a middleware into a 500 response before that
middleware sees it, so the exception is noted on the request when Django reports it
(`got_request_exception`) and DatabaseOutageMiddleware, near the top of MIDDLEWARE, replaces
that 500 response with the 503 page. Errors are still logged by django.request as usual.
"""

import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import loader
from django.utils import translation

_OUTAGE_MARK = "_database_outage"


def retry_after_seconds():
    return getattr(settings, "OUTAGE_RETRY_AFTER_SECONDS", 5)


# SQLSTATE classes and codes of a database that cannot serve: connection exceptions (08),
# insufficient resources such as too many connections (53), and shutdown or start-up (57P0x).
OUTAGE_SQLSTATE_CLASSES = ("08", "53")
OUTAGE_SQLSTATES = ("57P01", "57P02", "57P03")
# SQLite's own messages for a database it cannot use at the moment.
SQLITE_OUTAGE_MESSAGES = ("unable to open database", "database is locked", "disk i/o error")


def is_database_outage(error):
    """Whether `error` means the database is unreachable, not that a query is wrong: a bug
    (e.g. an SQL syntax error, also an OperationalError on SQLite) stays a server error."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if cause is None:
        # Not from a database driver (Django wraps every driver error with its cause): the
        # error says nothing about the database being reachable.
        return False
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return sqlstate[:2] in OUTAGE_SQLSTATE_CLASSES or sqlstate in OUTAGE_SQLSTATES
    if type(cause).__module__.startswith("sqlite3"):
        return any(message in str(cause).lower() for message in SQLITE_OUTAGE_MESSAGES)
    # psycopg reports a refused or lost connection without any SQLSTATE.
    return True


@receiver(got_request_exception, dispatch_uid="note_database_outage")
def note_database_outage(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if request is not None and is_database_outage(error):
        setattr(request, _OUTAGE_MARK, True)


def service_unavailable(request):
    """The 503 page, in the language of the URL's prefix; no context processor, no query."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        content = loader.get_template("503.html").render(
            {"LANGUAGE_CODE": language, "retry_after": retry_after_seconds()}
        )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(retry_after_seconds())
    # Neither the browser nor a proxy may keep the outage page in place of the real one.
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


class DatabaseOutageMiddleware:
    """Replaces the 500 response of a request that failed on the database with the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _OUTAGE_MARK, False):
            return service_unavailable(request)
        return response
