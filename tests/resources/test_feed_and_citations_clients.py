"""The library's Atom feed and the "Cite this" formats, read by the clients people use (issue 26):
feedparser for the feed (RFC 4287: every entry has `updated` and `author`; each filtered feed is
a feed of its own, with its title, id and self link), bibtexparser and rispy for the citations
(publisher or institution, language, the page's and the PDF's absolute URLs), and the APA line
with the organisation and APA's punctuation."""

import datetime

import bibtexparser
import feedparser
import pytest
import rispy
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from wagtail.models import Locale

from ngo_site.models import CustomDocument
from resources.demo.library_content import pdf_bytes
from resources.models import ResourcePage
from tests.resources.factories import (
    LibraryPageFactory,
    ResourceTypeFactory,
    ThemeFactory,
    make_resource,
)
from tests.site.factories import FooterContentFactory

pytestmark = pytest.mark.django_db

ORGANISATION = "Harbour Workers Network – Dockers and Porters"


@pytest.fixture
def library(home_page, english):
    FooterContentFactory(locale=english, organisation_name=ORGANISATION)
    return LibraryPageFactory(parent=home_page)


@pytest.fixture
def care(library):
    return ThemeFactory(name="Care")


@pytest.fixture
def resources(library, care):
    with_authors = make_resource(
        library,
        title="Care work in cities",
        themes=[care],
        authors=["Moussié, Rachel", "Alfers, L."],
        publication_date=datetime.date(2024, 3, 1),
    )
    by_the_organisation = make_resource(
        library, title="Waste pickers count", publication_date=datetime.date(2023, 6, 1)
    )
    # Bulk-loaded resources (the demo's, an import's) may carry no publication times at all.
    ResourcePage.objects.filter(pk=by_the_organisation.pk).update(
        first_published_at=None, last_published_at=None
    )
    return {"with_authors": with_authors, "by_the_organisation": by_the_organisation}


