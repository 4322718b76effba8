"""The library's faceted full-text search: one entry point, `library_search(library, GET)`.

Reads only the denormalised tables of resources/index.py. Queries per request are constant:
restrictions (1), the default locale and the library's locale (1-2), the default language's
library (1, only for a library in another language), labels of the terms and programmes (4),
the documents a text search matched (1, only with a query and no facet), results count (1),
the facet counts (6 on SQLite; on PostgreSQL one grouped query plus one per facet with a
selection), one page of ids (1) and the resources of that page with their cover images (3).
A text search without facets matches the text once and hands the matching ids to the count and
facet queries, instead of each repeating the match (docs/benchmarks.md).

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
English for English, including the English ones listed in the French library); SQLite matches
every word of the query as the start of a word of a normalised text column (LIKE, accents and
case ignored, no stemming, no relevance ranking: "relevance" sorts newest first there).
"""

import json
import math
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, PageViewRestriction

from .index import FACETS, normalise, text_search_config

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


def _first(params, name, notices):
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name, "")]
    values = [value for value in values if value is not None]
    if len(values) > 1 and len(set(values)) > 1:
        notices.append(_("Only the first “%(name)s” value was used.") % {"name": name})
    return (values[0] if values else "").replace("\x00", "")


def _clean_query(params, notices):
    query = " ".join(_first(params, "q", notices).split())
    if len(query) > MAX_QUERY_LENGTH:
        notices.append(
            _("The search text was cut to its first %(count)d characters.")
            % {"count": MAX_QUERY_LENGTH}
        )
        query = query[:MAX_QUERY_LENGTH]
    return query


