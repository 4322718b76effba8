"""Stemming for the site search, in the language of each page, on any database.

Wagtail's database search backend has one text-search configuration for the whole index
(`SEARCH_CONFIG`; several backends overwrite one another's index, wagtail/wagtail#9253), so a
French page indexed by it is stemmed as English on PostgreSQL, and nothing is stemmed on SQLite.
Pages therefore also index `stemmed_search_text` (ngo_site.models.BasePage): their searchable
text reduced to Snowball stems of their own language, and the site search (ngo_site.search_views)
looks for the stems of the visitor's words in the visitor's language. "travailleuse" then finds
"travailleuses" in French, "organising" finds "organisations" in English, on SQLite and on
PostgreSQL alike.

Accents and case are removed first (ngo_site.text), so "securite" finds "sécurité". A language
gets the Snowball stemmer named like it in Django's language list ("fr": "French": "french");
a language without one keeps its words unstemmed.
"""

import contextlib
import functools
from contextvars import ContextVar

import snowballstemmer
from django.utils import translation

from .text import words as folded_words


@functools.cache
def _stemmer(language_code):
    try:
        name = translation.get_language_info((language_code or "").split("-")[0])["name"]
    except KeyError:
        return None
    algorithm = name.lower()
    return snowballstemmer.stemmer(algorithm) if algorithm in snowballstemmer.algorithms() else None


# Snowball's pure-Python stemmers take about 0.2 ms a word, and a page's text repeats the same
# few thousand words: stems are kept per (language, word), for the life of the process.
STEMS_KEPT = 200_000


@functools.lru_cache(maxsize=STEMS_KEPT)
def _stem(language_code, word):
    return _stemmer(language_code).stemWord(word)


def stems(text, language_code):
    """The stems of the words of `text`, in order (repeats kept: they weigh in the ranking)."""
    words = folded_words(text)
    if _stemmer(language_code) is None:
        return words
    return [_stem(language_code, word) for word in words]


def stemmed(text, language_code):
    """The stems of `text` joined by spaces ("" when it has no word): what pages index and what
    the site search looks for."""
    return " ".join(stems(text, language_code))


# The language of the page whose stemmed search text is being built, for blocks that show
# translatable snippets (partnerships.blocks.FAQBlock): they give the snippet's text in the
# page's language there, and nothing to the other search fields (built in whatever language is
# active, they would index another language's words).
_page_language: ContextVar[str | None] = ContextVar("search_text_page_language", default=None)


def page_language():
    """The language code of the page whose stemmed search text is being built, or None."""
    return _page_language.get()


@contextlib.contextmanager
def building_search_text(language_code):
    """While a page's stemmed search text is built: `page_language()` and the active language
    are the page's."""
    token = _page_language.set(language_code)
    try:
        with translation.override(language_code):
            yield
    finally:
        _page_language.reset(token)
