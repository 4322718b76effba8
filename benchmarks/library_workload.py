"""The library benchmark's workload (`python -m benchmarks library`, `make bench`): generate
many resources in bulk, then send a fixed mix of library requests through the whole Django stack
and measure them.

Generation writes rows directly, in batches, instead of saving pages one by one (which would take
hours for 100,000 resources): the `wagtailcore_page` rows with their tree position computed here
(materialised path under the library, depth, url_path), the `resources_resourcepage` rows, the
orderables (authors, languages, programmes, themes, regions), then the library's search tables
through `resources.index.index_resources`, the code publishing uses, so they have exactly the
shape the library reads. Not written: revisions, Wagtail's own search index (the site search)
and the reference index; the library does not read them.

Text is composed from a vocabulary about informal work, and the taxonomies are skewed
(Zipf-like: a few themes, regions and types are very common, most are rare), as in a real
library. Most resources are in English, some in French. Everything is drawn from a seeded
random generator: the same seed gives the same resources and the same requests.

Run it against a throwaway database only: it adds pages to whatever database is configured.
"""

import datetime
import functools
import math
import random
import re
import resource
import time
import tracemalloc
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, F, Max
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.text import slugify
from wagtail.models import Locale, Page

from resources import index
from resources.models import (
    LibraryPage,
    Region,
    ResourceAuthor,
    ResourceFacet,
    ResourceLanguage,
    ResourcePage,
    ResourceProgrammeLink,
    ResourceRegionLink,
    ResourceSearchDocument,
    ResourceThemeLink,
    ResourceType,
    Theme,
)
from resources.search import RESULTS_PER_PAGE

# --- vocabulary ------------------------------------------------------------------------------

SUBJECTS = [
    "Waste pickers",
    "Street vendors",
    "Domestic workers",
    "Home-based workers",
    "Market traders",
    "Informal transport workers",
    "Construction workers",
    "Garment workers",
    "Fish workers",
    "Informal workers",
    "Women in informal employment",
    "Self-employed workers",
]
ACTORS = [
    "waste pickers",
    "street vendors",
    "domestic workers",
    "home-based workers",
    "market traders",
    "informal transport workers",
    "construction workers",
    "garment workers",
    "fish workers",
    "women informal workers",
    "membership-based organisations",
    "local governments",
    "cooperatives of recyclers",
    "trade unions",
]
VERBS = [
    "negotiate for",
    "organise to win",
    "campaign for",
    "document their lack of",
    "lose access to",
    "gain access to",
    "demand",
    "report on",
    "secure",
    "depend on",
]
OBJECTS = [
    "social protection",
    "access to public space",
    "fair piece rates",
    "health insurance",
    "childcare services",
    "occupational health and safety",
    "recognition by the municipality",
    "a minimum wage",
    "old-age pensions",
    "water and sanitation",
    "collective bargaining",
    "secure vending sites",
    "contracts for solid waste collection",
    "maternity benefits",
    "income support during the crisis",
    "affordable housing near work",
]
QUALIFIERS = [
    "after the COVID-19 crisis",
    "despite repeated evictions",
    "through their membership-based organisations",
    "with the support of the local authority",
    "according to the labour force survey",
    "in the face of rising costs of living",
    "under the new urban plan",
    "as recognised by ILO Recommendation 204",
    "across the informal economy",
    "without any written contract",
]
# City names are in no taxonomy term's name: a search for one finds exactly the resources whose
# text mentions it (the test counts them).
CITIES = [
    "Accra",
    "Dakar",
    "Durban",
    "Ahmedabad",
    "Bangkok",
    "Lima",
    "Bogotá",
    "Delhi",
    "Nairobi",
    "Kampala",
    "Dhaka",
    "Lahore",
    "Montevideo",
    "Pune",
    "Belo Horizonte",
]
ANGLES = [
    "a statistical picture",
    "lessons from organising",
    "a policy brief",
    "findings from a household survey",
    "what the law says",
    "a practice record",
    "evidence for local government",
    "voices of workers",
    "trends from 2000 to 2020",
    "a guide for organisers",
]
STATISTICS = [
    "The labour force survey of {year} counts {millions} million informal workers, "
    "{share} per cent of them women.",
    "Informal employment is {share} per cent of total employment in {city}, and {other} "
    "per cent of women's employment.",
    "The study draws on {interviews} interviews and {groups} focus groups with {actor} in {city}.",
    "Median earnings of {actor} fell by {other} per cent between {year} and {later}.",
]
ORGANISATIONS = [
    "WIEGO",
    "StreetNet International",
    "HomeNet South Asia",
    "International Domestic Workers Federation",
    "Global Alliance of Waste Pickers",
    "International Labour Organization",
]
SURNAMES = [
    "Chen",
    "Vanek",
    "Carré",
    "Alfers",
    "Roever",
    "Dias",
    "Ogando",
    "Rogan",
    "Skinner",
    "Moussié",
    "Kumar",
    "Mensah",
    "Ndiaye",
    "Quispe",
    "Sinha",
    "Harvey",
    "Bonner",
    "Reed",
    "Valdivia",
    "Tanaka",
]

