"""`/robots.txt`: crawlers may read the public site and its published documents (the library's
PDFs are what people search for; private ones are refused by ngo_site.private_files), not the
admin, and are told where the sitemap index is (site/sitemaps.py), as an absolute URL on the
site's public address (ngo_site.addresses).

It lives at the root, outside the language prefixes (crawlers only ask for `/robots.txt`), and
reads nothing from the database.
"""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .addresses import absolute_url

DISALLOWED = ("/admin/",)


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["Allow: /", "", f"Sitemap: {absolute_url(reverse('sitemap'), request)}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
