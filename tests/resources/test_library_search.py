"""The library's faceted search, used the way visitors use it: GET requests to the library page."""

import datetime
import itertools

import pytest
from bs4 import BeautifulSoup
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from resources import search
from tests.programmes.factories import ProgrammeIndexPageFactory, ProgrammePageFactory
from tests.resources.factories import (
    LibraryPageFactory,
    RegionFactory,
    ResourceTypeFactory,
    ThemeFactory,
    make_resource,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(home_page):
    return LibraryPageFactory(parent=home_page)


@pytest.fixture
def terms(home_page):
    index = ProgrammeIndexPageFactory(parent=home_page)
    return {
        "type": [ResourceTypeFactory(name=name) for name in ("Brief", "Video")],
        "theme": [ThemeFactory(name=name) for name in ("Care", "Waste", "Migration")],
        "region": [RegionFactory(name=name) for name in ("Ghana", "Peru")],
        "programme": [ProgrammePageFactory(parent=index, title=t) for t in ("Law", "Statistics")],
        "language": ["en", "fr", "es"],
        "year": [2019, 2021, 2023],
    }


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def result_titles(response):
    return [link.get_text(strip=True) for link in soup_of(response).select(".library-item h3 a")]


def facet_counts(response):
    """{facet: {option value: count}} as the page shows them."""
    counts = {}
    for fieldset in soup_of(response).select("fieldset.facet"):
        facet = fieldset["id"].removeprefix("facet-")
        counts[facet] = {}
        for item in fieldset.select("li"):
            value = item.find("input")["value"]
            count = item.select_one(".facet__count").get_text(strip=True).strip("()")
            counts[facet][value] = int(count)
    return counts


# --- facet counts against a brute-force count ---------------------------------------------------
#
# Hypothesis draws a library (0 to MAX_RESOURCES resources, each with a type or none, themes,
# regions, programmes, languages, a year or none, and which words its title, summary and authors
# hold), a selection (any number of values in any number of facets, values no resource has
# included), a text query of up to two words and a sort. The page's facet counts, checked
# options, total and results (in order) must equal a count in plain Python over the drawn data.
#
# The words are chosen so that "the resource's text has the word" is exactly what both databases
# match (resources/search.py, `_text_matches`): no word, nor its Snowball stem in English or
# French, is the start of another word of the resources' text (titles "Item NN ...", summaries
# "Notes ...", the names of the terms of the `terms` fixture), so SQLite's prefix-or-stem match
# and PostgreSQL's English prefix match (`kettl:*`) find the same resources. "care" and "waste"
# are names of themes: a resource's text holds the names of its terms.

TEXT_WORDS = ("harbour", "lantern", "orchid", "kettle")
QUERY_WORDS = (*TEXT_WORDS, "care", "waste", "quokka")  # "quokka": no resource has it
DATA_LANGUAGES = ("en", "fr", "es")
DATA_YEARS = (2019, 2020, 2021)
MAX_RESOURCES = 6


def drawn_subset(values):
    """A subset of `values`, each in it half the time (st.sets mostly draws small sets: the
    resources would share few values, and the selections would mostly leave nothing)."""
    flags = st.tuples(*(st.booleans() for _ in values))
    return flags.map(lambda flags: {value for value, on in zip(values, flags, strict=True) if on})


drawn_resource = st.fixed_dictionaries(
    {
        # Indexes into the terms of the `terms` fixture (drawn before the fixture exists).
        "type": st.sampled_from((set(), {0}, {1})),
        "theme": drawn_subset((0, 1, 2)),
        "region": drawn_subset((0, 1)),
        "programme": drawn_subset((0, 1)),
        "language": drawn_subset(DATA_LANGUAGES),
        "year": st.sampled_from((None, *DATA_YEARS)),
        "title_words": drawn_subset(TEXT_WORDS),
        "summary_words": drawn_subset(TEXT_WORDS),
        "author_words": st.sets(st.sampled_from(TEXT_WORDS), max_size=1),
    }
)
# Any number of resources up to the maximum equally often (lists are mostly short otherwise).
drawn_library = st.integers(0, MAX_RESOURCES).flatmap(
    lambda size: st.lists(drawn_resource, min_size=size, max_size=size)
)


def drawn_values(values):
    """No value half the time (each active facet leaves fewer results), else one or more."""
    return st.one_of(st.just([]), st.lists(values, min_size=1, unique=True))


# A selection may hold values no resource has: Portuguese, 2018 (and terms nobody uses).
drawn_selection = st.fixed_dictionaries(
    {
        "type": drawn_values(st.integers(0, 1)),
        "theme": drawn_values(st.integers(0, 2)),
        "region": drawn_values(st.integers(0, 1)),
        "programme": drawn_values(st.integers(0, 1)),
        "language": drawn_values(st.sampled_from((*DATA_LANGUAGES, "pt"))),
        "year": drawn_values(st.sampled_from((2018, *DATA_YEARS))),
    }
)
drawn_query = st.lists(st.sampled_from(QUERY_WORDS), unique=True, max_size=2)
drawn_sort = st.sampled_from(("", "relevance", "newest", "oldest", "title"))


def drawn_by_hand(**fields):
    """A resource as `drawn_resource` draws it: the `fields` given, nothing else, undated."""
    empty = {facet: set() for facet in ("type", "theme", "region", "programme", "language")}
    words = {"title_words": set(), "summary_words": set(), "author_words": set()}
    return {**empty, "year": None, **words, **fields}


def undated(count):
    """`count` undated resources with nothing else."""
    return [drawn_by_hand() for _ in range(count)]


# Several facets with several values each, and matches in titles, summaries and authors.
RICH_LIBRARY = [
    drawn_by_hand(
        type={0}, theme={0}, region={0}, programme={0}, language={"en"}, year=2020,
        title_words={"harbour"},
    ),
    drawn_by_hand(
        type={1}, theme={1, 2}, region={1}, programme={1}, language={"fr", "en"}, year=2021,
        summary_words={"harbour", "lantern"},
    ),
    drawn_by_hand(
        type={0}, theme={0, 1}, region={0, 1}, language={"en"},
        title_words={"harbour"}, summary_words={"harbour"},
    ),
    drawn_by_hand(
        theme={2}, programme={0, 1}, language={"es"}, year=2020, summary_words={"harbour"}
    ),
    drawn_by_hand(
        type={1}, theme={0}, region={1}, programme={0}, language={"fr"}, year=2019,
        title_words={"lantern"}, summary_words={"kettle"},
    ),
    drawn_by_hand(type={0}, theme={1}, region={0}, language={"en"}, year=2021,
        summary_words={"harbour"},
    ),
    drawn_by_hand(theme={1}, language={"fr"}, year=2020, author_words={"harbour"}),
]  # fmt: skip


def nothing_selected():
    return {facet: [] for facet in search.FACETS}


def facet_value(terms, facet, drawn):
    """The facet value (as the page shows it) of a drawn index, language or year."""
    if facet in ("language", "year"):
        return str(drawn)
    return str(terms[facet][drawn].translation_key)


def publish_drawn_library(library, terms, drawn_resources):
    """Publishes the drawn resources (the way editors do: revisions, then the search tables) and
    returns, for each, in order of publication, what the brute force needs."""
    resources = []
    for number, drawn in enumerate(drawn_resources):
        title = " ".join([f"Item {number:02d}", *sorted(drawn["title_words"])])
        summary = " ".join(["Notes", *sorted(drawn["summary_words"])])
        chosen = {
            facet: [terms[facet][index] for index in sorted(drawn[facet])]
            for facet in ("type", "theme", "region", "programme")
        }
        make_resource(
            library,
            title=title,
            summary=summary,
            resource_type=chosen["type"][0] if chosen["type"] else None,
            themes=chosen["theme"],
            regions=chosen["region"],
            programmes=chosen["programme"],
            languages=sorted(drawn["language"]),
            authors=[word.title() for word in sorted(drawn["author_words"])],
            # One day for all: resources of the same year are ordered by their publication.
            publication_date=datetime.date(drawn["year"], 6, 1) if drawn["year"] else None,
        )
        authors = sorted(drawn["author_words"])
        names = [term.name for facet in ("type", "theme", "region") for term in chosen[facet]]
        names += [programme.title for programme in chosen["programme"]]
        has = {
            facet: {facet_value(terms, facet, index) for index in drawn[facet]}
            for facet in ("type", "theme", "region", "programme", "language")
        }
        has["year"] = {str(drawn["year"])} if drawn["year"] else set()
        resources.append(
            {
                "number": number,
                "title": title,
                "year": drawn["year"],
                "has": has,
                "title_words": set(title.lower().split()),
                "summary_words": set(summary.lower().split()),
                "words": set(" ".join([title, summary, *authors, *names]).lower().split()),
            }
        )
    return resources


def brute_force(resources, selected, words, sort, vendor):
    """(total, {facet: {value: count}}, titles of the results in order), counted one resource at
    a time: options of a facet OR-ed, facets AND-ed, a facet's counts ignoring its own selection,
    options shown when they count a resource or are selected, facets shown when they have one."""

    def matches(resource, except_facet=None):
        if not all(word in resource["words"] for word in words):
            return False
        return all(
            resource["has"][facet] & set(values)
            for facet, values in selected.items()
            if values and facet != except_facet
        )

    results = [resource for resource in resources if matches(resource)]
    counts = {}
    for facet in search.FACETS:
        shown = dict.fromkeys(selected[facet], 0)
        for resource in resources:
            if matches(resource, except_facet=facet):
                for value in resource["has"][facet]:
                    shown[value] = shown.get(value, 0) + 1
        if shown:
            counts[facet] = shown

    # Newest: publication year, newest first, undated last; then the latest published first.
    # Oldest: undated last too; then the first published first. Title: "Item NN ...".
    def newest(resource):
        return (resource["year"] is None, -(resource["year"] or 0), -resource["number"])

    sort = sort or ("relevance" if words else "newest")
    if sort == "relevance" and not words:
        sort = "newest"  # relevance is offered only with a query
    if sort == "oldest":
        results.sort(key=lambda r: (r["year"] is None, r["year"] or 0, r["number"]))
    elif sort == "title":
        results.sort(key=lambda r: r["number"])
    elif sort == "relevance" and vendor == "postgresql":
        # Ranked by SearchRank (its order is pinned in test_search_tables.py): compared as a set.
        results.sort(key=lambda r: r["number"])
    else:  # newest, and relevance on SQLite (which does not rank)
        results.sort(key=newest)
    return len(results), counts, [resource["title"] for resource in results]


def checked_values(response):
    return {
        (box["name"], box["value"])
        for box in soup_of(response).select("fieldset.facet input[checked]")
    }


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    drawn_resources=drawn_library,
    drawn_selected=drawn_selection,
    words=drawn_query,
    sort=drawn_sort,
)
@example(drawn_resources=[], drawn_selected=nothing_selected(), words=[], sort="")
@example(
    drawn_resources=[],
    drawn_selected={**nothing_selected(), "theme": [0, 1], "year": [2019]},
    words=["harbour"],
    sort="",
)
@example(drawn_resources=undated(3), drawn_selected=nothing_selected(), words=[], sort="oldest")
@example(
    drawn_resources=undated(2),
    drawn_selected={**nothing_selected(), "year": [2019, 2020], "language": ["en"]},
    words=[],
    sort="",
)
@example(
    drawn_resources=RICH_LIBRARY,
    drawn_selected={
        **nothing_selected(),
        "theme": [0, 1],
        "language": ["en", "fr"],
        "year": [2020, 2021, 2018],
    },
    words=["harbour"],
    sort="relevance",
)
@example(
    drawn_resources=RICH_LIBRARY,
    drawn_selected={**nothing_selected(), "type": [0, 1], "region": [0], "programme": [0, 1]},
    words=["care"],
    sort="",
)
def test_facet_counts_equal_a_brute_force_count(
    client, library, terms, drawn_resources, drawn_selected, words, sort
):
    selected = {
        facet: [facet_value(terms, facet, drawn) for drawn in drawn_selected[facet]]
        for facet in search.FACETS
    }
    params = [("q", " ".join(words)), ("sort", sort)]
    params += [(facet, value) for facet in search.FACETS for value in selected[facet]]

    # Each example in a savepoint rolled back at its end, starting from an empty library.
    with transaction.atomic():
        resources = publish_drawn_library(library, terms, drawn_resources)
        response = client.get(library.url, params)
        transaction.set_rollback(True)

    total, counts, titles = brute_force(resources, selected, words, sort, connection.vendor)
    assert response.status_code == 200
    assert facet_counts(response) == counts
    assert checked_values(response) == {(f, v) for f, values in selected.items() for v in values}
    status = soup_of(response).select_one("[role=status]").get_text(" ", strip=True)
    assert status.startswith(f"{total} resource")
    shown = result_titles(response)
    if (sort or "relevance") == "relevance" and words and connection.vendor == "postgresql":
        shown = sorted(shown)
    assert shown == titles


