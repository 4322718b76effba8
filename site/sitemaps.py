"""One sitemap per language, each URL listing its translations as hreflang alternates.

Wagtail's own sitemap walks the site's root page only, i.e. the English tree: the French tree
(a sibling of the English home page under Wagtail's root) would be missing. Here
`/sitemap.xml` is an index of `/sitemap-<language>.xml`, one per locale that has a home page,
and every URL carries `<xhtml:link rel="alternate" hreflang>` for each live translation of the
page plus `x-default` (the default language's version), as search engines expect.

Queries are bounded: one for the pages of the sitemap page, one for all their translations.
"""

from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import views as django_sitemap_views
from django.http import Http404
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from .addresses import absolute_url, page_full_url
from .localisation import locales_by_language
from .visibility import private_sections


class LocaleSitemap(Sitemap):
    """The live public pages of one language's tree of the current site."""

    def __init__(self, request, language_code):
        super().__init__(request)
        self.language_code = language_code

    def home_page(self):
        site_root = self.get_wagtail_site().root_page
        locale = locales_by_language().get(self.language_code)
        if locale is None:
            return None
        return (
            Page.objects.live()
            .filter(translation_key=site_root.translation_key, locale=locale)
            .first()
        )

    def items(self):
        home = self.home_page()
        if home is None:
            return Page.objects.none()
        return (
            home.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        alternates = translation_alternates(self.request, pages)
        urls = []
        last_mods = set()
        for item in pages:
            for url_info in item.get_sitemap_urls(self.request):
                url_info["alternates"] = alternates.get(item.translation_key, [])
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def translation_alternates(request, pages):
    """{translation_key: [{"lang_code", "location"}, ...]} for the live translations of `pages`,
    with x-default pointing to the default language's version when it exists."""
    language_of = {locale.pk: code for code, locale in locales_by_language().items()}
    keys = {page.translation_key for page in pages}
    found = defaultdict(dict)
    translations = private_sections().exclude_from(
        Page.objects.live().filter(translation_key__in=keys).defer_streamfields()
    )
    for translated in translations:
        code = language_of.get(translated.locale_id)
        if code is not None:
            found[translated.translation_key][code] = translated
    return {key: alternate_links(request, by_language) for key, by_language in found.items()}


def alternate_links(request, by_language):
    """[{"lang_code", "location"}, ...] for {language_code: page}, in the site's language order,
    then x-default: the default language's version, when it exists."""
    links = [
        {"lang_code": code, "location": page_full_url(by_language[code], request)}
        for code, _name in settings.LANGUAGES
        if code in by_language
    ]
    if settings.LANGUAGE_CODE in by_language:
        links.append(
            {
                "lang_code": "x-default",
                "location": page_full_url(by_language[settings.LANGUAGE_CODE], request),
            }
        )
    return links


def locale_sitemaps(request):
    return {
        code: LocaleSitemap(request, code)
        for code, _name in settings.LANGUAGES
        if code in locales_by_language()
    }


def sitemap_index(request):
    response = django_sitemap_views.index(
        request, locale_sitemaps(request), sitemap_url_name="sitemap-language"
    )
    # Django writes the request's host into each location; the site's public address instead
    # (ngo_site.addresses), before the response is rendered.
    for item in response.context_data["sitemaps"]:
        parts = urlsplit(item.location)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        item.location = absolute_url(path, request)
    return response


def sitemap_for_language(request, section):
    sitemaps = locale_sitemaps(request)
    if section not in sitemaps:
        raise Http404("No sitemap for this language.")
    return django_sitemap_views.sitemap(request, sitemaps, section=section)
