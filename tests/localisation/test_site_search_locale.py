"""The site search lists the pages of the visitor's language only (issue 6: "Site search and
the library search per locale"; the library's own search is tested in
tests/resources/test_french_library.py)."""

import pytest

from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def result_urls(client, path, query):
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    return [page.url for page in response.context["page_obj"].object_list]


def test_each_language_searches_its_own_pages(client, trees, french):
    english = StandardPageFactory(parent=trees["en_home"], title="Cooperatives", slug="coops")
    french_page = english.copy_for_translation(french)
    french_page.title = "Entraide solidaire"
    french_page.save_revision().publish()

    assert result_urls(client, "/en/search/", "cooperatives") == [english.url]
    # The French copy still has English fields (its summary): it is found, the English page is not.
    assert result_urls(client, "/fr/search/", "cooperatives") == [french_page.url]
    assert result_urls(client, "/fr/search/", "solidaire") == [french_page.url]
    assert result_urls(client, "/en/search/", "solidaire") == []


def test_french_words_are_stemmed_as_french(client, trees, french):
    english = StandardPageFactory(
        parent=trees["en_home"], title="Workers", slug="workers", summary="About workers."
    )
    french_page = english.copy_for_translation(french)
    french_page.title = "Les travailleuses du secteur informel"
    french_page.summary = "La sécurité sociale des travailleuses domestiques."
    french_page.save_revision().publish()

    # Another form of the word, and the word without its accents, find the page...
    assert result_urls(client, "/fr/search/", "travailleuse") == [french_page.url]
    assert result_urls(client, "/fr/search/", "securite informelle") == [french_page.url]
    # ...every word must match, and an unrelated word finds nothing.
    assert result_urls(client, "/fr/search/", "travailleuse agricole") == []
    assert result_urls(client, "/fr/search/", "coopérative") == []


def test_english_words_are_stemmed_as_english(client, trees):
    page = StandardPageFactory(
        parent=trees["en_home"],
        title="Organising informal workers",
        slug="organising",
        summary="How organisations of street vendors bargain with cities.",
    )

    assert result_urls(client, "/en/search/", "organisation vendor") == [page.url]
    assert result_urls(client, "/en/search/", "bargaining") == [page.url]
    # A phrase in quotes is looked for as written.
    assert result_urls(client, "/en/search/", '"street vendors"') == [page.url]
    assert result_urls(client, "/en/search/", "teachers") == []


def test_a_published_edit_is_searched_in_its_new_words(client, trees):
    page = StandardPageFactory(parent=trees["en_home"], title="Waste pickers", slug="waste")
    assert result_urls(client, "/en/search/", "recyclers") == []

    page.title = "Waste pickers and recyclers"
    page.save_revision().publish()

    assert result_urls(client, "/en/search/", "recycler") == [page.url]


@pytest.mark.parametrize(
    "query", ['""', '" "', '"street', '"a" "b" c', "l'économie", "---", "é" * 300, "\x00"]
)
def test_odd_queries_get_a_normal_page(client, trees, query):
    response = client.get("/fr/search/", {"q": query})
    assert response.status_code == 200


def test_french_search_lists_english_originals_of_untranslated_resources_once(
    client, trees, french
):
    from bs4 import BeautifulSoup

    from tests.resources.factories import LibraryPageFactory, ResourcePageFactory

    library = LibraryPageFactory(parent=trees["en_home"])
    french_library = library.copy_for_translation(french)
    french_library.save_revision().publish()
    untranslated = ResourcePageFactory(
        parent=library, title="Informal workers and pensions", slug="pensions"
    )
    translated = ResourcePageFactory(
        parent=library, title="Informal workers and cities", slug="cities"
    )
    french_resource = translated.copy_for_translation(french)
    french_resource.title = "Travailleurs informels et villes"
    french_resource.save_revision().publish()
    StandardPageFactory(parent=trees["en_home"], title="Informal workers news", slug="news")

    # A resource translated into French is found in French, never through its English original.
    assert result_urls(client, "/fr/search/", "villes") == [french_resource.url]
    # (its summary, still English, has "cities": the French version is listed, once)
    assert result_urls(client, "/fr/search/", "cities") == [french_resource.url]
    # An untranslated one is found in English, once; other English pages are not.
    assert "/en/news/" not in result_urls(client, "/fr/search/", "news")
    assert result_urls(client, "/fr/search/", "pensions") == [untranslated.url]

    html = client.get("/fr/search/", {"q": "pensions"}).content.decode()
    item = BeautifulSoup(html, "html.parser").select_one("li[data-original]")
    assert item.a["href"] == untranslated.url
    assert item.a["lang"] == "en" and item.a["hreflang"] == "en"
    assert "Pas encore traduite" in item.get_text()
    # The English site is unchanged: English pages only, none marked.
    assert untranslated.url in result_urls(client, "/en/search/", "pensions")
    assert "data-original" not in client.get("/en/search/", {"q": "pensions"}).content.decode()
