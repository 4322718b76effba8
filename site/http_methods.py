"""The HTTP methods the site answers.

TRACE (and CONNECT, which only proxies have a use for) answer 405 everywhere: TRACE echoes the
request, cookies included, which is what cross-site tracing abuses.

Wagtail's page view (the URL named wagtail_serve) renders the page for whatever method it is
given, so OPTIONS, PUT or DELETE on a page got the page and a 200. Pages answer GET, HEAD and
POST (a form page, a password form); anything else gets 405 with the Allow header (RFC 9110
§15.5.6). OPTIONS gets what the standard asks of it (§9.3.7) and what Django's class-based
views send: 200, the Allow header, no body.
"""

from django.http import HttpResponse, HttpResponseNotAllowed

REFUSED_EVERYWHERE = {"TRACE", "CONNECT"}
PAGE_METHODS = ["GET", "HEAD", "OPTIONS", "POST"]


def options_response(allowed):
    response = HttpResponse(status=200)
    response["Allow"] = ", ".join(allowed)
    response["Content-Length"] = "0"
    return response


class HttpMethodMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in REFUSED_EVERYWHERE:
            return HttpResponseNotAllowed(PAGE_METHODS)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.url_name != "wagtail_serve":
            return None
        if request.method == "OPTIONS":
            return options_response(PAGE_METHODS)
        if request.method not in PAGE_METHODS:
            return HttpResponseNotAllowed(PAGE_METHODS)
        return None
