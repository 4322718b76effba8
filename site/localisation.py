"""The site's one rule for content in several languages, and the locale look-ups of a request.

**The rule**: show each item in the visitor's language when it has a translation in it, else in
the language it was found in (usually the default language's original). For one object Wagtail
does it (`TranslatableMixin.localized`, `Page.localized`, a query or two each); for lists this
module does it in a fixed number of queries:

- `prefer_locale(rows, locale)`: rows already read (objects or `values_list` tuples), several per
  `translation_key`: one per key, the one in `locale` when there is one, else the first one read.
  No query. For "every term/funder/programme in the active or the default language" read in
  one query.
- `localized(objects, locale, translations)`: each object replaced by its translation in `locale`
  found in the queryset `translations` (live pages, public ones...), else kept. One query for the
  list, none when every object already is in `locale`.
- `untranslated(queryset, locale, translations)`: the rows of `queryset` with no translation in
  `locale` (a subquery, no query of its own): the originals a language lists in their own
  language (the library, the site search).

The apps' query modules call these; none writes the rule again.

**The memo**: Wagtail's `Locale.get_active()` (used by `Page.localized`) queries the database on
every call, and a page's header, footer and links call it many times.
`RequestLocaleMemoMiddleware` gives each request a small memo so the active locale and the locale
table are read once per request.
Outside a request (management commands, tests calling functions directly) nothing is memoised.
"""

from contextvars import ContextVar
from operator import attrgetter

from django.utils import translation
from wagtail.models import Locale, Page

_request_memo: ContextVar[dict | None] = ContextVar("ngo_request_memo", default=None)


class RequestLocaleMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


def _memoised(key, compute):
    memo = _request_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def locales_by_language():
    """{language_code: Locale} for every locale of the site, read once per request."""
    return _memoised(
        "locales", lambda: {locale.language_code: locale for locale in Locale.objects.all()}
    )


def active_locale():
    """The Locale of the language being rendered, falling back like Locale.get_active()."""
    code = translation.get_language()
    return locales_by_language().get(code) or _memoised(("active_locale", code), Locale.get_active)


# --- the rule --------------------------------------------------------------------------------

_TRANSLATION_KEY = attrgetter("translation_key")
_LOCALE_ID = attrgetter("locale_id")


def _locale_id(locale):
    if locale is None:
        return active_locale().pk
    return getattr(locale, "pk", locale)


def prefer_locale(rows, locale=None, *, key=_TRANSLATION_KEY, locale_of=_LOCALE_ID):
    """{key: row}, one row per translation key in the order keys are first read: the row in
    `locale` when there is one, else the first row read with that key. No query.

    `locale` is a Locale, a locale id or, by default, the active locale; `key` and `locale_of`
    read a row's translation key and locale (by default `.translation_key` and `.locale_id`;
    e.g. `itemgetter(0)` and `itemgetter(1)` for `values_list("translation_key", "locale_id",
    ...)` rows, or `locale_of` giving a language code with `locale` a language code)."""
    wanted = locale if isinstance(locale, str) else _locale_id(locale)
    chosen = {}
    for row in rows:
        row_key = key(row)
        if row_key not in chosen or locale_of(row) == wanted:
            chosen[row_key] = row
    return chosen


def _translations_of(objects, translations):
    if translations is not None:
        return translations
    queryset = type(objects[0])._default_manager.all()
    return queryset.live() if hasattr(queryset, "live") else queryset


def localized(objects, locale=None, translations=None):
    """`objects` (a list, in its order, same length), each replaced by its translation in `locale`
    (a Locale or id, the active locale by default) when `translations` has one, else itself: a
    French-only publication may be listed on the English site.

    `translations` is the queryset the translations are taken from, with the caller's conditions
    and joins (published, public, card images...); by default the objects' model's rows, live
    ones for pages. One query for the whole list (unlike `obj.localized`, one or two per object),
    none when every object already is in `locale`."""
    locale_id = _locale_id(locale)
    foreign_keys = {obj.translation_key for obj in objects if obj.locale_id != locale_id}
    if not foreign_keys:
        return list(objects)
    found = _translations_of(objects, translations).filter(
        translation_key__in=foreign_keys, locale_id=locale_id
    )
    by_key = prefer_locale(found, locale_id)
    return [
        obj if obj.locale_id == locale_id else by_key.get(obj.translation_key, obj)
        for obj in objects
    ]


def untranslated(queryset, locale, translations=None):
    """The rows of `queryset` that have no translation in `locale` among `translations` (by
    default the same model's rows, live ones for pages): the originals a language lists in their
    own language. A subquery: no query until the result is read."""
    if translations is None:
        translations = queryset.model._default_manager.all()
        translations = translations.live() if hasattr(translations, "live") else translations
    in_locale = translations.filter(locale_id=_locale_id(locale)).values("translation_key")
    return queryset.exclude(translation_key__in=in_locale)


# --- one page, memoised for the request --------------------------------------------------------


def localized_page(page):
    """`page` in the active language when a live translation exists, else `page` itself.

    Like Wagtail's `Page.localized`, but the active locale is looked up once per request, and no
    query is made when the page already is in the active language."""
    locale = active_locale()
    if page.locale_id == locale.pk:
        return page
    translated = _memoised(("localized", page.pk, locale.pk), lambda: _translation(page, locale))
    return translated or page


def _translation(page, locale):
    """The live translation of `page` in `locale`, or None."""
    translated = localized([page], locale, Page.objects.live())[0]
    return None if translated is page else translated


def prefetch_localized_pages(pages):
    """Find, in one query, the translations that `localized_page` will be asked for `pages`
    during this request (e.g. every page link of a StreamField), instead of one query each."""
    memo = _request_memo.get()
    if memo is None:
        return
    locale = active_locale()
    foreign = [
        page
        for page in pages
        if page is not None
        and page.locale_id != locale.pk
        and ("localized", page.pk, locale.pk) not in memo
    ]
    if not foreign:
        return
    translations = localized(foreign, locale, Page.objects.live())
    for page, translated in zip(foreign, translations, strict=True):
        memo[("localized", page.pk, locale.pk)] = None if translated is page else translated
