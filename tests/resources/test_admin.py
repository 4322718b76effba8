"""Editors' side of the library: the taxonomy snippets and the resources listing (issue 7)."""

import datetime
import html
import json
import re

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


def test_editors_add_a_resource_type_as_a_snippet(admin_client, client, home_page):
    url = reverse("wagtailsnippets_resources_resourcetype:add")
    response = admin_client.post(url, {"name": "Infographic", "citation_type": "GEN"})
    assert response.status_code == 302

    from resources.models import ResourceType

    infographic = ResourceType.objects.get(name="Infographic")
    library = LibraryPageFactory(parent=home_page)
    make_resource(library, title="Waste pickers in numbers", resource_type=infographic)

    # Once a resource has it, the library offers the new type as a filter, and it works.
    soup = BeautifulSoup(client.get(library.url).content, "html.parser")
    options = {
        label.get_text(" ", strip=True): label.find_previous_sibling("input")["value"]
        for label in soup.select("#facet-type label")
    }
    assert options == {"Infographic (1)": str(infographic.translation_key)}
    filtered = BeautifulSoup(
        client.get(library.url, {"type": options["Infographic (1)"]}).content, "html.parser"
    )
    assert [a.get_text(strip=True) for a in filtered.select(".library-item h3 a")] == [
        "Waste pickers in numbers"
    ]


def test_chooser_of_featured_resources_lists_resources_and_no_other_page(admin_client, home_page):
    index = ProgrammeIndexPageFactory(parent=home_page)
    ProgrammePageFactory(parent=index, title="Care programme")
    library = LibraryPageFactory(parent=home_page, title="Care library")
    make_resource(library, title="Care brief")

    # The page types the featured-resource chooser of the programme form asks for...
    add_page = admin_client.get(
        reverse("wagtailadmin_pages:add", args=["programmes", "programmepage", index.pk])
    )
    assert add_page.status_code == 200
    chooser = re.search(
        r'new PageChooser\("id_featured_resources-[^"]*-resource", (\{.*?\})\);',
        html.unescape(add_page.text),
    )
    assert chooser, "no chooser for the featured resources"
    options = json.loads(chooser.group(1))
    assert options["modelNames"] == ["resources.resourcepage"]
    page_type = ",".join(options["modelNames"])

    # ...and what the chooser's search then offers for "care".
    response = admin_client.get(
        reverse("wagtailadmin_choose_page_search"), {"q": "care", "page_type": page_type}
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    offered = {link.get_text(strip=True) for link in soup.select("a.choose-page")}
    assert offered == {"Care brief"}
    everything = admin_client.get(reverse("wagtailadmin_choose_page_search"), {"q": "care"})
    listed = BeautifulSoup(everything.content, "html.parser").get_text(" ")
    assert "Care programme" in listed  # the restriction, not the search, leaves it out
