"""The library's faceted full-text search: one entry point, `library_search(library, GET)`.

A fixed number of queries per request. What the whole library holds (its resources in each sort
order, and which have each facet value, as bit sets over resource ids) is kept in Django's cache
under the search tables' version (`LibraryIndexVersion`); a request matches its text in the
database and computes the total, every facet count and its page with ANDs and popcounts. Counts
are disjunctive: a facet's counts apply the text and every *other* active facet.

A library in another language than the default also lists, in their original language, the
default language's resources not translated into it yet (`_base`); facet values (translation
keys, language codes, years) are the same in every language. Full text: `_text_match`.
"""

import hashlib
import math
import re
from array import array
from collections import namedtuple
from functools import reduce
from operator import itemgetter, or_
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from ngo_site import stemming
from ngo_site.localisation import prefer_locale
from ngo_site.text import normalise
from ngo_site.visibility import private_sections
from programmes.models import ProgrammePage

from .index import FTS_TABLE, text_search_config
from .models import (
    FACETS,
    RESOURCE_LANGUAGES,
    LibraryIndexVersion,
    LibraryPage,
    Region,
    ResourceFacet,
    ResourcePage,
    ResourceSearchDocument,
    ResourceType,
    Theme,
)
from .queries import without_stream_fields

RESULTS_PER_PAGE = 12
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
MAX_VALUES_PER_FACET = 20
MIN_YEAR, MAX_YEAR = 1900, 2100
# Kept values are never stale (their key has the tables' version): this only frees the cache.
LIBRARY_VALUES_SECONDS = 3600

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


# `input_id`: the checkbox's id, from the value, not the position: after the page reloads,
# library.js gives focus back to the same option even if the options moved.
Option = namedtuple("Option", "value label count selected url input_id")
Facet = namedtuple("Facet", "name label options")
# A chip removing an active filter, or a search one step away giving `count` results.
Link = namedtuple("Link", "label url count", defaults=[0])
# Where a search looks: a library and, when it is not in the default language, the default
# language's library (its source), whose resources not translated yet it lists too.
Scope = namedtuple("Scope", "library default_locale fallback_library_id", defaults=[None])
# What a scope lists: `documents`, the bit set of its resources; `facets`, {facet: {value: bit
# set}}; `orders`, {sort: resource ids in that order}; `positions`, {sort: the position of each
# resource id in that order (an array indexed by id; `len(order)` for an id not listed)};
# `version`, the search tables' version they were read at (`LibraryIndexVersion`).
LibraryValues = namedtuple("LibraryValues", "documents facets orders positions version")
# Newest: publication date, newest first, undated last; then first publication. Oldest:
# publication date, undated last. Title: the normalised title. Then the resource's id.
ORDERS = {
    "newest": (
        F("publication_date").desc(nulls_last=True),
        F("first_published_at").desc(nulls_last=True),
        "-resource_id",
    ),
    "oldest": (F("publication_date").asc(nulls_last=True), "resource_id"),
    "title": ("title_sort", "resource_id"),
}


# What the library page and the feed show (resources/templates/resources/library_page.html).
LibrarySearch = namedtuple(
    "LibrarySearch",
    "query sort page_number num_pages total resources facets chips notices sort_options "
    "clear_url ways_out previous_url next_url noindex feed_url feed_title shows_originals",
)


def _scope(library):
    default = Locale.get_default()
    if library.locale_id == default.pk:
        return Scope(library, default)
    fallbacks = LibraryPage.objects.live().filter(
        translation_key=library.translation_key, locale_id=default.pk
    )
    fallback_id = fallbacks.values_list("pk", flat=True).first()
    return Scope(library, default, fallback_id)


def _without_nul(value, notices):
    """`value` without NUL characters (no database stores them in text), saying so once."""
    notice = str(_("Invisible NUL characters were removed from your request."))
    if "\x00" in value and notice not in notices:
        notices.append(notice)
    return value.replace("\x00", "")


