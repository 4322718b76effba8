"""The site's absolute addresses: the address the visitor used, wherever the site is served.

Wagtail builds a page's full URL from its Site record (`Site.root_url`: hostname and port). A
site served on another address than its record says (the demo on 127.0.0.1:8000 with a record
of localhost:80, a site behind an HTTPS proxy with a record on port 80) would then print
canonical links, og:url, sitemaps, feeds and citations that lead nowhere. So, when there is a
request, a page of the request's own Site gets the request's scheme, host and port instead
(Django has checked the host against ALLOWED_HOSTS); pages of another Site keep that Site's
`root_url`, and without a request (emails, management commands) the Site record is used: the
demo loader sets it from `make demo`'s HOST and PORT (`load_demo --hostname --port`).

`ngo_site.models.BasePage.get_url_parts` applies this, so Wagtail's own `get_full_url(request)`
(sitemaps, feeds, citations) follows it; `page_full_url` does it for any page, including
plain `Page` instances that are not of our page types.
"""

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from wagtail.models import Site


def request_origin(request):
    """ "scheme://host[:port]" of the request, or None (no request, or a host Django refuses)."""
    if not isinstance(request, HttpRequest):
        return None
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return None


def on_request_origin(url_parts, request):
    """Wagtail's `(site_id, root_url, page_path)` with the request's origin as root URL when the
    page belongs to the request's Site; unchanged otherwise."""
    if url_parts is None or url_parts[1] is None:
        return url_parts
    origin = request_origin(request)
    if origin is None:
        return url_parts
    site_id, _root_url, page_path = url_parts
    site = Site.find_for_request(request)
    if site is None or site.pk != site_id:
        return url_parts
    return site_id, origin, page_path


def page_full_url(page, request=None):
    """The absolute URL of `page` (any Page), or None when it is not routable."""
    url_parts = on_request_origin(page.get_url_parts(request=request), request)
    if url_parts is None or url_parts[1] is None or url_parts[2] is None:
        return None
    return url_parts[1] + url_parts[2]


def absolute_url(url, request=None):
    """`url` (e.g. a document's or an image rendition's, "/documents/3/report.pdf") made absolute:
    on the request's origin, else on the default Site's root URL. Absolute URLs (media on
    another host) are returned as they are."""
    if not url or "://" in url:
        return url
    if request_origin(request) is not None:
        return request.build_absolute_uri(url)
    site = Site.objects.filter(is_default_site=True).first()
    return f"{site.root_url}{url}" if site is not None else url