FRENCH_SUBJECTS = [
    "Les récupératrices de déchets",
    "Les vendeuses de rue",
    "Les travailleuses domestiques",
    "Les travailleuses à domicile",
    "Les commerçantes des marchés",
]
FRENCH_ACTORS = [
    "les récupérateurs de déchets",
    "les vendeuses de rue",
    "les travailleuses domestiques",
    "les travailleuses à domicile",
    "les organisations de base",
    "les syndicats",
]
FRENCH_VERBS = ["négocient", "revendiquent", "documentent l'absence de", "perdent", "obtiennent"]
FRENCH_OBJECTS = [
    "la protection sociale",
    "l'accès à l'espace public",
    "l'assurance maladie",
    "des services de garde d'enfants",
    "la santé et la sécurité au travail",
    "la reconnaissance par la municipalité",
    "une pension de vieillesse",
]
FRENCH_QUALIFIERS = [
    "après la crise de la COVID-19",
    "malgré les expulsions répétées",
    "grâce à leurs organisations",
    "selon l'enquête sur la population active",
    "dans l'économie informelle",
]
FRENCH_ANGLES = ["un portrait statistique", "les leçons de l'organisation", "une note politique"]

# Searches visitors type: common words, phrases, a city, a French phrase, a rare word.
TEXT_QUERIES = [
    "waste pickers",
    "social protection",
    "street vendors",
    "domestic workers",
    "informal economy statistics",
    "home-based workers",
    "childcare",
    "occupational health",
    "Accra",
    "pensions",
    "labour force survey",
    "evictions",
    "collective bargaining",
    "public space Durban",
    "protection sociale",
    "maternity benefits",
    "Montevideo cooperatives",
    "minimum wage",
]
# Zipf exponent of the taxonomies: with ten themes, the first is chosen about a third of the time.
ZIPF_EXPONENT = 1.1
FRENCH_SHARE = 0.12
UNDATED_SHARE = 0.02


def zipf_weights(count, exponent=ZIPF_EXPONENT):
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def weighted_sample(rng, items, weights, size):
    """`size` distinct items, each drawn with its weight."""
    chosen = []
    items, weights = list(items), list(weights)
    for _ in range(min(size, len(items))):
        position = rng.choices(range(len(items)), weights)[0]
        chosen.append(items.pop(position))
        weights.pop(position)
    return chosen


# --- what is generated -----------------------------------------------------------------------


@dataclass
class Vocabulary:
    """The terms of the library's language that generated resources are classified with, in a
    seeded order that decides which are common (first) and which rare (last)."""

    types: list
    themes: list
    regions: list
    programmes: list

    @classmethod
    def of(cls, library, rng):
        from programmes.models import ProgrammePage

        def shuffled(queryset):
            terms = list(queryset.order_by("pk"))
            rng.shuffle(terms)
            return terms

        locale_id = library.locale_id
        return cls(
            types=shuffled(ResourceType.objects.filter(locale_id=locale_id)),
            themes=shuffled(Theme.objects.filter(locale_id=locale_id)),
            regions=shuffled(Region.objects.filter(locale_id=locale_id)),
            programmes=shuffled(ProgrammePage.objects.live().filter(locale_id=locale_id)),
        )