def read_feed(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def self_link(parsed):
    (link,) = [link.href for link in parsed.feed.links if link.rel == "self"]
    return link


def test_every_entry_has_updated_and_an_author(client, resources):
    parsed = read_feed(client, "/en/library-feed/")

    assert len(parsed.entries) == 2
    for entry in parsed.entries:
        assert entry.get("updated_parsed"), entry.title
        assert entry.get("authors"), entry.title
    by_title = {entry.title: entry for entry in parsed.entries}
    assert [author.name for author in by_title["Care work in cities"].authors] == [
        "Moussié, Rachel",
        "Alfers, L.",
    ]
    # No author of its own: the organisation wrote it, as the feed itself says.
    assert [author.name for author in by_title["Waste pickers count"].authors] == [ORGANISATION]
    assert by_title["Waste pickers count"].updated_parsed[:3] == (2023, 6, 1)
    assert parsed.feed.author == ORGANISATION
    assert parsed.feed.get("updated_parsed")


def test_the_library_links_its_filtered_feed_which_is_a_feed_of_its_own(client, resources, care):
    unfiltered = read_feed(client, "/en/library-feed/")
    assert unfiltered.feed.title == "Resources: newest resources"
    assert unfiltered.feed.id == self_link(unfiltered) == "http://testserver/en/library-feed/"
    assert unfiltered.feed.link == "http://testserver/en/resources/"

    # The visitor filters the library by theme and follows the page's feed link.
    page = BeautifulSoup(
        client.get("/en/resources/", {"theme": str(care.translation_key)}).content, "html.parser"
    )
    feed_href = page.select_one("link[rel=alternate][type='application/atom+xml']")["href"]
    filtered = read_feed(client, feed_href)

    assert [entry.title for entry in filtered.entries] == ["Care work in cities"]
    assert filtered.feed.title == "Resources: newest resources (Theme: Care)"
    assert filtered.feed.id != unfiltered.feed.id
    assert filtered.feed.id == self_link(filtered) == f"http://testserver{feed_href}"
    assert filtered.feed.link == (f"http://testserver/en/resources/?theme={care.translation_key}")

    searched = read_feed(client, "/en/library-feed/", {"q": "waste"})
    assert searched.feed.title == "Resources: newest resources (search: “waste”)"
    assert self_link(searched) == searched.feed.id == "http://testserver/en/library-feed/?q=waste"
    assert len({unfiltered.feed.id, filtered.feed.id, searched.feed.id}) == 3


def test_the_french_feed_of_a_search_says_so_in_french(client, resources, home_page, library):
    from tests.resources.test_french_library import translate

    french = Locale.objects.get(language_code="fr")
    translate(home_page, french, slug="accueil")
    translate(library, french, title="Bibliothèque", slug="bibliotheque")
    parsed = read_feed(client, "/fr/library-feed/", {"q": "travail"})
    assert parsed.feed.title == (
        "Bibliothèque : ressources les plus récentes (recherche : « travail »)"
    )
    assert self_link(parsed) == parsed.feed.id == "http://testserver/fr/library-feed/?q=travail"


@pytest.fixture
def report(library):
    document = CustomDocument(title="The report")
    document.file.save("street_vendors.pdf", ContentFile(pdf_bytes(["Vendors"])), save=False)
    document.save()
    return make_resource(
        library,
        title="Street vendors and the law",
        slug="street-vendors-and-the-law",
        publication_date=datetime.date(2022, 9, 15),
        resource_type=ResourceTypeFactory(name="Report", citation_type="RPRT"),
        authors=["Roever, Sally", "Skinner, Caroline A."],
        languages=["en", "fr"],
        documents=[document],
    )


def citation_texts(client, resource):
    soup = BeautifulSoup(client.get(resource.url).content, "html.parser")
    apa = soup.select_one(".resource__cite p.citation").get_text(strip=True)
    bib = client.get(f"/en/library-cite/{resource.pk}.bib").content.decode()
    ris = client.get(f"/en/library-cite/{resource.pk}.ris").content.decode()
    return apa, bib, ris


def test_bibtex_and_ris_name_the_institution_the_languages_the_page_and_the_pdf(client, report):
    _apa, bib, ris = citation_texts(client, report)
    page_url = f"http://testserver{report.url}"

    (entry,) = bibtexparser.loads(bib).entries
    assert entry["ENTRYTYPE"] == "techreport"
    assert entry["institution"] == ORGANISATION
    assert entry["language"] == "English and French"
    assert entry["url"] == page_url
    assert entry["file"].startswith("http://testserver/documents/")
    assert entry["file"].endswith("/street_vendors.pdf")
    assert client.get(entry["file"].removeprefix("http://testserver")).status_code == 200

    (record,) = rispy.loads(ris)
    assert record["type_of_reference"] == "RPRT"
    assert record["authors"] == ["Roever, Sally", "Skinner, Caroline A."]
    assert record["publisher"] == ORGANISATION
    assert record["language"] == "English, French"
    assert record["urls"] == [page_url]
    assert record["file_attachments1"] == entry["file"]
    assert record["year"] == "2022"


def test_the_apa_line_names_the_organisation_with_apas_punctuation(client, report, library):
    apa, _bib, _ris = citation_texts(client, report)
    assert apa == (
        "Roever, S., & Skinner, C. A. (2022). Street vendors and the law. "
        f"{ORGANISATION}. http://testserver{report.url}"
    )

    # Without authors, the organisation is the group author, and is not repeated as publisher.
    anonymous = make_resource(
        library, title="Who are the waste pickers?", publication_date=datetime.date(2020, 1, 2)
    )
    apa, bib, _ris = citation_texts(client, anonymous)
    assert apa == (
        f"{ORGANISATION}. (2020). Who are the waste pickers? http://testserver{anonymous.url}"
    )
    (entry,) = bibtexparser.loads(bib).entries
    assert entry["publisher"] == ORGANISATION

    # A resource published by someone else names its publisher, after the title and series.
    other = make_resource(
        library,
        title="Informal economy budget analysis",
        authors=["Jean-Pierre Dupont"],
        publisher="ILO",
        series="Working Paper 3",
        publication_date=datetime.date(2019, 5, 5),
    )
    apa, _bib, _ris = citation_texts(client, other)
    assert apa == (
        "Jean-Pierre Dupont. (2019). Informal economy budget analysis. Working Paper 3. ILO. "
        f"http://testserver{other.url}"
    )
