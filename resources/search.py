"""The library's faceted full-text search: one entry point, `library_search(library, GET)`.

Reads only the denormalised tables of resources/index.py. Queries per request are constant:
restrictions and labels of the terms and programmes (kept per content generation: none, or 5 when
the generation is new), the default locale and the library's locale (1-2), the default
language's library (1, only for a library in another language), the text match (1, with a
query; on PostgreSQL inside a transaction with two SETs, followed by the relevance tiers the page
reaches, 1-2) and the resources of the page (1, without their images and StreamFields, which the
list does not show). Once per content generation and process (after anything is published or
indexed) two more read the library's documents and facet rows (`_universe`).

Counting happens in Python, on bit sets over resource ids: the library's facet values are kept
per content generation, and a request intersects them with the documents its text matched, so
every facet count is an AND and a popcount instead of a join of the facet rows of every matching
resource (docs/benchmarks.md, "After the search-table indexes"). Text matches are never kept:
each request matches its text in the database. Pages of results in the newest, oldest and
title orders come from orders kept with the facet values, and so do those of relevance
(PostgreSQL): the matches with every word in the title, then in the title or summary, then the
others, newest first within each (`_page_by_relevance`).

A library in another language than the default (the French one) lists its own resources plus,
in their original language, the default language's resources that have no live translation in
it yet (`_base`): never a resource twice, never one missing because nobody translated it. Those
are marked with `is_original` and `language_code`, so the page labels them "English" and gives
their title and summary `lang="en"`. Facet values are translation keys, language codes and
years, the same in every language, so such a resource is counted once, under the term labels of
the library's language.

Facet counts are disjunctive: the counts of a facet apply the text query and every *other*
active facet, so each option says how many results selecting it would give (options of one
facet are OR-ed together, facets are AND-ed). Full text: PostgreSQL matches a tsvector built
with the configuration of each resource's language (French stemming for French resources,
English for English, including the English ones listed in the French library; downloads are
also stemmed in the resource's own languages, and each query word is also tried as its stem in
the site's other languages: `_tsquery`); SQLite matches
every word of the query as the start of a word of the normalised text, through an FTS5 table
(migration resources 0008; accents and case ignored, Snowball stems stored with the text by
`resources.index._with_stems`, no relevance ranking: "relevance" sorts newest first there).
PostgreSQL's vectors live in a narrow table of their own (`ResourceTextVector`): a common word
matches most of the library, and its match reads the row of every match.
"""

import math
import re
import sys
import threading
import uuid
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, PageViewRestriction

from ngo_site.localisation import _memoised, prefer_locale
from ngo_site.text import normalise

from .index import FACETS, FTS_TABLE, text_search_config

RESULTS_PER_PAGE = 12
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
MAX_VALUES_PER_FACET = 20
MIN_YEAR, MAX_YEAR = 1900, 2100

FACET_LABELS = {
    "type": gettext_lazy("Resource type"),
    "programme": gettext_lazy("Programme"),
    "theme": gettext_lazy("Theme"),
    "region": gettext_lazy("Region or country"),
    "language": gettext_lazy("Language"),
    "year": gettext_lazy("Year"),
}
SORTS = {
    "relevance": gettext_lazy("Relevance"),
    "newest": gettext_lazy("Newest first"),
    "oldest": gettext_lazy("Oldest first"),
    "title": gettext_lazy("Title (A–Z)"),
}


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    # The checkbox's id, from the value, not the position: after the page reloads, library.js
    # gives focus back to the same option even if the options moved.
    input_id: str = ""


@dataclass
class Facet:
    name: str
    label: str
    options: list


@dataclass
class Chip:
    label: str
    remove_url: str


@dataclass
class LibrarySearch:
    query: str
    sort: str
    selected: dict
    page_number: int
    num_pages: int
    total: int
    resources: list
    facets: list
    chips: list
    notices: list
    sort_options: list
    clear_url: str = ""
    previous_url: str = ""
    next_url: str = ""
    noindex: bool = False
    page_urls: list = field(default_factory=list)
    feed_url: str = ""
    feed_title: str = ""

    @property
    def has_filters(self):
        return any(self.selected.values())

    @property
    def shows_originals(self):
        return any(resource.is_original for resource in self.resources)