@dataclass
class Spec:
    """What one generated resource is: what the test checks the library search against."""

    title: str
    summary: str
    paragraphs: list
    language: str
    publication_date: datetime.date | None
    authors: list
    type: object
    themes: list
    regions: list
    programmes: list
    cities: set

    def facet_values(self):
        values = {("language", self.language)}
        if self.type is not None:
            values.add(("type", str(self.type.translation_key)))
        values |= {("theme", str(term.translation_key)) for term in self.themes}
        values |= {("region", str(term.translation_key)) for term in self.regions}
        values |= {("programme", str(page.translation_key)) for page in self.programmes}
        if self.publication_date:
            values.add(("year", str(self.publication_date.year)))
        return values


def _sentence(rng, language, cities):
    city = rng.choice(CITIES)
    if language == "fr":
        cities.add(city)
        return (
            f"À {city}, {rng.choice(FRENCH_ACTORS)} {rng.choice(FRENCH_VERBS)} "
            f"{rng.choice(FRENCH_OBJECTS)} {rng.choice(FRENCH_QUALIFIERS)}."
        )
    if rng.random() < 0.25:
        year = rng.randint(2000, 2020)
        template = rng.choice(STATISTICS)
        if "{city}" in template:
            cities.add(city)
        return template.format(
            year=year,
            later=year + rng.randint(1, 4),
            millions=rng.randint(2, 400),
            share=rng.randint(40, 93),
            other=rng.randint(5, 60),
            interviews=rng.randint(20, 2000),
            groups=rng.randint(3, 40),
            actor=rng.choice(ACTORS),
            city=city,
        )
    cities.add(city)
    actor = rng.choice(ACTORS)
    return f"In {city}, {actor} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}."


def make_spec(rng, vocabulary, weights):
    language = "fr" if rng.random() < FRENCH_SHARE else "en"
    themes = weighted_sample(rng, vocabulary.themes, weights["themes"], rng.choice((1, 1, 2, 3)))
    regions = weighted_sample(rng, vocabulary.regions, weights["regions"], rng.choice((1, 1, 2)))
    programmes = weighted_sample(
        rng, vocabulary.programmes, weights["programmes"], rng.choice((1, 1, 1, 2))
    )
    resource_type = rng.choices(vocabulary.types, weights["types"])[0] if vocabulary.types else None
    place = regions[0].name if regions else rng.choice(CITIES)
    cities = set() if regions else {place}
    if language == "fr":
        title = f"{rng.choice(FRENCH_SUBJECTS)} : {rng.choice(FRENCH_ANGLES)} ({place})"
    else:
        subject = themes[0].name if themes and rng.random() < 0.5 else rng.choice(SUBJECTS)
        title = f"{subject} in {place}: {rng.choice(ANGLES)}"
    # Word counts of 100 to 300 in the body, in two to four paragraphs.
    sentences = [_sentence(rng, language, cities) for _ in range(rng.randint(8, 22))]
    cut = sorted(rng.sample(range(1, len(sentences)), rng.randint(1, 3)))
    paragraphs = [
        " ".join(sentences[start:end])
        for start, end in zip([0, *cut], [*cut, len(sentences)], strict=True)
    ]
    summary_cities = set()
    summary = _sentence(rng, language, summary_cities)
    cities |= summary_cities
    # Skewed towards recent years, as libraries are.
    if rng.random() < UNDATED_SHARE:
        publication_date = None
    else:
        year = max(1995, 2025 - int(rng.expovariate(1 / 4)))
        publication_date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.2:
        authors = [rng.choice(ORGANISATIONS)]
    else:
        authors = [
            f"{name}, {chr(65 + rng.randint(0, 25))}."
            for name in rng.sample(SURNAMES, rng.randint(1, 4))
        ]
    return Spec(
        title=title,
        summary=summary,
        paragraphs=paragraphs,
        language=language,
        publication_date=publication_date,
        authors=authors,
        type=resource_type,
        themes=themes,
        regions=regions,
        programmes=programmes,
        cities=cities,
    )


# --- writing ---------------------------------------------------------------------------------


@dataclass
class Generation:
    count: int
    seconds: float
    ids: list = field(default_factory=list)
    specs: list = field(default_factory=list)


def english_library():
    """The library of the default language, the one `load_demo` creates."""
    library = (
        LibraryPage.objects.filter(locale=Locale.get_default()).order_by("path").first()
        or LibraryPage.objects.order_by("path").first()
    )
    if library is None:
        raise LookupError("There is no library page: run `manage.py load_demo` first.")
    return library