def test_options_that_would_give_nothing_are_not_links(client, library, terms):
    brief, video = terms["type"]
    make_resource(library, title="Brief on care", resource_type=brief, themes=[terms["theme"][0]])
    make_resource(library, title="Video on waste", resource_type=video, themes=[terms["theme"][1]])

    response = client.get(library.url, {"theme": str(terms["theme"][0].translation_key)})

    counts = facet_counts(response)
    # The type counts apply the theme filter: only the brief remains, the video is not offered.
    assert counts["type"] == {str(brief.translation_key): 1}
    # Theme counts ignore the theme filter itself (disjunctive): both themes stay selectable.
    assert set(counts["theme"]) == {
        str(terms["theme"][0].translation_key),
        str(terms["theme"][1].translation_key),
    }
    assert result_titles(response) == ["Brief on care"]


def test_chips_remove_one_filter_and_clear_all_keeps_the_text(client, library, terms):
    brief = terms["type"][0]
    theme = terms["theme"][0]
    make_resource(library, title="Care brief", resource_type=brief, themes=[theme])
    params = {"q": "care", "type": str(brief.translation_key), "theme": str(theme.translation_key)}

    soup = soup_of(client.get(library.url, params))

    chips = {chip.get_text(" ", strip=True): chip["href"] for chip in soup.select(".chip")}
    assert any(label.startswith("Theme: Care") for label in chips)
    remove_theme = next(href for label, href in chips.items() if label.startswith("Theme: Care"))
    assert "theme=" not in remove_theme and "type=" in remove_theme and "q=care" in remove_theme
    assert chips["Clear all filters"] == "?q=care"


