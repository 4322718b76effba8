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
import uuid
from array import array
from dataclasses import dataclass, field
from functools import reduce
from operator import itemgetter, or_
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from ngo_site.localisation import prefer_locale
from ngo_site.text import normalise
from ngo_site.visibility import private_sections

from .index import FACETS, FTS_TABLE, text_search_config

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
class WayOut:
    """A search that gives results, offered when this one gives none."""

    label: str
    url: str
    count: int


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
    ways_out: list = field(default_factory=list)
    previous_url: str = ""
    next_url: str = ""
    noindex: bool = False
    feed_url: str = ""
    feed_title: str = ""

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

    @property
    def library_ids(self):
        return [self.library.pk, *([self.fallback_library_id] if self.fallback_library_id else [])]


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
        # The text match uses only the first words (`_text_match`).
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
                ngettext(
                    "%(count)d unknown “%(facet)s” filter value was ignored.",
                    "%(count)d unknown “%(facet)s” filter values were ignored.",
                    ignored,
                )
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
    language for terms not translated yet."""
    from programmes.models import ProgrammePage

    from .models import Region, ResourceType, Theme

    locale_ids = [scope.locale_id, scope.default_locale_id]
    labels = {}
    for facet, model in (("type", ResourceType), ("theme", Theme), ("region", Region)):
        rows = model.objects.filter(locale_id__in=locale_ids).values_list(
            "translation_key", "locale_id", "name"
        )
        labels[facet] = _prefer_locale(rows, scope.locale_id)
    rows = (
        ProgrammePage.objects.live()
        .filter(locale_id__in=locale_ids)
        .values_list("translation_key", "locale_id", "title")
    )
    labels["programme"] = _prefer_locale(rows, scope.locale_id)
    labels["language"] = {code: str(name) for code, name in RESOURCE_LANGUAGE_CHOICES()}
    labels["year"] = {}
    return labels


def _prefer_locale(rows, locale_id):
    """{str(translation_key): name} of (translation_key, locale_id, name) rows, in `locale_id`
    when translated (ngo_site.localisation.prefer_locale)."""
    chosen = prefer_locale(rows, locale_id, key=lambda row: str(row[0]), locale_of=itemgetter(1))
    return {key: name for key, (_key, _locale_id, name) in chosen.items()}


# --- what the library holds, kept in the cache ------------------------------------------------


def _base(scope, private):
    """The documents the library lists: its own resources plus, for a library in another
    language than the default, the default language's resources with no live translation in
    it; none under a view restriction."""
    from .models import ResourceSearchDocument

    in_library = Q(library_id=scope.library.pk)
    if scope.fallback_library_id:
        own = ResourceSearchDocument.objects.filter(library_id=scope.library.pk)
        translated_keys = Page.objects.filter(pk__in=own.values("resource_id")).values(
            "translation_key"
        )
        translated_originals = Page.objects.filter(
            translation_key__in=translated_keys, locale_id=scope.default_locale_id
        ).values("pk")
        in_library |= Q(library_id=scope.fallback_library_id) & ~Q(
            resource_id__in=translated_originals
        )
    documents = ResourceSearchDocument.objects.filter(in_library)
    if private.paths:
        under = reduce(or_, (Q(path__startswith=path) for path in private.paths))
        documents = documents.exclude(resource_id__in=Page.objects.filter(under).values("pk"))
    return documents


@dataclass
class LibraryValues:
    """What the scope lists: `documents`, the bit set of its resources; `facets`,
    {facet: {value: bit set}}; `orders`, {sort: resource ids in that order}."""

    documents: int
    facets: dict
    orders: dict


def _library_values(scope, private):
    """The scope's `LibraryValues`, from the cache when the search tables have not changed
    since they were read (one query), else read (two more)."""
    from .models import LibraryIndexVersion

    version = LibraryIndexVersion.objects.values_list("version", flat=True).first()
    restricted = hashlib.sha256("\n".join(sorted(private.paths)).encode()).hexdigest()[:16]
    key = f"library-values:{version}:{scope.library.pk}:{scope.fallback_library_id}:{restricted}"
    values = cache.get(key)
    if values is None:
        values = _read_library_values(scope, private)
        cache.set(key, values, LIBRARY_VALUES_SECONDS)
    return values


def _read_library_values(scope, private):
    from .models import ResourceFacet

    documents = _base(scope, private)
    rows = list(
        documents.values_list("resource_id", "publication_date", "first_published_at", "title_sort")
    )
    ids_by_value = {facet: {} for facet in FACETS}
    facet_rows = ResourceFacet.objects.filter(resource_id__in=documents.values("resource_id"))
    for facet, value, resource_id in facet_rows.values_list("facet", "value", "resource_id"):
        if facet in ids_by_value:
            ids_by_value[facet].setdefault(value, []).append(resource_id)
    size = max((row[0] for row in rows), default=0) + 1
    return LibraryValues(
        documents=_bits([row[0] for row in rows], size),
        facets={
            facet: {value: _bits(ids, size) for value, ids in values.items()}
            for facet, values in ids_by_value.items()
        },
        orders=_orders(rows),
    )


# Byte 0 or 1 to the digit "0" or "1".
_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _bits(ids, size=0):
    """The bit set of `ids` (bit n set: resource n is in the set). One byte per possible id,
    then read as a base-2 number: the fastest way to set many bits from Python."""
    ids = list(ids)
    if not ids:
        return 0
    flags = bytearray(max(size, max(ids) + 1))
    for resource_id in ids:
        flags[resource_id] = 1
    flags.reverse()  # the highest id is the most significant digit
    return int(flags.translate(_DIGITS), 2)


def _orders(rows):
    """{sort: resource ids}: newest (publication date, newest first, undated last; then first
    publication, latest first), oldest (undated last) and title (the normalised title), each
    ending in the resource id. Stable sorts, last key first."""
    newest = sorted(rows, key=lambda row: -row[0])
    newest.sort(key=lambda row: (row[2] is None, -row[2].timestamp() if row[2] else 0))
    newest.sort(key=lambda row: (row[1] is None, -row[1].toordinal() if row[1] else 0))
    oldest = sorted(rows, key=lambda row: row[0])
    oldest.sort(key=lambda row: (row[1] is None, row[1].toordinal() if row[1] else 0))
    title = sorted(rows, key=lambda row: (row[3], row[0]))
    return {
        name: array("q", (row[0] for row in ordered))
        for name, ordered in (("newest", newest), ("oldest", oldest), ("title", title))
    }


# --- the text ----------------------------------------------------------------------------------


def _text_match(query, scope, ranked):
    """(The bit set of the resources of the scope's libraries matching every word of `query`,
    their ids in relevance order when `ranked` on PostgreSQL, else None). None on PostgreSQL
    when every word is a stop word of the library's language, which cannot narrow the results.

    PostgreSQL: `SearchQuery` in each resource's language (`_search_query`), `SearchRank` on
    the weighted vector, newest first among equal ranks. SQLite: the FTS5 table of migration
    0008; "relevance" sorts newest first there."""
    words = normalise(query).split()[:MAX_QUERY_WORDS]
    if connection.vendor == "postgresql":
        return _postgresql_match(words, scope, ranked)
    # Each word as the start of a word ("word"*) or as one of its Snowball stems in any of the
    # site's languages: the indexed text carries the stems in its resource's language
    # (resources.index._with_stems), and the French library lists English originals.
    fts_query = " AND ".join(_fts_alternatives(word) for word in words)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts_query])
        return _bits(row[0] for row in cursor.fetchall()), None


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


def _postgresql_match(words, scope, ranked):
    from django.contrib.postgres.search import SearchRank
    from django.db.models import Case, When

    from .models import ResourceSearchDocument

    config = text_search_config(scope.language_code)
    fallback_config = text_search_config(scope.fallback_language_code or scope.language_code)
    kept = _not_stop_words(words, {config, fallback_config})
    query = _search_query(kept[config], config)
    if query is None:
        return None
    condition, rank = Q(search_vector=query), SearchRank(F("search_vector"), query)
    if fallback_config != config:
        # The originals listed in another language's library are matched in their own language.
        condition &= Q(locale_id=scope.locale_id)
        fallback_query = _search_query(kept[fallback_config], fallback_config)
        if fallback_query is not None:
            condition |= ~Q(locale_id=scope.locale_id) & Q(search_vector=fallback_query)
            rank = Case(
                When(locale_id=scope.locale_id, then=rank),
                default=SearchRank(F("search_vector"), fallback_query),
            )
    documents = ResourceSearchDocument.objects.filter(condition, library_id__in=scope.library_ids)
    if not ranked:
        return _bits(documents.values_list("resource_id", flat=True)), None
    ids = list(
        documents.annotate(rank=rank)
        .order_by(
            F("rank").desc(),
            F("publication_date").desc(nulls_last=True),
            F("first_published_at").desc(nulls_last=True),
            "-resource_id",
        )
        .values_list("resource_id", flat=True)
    )
    return _bits(ids), ids


def _not_stop_words(words, configs):
    """{config: the `words` its text search keeps}: a stop word ("the", "la") is left out of
    the query, rather than required as a word of another language."""
    configs = sorted(configs)
    pairs = [(config, word) for config in configs for word in words]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(["numnode(plainto_tsquery(%s::regconfig, %s)) > 0"] * len(pairs)),
            [value for pair in pairs for value in pair],
        )
        flags = cursor.fetchone()
    kept = {config: [] for config in configs}
    for (config, word), is_kept in zip(pairs, flags, strict=True):
        if is_kept:
            kept[config].append(word)
    return kept


def _search_query(words, config):
    """Every word (AND), each as the start of a word stemmed in `config` (three letters or more:
    "organis" finds "organisation") or as its exact stem in another language of the site."""
    from django.contrib.postgres.search import SearchQuery

    others = {text_search_config(code) for code, _name in settings.LANGUAGES} - {config}
    query = None
    for word in words:
        either = SearchQuery(
            f"{word}:*" if len(word) > 2 else word, config=config, search_type="raw"
        )
        for other in sorted(others - {"simple"}):
            either |= SearchQuery(word, config=other)
        query = either if query is None else query & either
    return query


# --- counts and pages ----------------------------------------------------------------------------


def _selected_bits(values, selected):
    """{facet: bit set of the resources having any selected value} for facets with a selection."""
    chosen = {}
    for facet, options in selected.items():
        if options:
            bits = 0
            for value in options:
                bits |= values.facets[facet].get(value, 0)
            chosen[facet] = bits
    return chosen


def _all_counts(values, matching, chosen):
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
        for value, bits in values.facets[facet].items():
            count = (among & bits).bit_count()
            if count:
                counts[facet][value] = count
    return counts


def _page_in_order(order, results, start, count):
    """Ids number `start` to `start + count` of the `results` bit set, in `order`."""
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


def _ways_out(scope, values, query, selected, chosen, matching, labels):
    """The searches one step away from a search without a result, that give results, most
    results first: without one of the filters, without the text, without one of its words.
    At most MAX_QUERY_WORDS more text queries."""
    ways = []
    selections = [(facet, value) for facet in FACETS for value in selected[facet]]
    for facet, value in selections:
        fewer = _toggled(selected, facet, value)
        count = _all_of(_selected_bits(values, fewer), matching).bit_count()
        name = f"{FACET_LABELS[facet]}: {labels[facet].get(value, value)}"
        label = _("Remove the filter “%(filter)s”") % {"filter": name}
        ways.append(WayOut(label, _url(query, fewer, None), count))
    if query and chosen:  # without filters, it is "Browse the whole library"
        count = _all_of(chosen, values.documents).bit_count()
        label = _("Search without the text “%(text)s”") % {"text": query}
        ways.append(WayOut(label, _url("", selected, None), count))
    words = query.split()
    if len(words) > 1:
        for position, word in enumerate(words[:MAX_QUERY_WORDS]):
            rest = " ".join(words[:position] + words[position + 1 :])
            text_match = _text_match(rest, scope, ranked=False) if normalise(rest) else None
            among = values.documents & text_match[0] if text_match else values.documents
            count = _all_of(chosen, among).bit_count()
            label = _("Search without the word “%(word)s”") % {"word": word}
            ways.append(WayOut(label, _url(rest, selected, None), count))
    return sorted((way for way in ways if way.count), key=lambda way: -way.count)


def _all_of(chosen, bits):
    """`bits` restricted to the resources having every chosen facet."""
    for facet_bits in chosen.values():
        bits &= facet_bits
    return bits


# --- entry point -----------------------------------------------------------------------------


def library_search(library, params, per_page=RESULTS_PER_PAGE):
    notices = []
    query = _clean_query(params, notices)
    scope = _scope(library)
    labels = _labels(scope)
    selected = _clean_selection(params, labels, notices)
    sort = _clean_sort(params, query, notices)
    page_number = _clean_page_number(params, notices)

    values = _library_values(scope, private_sections())
    matching, by_relevance = values.documents, None
    if normalise(query).split():
        text_match = _text_match(query, scope, ranked=sort == "relevance")
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
            by_relevance = text_match[1]
    chosen = _selected_bits(values, selected)
    results = _all_of(chosen, matching)
    total = results.bit_count()
    num_pages = max(1, math.ceil(total / per_page))
    if page_number > num_pages:
        notices.append(
            _("There is no page %(number)d; showing the last page.") % {"number": page_number}
        )
        page_number = num_pages
    start = (page_number - 1) * per_page
    if by_relevance is not None:
        ids = _page_in_order(by_relevance, results, start, per_page)
    else:
        # SQLite has no relevance ranking: "relevance" lists the newest first there.
        order = values.orders["newest" if sort == "relevance" else sort]
        if results == values.documents:
            ids = list(order[start : start + per_page])
        else:
            ids = _page_in_order(order, results, start, per_page)

    facets, chips = [], []
    counts_by_facet = _all_counts(values, matching, chosen)
    for facet in FACETS:
        counts = counts_by_facet[facet]
        options = []
        for value in set(counts) | set(selected[facet]):
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
    if not total:
        search.ways_out = _ways_out(scope, values, query, selected, chosen, matching, labels)
    # The Atom feed of these results (resources.views.feed: same filters, newest first).
    feed_query = _url(query, selected, sort=None)
    search.feed_url = reverse("resources_feed") + (feed_query if feed_query != "?" else "")
    search.feed_title = _("%(library)s: newest resources") % {"library": library.title}
    if page_number > 1:
        search.previous_url = _url(query, selected, sort, page_number - 1)
    if page_number < num_pages:
        search.next_url = _url(query, selected, sort, page_number + 1)
    return search