def _first(params, name, notices):
    values = params.getlist(name)
    if len(set(values)) > 1:
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
        # The text match uses only the first words (`_text_match`).
        notices.append(
            _("Only the first %(count)d words of the search text were used.")
            % {"count": MAX_QUERY_WORDS}
        )
    return query


def _clean_selection(params, labels, notices):
    selected = {}
    for facet in FACETS:
        values, ignored, beyond_limit, name = [], 0, 0, FACET_LABELS[facet]
        for value in params.getlist(facet):
            value = _without_nul(value, notices).strip()
            if not value or value in values:
                continue
            if value not in labels[facet]:
                ignored += 1
            elif len(values) < MAX_VALUES_PER_FACET:
                values.append(value)
            else:
                beyond_limit += 1
        if ignored:
            notices.append(
                ngettext(
                    "%(count)d unknown “%(facet)s” filter value was ignored.",
                    "%(count)d unknown “%(facet)s” filter values were ignored.",
                    ignored,
                )
                % {"count": ignored, "facet": name}
            )
        if beyond_limit:
            notices.append(
                _(
                    "Only the first %(limit)d “%(facet)s” filter values were used; "
                    "%(count)d more were ignored."
                )
                % {"limit": MAX_VALUES_PER_FACET, "facet": name, "count": beyond_limit}
            )
        selected[facet] = values
    return selected


def _clean_sort_and_page(params, query, notices):
    sort = _first(params, "sort", notices).strip()
    if sort not in SORTS or (sort == "relevance" and not query):
        if sort not in ("", "relevance"):
            notices.append(_("Unknown sort order; results are sorted by the default."))
        sort = "relevance" if query else "newest"
    page = _first(params, "page", notices).strip() or "1"
    # Only ASCII digits are numbers here: str.isdigit() and \d also accept "²" or "١٢", which
    # int() rejects or reads as another number than the visitor sees.
    if not re.fullmatch(r"[0-9]{1,9}", page) or int(page) < 1:
        notices.append(_("The page number was not valid; showing the first page."))
        page = "1"
    return sort, int(page)


def _labels(scope):
    """{facet: {value: label}}: every value a filter accepts, labelled in the library's language,
    falling back to the default language for terms not translated yet (prefer_locale)."""
    locale_ids = [scope.library.locale_id, scope.default_locale.pk]
    fields = ("translation_key", "locale_id")
    querysets = {
        "type": ResourceType.objects.values_list(*fields, "name"),
        "programme": ProgrammePage.objects.live().values_list(*fields, "title"),
        "theme": Theme.objects.values_list(*fields, "name"),
        "region": Region.objects.values_list(*fields, "name"),
    }
    labels = {}
    for facet, rows in querysets.items():
        rows = rows.filter(locale_id__in=locale_ids)
        chosen = prefer_locale(
            rows, scope.library.locale_id, key=lambda row: str(row[0]), locale_of=itemgetter(1)
        )
        labels[facet] = {key: name for key, (_key, _locale_id, name) in chosen.items()}
    labels["language"] = {code: str(name) for code, name in RESOURCE_LANGUAGES}
    labels["year"] = {str(year): str(year) for year in range(MIN_YEAR, MAX_YEAR + 1)}
    return labels


def _base(scope, private):
    """The documents the library lists: its own resources plus, for a library in another
    language than the default, the default language's resources with no live translation in
    it; none under a view restriction."""
    in_library = Q(library_id=scope.library.pk)
    if scope.fallback_library_id:
        own = ResourceSearchDocument.objects.filter(in_library)
        translated_keys = own.values("resource__translation_key")
        in_library |= Q(library_id=scope.fallback_library_id) & ~Q(
            resource__translation_key__in=translated_keys
        )
    documents = ResourceSearchDocument.objects.filter(in_library)
    if private.paths:
        under = reduce(or_, (Q(path__startswith=path) for path in private.paths))
        documents = documents.exclude(resource_id__in=Page.objects.filter(under).values("pk"))
    return documents


