"""Queries behind the header, footer and language switcher, kept out of templates.

Each runs a fixed number of queries whatever the size of the site, once per request (the
per-request memo of `localisation`). Across requests the markup they feed is kept by the
`{% wagtailcache %}` fragments of templates/base.html (ngo_site.page_cache).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse, translate_url
from django.utils import translation
from wagtail.models import Page, Site

from .localisation import active_locale, default_locale, locales_by_language, memoised
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

    return memoised(("home_translations", site.pk), compute)


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

    return memoised(("primary_navigation", home.pk), compute)


def footer_content():
    """The footer of the active language, or of the default language when it has none."""
    wanted = [active_locale().pk, default_locale().pk]

    def compute():
        footers = {
            footer.locale_id: footer for footer in FooterContent.objects.filter(locale__in=wanted)
        }
        return next((footers[pk] for pk in wanted if pk in footers), None)

    return memoised(("footer", *wanted), compute)


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
    """One link per language that keeps the visitor's place:

    - on a page, its live translation, with the query parameters the page reads (a filtered
      library's search and filters: facet values are translation keys, the same in every
      language; `query_parameters` on the page class) except the page number;
    - on a page not translated into a language, a page in that language that says so and
      offers the original and the closest translated ancestor (ngo_site.not_translated), marked
      `is_translation=False`; on a restricted page (which that page does not show), the
      closest ancestor translated (the other language's library for a resource, the programme
      for a project), with its title so the link says where it goes; the home page at worst;
    - on a view of ours (site search, the contact form), the same view in that language with
      its query string (Django's `translate_url`);

    no link when the language has no home page yet."""
    current = translation.get_language()
    locales = locales_by_language()
    homes = home_translations(request)
    translations = {}
    closest = {}
    is_page = isinstance(page, Page) and page.pk
    if is_page:
        translations = homes if page.depth <= 2 else live_translations(page)
        missing = [code for code in locales if code not in translations]
        if missing and page.depth > 2:
            closest = closest_translated_ancestors(page, missing)
    links = []
    for code, _name in settings.LANGUAGES:
        if code not in locales:
            continue
        target = translations.get(code)
        is_translation = target is not None
        target = target or closest.get(code) or homes.get(code)
        if target is None:
            continue
        explained = False
        if is_page and not is_translation and page.depth > 2 and private_sections().is_public(page):
            url = _not_translated_url(page, code)
            explained = True
        elif is_page or request is None:
            url = target.get_url(request)
            if is_translation:
                url += _kept_query(request, page)
        else:
            view_url = _translated_view_url(request, code)
            url = view_url or target.get_url(request)
            is_translation = view_url is not None
        links.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": url,
                "is_current": code == current,
                "is_translation": is_translation,
                "target_title": "" if is_translation or explained else target.title,
            }
        )
    return links


def _not_translated_url(page, code):
    """The page (ngo_site.not_translated) that says, in language `code`, that `page` is not
    translated into it, and offers the original and the closest translated section."""
    with translation.override(code):
        return reverse("not_translated") + "?" + urlencode({"page": page.pk})


def _kept_query(request, page):
    """ "?q=...&theme=..." of the request's parameters the page reads (its class's
    `query_parameters`), the page number left out; "" when there are none."""
    if request is None:
        return ""
    names = set(getattr(page.specific_class, "query_parameters", ())) - {"page"}
    kept = [(name, value) for name, value in request.GET.lists() if name in names]
    if not kept:
        return ""
    query = QueryDict(mutable=True)
    for name, values in kept:
        query.setlist(name, values)
    return "?" + query.urlencode()


def _translated_view_url(request, code):
    """The request's URL in language `code` when it is one of the site's own views under the
    language prefix (site search, the forms), with its query string; None otherwise."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name in (None, "wagtail_serve"):
        return None
    full_path = request.get_full_path()
    translated = translate_url(full_path, code)
    if translated == full_path and code != translation.get_language():
        return None  # not a view this language has
    return translated


def closest_translated_ancestors(page, language_codes):
    """{language_code: page}: for each language, the nearest ancestor of `page` under a home page
    with a live, public translation in it (the library for a resource). One query."""
    step = page.steplen
    # The ancestors' paths, below the home pages (depth 2), are prefixes of the page's own.
    paths = [page.path[: depth * step] for depth in range(3, page.depth)]
    if not paths:
        return {}
    locales = locales_by_language()
    wanted = {locales[code].pk: code for code in language_codes if code in locales}

    def compute():
        ancestor_keys = Page.objects.filter(path__in=paths).values("translation_key")
        candidates = private_sections().exclude_from(
            Page.objects.live()
            .filter(translation_key__in=ancestor_keys, locale_id__in=wanted)
            .defer_streamfields()
        )
        found = {}
        for candidate in candidates:
            code = wanted[candidate.locale_id]
            if code not in found or candidate.depth > found[code].depth:
                found[code] = candidate
        return found

    return memoised(("closest_translations", page.pk, *sorted(wanted.values())), compute)


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

    return memoised(("live_translations", page.translation_key), compute)