def test_sorting_by_title_oldest_and_newest(client, library):
    for title, year in (("Banana", 2020), ("Apple", 2018), ("Cherry", 2022)):
        make_resource(library, title=title, publication_date=datetime.date(year, 1, 1))

    assert result_titles(client.get(library.url)) == ["Cherry", "Banana", "Apple"]
    assert result_titles(client.get(library.url, {"sort": "oldest"})) == [
        "Apple",
        "Banana",
        "Cherry",
    ]
    assert result_titles(client.get(library.url, {"sort": "title"})) == [
        "Apple",
        "Banana",
        "Cherry",
    ]


def test_text_search_matches_words_of_the_summary_authors_and_terms(client, library, terms):
    make_resource(library, title="One", summary="Informal économie in Lima", authors=["Roever, S."])
    make_resource(library, title="Two", themes=[terms["theme"][2]])

    assert result_titles(client.get(library.url, {"q": "economie"})) == ["One"]
    assert result_titles(client.get(library.url, {"q": "roever"})) == ["One"]
    assert result_titles(client.get(library.url, {"q": "migration"})) == ["Two"]
    assert result_titles(client.get(library.url, {"q": "lima nowhere"})) == []


def test_pages_of_results_and_noindex(client, library):
    for number in range(search.RESULTS_PER_PAGE + 3):
        make_resource(library, title=f"Item {number:02d}", publication_date=None)

    first = soup_of(client.get(library.url))
    second = client.get(library.url, {"page": "2"})

    assert first.find("meta", attrs={"name": "robots"}) is None
    assert len(result_titles(second)) == 3
    robots = soup_of(second).find("meta", attrs={"name": "robots"})
    assert robots["content"].startswith("noindex")
    assert first.select_one("a[rel=next]")["href"] == "?page=2"


