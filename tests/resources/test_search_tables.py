"""The library's search tables stay in step with what editors do: the full-text index (SQLite's
FTS5 table, PostgreSQL's vectors), the facet rows' library, and what the library keeps in the
cache (resources/search.py). Through the admin and the library page, as editors and visitors use
them."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources.index import FTS_TABLE, index_resources
from resources.models import ResourceFacet, ResourcePage, ResourceSearchDocument
from tests.resources.factories import LibraryPageFactory, ThemeFactory, make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(home_page):
    return LibraryPageFactory(parent=home_page, title="Library", slug="library")


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(client, library, **params):
    response = client.get(library.url, params)
    return sorted(
        link.get_text(strip=True) for link in soup_of(response).select(".library-item h3 a")
    )


def theme_counts(client, library, **params):
    fieldset = soup_of(client.get(library.url, params)).select_one("#facet-theme")
    if fieldset is None:
        return {}
    return {
        item.find("input")["value"]: int(
            item.select_one(".facet__count").get_text(strip=True).strip("()")
        )
        for item in fieldset.select("li")
    }


def fts_matches(word):
    """SQLite: the ids the FTS5 table itself finds for `word` (stale rows would show here)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [f'"{word}"*'])
        return sorted(row[0] for row in cursor.fetchall())


def test_republished_text_replaces_the_old_in_the_full_text_index(client, library):
    resource = make_resource(library, title="Street vendors in Lima", summary="Markets.")
    assert titles(client, library, q="lima") == ["Street vendors in Lima"]

    resource.title = "Street vendors in Accra"
    resource.save_revision().publish()

    assert titles(client, library, q="lima") == []
    assert titles(client, library, q="accra") == ["Street vendors in Accra"]
    assert titles(client, library, q="street vendors") == ["Street vendors in Accra"]
    if connection.vendor == "sqlite":
        assert fts_matches("lima") == []
        assert fts_matches("accra") == [resource.pk]


def test_unpublished_and_deleted_resources_leave_the_full_text_index(client, admin_client, library):
    kept = make_resource(library, title="Waste pickers of Pune")
    unpublished = make_resource(library, title="Waste pickers of Bogotá")
    deleted = make_resource(library, title="Waste pickers of Durban")
    assert len(titles(client, library, q="waste pickers")) == 3

    unpublish = reverse("wagtailadmin_pages:unpublish", args=(unpublished.pk,))
    assert admin_client.post(unpublish).status_code == 302
    delete = reverse("wagtailadmin_pages:delete", args=(deleted.pk,))
    assert admin_client.post(delete).status_code == 302

    assert titles(client, library, q="waste pickers") == ["Waste pickers of Pune"]
    assert titles(client, library, q="durban") == []
    assert titles(client, library, q="bogota") == []
    assert list(ResourceSearchDocument.objects.values_list("resource_id", flat=True)) == [kept.pk]
    if connection.vendor == "sqlite":
        # The triggers of migration 0008 removed the rows of the unpublished and the deleted one
        # (the latter through the cascade of the page's deletion).
        assert fts_matches("waste") == [kept.pk]
        assert fts_matches("durban") == []


def test_facet_rows_follow_a_resource_moved_to_another_library(client, admin_client, library):
    other_library = LibraryPageFactory(parent=library.get_parent(), title="Archive", slug="archive")
    theme = ThemeFactory(name="Care")
    resource = make_resource(library, title="Care work", themes=[theme])
    key = str(theme.translation_key)
    assert theme_counts(client, library) == {key: 1}

    move = reverse("wagtailadmin_pages:move_confirm", args=(resource.pk, other_library.pk))
    assert admin_client.post(move).status_code == 302

    assert set(ResourceFacet.objects.values_list("library_id", flat=True)) == {other_library.pk}
    assert ResourceSearchDocument.objects.get().library_id == other_library.pk
    assert titles(client, library) == []
    assert theme_counts(client, library) == {}
    assert titles(client, other_library, q="care") == ["Care work"]
    assert theme_counts(client, other_library) == {key: 1}


def test_counts_kept_between_requests_follow_publishing_and_reindexing(client, library):
    theme = ThemeFactory(name="Migration")
    key = str(theme.translation_key)
    make_resource(library, title="Migrant workers", themes=[theme])
    assert theme_counts(client, library) == {key: 1}
    assert theme_counts(client, library) == {key: 1}  # read again from what the first kept

    second = make_resource(library, title="Migrant domestic workers", themes=[theme])
    assert theme_counts(client, library) == {key: 2}
    assert theme_counts(client, library, q="domestic") == {key: 1}

    # Rebuilt without publishing (an import, a document's new text): the counts follow too.
    ResourcePage.objects.filter(pk=second.pk).update(live=False)
    index_resources([second])
    assert theme_counts(client, library) == {key: 1}
    assert titles(client, library, q="migrant") == ["Migrant workers"]