def _library_values(scope, private):
    """The scope's `LibraryValues`, from the cache when the search tables have not changed
    since they were read (one query), else read (four more)."""
    version = LibraryIndexVersion.objects.values_list("version", flat=True).first()
    restricted = hashlib.sha256("\n".join(sorted(private.paths)).encode()).hexdigest()[:16]
    key = f"library-values-3:{version}:{scope.library.pk}:{scope.fallback_library_id}:{restricted}"
    values = cache.get(key)
    if values is not None:
        return values
    documents = _base(scope, private)
    ids_by_value = {facet: {} for facet in FACETS}
    facet_rows = ResourceFacet.objects.filter(resource_id__in=documents.values("resource_id"))
    for facet, value, resource_id in facet_rows.values_list("facet", "value", "resource_id"):
        if facet in ids_by_value:
            ids_by_value[facet].setdefault(value, []).append(resource_id)
    orders = {
        sort: array("q", documents.order_by(*keys).values_list("resource_id", flat=True))
        for sort, keys in ORDERS.items()
    }
    values = LibraryValues(
        documents=_bits(orders["newest"]),
        facets={
            facet: {value: _bits(ids) for value, ids in values.items()}
            for facet, values in ids_by_value.items()
        },
        orders=orders,
        positions={sort: _positions(order) for sort, order in orders.items()},
        version=version,
    )
    cache.set(key, values, LIBRARY_VALUES_SECONDS)
    return values


def _positions(order):
    """The array giving each id of `order` its position in it (`len(order)` for other ids)."""
    positions = array("q", [len(order)]) * (max(order, default=-1) + 1)
    for position, resource_id in enumerate(order):
        positions[resource_id] = position
    return positions


def _bits(ids):
    """The bit set of `ids` (bit n set: resource n is in the set). One byte per possible id,
    then read as a base-2 number: the fastest way to set many bits from Python."""
    ids = list(ids)
    flags = bytearray(max(ids, default=-1) + 1)
    for resource_id in ids:
        flags[resource_id] = 1
    flags.reverse()  # the highest id is the most significant digit
    return int(flags.translate(bytes.maketrans(b"\x00\x01", b"01")), 2) if ids else 0


def _text_match(query, scope, ranked, version):
    """`_text_match_in_database`, kept in Django's cache under the search tables' `version`, as
    the library's values are: a text searched again costs no match until the tables change."""
    words = normalise(query).split()[:MAX_QUERY_WORDS]
    scope_key = (scope.library.pk, scope.fallback_library_id, ranked, words)
    key = f"library-text-1:{version}:" + hashlib.sha256(repr(scope_key).encode()).hexdigest()
    kept = cache.get(key)
    if kept is None:
        kept = (_text_match_in_database(words, scope, ranked),)
        cache.set(key, kept, LIBRARY_VALUES_SECONDS)
    return kept[0]


def _text_match_in_database(words, scope, ranked):
    """(The bit set of the scope's resources matching every word of `words`; when `ranked` on
    PostgreSQL the ids of the best of them, best first, else None); None on PostgreSQL when every
    word is a stop word of the library's language, which cannot narrow the results."""
    if connection.vendor == "postgresql":
        return _postgresql_match(words, scope, ranked)
    # SQLite's FTS5 table: each word as the start of a word ("word"*) or as one of its Snowball
    # stems in any of the site's languages: the indexed text carries the stems in its resource's
    # language (resources.index._with_stems), and the French library lists English originals.
    alternatives = []
    for word in words:
        stems = {stem for code, _name in settings.LANGUAGES for stem in stemming.stems(word, code)}
        quoted = [f'"{word}"*', *(f'"{stem}"' for stem in sorted(stems - {word}))]
        alternatives.append("(" + " OR ".join(quoted) + ")")
    with connection.cursor() as cursor:
        fts_match = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        cursor.execute(fts_match, [" AND ".join(alternatives)])
        return _bits(row[0] for row in cursor.fetchall()), None