def _insert(model, objects, fields):
    """INSERT the rows of `fields` of `objects`, in batches the database accepts: what
    bulk_create does, for the tables of a multi-table page model it refuses."""
    if not objects:
        return
    batch_size = max(1, connection.ops.bulk_batch_size(fields, objects))
    for start in range(0, len(objects), batch_size):
        model._base_manager._insert(objects[start : start + batch_size], fields=fields)


def _next_child_position(library):
    last = Page.objects.filter(path__startswith=library.path, depth=library.depth + 1).aggregate(
        last=Max("path")
    )["last"]
    return Page._str2int(last[-Page.steplen :]) + 1 if last else 1


def _write_batch(library, specs, first_id, first_position, content_type_id, run):
    """Write the pages, resource rows, child rows and search rows of `specs`."""
    pages, children = [], []
    for offset, spec in enumerate(specs):
        page_id = first_id + offset
        slug = f"{slugify(spec.title)[:60].strip('-')}-{page_id}"
        published = (
            datetime.datetime.combine(spec.publication_date, datetime.time(12), tzinfo=datetime.UTC)
            if spec.publication_date
            else run
        )
        page = ResourcePage(
            id=page_id,
            content_type_id=content_type_id,
            path=Page._get_path(library.path, library.depth + 1, first_position + offset),
            depth=library.depth + 1,
            numchild=0,
            title=spec.title,
            draft_title=spec.title,
            slug=slug,
            url_path=f"{library.url_path}{slug}/",
            locale_id=library.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            summary=spec.summary,
            resource_type=spec.type,
            publication_date=spec.publication_date,
            publisher=spec.authors[0] if spec.authors[0] in ORGANISATIONS else "WIEGO",
            body=[
                {"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())}
                for text in spec.paragraphs
            ],
        )
        page.page_ptr_id = page_id
        pages.append(page)
        children += [
            ResourceAuthor(resource_id=page_id, name=name, sort_order=n)
            for n, name in enumerate(spec.authors)
        ]
        children.append(ResourceLanguage(resource_id=page_id, language=spec.language, sort_order=0))
        children += [
            ResourceThemeLink(resource_id=page_id, theme_id=term.pk, sort_order=n)
            for n, term in enumerate(spec.themes)
        ]
        children += [
            ResourceRegionLink(resource_id=page_id, region_id=term.pk, sort_order=n)
            for n, term in enumerate(spec.regions)
        ]
        children += [
            ResourceProgrammeLink(resource_id=page_id, programme_id=programme.pk, sort_order=n)
            for n, programme in enumerate(spec.programmes)
        ]
    with transaction.atomic():
        _insert(Page, pages, Page._meta.local_concrete_fields)
        _insert(ResourcePage, pages, ResourcePage._meta.local_concrete_fields)
        for model in (
            ResourceAuthor,
            ResourceLanguage,
            ResourceThemeLink,
            ResourceRegionLink,
            ResourceProgrammeLink,
        ):
            model.objects.bulk_create(
                [child for child in children if type(child) is model], batch_size=2000
            )
        index.index_resources(pages)
    return [page.pk for page in pages]


def generate_resources(count, seed=0, batch_size=1000, library=None, keep_specs=False, log=None):
    """Add `count` published resources to the library (the default language's when not given)
    in batches of `batch_size`, indexed for the library's search. Returns a `Generation`."""
    started = time.perf_counter()
    library = library or english_library()
    rng = random.Random(seed)
    vocabulary = Vocabulary.of(library, rng)
    weights = {
        name: zipf_weights(len(getattr(vocabulary, name)))
        for name in ("types", "themes", "regions", "programmes")
    }
    content_type_id = ContentType.objects.get_for_model(ResourcePage).pk
    first_id = (Page.objects.aggregate(last=Max("id"))["last"] or 0) + 1
    first_position = _next_child_position(library)
    run = datetime.datetime.now(datetime.UTC)
    generation = Generation(count=count, seconds=0)
    for start in range(0, count, batch_size):
        specs = [make_spec(rng, vocabulary, weights) for _ in range(min(batch_size, count - start))]
        generation.ids += _write_batch(
            library, specs, first_id + start, first_position + start, content_type_id, run
        )
        if keep_specs:
            generation.specs += specs
        if log:
            log(f"  {start + len(specs):,} of {count:,} resources written")
    Page.objects.filter(pk=library.pk).update(numchild=F("numchild") + count)
    library.numchild += count
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Page]):
            cursor.execute(sql)
        # The planner's statistics, which autovacuum would gather after such a load.
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    generation.seconds = time.perf_counter() - started
    return generation