def test_sorts_page_through_every_result_once(client, library):
    """The sort orders kept in the cache give, page after page, every result once,
    in the order the database gives for the same sort."""
    for number in range(15):
        make_resource(
            library,
            title=f"Report {chr(ord('A') + (number * 7) % 15)}",
            publication_date=None if number % 5 == 0 else datetime.date(2020, 1 + number % 3, 1),
        )
    documents = ResourceSearchDocument.objects.filter(library_id=library.pk)
    expected = {
        "title": documents.order_by("title_sort", "resource_id"),
        "oldest": documents.order_by(F("publication_date").asc(nulls_last=True), "resource_id"),
        "newest": documents.order_by(
            F("publication_date").desc(nulls_last=True),
            F("first_published_at").desc(nulls_last=True),
            "-resource_id",
        ),
    }
    urls = {page.pk: page.url for page in ResourcePage.objects.all()}
    for sort, ordered in expected.items():
        shown = []
        for page in (1, 2):
            response = client.get(library.url, {"sort": sort, "page": page})
            shown += [link["href"] for link in soup_of(response).select(".library-item h3 a")]
        assert shown == [urls[document.pk] for document in ordered], sort


@pytest.mark.postgres
def test_postgresql_relevance_ranks_title_matches_first(client, library):
    if connection.vendor != "postgresql":
        pytest.skip("relevance ranking needs PostgreSQL")
    make_resource(
        library,
        title="Informal employment statistics",
        summary="Counting home-based workers.",
        publication_date=datetime.date(2020, 1, 1),
    )
    make_resource(
        library,
        title="Annual report",
        summary="The year in review.",
        themes=[ThemeFactory(name="Home-based work")],
        publication_date=datetime.date(2024, 1, 1),
    )

    def ordered(**params):
        response = client.get(library.url, params)
        return [a.get_text(strip=True) for a in soup_of(response).select(".library-item h3 a")]

    assert ordered(q="home based") == ["Informal employment statistics", "Annual report"]
    assert ordered(q="home based", sort="newest") == [
        "Annual report",
        "Informal employment statistics",
    ]


@pytest.mark.postgres
def test_postgresql_relevance_lists_title_then_summary_then_text_matches_newest_first(
    client, library
):
    """Ranked by SearchRank: every word in the title, then in the summary, then elsewhere;
    newest first among equal ranks, across pages (12 results a page)."""
    if connection.vendor != "postgresql":
        pytest.skip("relevance ranking needs PostgreSQL")
    expected = []
    for tier, (title, summary, body_words) in enumerate(
        [
            ("Maternity benefits for {}", "A review.", ""),
            ("Care for {}", "Maternity benefits compared.", ""),
            ("Annual report on {}", "The year in review.", "maternity benefits"),
        ]
    ):
        made = []
        for number in range(5):
            made.append(
                make_resource(
                    library,
                    title=title.format(f"workers {tier}{number}"),
                    summary=summary,
                    body=[{"type": "paragraph", "value": f"<p>On {body_words}.</p>"}]
                    if body_words
                    else [],
                    publication_date=datetime.date(2010 + number, 1, 1),
                )
            )
        expected += [page.title for page in reversed(made)]  # newest first
    make_resource(library, title="Unrelated", summary="Street vendors.")

    shown = []
    for page in (1, 2):
        response = client.get(library.url, {"q": "maternity benefit", "page": page})
        shown += [a.get_text(strip=True) for a in soup_of(response).select(".library-item h3 a")]
    assert shown == expected


