"""The library's faceted search, used the way visitors use it: GET requests to the library page."""

import datetime
import itertools
import random

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
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


def value_of(facet, term):
    if facet == "language":
        return term
    if facet == "year":
        return str(term)
    return str(term.translation_key)


# --- facet counts against a brute-force count ---------------------------------------------------


@pytest.fixture
def random_library(library, terms):
    """Twelve resources with random classifications (a seeded generator) and what each has."""
    rng = random.Random(20240611)
    resources = []
    for number in range(12):
        chosen = {
            "type": [rng.choice(terms["type"])] if rng.random() < 0.9 else [],
            "theme": rng.sample(terms["theme"], rng.randint(0, 2)),
            "region": rng.sample(terms["region"], rng.randint(0, 2)),
            "programme": rng.sample(terms["programme"], rng.randint(0, 2)),
            "language": rng.sample(terms["language"], rng.randint(1, 2)),
            "year": [rng.choice(terms["year"])],
        }
        words = "alpha" if number % 3 else "beta"
        make_resource(
            library,
            title=f"Resource {number} {words}",
            resource_type=chosen["type"][0] if chosen["type"] else None,
            themes=chosen["theme"],
            regions=chosen["region"],
            programmes=chosen["programme"],
            languages=chosen["language"],
            publication_date=datetime.date(chosen["year"][0], 3, 1 + number),
        )
        has = {facet: {value_of(facet, term) for term in chosen[facet]} for facet in chosen}
        resources.append((f"Resource {number} {words}", has))
    return resources


def brute_force(resources, selected, query):
    def matches(has, title, except_facet=None):
        if query and query not in title:
            return False
        return all(
            has[facet] & set(values)
            for facet, values in selected.items()
            if values and facet != except_facet
        )

    total = sum(1 for title, has in resources if matches(has, title))
    counts = {}
    for facet in search.FACETS:
        counts[facet] = {}
        for title, has in resources:
            if matches(has, title, except_facet=facet):
                for value in has[facet]:
                    counts[facet][value] = counts[facet].get(value, 0) + 1
        for value in selected.get(facet, []):
            counts[facet].setdefault(value, 0)
    return total, {facet: values for facet, values in counts.items() if values}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_facet_counts_equal_a_brute_force_count(client, library, terms, random_library, data):
    selected = {}
    for facet in search.FACETS:
        values = [value_of(facet, term) for term in terms[facet]]
        selected[facet] = data.draw(st.lists(st.sampled_from(values), unique=True, max_size=2))
    query = data.draw(st.sampled_from(["", "alpha", "beta"]))
    params = [("q", query)] + [(f, v) for f, values in selected.items() for v in values]

    response = client.get(library.url, params)

    total, expected = brute_force(random_library, selected, query)
    assert response.status_code == 200
    assert facet_counts(response) == expected
    status = soup_of(response).select_one("[role=status]").get_text(" ", strip=True)
    assert status.startswith(f"{total} resource")


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


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"theme": "not-a-uuid"}, "unknown “Theme” filter value(s) were ignored"),
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
