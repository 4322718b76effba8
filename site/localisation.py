"""The site's one rule for content in several languages, and the locale look-ups of a request.

**The rule**: show each item in the visitor's language when it has a translation in it, else in
the language it was found in (usually the default language's original). For one object Wagtail
does it (`Page.localized`, a query or two each); for lists, in a fixed number of queries:
`prefer_locale` picks among rows already read, `localized` swaps a list's objects for their
translations, `untranslated` keeps the rows a language has no translation of. The apps' query
modules call these (and `active_locale`, `default_locale`); none writes the rule again.

**The memo**: Wagtail's `Locale.get_active()` queries the database on every call, and a page's
header, footer and links ask many times. `RequestLocaleMemoMiddleware` gives each request a memo
(`memoised`) so the locales are read once per request; outside a request nothing is memoised.
"""

from contextvars import ContextVar
from operator import attrgetter

from django.conf import settings
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
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


def memoised(key, compute):
    """compute(), kept under `key` for the rest of the request."""
    memo = _request_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def locales_by_language():
    """{language_code: Locale} for every locale of the site."""
    return memoised(
        "locales", lambda: {locale.language_code: locale for locale in Locale.objects.all()}
    )


def active_locale():
    """The Locale of the language being rendered, falling back like Locale.get_active()."""
    code = translation.get_language()
    return locales_by_language().get(code) or memoised(("active_locale", code), Locale.get_active)


def default_locale():
    """The default language's Locale, like Locale.get_default()."""
    code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    return locales_by_language().get(code) or Locale.get_default()


def _locale_id(locale):
    return active_locale().pk if locale is None else getattr(locale, "pk", locale)


def _rows_of(model):
    rows = model._default_manager.all()
    return rows.live() if hasattr(rows, "live") else rows


def prefer_locale(rows, locale=None, *, key=attrgetter("translation_key"), locale_of=None):
    """{key: row}, one row per translation key in the order keys are first read: the row in
    `locale` (a Locale, an id, the active locale by default, or a code when `locale_of` gives
    codes) when there is one, else the first row read. No query. `key` and `locale_of` read a
    row's translation key and locale (`.translation_key`, `.locale_id` by default)."""
    wanted = locale if isinstance(locale, str) else _locale_id(locale)
    locale_of = locale_of or attrgetter("locale_id")
    chosen = {}
    for row in rows:
        if key(row) not in chosen or locale_of(row) == wanted:
            chosen[key(row)] = row
    return chosen


def localized(objects, locale=None, translations=None):
    """`objects` (a list, in its order), each replaced by its translation in `locale` (a Locale or
    id, the active locale by default) found in the queryset `translations` (the caller's
    conditions and joins; by default the model's rows, live ones for pages), else itself: a
    French-only publication may be listed on the English site. One query for the list, none
    when every object already is in `locale`."""
    locale_id = _locale_id(locale)
    foreign_keys = {obj.translation_key for obj in objects if obj.locale_id != locale_id}
    if not foreign_keys:
        return list(objects)
    translations = _rows_of(type(objects[0])) if translations is None else translations
    found = translations.filter(translation_key__in=foreign_keys, locale_id=locale_id)
    by_key = {obj.translation_key: obj for obj in found}
    return [
        by_key.get(obj.translation_key, obj) if obj.locale_id != locale_id else obj
        for obj in objects
    ]


def untranslated(queryset, locale, translations=None):
    """The rows of `queryset` with no translation in `locale` among `translations` (by default the
    model's rows, live ones for pages): a subquery, no query until the result is read."""
    translations = _rows_of(queryset.model) if translations is None else translations
    in_locale = translations.filter(locale_id=_locale_id(locale)).values("translation_key")
    return queryset.exclude(translation_key__in=in_locale)


def localized_page(page):
    """`page` in the active language when a live translation exists, else `page` itself; like
    `Page.localized`, but with no query when the page already is in the active language and at
    most one per page and request (none after `prefetch_localized_pages`)."""
    locale = active_locale()
    if page.locale_id == locale.pk:
        return page
    key = ("localized", page.pk, locale.pk)
    return memoised(key, lambda: localized([page], locale, Page.objects.live())[0])


def prefetch_localized_pages(pages):
    """Find in one query the translations `localized_page` will be asked for `pages` in this
    request (e.g. every page link of a StreamField)."""
    memo = _request_memo.get()
    if memo is None:
        return
    locale = active_locale()
    wanted = {("localized", page.pk, locale.pk): page for page in pages if page is not None}
    missing = {key: page for key, page in wanted.items() if key not in memo}
    found = localized(list(missing.values()), locale, Page.objects.live())
    memo.update(zip(missing, found, strict=True))
