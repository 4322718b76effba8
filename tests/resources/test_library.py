"""The minimal resource library: where resources go, and the order the library lists them in."""

import datetime

import pytest
from bs4 import BeautifulSoup

from resources import queries
from resources.models import LibraryPage, ResourcePage
from tests.resources.factories import LibraryPageFactory, ResourcePageFactory

pytestmark = pytest.mark.django_db


def test_resources_live_under_the_library_only():
    assert ResourcePage.allowed_parent_page_models() == [LibraryPage]
    assert LibraryPage.allowed_subpage_models() == [ResourcePage]


def test_library_lists_the_newest_first_and_undated_last(client, home_page):
    library = LibraryPageFactory(parent=home_page)
    ResourcePageFactory(parent=library, title="Old", publication_date=datetime.date(2019, 5, 1))
    ResourcePageFactory(parent=library, title="Undated", publication_date=None)
    ResourcePageFactory(parent=library, title="New", publication_date=datetime.date(2024, 2, 1))
    ResourcePageFactory(parent=library, title="Draft", live=False, publish=False)

    soup = BeautifulSoup(client.get(library.url).content, "html.parser")
    titles = [link.get_text(strip=True) for link in soup.select(".library-item h3 a")]
    assert titles == ["New", "Old", "Undated"]
    assert [page.title for page in queries.latest_resources(home_page.locale_id, 2)] == [
        "New",
        "Old",
    ]


@pytest.mark.parametrize("page_number", ["2", "0", "-1", "abc", "9" * 30, ""])
def test_library_page_numbers_never_fail(client, home_page, page_number):
    library = LibraryPageFactory(parent=home_page)
    ResourcePageFactory(parent=library)
    response = client.get(library.url, {"page": page_number})
    assert response.status_code == 200


def test_resource_page_shows_its_date_and_summary(client, home_page):
    library = LibraryPageFactory(parent=home_page)
    resource = ResourcePageFactory(
        parent=library, summary="What it says.", publication_date=datetime.date(2021, 3, 4)
    )
    soup = BeautifulSoup(client.get(resource.url).content, "html.parser")
    assert soup.find("time")["datetime"] == "2021-03-04"
    assert soup.select_one(".lead").get_text(strip=True) == "What it says."
