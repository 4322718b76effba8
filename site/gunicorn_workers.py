"""gunicorn workers that answer the requests gunicorn itself refuses with the site's error pages.

gunicorn's HTTP parser refuses some requests before Django sees them: a control character in a
header value, an invalid header name, a request line or headers over its limits, a malformed
chunked body. gunicorn then writes its own bare page ("<h1><p>Bad Request</p></h1>") from the
worker's handle_error. These workers (set with gunicorn's documented `worker_class` setting in
gunicorn.conf.py: "a subclass of gunicorn.workers.base.Worker") let gunicorn's handle_error run
as it is, so its status (400, 414, 431…), its warning and its access-log line are unchanged, and
replace only the page it writes: the status line gunicorn chose, then the site's page for that
class of status (the 400 page for every client error but 403, the 403 page, the 500 page). The
connection is closed afterwards, as gunicorn always does after such an error.

The pages are rendered once per worker, when it starts (load_wsgi, after the fork, so that no
database connection is shared between processes), in the site's default language. The 400 and
403 pages have the site's layout and need the database; should it be unreachable then, they
are rendered at the first refused request instead, and until they can be, gunicorn's own page
is sent (the 500 page needs no database).
"""

import re

from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3}) ([^\r\n]*)\r\n")
# The site's page for each class of status gunicorn answers with.
PAGE_FOR_STATUS = {403: "403", 500: "500"}
DEFAULT_PAGE = "400"


def render_site_error_pages():
    """{"400": bytes, "403": bytes, "500": bytes}: the site's error pages for a request to the
    site's root in the default language, as ngo_site.views renders them."""
    from io import BytesIO

    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.core.handlers.wsgi import WSGIRequest
    from django.db import connections
    from django.utils import translation

    from . import views

    host = next(
        (name for name in settings.ALLOWED_HOSTS if name != "*" and not name.startswith(".")),
        "localhost",
    )
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": host,
            "SERVER_PORT": "443",
            "HTTP_HOST": host,
            "wsgi.url_scheme": "https",
            "wsgi.input": BytesIO(),
        }
    )
    request.user = AnonymousUser()
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return {
                "400": views.bad_request(request).content,
                "403": views.permission_denied(request).content,
                "500": views.server_error(request).content,
            }
    finally:
        # The worker's requests open their own connection.
        connections.close_all()


class CapturedResponse:
    """Stands for the client's socket while gunicorn writes its error response: what gunicorn
    sends is kept here instead; everything else goes to the socket."""

    def __init__(self, sock):
        self.sock = sock
        self.written = b""

    def sendall(self, data):
        self.written += data

    def __getattr__(self, name):
        return getattr(self.sock, name)


def site_response(gunicorn_response, pages):
    """The response to send instead of gunicorn's: its status line, the site's page."""
    match = STATUS_LINE.match(gunicorn_response)
    if match is None:
        return gunicorn_response
    status = int(match[1])
    body = pages[PAGE_FOR_STATUS.get(status, DEFAULT_PAGE)]
    head = (
        match[0]
        + b"Connection: close\r\n"
        + b"Content-Type: text/html; charset=utf-8\r\n"
        + b"X-Content-Type-Options: nosniff\r\n"
        + b"Cache-Control: no-store\r\n"
        + b"Content-Length: %d\r\n\r\n" % len(body)
    )
    return head + body


class SitePagesMixin:
    site_error_pages = None

    def load_wsgi(self):
        super().load_wsgi()
        self.render_site_error_pages()

    def render_site_error_pages(self):
        if self.site_error_pages is None:
            try:
                self.site_error_pages = render_site_error_pages()
            except Exception:
                self.log.exception("The site's error pages could not be rendered")
        return self.site_error_pages

    def handle_error(self, req, client, addr, exc):
        pages = self.render_site_error_pages()
        if pages is None:
            return super().handle_error(req, client, addr, exc)
        captured = CapturedResponse(client)
        super().handle_error(req, captured, addr, exc)
        if captured.written:
            try:
                # Blocking, as the worker writes every response: the page is larger than
                # gunicorn's, more than a non-blocking write may take at once.
                client.sendall(site_response(captured.written, pages))
            except Exception:
                self.log.debug("Failed to send error message.")
        return None


# Not named "…SyncWorker": gunicorn swaps a class so named for its ThreadWorker when threads > 1.
class SyncWorkerWithSitePages(SitePagesMixin, SyncWorker):
    pass


class ThreadWorkerWithSitePages(SitePagesMixin, ThreadWorker):
    pass