def _well_formed(facet, value):
    if facet == "language":
        return value in dict(RESOURCE_LANGUAGE_CHOICES())
    if facet == "year":
        return bool(re.fullmatch(r"\d{4}", value)) and MIN_YEAR <= int(value) <= MAX_YEAR
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
        values, ignored = [], 0
        for value in raw:
            value = value.replace("\x00", "").strip()
            if not value or value in values:
                continue
            known = facet == "year" or value in labels[facet]
            if _well_formed(facet, value) and known and len(values) < MAX_VALUES_PER_FACET:
                values.append(value)
            else:
                ignored += 1
        if ignored:
            notices.append(
                _("%(count)d unknown “%(facet)s” filter value(s) were ignored.")
                % {"count": ignored, "facet": FACET_LABELS[facet]}
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
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        notices.append(_("The page number was not valid; showing the first page."))
        return 1
    return int(raw)


# --- labels ----------------------------------------------------------------------------------


def _labels(scope):
    """{facet: {value: label}} in the library's language, falling back to the default
    language for terms not translated yet."""
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
    chosen = {}
    for key, row_locale_id, name in rows:
        if str(key) not in chosen or row_locale_id == locale_id:
            chosen[str(key)] = name
    return chosen


# --- querying --------------------------------------------------------------------------------


def _base(scope):
    """The library's own resources plus, for a library in another language than the default,
    the default language's resources with no live translation in it (listed in the original).
    Subqueries rather than joins: the full-text conditions name this table's columns."""
    from .models import ResourceSearchDocument

    library = scope.library
    own = ResourceSearchDocument.objects.filter(library_id=library.pk)
    documents = own
    if scope.fallback_library_id:
        translated_keys = Page.objects.filter(pk__in=own.values("resource_id")).values(
            "translation_key"
        )
        translated_originals = Page.objects.filter(
            translation_key__in=translated_keys, locale_id=scope.default_locale_id
        ).values("pk")
        documents = ResourceSearchDocument.objects.filter(
            Q(library_id=library.pk)
            | (Q(library_id=scope.fallback_library_id) & ~Q(resource_id__in=translated_originals))
        )
    # Resources under a view restriction (login, password...) are not listed.
    restricted = list(
        PageViewRestriction.objects.filter(page__path__startswith=library.path[:4]).values_list(
            "page__path", flat=True
        )
    )
    if restricted:
        under_restriction = Q()
        for path in restricted:
            under_restriction |= Q(path__startswith=path)
        documents = documents.exclude(
            resource_id__in=Page.objects.filter(under_restriction).values("pk")
        )
    return documents


def _with_text(documents, query, scope):
    words = normalise(query).split()[:MAX_QUERY_WORDS]
    if not words:
        return documents
    if connection.vendor == "postgresql":
        # Each word must match (AND), stemmed by the configuration each resource's vector was
        # built with: its language's (index.py), so the English originals listed in the French
        # library are matched as English.
        tsquery = " & ".join(f"{word}:*" if len(word) > 2 else word for word in words)
        match = "to_tsquery(%s::regconfig, %s)"
        config = text_search_config(scope.language_code)
        fallback_config = text_search_config(scope.fallback_language_code)
        if not scope.fallback_library_id or fallback_config == config:
            return documents.extra(
                select={"rank": f"ts_rank(vector, {match})"},
                select_params=[config, tsquery],
                where=[f"vector @@ {match}"],
                params=[config, tsquery],
            )
        # One condition per language, each able to use the GIN index on `vector`.
        where = f"(locale_id = %s AND vector @@ {match}) OR (locale_id <> %s AND vector @@ {match})"
        rank = f"ts_rank(vector, CASE WHEN locale_id = %s THEN {match} ELSE {match} END)"
        return documents.extra(
            select={"rank": rank},
            select_params=[scope.locale_id, config, tsquery, fallback_config, tsquery],
            where=[where],
            params=[scope.locale_id, config, tsquery, scope.locale_id, fallback_config, tsquery],
        )
    for word in words:
        documents = documents.filter(text__contains=f" {word}")
    return documents


def _with_facets(documents, selected, except_facet=None):
    from .models import ResourceFacet

    for facet, values in selected.items():
        if values and facet != except_facet:
            rows = ResourceFacet.objects.filter(facet=facet, value__in=values)
            documents = documents.filter(resource_id__in=rows.values("resource_id"))
    return documents


def _ordered(documents, sort, query):
    if sort == "relevance" and query and connection.vendor == "postgresql":
        return documents.order_by("-rank", "-publication_date", "-resource_id")
    if sort == "oldest":
        return documents.order_by(F("publication_date").asc(nulls_last=True), "resource_id")
    if sort == "title":
        return documents.order_by("title_sort", "resource_id")
    return documents.order_by(
        F("publication_date").desc(nulls_last=True), "-first_published_at", "-resource_id"
    )


def _counts(documents, facet):
    from .models import ResourceFacet

    rows = (
        ResourceFacet.objects.filter(facet=facet, resource_id__in=documents.values("resource_id"))
        .values("value")
        .annotate(count=Count("id"))
        .values_list("value", "count")
    )
    return dict(rows)


def _all_counts(documents, selected):
    """{facet: {value: count}}. On PostgreSQL in 1 + (facets with a selection) queries rather
    than 6: the facets with nothing selected share the same filter (every selected facet), so
    one grouped query counts them in one pass over the facet rows (each per-facet query scanned
    them all anyway); a facet with a selection is counted apart, without its own values
    (disjunctive counts)."""
    from .models import ResourceFacet

    if connection.vendor != "postgresql":
        # SQLite is faster one facet at a time: each query reads the (facet, value, resource)
        # index in order, where the grouped query sorts every facet row.
        return {
            facet: _counts(_with_facets(documents, selected, except_facet=facet), facet)
            for facet in FACETS
        }
    counts = {facet: {} for facet in FACETS}
    unselected = [facet for facet in FACETS if not selected.get(facet)]
    if unselected:
        rows = ResourceFacet.objects.filter(
            resource_id__in=_with_facets(documents, selected).values("resource_id")
        )
        if len(unselected) < len(FACETS):
            rows = rows.filter(facet__in=unselected)
        grouped = rows.values("facet", "value").annotate(count=Count("id"))
        for facet, value, count in grouped.values_list("facet", "value", "count"):
            counts[facet][value] = count
    for facet in FACETS:
        if selected.get(facet):
            counts[facet] = _counts(_with_facets(documents, selected, except_facet=facet), facet)
    return counts


def _matched_once(documents):
    """The documents a text search matched, found with one query and handed back to the
    database as a single parameter (an array on PostgreSQL, JSON on SQLite): the count and the
    facet counts then read them instead of each matching the text again, which for common
    words is a scan of every document's vector or text."""
    from .models import ResourceSearchDocument

    ids = list(documents.values_list("resource_id", flat=True))
    if connection.vendor == "postgresql":
        return ResourceSearchDocument.objects.extra(
            where=["resource_id = ANY(%s::bigint[])"],
            params=["{" + ",".join(map(str, ids)) + "}"],
        )
    return ResourceSearchDocument.objects.filter(
        resource_id__in=RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
    )


def _page_of_resources(ids, type_labels, scope):
    """The resources of one page of results, in order. Those shown in their original language
    (not translated into the library's yet) carry `is_original`, `language_code` and
    `language_name` (in that language: "English"), for the "English" label and `lang`."""
    from .models import ResourcePage
    from .queries import with_card_images

    resources = with_card_images(
        ResourcePage.objects.filter(pk__in=ids).select_related("resource_type").defer("body")
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

    matching = _with_text(_base(scope), query, scope)
    # Without a facet, the full-text match would be the whole cost of the count and of each
    # facet's count: run it once. (With facets, those queries narrow the rows by facet first.)
    only_text = normalise(query).split() and not any(selected.values())
    base = _matched_once(matching) if only_text else matching
    results = _with_facets(base, selected)
    total = results.count()
    num_pages = max(1, math.ceil(total / per_page))
    if page_number > num_pages:
        notices.append(
            _("There is no page %(number)d; showing the last page.") % {"number": page_number}
        )
        page_number = num_pages
    start = (page_number - 1) * per_page
    ids = list(
        # The page's order may need the text match itself (relevance rank on PostgreSQL).
        _ordered(_with_facets(matching, selected), sort, query).values_list(
            "resource_id", flat=True
        )[start : start + per_page]
    )

    facets, chips = [], []
    counts_by_facet = _all_counts(base, selected)
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
            options.append(Option(value, label, count, is_selected, url))
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
    if page_number > 1:
        search.previous_url = _url(query, selected, sort, page_number - 1)
    if page_number < num_pages:
        search.next_url = _url(query, selected, sort, page_number + 1)
    return search