@pytest.mark.parametrize("with_theme", [14, 3], ids=["most-resources", "few-resources"])
def test_every_page_of_filtered_results_in_order(client, library, terms, with_theme):
    """Pages of a filter's results, newest first, whether they are most of the library (the
    page walks the order) or few of them (the page sorts the results)."""
    theme = terms["theme"][0]
    titles = []
    for number in range(search.RESULTS_PER_PAGE + 8):
        themed = number % (search.RESULTS_PER_PAGE + 8) < with_theme
        title = f"Item {number:02d}"
        make_resource(
            library,
            title=title,
            publication_date=datetime.date(2000 + number, 1, 1),
            themes=[theme] if themed else [],
        )
        if themed:
            titles.append(title)
    params = {"theme": str(theme.translation_key)}

    shown = []
    for page in range(1, -(-len(titles) // search.RESULTS_PER_PAGE) + 1):
        shown += result_titles(client.get(library.url, {**params, "page": str(page)}))

    assert shown == sorted(titles, reverse=True)
    oldest = result_titles(client.get(library.url, {**params, "sort": "oldest"}))
    assert oldest == sorted(titles)[: search.RESULTS_PER_PAGE]


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"theme": "not-a-uuid"}, "1 unknown “Theme” filter value was ignored"),
        ({"theme": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}, "unknown “Theme” filter"),
        ({"language": "xx"}, "unknown “Language” filter"),
        ({"year": "abcd"}, "unknown “Year” filter"),
        ({"year": "99999"}, "unknown “Year” filter"),
        ({"year": "1066"}, "unknown “Year” filter"),
        ({"page": "abc"}, "The page number was not valid"),
        ({"page": "-3"}, "The page number was not valid"),
        ({"page": "9" * 40}, "The page number was not valid"),
        ({"page": "²"}, "The page number was not valid"),
        ({"page": "١٢"}, "The page number was not valid"),
        ({"year": "٢٠٢١"}, "unknown “Year” filter"),
        ({"page": "40"}, "There is no page 40"),
        ({"sort": "price"}, "Unknown sort order"),
        ({"q": "x" * 5000}, "The search text was cut to its first 200 characters"),
        ({"q": "care\x00work"}, "Invisible NUL characters were removed"),
        ({"type": "\x00"}, "Invisible NUL characters were removed"),
        ({"q": " ".join(f"word{n}" for n in range(13))}, "Only the first 12 words"),
        ({"q": " ".join(f"word{n}" for n in range(12))}, None),
        ({"year": [str(year) for year in range(2000, 2023)]}, "Only the first 20 “Year”"),
        ([("q", "care"), ("q", "waste")], "Only the first “q” value was used"),
        ([("sort", "title"), ("sort", "oldest")], "Only the first “sort” value was used"),
        ([("page", "1"), ("page", "2")], "Only the first “page” value was used"),
    ],
)
def test_bad_input_is_ignored_and_said(client, library, params, message):
    make_resource(library, title="Care work")

    response = client.get(library.url, params)

    assert response.status_code == 200
    notices = soup_of(response).select_one(".library__notices")
    if message is None:
        assert notices is None
    else:
        assert message in notices.get_text(" ", strip=True)


