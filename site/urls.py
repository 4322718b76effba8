from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import hooks
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import health, not_translated, private_files, robots, search_views, sitemaps

urlpatterns = [
    # For load balancers: checks the database and the cache (site/health.py).
    path("health/", health.health, name="health"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Renditions of images that are not public, after the checks of ngo_site.private_files.
    path(
        "images/<str:signature>/<int:image_id>/<str:filter_spec>/",
        private_files.serve_private_image,
        name="private_image",
    ),
    # An index of one sitemap per language, with hreflang alternates (site/sitemaps.py).
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemaps.sitemap_for_language, name="sitemap-language"),
    # For crawlers: the public site, not the admin nor the documents; names the sitemap index.
    path("robots.txt", robots.robots_txt, name="robots_txt"),
    path("i18n/setlang/", set_language, name="set_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    from .private_files import serve_public_media

    # Uploaded media as the production proxy serves them: never the documents (served at
    # /documents/ after their checks) nor the original images (ngo_site.private_files).
    urlpatterns += static(
        settings.MEDIA_URL, view=serve_public_media, document_root=settings.MEDIA_ROOT
    )

# Everything a visitor reads lives under a language prefix: /en/..., /fr/...
# LocaleMiddleware sends `/` to the prefix that best matches the browser's Accept-Language.
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    # Where the language switcher leads from a page not translated into the language.
    path("not-translated/", not_translated.not_translated, name="not_translated"),
    # The domain apps' own views, registered with the hook `ngo_site_visitor_urls` (a function
    # returning URL patterns): the contact and newsletter forms (partnerships/wagtail_hooks.py),
    # the library's feed and citation downloads (resources/wagtail_hooks.py). Before Wagtail's
    # catch-all, which would take any path.
    *[path("", include(register())) for register in hooks.get_hooks("ngo_site_visitor_urls")],
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

# Our own error pages, which never read the request's body (see ngo_site.views).
handler400 = "ngo_site.views.bad_request"
handler403 = "ngo_site.views.permission_denied"
handler404 = "ngo_site.views.page_not_found"
handler500 = "ngo_site.views.server_error"