@dataclass
class Scope:
    """Where a search looks: a library and, when it is not in the default language, the default
    language's library (its source), whose resources not translated yet it lists too."""

    library: object
    language_code: str
    default_locale_id: int
    fallback_library_id: int | None = None
    fallback_language_code: str = ""

    @property
    def locale_id(self):
        return self.library.locale_id


def _scope(library):
    from .models import LibraryPage

    default = Locale.get_default()
    scope = Scope(library, library.locale.language_code, default.pk)
    if library.locale_id != default.pk:
        scope.fallback_library_id = (
            LibraryPage.objects.live()
            .filter(translation_key=library.translation_key, locale_id=default.pk)
            .values_list("pk", flat=True)
            .first()
        )
        scope.fallback_language_code = default.language_code
    return scope


# --- reading the request -------------------------------------------------------------------


# Only ASCII digits are numbers here: str.isdigit() and \d also accept "²" or "١٢", which
# int() rejects or reads as another number than the visitor sees.
ASCII_NUMBER = re.compile(r"[0-9]+")


def _without_nul(value, notices):
    """`value` without NUL characters (no database stores them in text), saying so once."""
    if "\x00" not in value:
        return value
    notice = str(_("Invisible NUL characters were removed from your request."))
    if notice not in notices:
        notices.append(notice)
    return value.replace("\x00", "")


def _first(params, name, notices):
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name, "")]
    values = [value for value in values if value is not None]
    if len(values) > 1 and len(set(values)) > 1:
        notices.append(_("Only the first “%(name)s” value was used.") % {"name": name})
    return _without_nul(values[0] if values else "", notices)


def _clean_query(params, notices):
    query = " ".join(_first(params, "q", notices).split())
    if len(query) > MAX_QUERY_LENGTH:
        notices.append(
            _("The search text was cut to its first %(count)d characters.")
            % {"count": MAX_QUERY_LENGTH}
        )
        query = query[:MAX_QUERY_LENGTH]
    if len(normalise(query).split()) > MAX_QUERY_WORDS:
        # The text match uses only the first words (`_text_condition`, `_text_matches`).
        notices.append(
            _("Only the first %(count)d words of the search text were used.")
            % {"count": MAX_QUERY_WORDS}
        )
    return query


def _well_formed(facet, value):
    if facet == "language":
        return value in dict(RESOURCE_LANGUAGE_CHOICES())
    if facet == "year":
        return bool(re.fullmatch(r"[0-9]{4}", value)) and MIN_YEAR <= int(value) <= MAX_YEAR
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def RESOURCE_LANGUAGE_CHOICES():
    from .models import RESOURCE_LANGUAGES

    return RESOURCE_LANGUAGES


def _clean_selection(params, labels, notices):
    selected = {}
    for facet in FACETS:
        raw = params.getlist(facet) if hasattr(params, "getlist") else []
        values, ignored, beyond_limit = [], 0, 0
        for value in raw:
            value = _without_nul(value, notices).strip()
            if not value or value in values:
                continue
            known = facet == "year" or value in labels[facet]
            if not (_well_formed(facet, value) and known):
                ignored += 1
            elif len(values) < MAX_VALUES_PER_FACET:
                values.append(value)
            else:
                beyond_limit += 1
        if ignored:
            notices.append(
                _("%(count)d unknown “%(facet)s” filter value(s) were ignored.")
                % {"count": ignored, "facet": FACET_LABELS[facet]}
            )
        if beyond_limit:
            notices.append(
                _(
                    "Only the first %(limit)d “%(facet)s” filter values were used; "
                    "%(count)d more were ignored."
                )
                % {
                    "limit": MAX_VALUES_PER_FACET,
                    "facet": FACET_LABELS[facet],
                    "count": beyond_limit,
                }
            )
        selected[facet] = values
    return selected


def _clean_sort(params, query, notices):
    sort = _first(params, "sort", notices).strip()
    default = "relevance" if query else "newest"
    if not sort:
        return default
    if sort not in SORTS or (sort == "relevance" and not query):
        if sort != "relevance":
            notices.append(_("Unknown sort order; results are sorted by the default."))
        return default
    return sort


def _clean_page_number(params, notices):
    raw = _first(params, "page", notices).strip()
    if not raw:
        return 1
    if not ASCII_NUMBER.fullmatch(raw) or len(raw) > 9 or int(raw) < 1:
        notices.append(_("The page number was not valid; showing the first page."))
        return 1
    return int(raw)


