"""The resource page: metadata, downloads, citations (shown and downloaded), related resources,
share links; and the feed of the library."""

import datetime
import xml.etree.ElementTree as ET

import bibtexparser
import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile

from ngo_site.models import CustomDocument
from resources.demo.library_content import pdf_bytes
from tests.resources.factories import (
    LibraryPageFactory,
    ResourceTypeFactory,
    ThemeFactory,
    make_resource,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(home_page):
    return LibraryPageFactory(parent=home_page)


@pytest.fixture
def known_resource(library):
    brief = ResourceTypeFactory(name="Brief", citation_type="RPRT")
    return make_resource(
        library,
        title="Does Social Protection Cause Informality?",
        slug="does-social-protection-cause-informality",
        summary="A critical review of the literature.",
        publication_date=datetime.date(2021, 5, 4),
        resource_type=brief,
        authors=["Alfers, L.", "Juergens-Grant, F."],
        publisher="WIEGO",
        series="WIEGO Working Paper No. 44",
        doi="10.1234/wiego.44",
        languages=["en", "fr"],
    )


def test_apa_citation_of_a_known_resource(client, known_resource):
    soup = BeautifulSoup(client.get(known_resource.url).content, "html.parser")

    assert soup.select_one(".resource__cite p.citation").get_text(strip=True) == (
        "Alfers, L., & Juergens-Grant, F. (2021). Does Social Protection Cause Informality? "
        "WIEGO Working Paper No. 44. WIEGO. https://doi.org/10.1234/wiego.44"
    )


def test_bibtex_download_parses(client, known_resource):
    response = client.get(f"/en/library-cite/{known_resource.pk}.bib")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    database = bibtexparser.loads(response.content.decode())
    (entry,) = database.entries
    assert entry["ENTRYTYPE"] == "techreport"
    assert entry["title"] == "Does Social Protection Cause Informality?"
    assert entry["author"] == "Alfers, L. and Juergens-Grant, F."
    assert entry["year"] == "2021"
    assert entry["doi"] == "10.1234/wiego.44"


def test_ris_download_has_the_required_tags(client, known_resource):
    response = client.get(f"/en/library-cite/{known_resource.pk}.ris")

    lines = response.content.decode().splitlines()
    tags = [line[:2] for line in lines]
    assert lines[0] == "TY  - RPRT"
    assert lines[-1].rstrip() == "ER  -"
    assert {"AU", "TI", "PY", "DA", "UR"} <= set(tags)
    assert tags.count("AU") == 2
    assert all(line[2:6] == "  - " for line in lines)


def test_citation_of_a_draft_is_not_found(client, known_resource):
    known_resource.unpublish()
    assert client.get(f"/en/library-cite/{known_resource.pk}.bib").status_code == 404
    assert client.get(f"/en/library-cite/{known_resource.pk}.pdf").status_code == 404


def test_metadata_and_downloads_with_type_and_size(client, library):
    document = CustomDocument(title="The paper")
    document.file.save("paper.pdf", ContentFile(pdf_bytes(["Paper"])), save=False)
    document.save()
    resource = make_resource(
        library, title="Paper", documents=[document], languages=["fr"], authors=["WIEGO"]
    )

    soup = BeautifulSoup(client.get(resource.url).content, "html.parser")

    download = soup.select_one(".resource__downloads li")
    assert download.a["href"] == document.url
    assert "PDF" in download.get_text() and "bytes" in download.get_text()
    assert "French" in soup.select_one(".resource__metadata").get_text()
    # No third-party script: share links are plain links.
    assert not [s for s in soup.find_all("script") if s.get("src", "").startswith("http")]
    assert soup.select(".share-links a")


def test_related_resources_editor_picked_first_then_by_shared_theme(client, library):
    theme = ThemeFactory(name="Care")
    picked = make_resource(library, title="Picked", publication_date=datetime.date(2000, 1, 1))
    make_resource(library, title="Shares a theme", themes=[theme])
    make_resource(library, title="Unrelated")
    resource = make_resource(library, title="Main", themes=[theme])
    resource.related_links.create(related=picked)
    resource.save_revision().publish()

    soup = BeautifulSoup(client.get(resource.url).content, "html.parser")

    titles = [a.get_text(strip=True) for a in soup.select(".resource__related h3 a")]
    assert titles == ["Picked", "Shares a theme"]


def test_feed_honours_the_library_filters(client, library):
    theme = ThemeFactory(name="Care")
    make_resource(library, title="On care", themes=[theme])
    make_resource(library, title="On waste")

    everything = ET.fromstring(client.get("/en/library-feed/").content)
    filtered = ET.fromstring(
        client.get("/en/library-feed/", {"theme": str(theme.translation_key)}).content
    )

    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.find(f"{atom}title").text for entry in everything.iter(f"{atom}entry")]
    assert sorted(titles) == ["On care", "On waste"]
    assert [entry.find(f"{atom}title").text for entry in filtered.iter(f"{atom}entry")] == [
        "On care"
    ]
    assert client.get("/en/library-feed/", {"page": "x", "year": "zz"}).status_code == 200
