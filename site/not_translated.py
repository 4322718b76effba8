"""The page the language switcher leads to from a page not translated into a language: it says
so, in that language, and offers the original and the closest section that is translated (the
other language's library for a resource), rather than dropping the visitor somewhere else
without a word."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from wagtail.models import Page

from .localisation import locales_by_language
from .navigation import closest_translated_ancestors, home_translations, live_translations
from .visibility import private_sections


def _public_live_page(raw_id):
    """The live, public page of id `raw_id` (a query parameter, so any text); 404 otherwise."""
    try:
        page_id = int(raw_id)
    except (TypeError, ValueError):
        raise Http404("No such page") from None
    # The tree's root (depth 1) is no page of the site.
    page = Page.objects.live().filter(pk=page_id, depth__gt=1).first()
    if page is None or not private_sections().is_public(page):
        raise Http404("No such page")
    return page


def not_translated(request):
    page = _public_live_page(request.GET.get("page"))
    language = translation.get_language()
    translations = live_translations(page)
    # A page of no site this request reaches (another host) has no URL: nothing to offer.
    if page.get_url(request) is None:
        raise Http404("No such page")
    translated_url = translations[language].get_url(request) if language in translations else None
    if translated_url:
        # Translated since the link was made (or the switcher back to the original's language).
        return redirect(translated_url)
    closest = closest_translated_ancestors(page, [language]).get(language)
    closest = closest or home_translations(request).get(language)
    original_language = next(
        (code for code, locale in locales_by_language().items() if locale.pk == page.locale_id),
        page.locale.language_code,
    )
    return render(
        request,
        "ngo_site/not_translated.html",
        {
            "original": page,
            "original_language": {
                "code": original_language,
                "name": translation.get_language_info(original_language)["name_local"],
            },
            "closest": closest,
        },
    )