# --- labels ----------------------------------------------------------------------------------


def _labels(scope):
    """{facet: {value: label}} in the library's language, falling back to the default
    language for terms not translated yet. Kept per content generation (saving a term is a
    change of published content) and language of the request (the languages' names)."""
    return _memoised(
        ("library_labels", scope.library.pk, get_language()), lambda: _read_labels(scope)
    )


def _read_labels(scope):
    from programmes.models import ProgrammePage

    from .models import Region, ResourceType, Theme

    library = scope.library
    locale_ids = [library.locale_id, scope.default_locale_id]
    labels = {}
    for facet, model in (("type", ResourceType), ("theme", Theme), ("region", Region)):
        rows = model.objects.filter(locale_id__in=locale_ids).values_list(
            "translation_key", "locale_id", "name"
        )
        labels[facet] = _prefer_locale(rows, library.locale_id)
    rows = (
        ProgrammePage.objects.live()
        .filter(locale_id__in=locale_ids)
        .values_list("translation_key", "locale_id", "title")
    )
    labels["programme"] = _prefer_locale(rows, library.locale_id)
    labels["language"] = {code: str(name) for code, name in RESOURCE_LANGUAGE_CHOICES()}
    labels["year"] = {}
    return labels


def _prefer_locale(rows, locale_id):
    """{str(translation_key): name} of (translation_key, locale_id, name) rows, in `locale_id`
    when translated (ngo_site.localisation.prefer_locale)."""
    chosen = prefer_locale(rows, locale_id, key=lambda row: str(row[0]), locale_of=itemgetter(1))
    return {key: name for key, (_key, _locale_id, name) in chosen.items()}


# --- querying --------------------------------------------------------------------------------


def _restricted_paths(library):
    """Paths of the pages under a view restriction (login, password...) in the library's tree:
    resources under them are not listed. Kept per content generation (saving a restriction
    starts a new one)."""
    tree = library.path[:4]

    def read():
        return list(
            PageViewRestriction.objects.filter(page__path__startswith=tree).values_list(
                "page__path", flat=True
            )
        )

    return _memoised(("library_restrictions", tree), read)


def _base(scope, restricted):
    """The library's own resources plus, for a library in another language than the default,
    the default language's resources with no live translation in it (listed in the original).
    Subqueries rather than joins: callers read this table's own columns."""
    from .models import ResourceSearchDocument

    library = scope.library
    documents = ResourceSearchDocument.objects.all()
    field = "library_id"
    in_library = Q(**{field: library.pk})
    if scope.fallback_library_id:
        own = ResourceSearchDocument.objects.filter(library_id=library.pk)
        translated_keys = Page.objects.filter(pk__in=own.values("resource_id")).values(
            "translation_key"
        )
        translated_originals = Page.objects.filter(
            translation_key__in=translated_keys, locale_id=scope.default_locale_id
        ).values("pk")
        in_library |= Q(**{field: scope.fallback_library_id}) & ~Q(
            resource_id__in=translated_originals
        )
    documents = documents.filter(in_library)
    if restricted:
        under_restriction = Q()
        for path in restricted:
            under_restriction |= Q(path__startswith=path)
        documents = documents.exclude(
            resource_id__in=Page.objects.filter(under_restriction).values("pk")
        )
    return documents


def _tsquery(words, config):
    """PostgreSQL: the SQL expression (and its parameters) of the query of `words` for resources
    whose vectors were built with `config`: every word must match (AND), each as itself or the
    start of a longer word (three letters or more: "organis" finds "organisation") stemmed in
    `config`'s language, or as its exact stem in another language of the site, for the text of
    downloads written in another language than their page (index.py, `_download_languages`).
    A stop word of `config`'s language is left out, as `to_tsquery` leaves it out: "the
    economy" searches "economy" only, and is not required as a French word. All left out, the
    query is empty and matches nothing (`_text_matches` says so)."""
    others = sorted(
        {text_search_config(code) for code, _name in settings.LANGUAGES} - {config, "simple"}
    )
    parts, params = [], []
    for word in words:
        term = f"{word}:*" if len(word) > 2 else word
        own = "to_tsquery(%s::regconfig, %s)"
        either = " || ".join([own] + ["to_tsquery(%s::regconfig, %s)"] * len(others))
        parts.append(
            f"CASE WHEN numnode({own}) = 0 THEN NULL ELSE '(' || ({either})::text || ')' END"
        )
        params += [config, term, config, term]
        for other in others:
            params += [other, word]
    # array_to_string leaves the NULLs (stop words) out.
    return f"array_to_string(ARRAY[{', '.join(parts)}]::text[], ' & ')::tsquery", params


