"""Editors' side of the library: the taxonomy snippets and the resources listing (issue 7)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.programmes.factories import ProgrammeIndexPageFactory, ProgrammePageFactory
from tests.resources.factories import LibraryPageFactory, ResourceTypeFactory, make_resource

pytestmark = pytest.mark.django_db


def listed_titles(admin_client, params):
    response = admin_client.get("/admin/resources/", params)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    titles = {link.get_text(strip=True) for link in soup.select("table tbody td.title a")}
    return sorted(titles & {"New video", "Old brief"})


def test_resources_listing_filters_by_type_programme_year_and_language(admin_client, home_page):
    library = LibraryPageFactory(parent=home_page)
    brief, video = ResourceTypeFactory(name="Brief"), ResourceTypeFactory(name="Video")
    law = ProgrammePageFactory(parent=ProgrammeIndexPageFactory(parent=home_page), title="Law")
    make_resource(
        library,
        title="Old brief",
        resource_type=brief,
        programmes=[law],
        languages=["fr"],
        publication_date=datetime.date(2019, 1, 1),
    )
    make_resource(
        library, title="New video", resource_type=video, publication_date=datetime.date(2023, 1, 1)
    )

    assert listed_titles(admin_client, {}) == ["New video", "Old brief"]
    assert listed_titles(admin_client, {"resource_type": brief.pk}) == ["Old brief"]
    assert listed_titles(admin_client, {"programme": law.pk}) == ["Old brief"]
    assert listed_titles(admin_client, {"year": "2023"}) == ["New video"]
    assert listed_titles(admin_client, {"language": "fr"}) == ["Old brief"]
    # Unusable filter values do not break the listing.
    assert admin_client.get("/admin/resources/", {"year": "abc"}).status_code == 200

    headers = BeautifulSoup(admin_client.get("/admin/resources/").content, "html.parser").select(
        "table thead th"
    )
    assert {"Type", "Published"} <= {th.get_text(strip=True) for th in headers}


def test_editors_add_a_resource_type_as_a_snippet(admin_client, home_page):
    url = reverse("wagtailsnippets_resources_resourcetype:add")
    response = admin_client.post(url, {"name": "Infographic", "citation_type": "GEN"})
    assert response.status_code == 302

    from resources.models import ResourceType

    assert ResourceType.objects.filter(name="Infographic").exists()