def _postgresql_match(words, scope, ranked):
    """One query: the ids of the matches of `search_vector` and, when `ranked`, those of them whose
    `rank_vector` (title A, summary B) has every word, best first, newest first among equal ranks.
    The ids come back as arrays: one row, not one row per match."""
    locale_id = scope.library.locale_id
    config = text_search_config(scope.library.locale.language_code)
    # The originals listed in another language's library are matched in their language.
    fallback_config = text_search_config(scope.default_locale.language_code)
    queries = _search_queries(words, {config, fallback_config})
    query, fallback_query = queries[config], queries[fallback_config]
    if query is None:
        return None

    def matching(vector):
        condition = Q(**{vector: query})
        if fallback_config != config:
            condition &= Q(locale_id=locale_id)
            if fallback_query is not None:
                condition |= ~Q(locale_id=locale_id) & Q(**{vector: fallback_query})
        return condition

    library_ids = [scope.library.pk, scope.fallback_library_id]
    matches = ResourceSearchDocument.objects.filter(
        matching("search_vector"), library_id__in=library_ids
    )
    aggregates = {"ids": ArrayAgg("resource_id", default=[])}
    if ranked:
        rank = SearchRank(F("rank_vector"), query)
        if fallback_config != config and fallback_query is not None:
            rank = Case(
                When(locale_id=locale_id, then=rank),
                default=SearchRank(F("rank_vector"), fallback_query),
            )
        aggregates["best"] = ArrayAgg(
            "resource_id",
            filter=matching("rank_vector"),
            order_by=(rank.desc(), *ORDERS["newest"]),
            default=[],
        )
    found = matches.aggregate(**aggregates)
    return _bits(found["ids"]), found.get("best")


def _search_queries(words, configs):
    """{config: the `words` (AND) that are not its stop words ("the", "la"), each as the start of
    a word stemmed in `config` (three letters or more: "organis" finds "organisation") or as its
    exact stem in another language of the site; None without such a word}. Another language's
    stem that the first already finds ("domest" for "domest:*") is left out: each alternative
    costs a look-up in every matched vector."""
    configs = sorted(configs)
    others = sorted({text_search_config(code) for code, _name in settings.LANGUAGES} - {"simple"})
    every = sorted({*configs, *others})
    pairs = [(config, word) for word in words for config in every]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(["plainto_tsquery(%s::regconfig, %s)::text"] * len(pairs)),
            [value for pair in pairs for value in pair],
        )
        stems = dict(zip(pairs, cursor.fetchone(), strict=True))
    queries = dict.fromkeys(configs)
    for config in configs:
        for word in words:
            if not stems[config, word]:
                continue  # a stop word of `config`
            prefix = len(word) > 2
            stem = _lexeme(stems[config, word])
            either = SearchQuery(f"{word}:*" if prefix else word, config=config, search_type="raw")
            found = {stem}
            for other in others:
                alternative = stems[other, word]
                if other == config or not alternative:
                    continue  # the same, or a stop word there: it would add nothing
                lexeme = _lexeme(alternative)
                if lexeme is not None and (
                    lexeme in found or (prefix and stem and lexeme.startswith(stem))
                ):
                    continue  # found by the alternatives kept
                found.add(lexeme)
                either |= SearchQuery(word, config=other)
            queries[config] = either if queries[config] is None else queries[config] & either
    return queries


def _lexeme(tsquery_text):
    """The lexeme of a text-search query of one lexeme ("'domest'" gives "domest"), else None."""
    match = re.fullmatch(r"'([^']*)'", tsquery_text)
    return match[1] if match else None


def _all_of(values, selected, bits):
    """`bits` restricted to the resources having, for every facet with a selection, one of its
    selected values."""
    for facet, options in selected.items():
        if options:
            bits &= reduce(or_, (values.facets[facet].get(value, 0) for value in options))
    return bits


def _digits(bits):
    """The bit set `bits` as its binary digits, lowest first: `digits[n] == "1"` for resource n."""
    return bin(bits)[:1:-1]


def _ids_of(bits):
    return [digit.start() for digit in re.finditer("1", _digits(bits))]