def _text_condition(scope, column, words):
    """PostgreSQL: the SQL condition (and its parameters) on `ResourceTextVector.column` for
    `words` to match, each resource's vector being matched with the
    configuration it was built with: its language's (index.py), so the English originals listed
    in the French library are matched as English. One condition per language, each able to use
    the column's GIN index."""
    config = text_search_config(scope.language_code)
    query, params = _tsquery(words, config)
    fallback_config = text_search_config(scope.fallback_language_code)
    if not scope.fallback_library_id or fallback_config == config:
        return f"{column} @@ {query}", params
    fallback_query, fallback_params = _tsquery(words, fallback_config)
    return (
        f"((locale_id = %s AND {column} @@ {query}) "
        f"OR (locale_id <> %s AND {column} @@ {fallback_query}))",
        [scope.locale_id, *params, scope.locale_id, *fallback_params],
    )


@contextmanager
def _through_text_index(needed=True):
    """PostgreSQL: match the text through the GIN indexes, even for words in most documents. The
    planner then prefers a sequential scan, as its costs leave out reading each row's vector
    from TOAST, which makes that scan ten times slower than the index (docs/benchmarks.md)."""
    if not needed or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")


@dataclass
class TextMatch:
    """What a text query matched: `bits`, every match; on PostgreSQL `words`, the words as
    matched, for the relevance tiers (`_page_by_relevance`)."""

    bits: int
    words: list | None = None


# The relevance tiers on PostgreSQL: the matches having every word in their title, then in their
# title or summary (columns of ResourceTextVector).
TIER_COLUMNS = ("title_vector", "rank_vector")


def _vector_matches(words, scope, column, size_hint=0):
    """PostgreSQL: the bit set of the resources of the scope's libraries whose vector `column`
    matches `words` (`_tsquery`), in one query, to be run inside `_through_text_index()`. The
    caller keeps those its universe lists (restrictions and translated originals are applied
    there).

    Returns (the bit set, whether the query keeps any word in the library's language), the
    second from the same query: a text made only of stop words ("the", "and") matches nothing
    at all."""
    from .models import ResourceTextVector

    libraries = [scope.library.pk]
    if scope.fallback_library_id:
        libraries.append(scope.fallback_library_id)
    condition, params = _text_condition(scope, column, words)
    own_query, own_params = _tsquery(words, text_search_config(scope.language_code))
    # The ids as one binary value, 4 bytes each: no row, and no number to parse, per match (a
    # common word matches most of the library).
    sql = (
        f"SELECT string_agg(int4send(resource_id::integer), ''::bytea), numnode({own_query}) "
        f"FROM {ResourceTextVector._meta.db_table} WHERE library_id = ANY(%s) AND {condition}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*own_params, libraries, *params])
        packed, nodes = cursor.fetchone()
    return _bits(_packed_ids(packed), size_hint), bool(nodes)


def _text_matches(query, scope, size_hint=0):
    """The documents matching every word of `query`: on PostgreSQL those of the scope's
    libraries, on SQLite every library's (the caller keeps the scope's). One query. None on
    PostgreSQL when every word is a stop word of the library's language, which its text search
    leaves out: such a text cannot narrow the results (SQLite has no stop words)."""
    words = normalise(query).split()[:MAX_QUERY_WORDS]
    if connection.vendor == "postgresql":
        bits, has_words = _vector_matches(words, scope, "vector", size_hint)
        if not has_words:
            return None
        return TextMatch(bits, words)
    # SQLite: the FTS5 table of migration 0008, each word as the start of a word ("word"*), the
    # behaviour of the LIKE it replaces, accents and case ignored (normalise()); or as one of its
    # Snowball stems, which the indexed text carries in its resource's language
    # (resources.index._with_stems). The query's language is not the resource's (the French
    # library lists English originals), so the word's stems in every language of the site are
    # tried.
    fts_query = " AND ".join(_fts_alternatives(word) for word in words)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts_query])
        return TextMatch(_bits([row[0] for row in cursor.fetchall()], size_hint))