def test_values_beyond_the_limit_are_not_called_unknown(client, library):
    make_resource(library, title="Care work")
    years = [str(year) for year in range(2000, 2000 + search.MAX_VALUES_PER_FACET + 3)]

    notices = soup_of(client.get(library.url, {"year": years})).select_one(".library__notices")

    text = notices.get_text(" ", strip=True)
    assert "Only the first 20 “Year” filter values were used; 3 more were ignored." in text
    assert "unknown" not in text


# --- queries ----------------------------------------------------------------------------------


def library_queries(client, library, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(library.url, params)
    assert response.status_code == 200
    return len(queries)


def test_library_queries_do_not_grow_with_results_or_resources(client, library, terms):
    params = {"q": "resource", "theme": str(terms["theme"][0].translation_key)}

    def add(start, count):
        for number in range(start, start + count):
            make_resource(
                library,
                title=f"Resource {number}",
                resource_type=terms["type"][number % 2],
                themes=terms["theme"][: 1 + number % 3],
                regions=terms["region"][: number % 2],
                programmes=terms["programme"][: number % 3],
                languages=["en", "fr"][: 1 + number % 2],
                authors=["A, B.", "C, D."],
            )

    add(0, 2)
    client.get(library.url)  # warm caches (site root, locales)
    few = [library_queries(client, library, p) for p in ({}, params, {"page": "1"})]
    add(2, 15)  # 17 resources: more than a page of results (12)
    client.get(library.url)  # publishing changed the content version: warm the layout again
    many = [library_queries(client, library, p) for p in ({}, params, {"page": "1"})]

    assert few == many


# --- languages --------------------------------------------------------------------------------


def test_french_library_shows_french_labels_and_the_same_counts(client, library, terms, french):
    theme = terms["theme"][0]
    resource = make_resource(library, title="Care", themes=[theme], languages=["en"])
    french_theme = theme.copy_for_translation(french)
    french_theme.name = "Soins"
    french_theme.save()
    library.get_parent().specific.copy_for_translation(french).save_revision().publish()
    french_library = library.copy_for_translation(french)
    french_library.save_revision().publish()
    french_resource = resource.copy_for_translation(french)
    french_resource.title = "Soins"
    french_resource.save_revision().publish()

    english = facet_counts(client.get(library.url))
    french_response = client.get(french_library.url)

    assert facet_counts(french_response) == english
    labels = [
        label.get_text(" ", strip=True)
        for label in soup_of(french_response).select("#facet-theme label")
    ]
    assert labels == ["Soins (1)"]
    assert result_titles(french_response) == ["Soins"]


def test_unpublished_resources_leave_the_library(client, library):
    resource = make_resource(library, title="Gone soon")
    assert result_titles(client.get(library.url)) == ["Gone soon"]

    resource.unpublish()

    assert result_titles(client.get(library.url)) == []


def test_every_combination_of_sorts_and_queries_answers(client, library):
    make_resource(library, title="Care")
    for sort, query in itertools.product([*search.SORTS, ""], ["", "care"]):
        assert client.get(library.url, {"sort": sort, "q": query}).status_code == 200


# --- feed ---------------------------------------------------------------------------------------


def test_library_links_to_the_feed_of_its_current_results(client, library, terms):
    care = terms["theme"][0]
    make_resource(library, title="Care work", themes=[care])
    make_resource(library, title="Waste work", themes=[terms["theme"][1]])
    params = {"q": "work", "theme": str(care.translation_key), "sort": "title", "page": "1"}

    soup = soup_of(client.get(library.url, params))

    alternate = soup.find("link", attrs={"rel": "alternate", "type": "application/atom+xml"})
    assert alternate["title"] == "Resources: newest resources"
    visible = soup.select_one(".library__results a[type='application/atom+xml']")
    assert visible["href"] == alternate["href"]
    assert visible.get_text(strip=True) == "Feed of these results (Atom)"
    # The feed's own order is newest first: neither the sort nor the page go into its link.
    assert alternate["href"] == f"/en/library-feed/?q=work&theme={care.translation_key}"
    feed = client.get(alternate["href"])
    assert feed.status_code == 200
    assert b"Care work" in feed.content and b"Waste work" not in feed.content


def test_library_without_filters_links_to_the_whole_feed(client, library):
    soup = soup_of(client.get(library.url))

    alternate = soup.find("link", attrs={"rel": "alternate", "type": "application/atom+xml"})
    assert alternate["href"] == "/en/library-feed/"


def ways_out_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        (item.a.get_text(strip=True), item.a["href"], item.get_text(" ", strip=True))
        for item in soup.select(".library__no-result li")
    ]