@pytest.mark.postgres
def test_postgresql_relevance_ranks_when_every_resource_matches_and_with_a_filter(client, library):
    """The best matches (every word in the title or summary) come first also when the text
    matches the whole library, and when a filter leaves some of them out."""
    if connection.vendor != "postgresql":
        pytest.skip("relevance ranking needs PostgreSQL")
    care = ThemeFactory(name="Care")
    for title, summary, body, themes, year in [
        ("Annual report", "The year.", "Childcare centres opened.", [care], 2024),
        ("Childcare for market traders", "A study.", "", [], 2015),
        ("Childcare cooperatives", "Worker-owned.", "", [care], 2010),
        ("Newsletter", "News.", "Childcare in brief.", [care], 2023),
    ]:
        make_resource(
            library,
            title=title,
            summary=summary,
            body=[{"type": "paragraph", "value": f"<p>{body}</p>"}] if body else [],
            themes=themes,
            publication_date=datetime.date(year, 1, 1),
        )

    def ordered(**params):
        response = client.get(library.url, {"q": "childcare", **params})
        return [a.get_text(strip=True) for a in soup_of(response).select(".library-item h3 a")]

    assert ordered() == [
        "Childcare for market traders",
        "Childcare cooperatives",
        "Annual report",
        "Newsletter",
    ]
    assert ordered(theme=str(care.translation_key)) == [
        "Childcare cooperatives",
        "Annual report",
        "Newsletter",
    ]
    assert ordered(theme=str(care.translation_key), sort="newest") == [
        "Annual report",
        "Newsletter",
        "Childcare cooperatives",
    ]


@pytest.mark.postgres
def test_postgresql_text_query_leaves_out_the_stems_its_prefix_already_finds(client, library):
    """Every alternative of a word costs the match a look-up in each document's vector: another
    language's stem that the word's prefix finds ("domestic" under `domest:*`) is left out, one it
    does not find (French "travaill" beside English `travailleus:*`) is kept."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's text-search queries")
    make_resource(library, title="Travail domestique", summary="Les travailleuses domestiques.")
    make_resource(library, title="Domestic travailleuses", summary="A study.")
    make_resource(library, title="Street vendors", summary="Markets.")

    with CaptureQueriesContext(connection) as queries:
        found = titles(client, library, q="domestic travailleuses")
    match = next(query["sql"] for query in queries if "ARRAY_AGG" in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + match)
        plan = " ".join(row[0] for row in cursor.fetchall())

    assert found == ["Domestic travailleuses", "Travail domestique"]
    assert "'domest':* & ( 'travailleus':* | 'travaill' )" in plan.replace("''", "'")


def test_a_text_searched_again_is_not_matched_again_until_a_resource_is_published(client, library):
    """A text's match is kept in the cache under the search tables' version: the same search
    again sends fewer queries (no match), and a publication changes what it finds at once."""
    make_resource(library, title="Waste pickers in Pune", summary="Recycling.")

    def search():
        with CaptureQueriesContext(connection) as queries:
            found = titles(client, library, q="waste pickers")
        return found, len(queries)

    first, first_queries = search()
    again, again_queries = search()
    make_resource(library, title="Waste pickers' cooperatives", summary="Bogotá.")
    after, _after_queries = search()

    assert first == again == ["Waste pickers in Pune"]
    assert again_queries < first_queries
    assert after == ["Waste pickers in Pune", "Waste pickers' cooperatives"]


def test_rebuild_library_index_restores_lost_rows(client, library):
    """`manage.py rebuild_library_index` (run by `make demo`) rebuilds the tables from the live
    resources: text, stems and facets."""
    make_resource(library, title="Domestic workers organising", summary="Unions.")
    ResourceFacet.objects.all().delete()
    ResourceSearchDocument.objects.all().delete()
    assert titles(client, library, q="organise") == []

    output = io.StringIO()
    call_command("rebuild_library_index", stdout=output)

    assert "for 1 live resource(s)" in output.getvalue()
    assert titles(client, library, q="organise") == ["Domestic workers organising"]
    assert titles(client, library) == ["Domestic workers organising"]


def test_a_text_of_only_stop_words_is_said_not_to_narrow_the_results_on_postgresql(client, library):
    """PostgreSQL's text search leaves out stop words: "the" alone used to match nothing and
    show "0 results". The library now says so and lists every resource; a text with other
    words is searched as before. SQLite has no stop words and matches "the" as a word."""
    make_resource(library, title="The informal economy", summary="Street vendors.")
    make_resource(library, title="Waste pickers in Pune", summary="Recycling cooperatives.")

    response = client.get(library.url, {"q": "the"})
    notices = soup_of(response).select_one(".library__notices")
    if connection.vendor == "postgresql":
        assert titles(client, library, q="the") == ["The informal economy", "Waste pickers in Pune"]
        assert "“the” has only words too common to search for" in notices.get_text(" ")
    else:
        assert titles(client, library, q="the") == ["The informal economy"]
        assert notices is None
    assert titles(client, library, q="the economy") == ["The informal economy"]
    assert (
        soup_of(client.get(library.url, {"q": "the economy"})).select_one(".library__notices")
        is None
    )