def _page_in_order(order, positions, results, start, count):
    """Ids number `start` to `start + count` of the `results` bit set in `order`, whose
    `positions` give each id's place in it. A page near the start of many results is found by
    walking the order; otherwise the results are listed and sorted, which costs their number
    rather than the library's size (a search with filters, a deep page of few results)."""
    total = results.bit_count()
    if start >= total or count <= 0:
        return []
    if total == len(order):  # the whole library
        return list(order[start : start + count])
    # Walking meets about len(order) / total ids per result, and stops at the page's end.
    walk = (start + count) * len(order) / total
    if total * math.log2(total + 1) < walk:
        ids = sorted(_ids_of(results), key=positions.__getitem__)
        return ids[start : start + count]
    digits, page, seen = _digits(results), [], 0
    for resource_id in order:
        if resource_id < len(digits) and digits[resource_id] == "1":
            if seen >= start:
                page.append(resource_id)
                if len(page) == count:
                    break
            seen += 1
    return page


def _page_of_ids(values, sort, best, results, start, count):
    """Ids number `start` to `start + count` of `results`: first the `best` ones (the ids of
    the text's candidates of relevance, best first), then the others in the order of `sort`
    ("newest" for relevance)."""
    order_name = "newest" if sort == "relevance" else sort
    digits, page, ranked = _digits(results), [], []
    for resource_id in best:
        if resource_id < len(digits) and digits[resource_id] == "1":
            ranked.append(resource_id)
            if len(ranked) == start + count:
                break
    page = ranked[start:]
    if len(page) < count:
        # Every best id was met, so `ranked` holds all the best results: the others follow.
        rest = results & ~_bits(ranked)
        page += _page_in_order(
            values.orders[order_name],
            values.positions[order_name],
            rest,
            max(0, start - len(ranked)),
            count - len(page),
        )
    return page


def _page_of_resources(ids, type_labels, scope):
    """The resources of one page of results, in order. Those shown in their original language
    (not translated into the library's yet) carry `is_original`, `language_code` and
    `language_name` (in that language: "English"), for the "English" label and `lang`."""
    # The list shows no image and no StreamField: neither is read.
    pages = ResourcePage.objects.filter(pk__in=ids).select_related("resource_type")
    by_id = without_stream_fields(pages).in_bulk()
    language = scope.default_locale.language_code
    language_name = get_language_info(language)["name_local"]
    for resource in by_id.values():
        key = resource.resource_type_id and str(resource.resource_type.translation_key)
        resource.type_label = type_labels.get(key) if key else ""
        resource.is_original = resource.locale_id != scope.library.locale_id
        resource.language_code = language if resource.is_original else ""
        resource.language_name = language_name if resource.is_original else ""
    return [by_id[pk] for pk in ids if pk in by_id]


def _url(query, selected, sort, page=1):
    pairs = [("q", query)] if query else []
    pairs += [(facet, value) for facet in FACETS for value in selected.get(facet, [])]
    pairs += [("sort", sort)] if sort and sort != ("relevance" if query else "newest") else []
    pairs += [("page", page)] if page > 1 else []
    return "?" + urlencode(pairs)


def _toggled(selected, facet, value):
    values = selected[facet]
    changed = [v for v in values if v != value] if value in values else [*values, value]
    return {**selected, facet: changed}


def _ways_out(scope, values, query, selected, matching, labels):
    """The searches one step away from a search without a result, that give results, most
    results first: without one of the filters, without the text, without one of its words.
    At most MAX_QUERY_WORDS more text queries."""
    ways = []
    for facet, value in [(name, value) for name in FACETS for value in selected[name]]:
        fewer = _toggled(selected, facet, value)
        name = f"{FACET_LABELS[facet]}: {labels[facet].get(value, value)}"
        label = _("Remove the filter “%(filter)s”") % {"filter": name}
        count = _all_of(values, fewer, matching).bit_count()
        ways.append(Link(label, _url(query, fewer, None), count))
    if query and any(selected.values()):  # without filters, it is "Browse the whole library"
        count = _all_of(values, selected, values.documents).bit_count()
        label = _("Search without the text “%(text)s”") % {"text": query}
        ways.append(Link(label, _url("", selected, None), count))
    words = query.split()
    for position, word in enumerate(words[:MAX_QUERY_WORDS] if len(words) > 1 else []):
        rest = " ".join(words[:position] + words[position + 1 :])
        text_match = _text_match(rest, scope, False, values.version) if normalise(rest) else None
        among = values.documents & text_match[0] if text_match else values.documents
        label = _("Search without the word “%(word)s”") % {"word": word}
        count = _all_of(values, selected, among).bit_count()
        ways.append(Link(label, _url(rest, selected, None), count))
    return sorted((way for way in ways if way.count), key=lambda way: -way.count)