def test_a_search_without_a_result_offers_the_searches_one_step_away_with_their_counts(
    client, library
):
    """Issue 26: the visitor is not left on an empty page: each filter removed, the text
    removed, each word removed, with how many resources each gives, most first; none that
    gives nothing."""
    care, waste = ThemeFactory(name="Care"), ThemeFactory(name="Waste")
    make_resource(library, title="Childcare in markets", themes=[care])
    make_resource(library, title="Childcare cooperatives", themes=[waste])
    make_resource(library, title="Waste pickers and childcare", themes=[waste])
    make_resource(library, title="Street vendors", themes=[care])

    response = client.get(library.url, {"q": "childcare zzyzx", "theme": str(care.translation_key)})

    assert result_titles(response) == []
    assert ways_out_of(response) == [
        (
            "Search without the text “childcare zzyzx”",
            f"?theme={care.translation_key}",
            "Search without the text “childcare zzyzx” (2 resources)",
        ),
        (
            "Search without the word “zzyzx”",
            f"?q=childcare&theme={care.translation_key}",
            "Search without the word “zzyzx” (1 resource)",
        ),
        ("Browse the whole library", library.url, "Browse the whole library"),
    ]
    one_word_less = client.get(library.url + ways_out_of(response)[1][1])
    assert result_titles(one_word_less) == ["Childcare in markets"]

    response = client.get(
        library.url,
        {"q": "pickers", "theme": [str(care.translation_key), str(waste.translation_key)]},
    )
    assert len(result_titles(response)) == 1  # one theme or the other: a result
    response = client.get(library.url, {"q": "pickers", "theme": str(care.translation_key)})
    assert [way[2] for way in ways_out_of(response)] == [
        "Search without the text “pickers” (2 resources)",
        "Remove the filter “Theme: Care” (1 resource)",
        "Browse the whole library",
    ]


def test_a_search_that_finds_nothing_anywhere_offers_the_whole_library(client, library):
    make_resource(library, title="Childcare in markets")

    response = client.get(library.url, {"q": "zzyzx"})

    assert ways_out_of(response) == [
        ("Browse the whole library", library.url, "Browse the whole library")
    ]
