"""Locale look-ups shared by the templates of one request.

Wagtail's `Locale.get_active()` (used by `Page.localized`) queries the database on every call,
and a page's header, footer and links call it many times. `RequestLocaleMemoMiddleware` gives
each request a small memo so the active locale and the locale table are read once per request.
Outside a request (management commands, tests calling functions directly) nothing is memoised.
"""

from contextvars import ContextVar

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
    """{language_code: Locale} for every locale of the site (cached until locales change)."""
    from .content_version import cached

    if _request_memo.get() is None:
        return {locale.language_code: locale for locale in Locale.objects.all()}
    return cached(
        "locales", lambda: {locale.language_code: locale for locale in Locale.objects.all()}
    )


def active_locale():
    """The Locale of the language being rendered, falling back like Locale.get_active()."""
    code = translation.get_language()
    return locales_by_language().get(code) or _memoised(("active_locale", code), Locale.get_active)


def localized_page(page):
    """`page` in the active language when a live translation exists, else `page` itself.

    Like Wagtail's `Page.localized`, but the active locale is looked up once per request, and no
    query is made when the page already is in the active language."""
    locale = active_locale()
    if page.locale_id == locale.pk:
        return page
    translated = _memoised(
        ("localized", page.pk, locale.pk),
        lambda: (
            Page.objects.live().filter(translation_key=page.translation_key, locale=locale).first()
        ),
    )
    return translated or page


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
    translations = Page.objects.live().filter(
        translation_key__in={page.translation_key for page in foreign}, locale=locale
    )
    by_key = {translated.translation_key: translated for translated in translations}
    for page in foreign:
        memo[("localized", page.pk, locale.pk)] = by_key.get(page.translation_key)
