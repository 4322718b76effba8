"""The site search lists the pages of the visitor's language only (issue 6: "Site search and
the library search per locale"; the library's own search is tested in
tests/resources/test_french_library.py)."""

import pytest

from tests.editorial import conftest as editorial_roles
from tests.site.factories import StandardPageFactory

trees = editorial_roles.trees

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