# --- the request mix -------------------------------------------------------------------------

SCENARIOS = ("first page", "text", "facets", "text + 2 facets", "deep page")
# The requests with a text, whatever their scenario, by whether the run had searched their text
# (in that sort) before: the library keeps a text's match in Django's cache (resources/search.py,
# `_text_match`), so the first search of a text pays the match and a repeated one does not.
TEXT_ROWS = ("text: first time", "text: again")


@dataclass
class Request:
    scenario: str
    params: dict


def facet_values_of(library):
    """{facet: [values]} present in the library, in a stable order."""
    rows = (
        ResourceFacet.objects.filter(
            resource_id__in=ResourceSearchDocument.objects.filter(library_id=library.pk).values(
                "resource_id"
            )
        )
        .values_list("facet", "value")
        .annotate(count=Count("id"))
        .order_by("facet", "value")
    )
    values = {}
    for facet, value, _count in rows:
        values.setdefault(facet, []).append(value)
    return values


def build_requests(library, count=200, seed=0):
    """A fixed mix of `count` library requests, the same share of each scenario: the first page,
    a text search, one or two facets, a text search with two facets, a deep page (sorted by
    date, title or oldest). Every request computes the counts of all six facets."""
    rng = random.Random(seed)
    values = facet_values_of(library)
    facets = sorted(values)
    total = ResourceSearchDocument.objects.filter(library_id=library.pk).count()
    num_pages = max(1, math.ceil(total / RESULTS_PER_PAGE))
    requests = []
    for number in range(count):
        scenario = SCENARIOS[number % len(SCENARIOS)]
        params = {}
        if scenario in ("text", "text + 2 facets"):
            params["q"] = rng.choice(TEXT_QUERIES)
        if scenario == "facets" and facets:
            for facet in rng.sample(facets, min(len(facets), rng.choice((1, 2)))):
                params[facet] = rng.choice(values[facet])
        if scenario == "text + 2 facets" and facets:
            for facet in rng.sample(facets, min(len(facets), 2)):
                params[facet] = rng.choice(values[facet])
        if scenario == "deep page":
            params["page"] = str(rng.randint(max(1, num_pages // 2), num_pages))
            params["sort"] = rng.choice(("newest", "newest", "title", "oldest"))
            if rng.random() < 0.3 and facets:
                facet = rng.choice(facets)
                params[facet] = rng.choice(values[facet])
        requests.append(Request(scenario, params))
    return requests


class RequestFailed(Exception):
    """A library request did not answer 200."""


@dataclass
class Measurement:
    scenario: str
    milliseconds: float
    cpu_milliseconds: float
    queries: int
    params: dict
    # The number of results the page says it found; None when it could not be read.
    results: int | None = None
    # The time of the request's SQL queries as the client saw it (Django's query log, to the
    # millisecond): the database's share of the elapsed time, queueing for the CPU included.
    sql_milliseconds: float = 0.0
    # For a request with a text: whether the run had sent its text in its sort before.
    text_again: bool | None = None


# "<p class="library__count" ...>1,234 resources found": the page's own count of results.
RESULTS_COUNT = re.compile(r'class="library__count"[^>]*>\s*(\d[\d,.\s\u202f\xa0]*)')


def results_of(content):
    match = RESULTS_COUNT.search(content.decode(errors="replace"))
    return int(re.sub(r"\D", "", match.group(1))) if match else None


def without_page_caches(function):
    """What is measured is the search: neither the page cache nor the template fragments
    (ngo_site.page_cache) a site puts before it."""

    @functools.wraps(function)
    def measured(*args, **kwargs):
        dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        caches = {**settings.CACHES, "template_fragments": dummy}
        with override_settings(WAGTAIL_CACHE=False, CACHES=caches):
            return function(*args, **kwargs)

    return measured


@without_page_caches
def run_requests(library, requests, client=None, warm_up=5):
    """Send each request to the library page through the whole stack (middleware, Wagtail's
    page serving, the template) with the test client; time it and count its SQL queries.
    The CPU time is this process's: on SQLite it includes the database's work, on PostgreSQL
    it does not; next to the elapsed time it shows how much a busy machine slowed a request.
    The cache starts empty (no text searched before the warm-up)."""
    client = client or Client()
    url = library.url
    cache.clear()
    searched = set()
    for request in requests[:warm_up]:
        client.get(url, request.params)
        searched.add(_text_and_sort(request.params))
    measurements = []
    for request in requests:
        text_and_sort = _text_and_sort(request.params)
        text_again = text_and_sort in searched if text_and_sort[0] else None
        searched.add(text_and_sort)
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, request.params)
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu_started) * 1000
        if response.status_code != 200:
            raise RequestFailed(f"{url} {request.params} answered {response.status_code}")
        measurements.append(
            Measurement(
                request.scenario,
                elapsed,
                cpu,
                len(queries),
                dict(request.params),
                results_of(response.content),
                sum(float(query["time"]) for query in queries.captured_queries) * 1000,
                text_again,
            )
        )
    return measurements


def _text_and_sort(params):
    return params.get("q", ""), params.get("sort", "")


@without_page_caches
def peak_request_memory(library, requests, client=None, per_scenario=2):
    """The most memory one request allocates (tracemalloc's peak, in bytes), over the first
    requests of each scenario. Measured apart from the timings: tracemalloc slows Python."""
    client = client or Client()
    chosen = []
    for scenario in SCENARIOS:
        chosen += [request for request in requests if request.scenario == scenario][:per_scenario]
    peak = 0
    tracemalloc.start()
    try:
        for request in chosen:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            client.get(library.url, request.params)
            peak = max(peak, tracemalloc.get_traced_memory()[1] - before)
    finally:
        tracemalloc.stop()
    return peak


def process_peak_memory():
    """The process's peak resident memory in bytes (ru_maxrss is in kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --- figures ---------------------------------------------------------------------------------


def percentile(values, fraction):
    """Nearest-rank percentile: the smallest value with at least `fraction` of values <= it."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class Row:
    scenario: str
    requests: int
    p50: float
    p95: float
    max: float
    cpu_p50: float
    min_queries: int
    max_queries: int
    sql_p50: float = 0.0


def summarise(measurements):
    """One row per scenario, in the order of SCENARIOS, then the TEXT_ROWS, then "all"."""
    rows = []
    groups = [(s, [m for m in measurements if m.scenario == s]) for s in SCENARIOS]
    for name, again in zip(TEXT_ROWS, (False, True), strict=True):
        groups.append((name, [m for m in measurements if m.text_again is again]))
    for scenario, group in [*groups, ("all", measurements)]:
        if not group:
            continue
        times = [m.milliseconds for m in group]
        queries = [m.queries for m in group]
        rows.append(
            Row(
                scenario,
                len(group),
                percentile(times, 0.5),
                percentile(times, 0.95),
                max(times),
                percentile([m.cpu_milliseconds for m in group], 0.5),
                min(queries),
                max(queries),
                percentile([m.sql_milliseconds for m in group], 0.5),
            )
        )
    return rows


def queries_by_scenario(measurements):
    """{scenario: (fewest, most)} queries per request of the pages that found something (a page
    without results loads no resources, so it makes fewer queries whatever the library's size);
    all pages when none found anything."""
    with_results = [m for m in measurements if m.results != 0]
    rows = summarise(with_results or measurements)
    return {row.scenario: (row.min_queries, row.max_queries) for row in rows}


def format_table(rows):
    lines = [
        f"{'scenario':<17} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'CPU p50':>8} {'SQL p50':>8}  queries/request"
    ]
    for row in rows:
        queries = (
            str(row.min_queries)
            if row.min_queries == row.max_queries
            else f"{row.min_queries}–{row.max_queries}"
        )
        lines.append(
            f"{row.scenario:<17} {row.requests:>8} {row.p50:>8.1f} {row.p95:>8.1f} "
            f"{row.max:>8.1f} {row.cpu_p50:>8.1f} {row.sql_p50:>8.1f}  {queries}"
        )
    return "\n".join(lines)