def _fts_alternatives(word):
    """'("word"* OR "stem")' for FTS5; words hold only letters, digits and "_" (normalise())."""
    from ngo_site import stemming

    stems = {
        stem
        for language_code, _name in settings.LANGUAGES
        for stem in stemming.stems(word, language_code)
        if stem != word
    }
    return "(" + " OR ".join([f'"{word}"*', *(f'"{stem}"' for stem in sorted(stems))]) + ")"


def _packed_ids(value):
    """The ids of `string_agg(int4send(id), '')`: 4-byte big-endian integers."""
    ids = array("i")
    if value:
        ids.frombytes(value)
        if sys.byteorder == "little":
            ids.byteswap()
    return ids


# --- bit sets ---------------------------------------------------------------------------------
#
# Counting is done on bit sets over resource ids (bit n set: resource n is in the set), in
# Python: the library's facet values are read once per content generation (`_universe`), and a
# request only intersects them with the documents its text matched. Each facet count is then an
# AND and a popcount of a few kilobytes, where SQL would join the facet rows of every matching
# resource (half a million rows for a common word in 100,000 resources) for each facet.


# Byte 0 or 1 to the digit "0" or "1".
_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _bits(ids, size_hint=0):
    """The bit set of `ids` (non-negative integers). One byte per possible id, then read as a
    base-2 number: one plain store per id is what a Python loop does fastest. `size_hint`, an
    id above most of them (the universe's), spares finding the largest."""
    ids = ids if isinstance(ids, (list, array)) else list(ids)
    if not ids:
        return 0
    flags = bytearray(size_hint)
    try:
        for resource_id in ids:
            flags[resource_id] = 1
    except IndexError:  # an id above the hint: resources published since the universe was read
        flags = bytearray(max(ids) + 1)
        for resource_id in ids:
            flags[resource_id] = 1
    flags.reverse()  # the highest id is the most significant digit
    return int(flags.translate(_DIGITS), 2)


@dataclass
class Universe:
    """Everything the scope lists: `documents`, the bit set of its resources; `facets`,
    {facet: {value: bit set}}; `orders`, {sort: resource ids in that order}."""

    documents: int
    facets: dict
    orders: dict


# Universes of the last few scopes and generations, in this process (a few MB at 100,000
# resources each): rebuilt after anything is published (content generation) or indexed.
_UNIVERSES = {}
_UNIVERSES_KEPT = 8
_UNIVERSES_LOCK = threading.Lock()


def _universe(scope, restricted):
    if True:  # being replaced (issue 24): read the library afresh for each request
        # Without a shared cache the generation does not follow publications made by another
        # process: read the library afresh for each request (docs/library.md).
        return _build_universe(scope, restricted)
    key = (
        None,
        scope.library.pk,
        scope.fallback_library_id,
        tuple(restricted),
        connection.alias,
    )
    universe = _UNIVERSES.get(key)
    if universe is None:
        universe = _build_universe(scope, restricted)
        with _UNIVERSES_LOCK:  # threaded workers
            while len(_UNIVERSES) >= _UNIVERSES_KEPT:
                _UNIVERSES.pop(next(iter(_UNIVERSES)))
            _UNIVERSES[key] = universe
    return universe


def _build_universe(scope, restricted):
    """Two queries: the documents with what they are sorted on, and the facet rows grouped by
    value (a library's rows are one range of the (library, facet, value, resource) index)."""
    from .models import ResourceFacet

    documents = _base(scope, restricted)
    rows = list(
        documents.values_list("resource_id", "publication_date", "first_published_at", "title_sort")
    )
    if scope.fallback_library_id or restricted:
        facet_rows = ResourceFacet.objects.filter(resource_id__in=documents.values("resource_id"))
    else:
        facet_rows = ResourceFacet.objects.filter(library_id=scope.library.pk)
    sql, params = facet_rows.values("facet", "value", "resource_id").query.sql_with_params()
    aggregate = (
        "string_agg(resource_id::text, ',')"
        if connection.vendor == "postgresql"
        else "group_concat(resource_id)"
    )
    facets = {facet: {} for facet in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT facet, value, {aggregate} FROM ({sql}) AS facet_rows GROUP BY facet, value",
            params,
        )
        for facet, value, ids in cursor.fetchall():
            if facet in facets:
                facets[facet][value] = _bits(map(int, ids.split(",")))
    return Universe(documents=_bits(row[0] for row in rows), facets=facets, orders=_orders(rows))


