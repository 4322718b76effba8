"""Queries behind the header, footer and language switcher, kept out of templates."""

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from .models import FooterContent


def site_home(request):
    """The home page in the visitor's language, or the default language's home page."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    localized = root.localized
    return localized if localized.live else root


def primary_navigation(request):
    """The home page's children flagged "show in menus", in the visitor's language."""
    home = site_home(request)
    if home is None:
        return []
    return list(
        home.get_children()
        .live()
        .public()
        .in_menu()
        .only("id", "title", "url_path", "path", "depth", "locale_id")
    )


def footer_content():
    active = Locale.get_active()
    footers = FooterContent.objects.filter(
        locale__language_code__in={active.language_code, settings.LANGUAGE_CODE}
    )
    by_language = {
        footer.locale.language_code: footer for footer in footers.select_related("locale")
    }
    return by_language.get(active.language_code) or by_language.get(settings.LANGUAGE_CODE)


def language_links(request, page=None):
    """One link per language: the translation of `page` when it exists and is live, otherwise
    that language's home page (or no link when the language has no home page yet)."""
    current = translation.get_language()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    translations = {}
    if isinstance(page, Page) and page.pk:
        for translated in (
            Page.objects.filter(translation_key=page.translation_key)
            .live()
            .select_related("locale")
        ):
            translations[translated.locale.language_code] = translated
    home = None
    homes = {}
    site = Site.find_for_request(request)
    if site is not None:
        home = site.root_page
        for translated in (
            Page.objects.filter(translation_key=home.translation_key)
            .live()
            .select_related("locale")
        ):
            homes[translated.locale.language_code] = translated
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
