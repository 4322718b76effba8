"""The site's absolute addresses: the address the visitor used, wherever the site is served.

Wagtail builds a page's full URL from its Site record (`Site.root_url`: hostname and port). A
site served on another address than its record says (the demo on 127.0.0.1:8000 with a record
of localhost:80, a site behind an HTTPS proxy with a record on port 80) would then print
canonical links, og:url, sitemaps, feeds and citations that lead nowhere. So, when there is a
request, a page of the request's own Site gets the request's scheme, host and port instead
(Django has checked the host against ALLOWED_HOSTS); pages of another Site keep that Site's
`root_url`, and without a request (emails, management commands) the Site record is used: the
demo loader sets it from `make demo`'s HOST and PORT (`load_demo --hostname --port`).

In production the address is a setting instead, `SITE_URL`: then the request's Host header is
never used. `migrate` writes its host and port into the default Site record
(`site_record_follows_site_url`), so Wagtail's own `root_url` names it, and the root URL of the
record with SITE_URL's host and port is written as SITE_URL itself (its scheme: Wagtail writes
"http" for any port but 443). `manage.py check --deploy` warns when SITE_URL is not set.

`ngo_site.models.BasePage.get_url_parts` applies this, so Wagtail's own `get_full_url(request)`
(sitemaps, feeds, citations) follows it; `page_full_url` does it for any page, including
plain `Page` instances that are not of our page types.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
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


def host_and_port(url):
    parts = urlsplit(url)
    return parts.hostname, parts.port or {"http": 80, "https": 443}.get(parts.scheme)


def on_public_origin(url_parts, request):
    """Wagtail's `(site_id, root_url, page_path)` with the site's public address as root URL:
    SITE_URL for the Site record that names its host and port, when it is set; else the request's
    origin when the page belongs to the request's Site; unchanged otherwise."""
    if url_parts is None or url_parts[1] is None:
        return url_parts
    if settings.SITE_URL:
        if host_and_port(url_parts[1]) == host_and_port(settings.SITE_URL):
            return url_parts[0], settings.SITE_URL, url_parts[2]
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
    url_parts = on_public_origin(page.get_url_parts(request=request), request)
    if url_parts is None or url_parts[1] is None or url_parts[2] is None:
        return None
    return url_parts[1] + url_parts[2]


def absolute_url(url, request=None):
    """`url` (e.g. a document's or an image rendition's, "/documents/3/report.pdf") made absolute:
    on SITE_URL when it is set, else on the request's origin, else on the default Site's root
    URL. Absolute URLs (media on another host) are returned as they are."""
    if not url or "://" in url:
        return url
    if settings.SITE_URL:
        return f"{settings.SITE_URL}{url}"
    if request_origin(request) is not None:
        return request.build_absolute_uri(url)
    site = Site.objects.filter(is_default_site=True).first()
    return f"{site.root_url}{url}" if site is not None else url


def site_record_follows_site_url(sender, app_config=None, **kwargs):
    """After `migrate` (post_migrate, once, for this app): the default Site record gets SITE_URL's
    host and port, so that Wagtail, its admin and every address built without a request name
    the site's public address."""
    if not settings.SITE_URL or app_config is None or app_config.label != "ngo_site":
        return
    site = Site.objects.filter(is_default_site=True).first()
    hostname, port = host_and_port(settings.SITE_URL)
    if site is not None and (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save()


def check_site_url(app_configs, **kwargs):
    """`manage.py check --deploy`: without SITE_URL, absolute addresses follow each request's
    Host header, and emails sent without a request name the Site record, whatever it says."""
    if settings.SITE_URL:
        return []
    return [
        checks.Warning(
            "SITE_URL is not set: canonical links, sitemaps, feeds, citations and emails take "
            "the site's address from each request's Host header or from the Site record.",
            hint="Set SITE_URL to the public address, e.g. https://www.example.org "
            '(docs/deployment.md, "The site\'s public address").',
            id="ngo_site.W002",
        )
    ]