def _orders(rows):
    """{sort: resource ids}: newest (publication date, newest first, undated last; then first
    publication, latest first), oldest (undated last) and title (the normalised title), each
    ending in the resource id. Stable sorts, last key first."""

    def date_desc_nulls_last(value):
        return (value is None, -value.toordinal() if value else 0)

    newest = sorted(rows, key=lambda row: -row[0])
    newest.sort(key=lambda row: (row[2] is None, -row[2].timestamp() if row[2] else 0))
    newest.sort(key=lambda row: date_desc_nulls_last(row[1]))
    oldest = sorted(rows, key=lambda row: row[0])
    oldest.sort(key=lambda row: (row[1] is None, row[1].toordinal() if row[1] else 0))
    title = sorted(rows, key=lambda row: (row[3], row[0]))
    return {
        name: array("q", (row[0] for row in ordered))
        for name, ordered in (("newest", newest), ("oldest", oldest), ("title", title))
    }


def _page_in_order(order, results, universe, start, count):
    """Ids number `start` to `start + count` of the `results` bit set in `order`."""
    if universe is not None and results == universe.documents:
        return list(order[start : start + count])
    if not results or count <= 0:
        return []
    flags = results.to_bytes((results.bit_length() + 7) // 8, "little")
    size = len(flags)
    page, seen = [], 0
    for resource_id in order:
        byte = resource_id >> 3
        if byte < size and flags[byte] >> (resource_id & 7) & 1:
            if seen >= start:
                page.append(resource_id)
                if len(page) == count:
                    break
            seen += 1
    return page


def _page_by_relevance(text_match, scope, results, universe, start, count):
    """PostgreSQL's relevance order: the results having every word in their title, then in
    their title or summary, then the others (the words are only in the rest of their text);
    newest first within each. A tier is read only when the page reaches it."""
    newest = universe.orders["newest"]
    size_hint = universe.documents.bit_length()
    page, remaining = [], results
    for column in (*TIER_COLUMNS, None):
        if column is None:
            in_tier = remaining
        else:
            in_tier = remaining & _vector_matches(text_match.words, scope, column, size_hint)[0]
        remaining &= ~in_tier
        size = in_tier.bit_count()
        if start >= size:
            start -= size  # the whole tier is on earlier pages
            continue
        page += _page_in_order(newest, in_tier, None, start, count - len(page))
        start = 0
        if len(page) == count or not remaining:
            break
    return page


def _selected_bits(universe, selected):
    """{facet: bit set of the resources having any selected value} for facets with a selection."""
    chosen = {}
    for facet, values in selected.items():
        if values:
            bits = 0
            for value in values:
                bits |= universe.facets[facet].get(value, 0)
            chosen[facet] = bits
    return chosen


def _all_counts(universe, matching, chosen):
    """{facet: {value: count}}, disjunctive: a facet's counts apply the text and every *other*
    selected facet."""
    counts = {}
    for facet in FACETS:
        among = matching
        for other, bits in chosen.items():
            if other != facet:
                among &= bits
        counts[facet] = {}
        if not among:
            continue
        for value, bits in universe.facets[facet].items():
            count = (among & bits).bit_count()
            if count:
                counts[facet][value] = count
    return counts


def _page_of_resources(ids, type_labels, scope):
    """The resources of one page of results, in order. Those shown in their original language
    (not translated into the library's yet) carry `is_original`, `language_code` and
    `language_name` (in that language: "English"), for the "English" label and `lang`."""
    from .models import ResourcePage
    from .queries import without_stream_fields

    # The list shows no image and no StreamField: neither is read.
    resources = without_stream_fields(
        ResourcePage.objects.filter(pk__in=ids).select_related("resource_type")
    )
    by_id = {resource.pk: resource for resource in resources}
    fallback_language = scope.fallback_language_code
    fallback_name = get_language_info(fallback_language)["name_local"] if fallback_language else ""
    for resource in by_id.values():
        resource.type_label = (
            type_labels.get(str(resource.resource_type.translation_key))
            if resource.resource_type_id
            else ""
        )
        resource.is_original = resource.locale_id != scope.locale_id
        resource.language_code = fallback_language if resource.is_original else ""
        resource.language_name = fallback_name if resource.is_original else ""
    return [by_id[pk] for pk in ids if pk in by_id]


# --- URLs ------------------------------------------------------------------------------------


def _url(query, selected, sort, page=1):
    pairs = []
    if query:
        pairs.append(("q", query))
    for facet in FACETS:
        pairs += [(facet, value) for value in selected.get(facet, [])]
    if sort and sort != ("relevance" if query else "newest"):
        pairs.append(("sort", sort))
    if page > 1:
        pairs.append(("page", page))
    return "?" + urlencode(pairs) if pairs else "?"


def _toggled(selected, facet, value):
    changed = {name: list(values) for name, values in selected.items()}
    if value in changed[facet]:
        changed[facet].remove(value)
    else:
        changed[facet].append(value)
    return changed


# --- entry point -----------------------------------------------------------------------------


def library_search(library, params, per_page=RESULTS_PER_PAGE):
    notices = []
    query = _clean_query(params, notices)
    scope = _scope(library)
    labels = _labels(scope)
    selected = _clean_selection(params, labels, notices)
    sort = _clean_sort(params, query, notices)
    page_number = _clean_page_number(params, notices)

    restricted = _restricted_paths(library)
    universe = _universe(scope, restricted)
    has_text = bool(normalise(query).split())
    # One transaction for the text's queries (the match, then the relevance tiers).
    with _through_text_index(has_text):
        matching = universe.documents
        text_match = None
        if has_text:
            text_match = _text_matches(query, scope, universe.documents.bit_length())
            if text_match is None:
                notices.append(
                    _(
                        "“%(query)s” has only words too common to search for, so it does not "
                        "narrow the results."
                    )
                    % {"query": query}
                )
            else:
                matching &= text_match.bits
        chosen = _selected_bits(universe, selected)
        results = matching
        for bits in chosen.values():
            results &= bits
        total = results.bit_count()
        num_pages = max(1, math.ceil(total / per_page))
        if page_number > num_pages:
            notices.append(
                _("There is no page %(number)d; showing the last page.") % {"number": page_number}
            )
            page_number = num_pages
        start = (page_number - 1) * per_page
        if not total:
            ids = []
        elif sort == "relevance" and text_match is not None and text_match.words:
            ids = _page_by_relevance(text_match, scope, results, universe, start, per_page)
        else:
            # SQLite has no relevance ranking: "relevance" lists the newest first there.
            order = universe.orders["newest" if sort == "relevance" else sort]
            ids = _page_in_order(order, results, universe, start, per_page)

    facets, chips = [], []
    counts_by_facet = _all_counts(universe, matching, chosen)
    for facet in FACETS:
        counts = counts_by_facet[facet]
        options = []
        values = set(counts) | set(selected[facet])
        for value in values:
            label = labels[facet].get(value, value)
            is_selected = value in selected[facet]
            count = counts.get(value, 0)
            if not count and not is_selected:
                continue  # an option that would give no result is never offered
            url = _url(query, _toggled(selected, facet, value), sort)
            input_id = f"facet-{facet}-{slugify(value)}"
            options.append(Option(value, label, count, is_selected, url, input_id))
            if is_selected:
                chips.append(Chip(f"{FACET_LABELS[facet]}: {label}", url))
        if facet == "year":
            options.sort(key=lambda option: option.value, reverse=True)
        else:
            options.sort(key=lambda option: (-option.count, option.label.lower()))
        facets.append(Facet(facet, str(FACET_LABELS[facet]), options))

    sort_options = [
        (key, str(label)) for key, label in SORTS.items() if key != "relevance" or query
    ]
    search = LibrarySearch(
        query=query,
        sort=sort,
        selected=selected,
        page_number=page_number,
        num_pages=num_pages,
        total=total,
        resources=_page_of_resources(ids, labels["type"], scope),
        facets=facets,
        chips=chips,
        notices=notices,
        sort_options=sort_options,
        clear_url=_url(query, {}, sort),
        noindex=bool(query or any(selected.values()) or page_number > 1 or params),
    )
    # The Atom feed of these results (resources.views.feed: same filters, newest first).
    feed_query = _url(query, selected, sort=None)
    search.feed_url = reverse("resources_feed") + (feed_query if feed_query != "?" else "")
    search.feed_title = _("%(library)s: newest resources") % {"library": library.title}
    if page_number > 1:
        search.previous_url = _url(query, selected, sort, page_number - 1)
    if page_number < num_pages:
        search.next_url = _url(query, selected, sort, page_number + 1)
    return search
