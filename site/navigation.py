"""Queries behind the header, footer and language switcher, kept out of templates.

Each runs a fixed number of queries whatever the size of the site. What is the same on every
page (the home pages, the menu, the footer) is cached for the current content version
(`content_version`), so a page view usually reads none of it from the database; locales come
from the per-request memo in `localisation`.
"""

from django.conf import settings
from django.utils import translation
from wagtail.models import Page, Site

from . import content_version
from .localisation import active_locale, locales_by_language
from .models import FooterContent
from .visibility import private_sections


def _site(request):
    return Site.find_for_request(request)


def home_translations(request):
    """{language_code: live home page} for the request's site."""

    site = _site(request)
    if site is None:
        return {}

    def compute():
        root_key = Page.objects.filter(pk=site.root_page_id).values("translation_key")
        translations = Page.objects.live().filter(translation_key__in=root_key)
        by_locale_id = {page.locale_id: page for page in translations}
        return {
            code: by_locale_id[locale.pk]
            for code, locale in locales_by_language().items()
            if locale.pk in by_locale_id
        }

    return content_version.cached("home_translations", compute, site.pk)


def site_home(request):
    """The home page in the visitor's language, or the default language's home page."""
    homes = home_translations(request)
    return homes.get(translation.get_language()) or homes.get(settings.LANGUAGE_CODE)


def primary_navigation(request):
    """The home page's children flagged "show in menus", in the visitor's language."""
    home = site_home(request)
    if home is None:
        return []

    def compute():
        return list(private_sections().exclude_from(home.get_children().live().in_menu()))

    return content_version.cached("primary_navigation", compute, home.pk)


def footer_content():
    """The footer of the active language, or of the default language when it has none."""
    locales = locales_by_language()
    wanted = [active_locale().pk]
    default = locales.get(settings.LANGUAGE_CODE)
    if default is not None:
        wanted.append(default.pk)

    def compute():
        footers = {
            footer.locale_id: footer for footer in FooterContent.objects.filter(locale__in=wanted)
        }
        # A tuple, so that "no footer" is cached too (the cache cannot tell None from a miss).
        return (next((footers[pk] for pk in wanted if pk in footers), None),)

    return content_version.cached("footer", compute, *wanted)[0]


def organisation_name(request=None):
    """The organisation's name, for citations and feeds: the footer's (in the visitor's language,
    "WIEGO – Women in Informal Employment: Globalizing and Organizing"), else the site's name."""
    footer = footer_content()
    if footer is not None and footer.organisation_name:
        return footer.organisation_name
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return (site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME


def language_links(request, page=None):
    """One link per language: the translation of `page` when it exists and is live, otherwise
    that language's home page (or no link when the language has no home page yet)."""
    current = translation.get_language()
    locales = locales_by_language()
    homes = home_translations(request)
    translations = {}
    if isinstance(page, Page) and page.pk:
        translations = homes if page.depth <= 2 else live_translations(page)
    links = []
    for code, _name in settings.LANGUAGES:
        if code not in locales:
            continue
        target = translations.get(code)
        is_translation = target is not None
        target = target or homes.get(code)
        if target is None:
            continue
        links.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": target.get_url(request),
                "is_current": code == current,
                "is_translation": is_translation,
            }
        )
    return links


def live_translations(page):
    """{language_code: page} for the live translations of `page` (itself included), for the
    language switcher and the hreflang links."""

    def compute():
        language_of = {locale.pk: code for code, locale in locales_by_language().items()}
        translations = Page.objects.live().filter(translation_key=page.translation_key)
        return {
            language_of[translated.locale_id]: translated
            for translated in translations.defer_streamfields()
            if translated.locale_id in language_of
        }

    # Kept until the content changes (content_version): publishing or unpublishing any page
    # replaces the generation, so a new or withdrawn translation shows at once.
    return content_version.cached("live_translations", compute, page.translation_key)
