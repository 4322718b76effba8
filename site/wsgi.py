import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo_site.settings.production")


class ReadsTheWholeRequestBody:
    """Reads and drops the part of a request's body the site did not read, before answering.

    Many answers come before the body is read: a PUT to a page (405), a form post without its
    CSRF token (403). The server then closes the connection with the rest of the body unread,
    and TCP answers the data still arriving with a reset, which makes the client's upload fail
    before it reads the answer (RFC 9112 §9.6). gunicorn's graceful close reads at most 64 KB
    for that; a body of any size the site accepts (the proxy's limit, docs/deployment.md) is
    read here instead. Larger declared bodies are not: a client sending those gets the reset.
    """

    def __init__(self, app, limit):
        self.app = app
        self.limit = limit

    def __call__(self, environ, start_response):
        response = self.app(environ, start_response)
        body = environ.get("wsgi.input")
        try:
            declared = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if body is not None and (chunked or 0 < declared <= self.limit):
            read = 0
            try:
                while read <= self.limit and (chunk := body.read(65536)):
                    read += len(chunk)
            except Exception:  # The answer is made; a broken rest of the body cannot change it.
                pass
        return response


def _application():
    from django.conf import settings

    django_application = get_wsgi_application()
    # The proxy in front accepts bodies a little over the largest document (docs/deployment.md).
    return ReadsTheWholeRequestBody(
        django_application, settings.DOCUMENT_MAX_UPLOAD_SIZE * 11 // 10
    )


application = _application()
