"""What programme pages list by themselves: live, public pages only, in the editors' order."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from tests.programmes.factories import (
    LibraryPageFactory,
    ProgrammeFeaturedResourceFactory,
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    ProjectPageFactory,
    ResourcePageFactory,
)

pytestmark = pytest.mark.django_db


def titles(soup, heading_id):
    return [link.get_text(strip=True) for link in soup.select(f"#{heading_id} + ul h3 a")]


def test_programme_lists_only_published_public_pages(client, home_page):
    index = ProgrammeIndexPageFactory(parent=home_page)
    library = LibraryPageFactory(parent=home_page)
    programme = ProgrammePageFactory(parent=index, title="Social Protection")
    ProgrammePageFactory(parent=index, title="Statistics")
    ProgrammePageFactory(parent=index, title="Law (draft)", live=False, publish=False)
    ProjectPageFactory(parent=programme, title="Workers' Health")
    ProjectPageFactory(parent=programme, title="Draft project", live=False, publish=False)
    private_project = ProjectPageFactory(parent=programme, title="Staff only")
    PageViewRestriction.objects.create(
        page=private_project, restriction_type=PageViewRestriction.LOGIN
    )
    later = ResourcePageFactory(parent=library, title="Second choice")
    first = ResourcePageFactory(parent=library, title="First choice")
    private_resource = ResourcePageFactory(parent=library, title="Members' paper")
    PageViewRestriction.objects.create(
        page=private_resource, restriction_type=PageViewRestriction.LOGIN
    )
    for resource in (first, private_resource, later):
        ProgrammeFeaturedResourceFactory(programme=programme, resource=resource)

    soup = BeautifulSoup(client.get(programme.url).content, "html.parser")
    assert titles(soup, "projects-heading") == ["Workers' Health"]
    assert titles(soup, "featured-resources-heading") == ["First choice", "Second choice"]
    others = [link.get_text(strip=True) for link in soup.select(".other-programmes h3 a")]
    assert others == ["Statistics"]

    soup = BeautifulSoup(client.get(index.url).content, "html.parser")
    assert [link.get_text(strip=True) for link in soup.select(".card h3 a")] == [
        "Social Protection",
        "Statistics",
    ]