def library_search(library, params, per_page=RESULTS_PER_PAGE):
    notices = []
    query = _clean_query(params, notices)
    scope = _scope(library)
    labels = _labels(scope)
    selected = _clean_selection(params, labels, notices)
    sort, page_number = _clean_sort_and_page(params, query, notices)

    values = _library_values(scope, private_sections())
    matching, best = values.documents, []
    if normalise(query).split():
        text_match = _text_match(query, scope, sort == "relevance", values.version)
        if text_match is None:
            notices.append(
                _(
                    "“%(query)s” has only words too common to search for, so it does not "
                    "narrow the results."
                )
                % {"query": query}
            )
        else:
            matching &= text_match[0]
            best = text_match[1] or []
    results = _all_of(values, selected, matching)
    total = results.bit_count()
    num_pages = max(1, math.ceil(total / per_page))
    if page_number > num_pages:
        notices.append(
            _("There is no page %(number)d; showing the last page.") % {"number": page_number}
        )
        page_number = num_pages
    start = (page_number - 1) * per_page
    # "Relevance": the best matches (PostgreSQL), then the others newest first (on SQLite all).
    ids = _page_of_ids(values, sort, best, results, start, per_page)

    facets, chips = [], []
    for facet in FACETS:
        # Disjunctive: a facet's counts apply the text and every *other* facet's selection.
        among = _all_of(values, {**selected, facet: []}, matching)
        options = []
        for value in {*values.facets[facet], *selected[facet]}:
            count = (among & values.facets[facet].get(value, 0)).bit_count()
            is_selected = value in selected[facet]
            if not count and not is_selected:
                continue  # an option that would give no result is never offered
            label = labels[facet].get(value, value)
            url = _url(query, _toggled(selected, facet, value), sort)
            options.append(
                Option(value, label, count, is_selected, url, f"facet-{facet}-{slugify(value)}")
            )
            if is_selected:
                chips.append(Link(f"{FACET_LABELS[facet]}: {label}", url))
        if facet == "year":
            options.sort(key=lambda option: option.value, reverse=True)
        else:
            options.sort(key=lambda option: (-option.count, option.label.lower()))
        facets.append(Facet(facet, str(FACET_LABELS[facet]), options))

    resources = _page_of_resources(ids, labels["type"], scope)
    feed_query = _url(query, selected, sort=None)
    return LibrarySearch(
        query=query,
        sort=sort,
        page_number=page_number,
        num_pages=num_pages,
        total=total,
        resources=resources,
        facets=facets,
        chips=chips,
        notices=notices,
        sort_options=[
            (key, str(name)) for key, name in SORTS.items() if key != "relevance" or query
        ],
        clear_url=_url(query, {}, sort),
        ways_out=[] if total else _ways_out(scope, values, query, selected, matching, labels),
        previous_url=_url(query, selected, sort, page_number - 1) if page_number > 1 else "",
        next_url=_url(query, selected, sort, page_number + 1) if page_number < num_pages else "",
        noindex=bool(query or any(selected.values()) or page_number > 1 or params),
        # The Atom feed of these results (resources.views.feed: same filters, newest first).
        feed_url=reverse("resources_feed") + (feed_query if feed_query != "?" else ""),
        feed_title=_("%(library)s: newest resources") % {"library": library.title},
        shows_originals=any(resource.is_original for resource in resources),
    )
