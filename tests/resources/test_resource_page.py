"""The resource page: metadata, downloads, sections (chapters, annex), citations (shown and
downloaded), related resources, share links; and the feed of the library."""

import datetime
import xml.etree.ElementTree as ET

import bibtexparser
import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from ngo_site.models import CustomDocument
from resources.demo.library_content import pdf_bytes
from tests.programmes.factories import ProgrammeIndexPageFactory, ProgrammePageFactory
from tests.resources.factories import (
    ImageFactory,
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


def cite_download(client, resource, link_text):
    """The "Cite this" link whose text is `link_text`, followed as a visitor's browser would."""
    soup = BeautifulSoup(client.get(resource.url).content, "html.parser")
    (link,) = [
        a for a in soup.select(".resource__cite a[href]") if a.get_text(strip=True) == link_text
    ]
    assert link.has_attr("download")
    return client.get(link["href"]), soup


def test_the_bibtex_link_of_cite_this_downloads_the_entry_shown(client, known_resource):
    """The "Download BibTeX (.bib)" link gives a .bib file reference managers read: the entry
    shown on the page, which bibtexparser parses."""
    response, soup = cite_download(client, known_resource, "Download BibTeX (.bib)")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="Alfers2021_{known_resource.pk}.bib"'
    )
    text = response.content.decode()
    shown = soup.select(".resource__cite pre.citation code")[0].get_text()
    assert text == shown
    (entry,) = bibtexparser.loads(text).entries
    assert entry["ID"] == f"Alfers2021_{known_resource.pk}"
    assert entry["ENTRYTYPE"] == "techreport"
    assert entry["title"] == "Does Social Protection Cause Informality?"
    assert entry["author"] == "Alfers, L. and Juergens-Grant, F."
    assert entry["year"] == "2021"
    assert entry["institution"] == "WIEGO"
    assert entry["doi"] == "10.1234/wiego.44"


def test_the_ris_link_of_cite_this_downloads_a_complete_record(client, known_resource):
    """The "Download RIS (.ris)" link gives a .ris file: one record from TY to ER, the record
    shown on the page."""
    response, soup = cite_download(
        client, known_resource, "Download RIS (.ris) for reference managers"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="Alfers2021_{known_resource.pk}.ris"'
    )
    text = response.content.decode()
    shown = soup.select(".resource__cite pre.citation code")[1].get_text()
    assert text.splitlines() == shown.splitlines()
    lines = text.split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert lines[-2:] == ["ER  - ", ""]
    assert "TI  - Does Social Protection Cause Informality?" in lines
    assert [line for line in lines if line.startswith("AU")] == [
        "AU  - Alfers, L.",
        "AU  - Juergens-Grant, F.",
    ]
    assert "DO  - 10.1234/wiego.44" in lines
    # The tags reference managers need, each line "XX  - value".
    assert {"TY", "AU", "TI", "PY", "DA", "UR", "ER"} <= {line[:2] for line in lines if line}
    assert all(line[2:6] == "  - " for line in lines if line)


def test_citation_of_a_draft_is_not_found(client, known_resource):
    known_resource.unpublish()
    assert client.get(f"/en/library-cite/{known_resource.pk}.bib").status_code == 404
    assert client.get(f"/en/library-cite/{known_resource.pk}.pdf").status_code == 404


@pytest.mark.parametrize("number", [2**63, 2**64, 10**20 - 1, 10**40])
def test_citation_of_an_id_no_database_can_hold_is_not_found(client, known_resource, number):
    assert client.get(f"/en/library-cite/{number}.bib").status_code == 404
    assert client.get(f"/en/library-cite/{number}.ris").status_code == 404


def test_citation_of_the_largest_possible_id_is_looked_up(client, known_resource):
    assert client.get(f"/en/library-cite/{2**63 - 1}.bib").status_code == 404


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


def test_related_resources_editor_picked_first_then_by_shared_programme_newest_first(
    client, library, home_page
):
    """Resources of the same programme follow the editor's pick, the newest first; a resource of
    another programme is not related."""
    programmes = ProgrammeIndexPageFactory(parent=home_page)
    law = ProgrammePageFactory(parent=programmes, title="Law")
    statistics = ProgrammePageFactory(parent=programmes, title="Statistics")
    picked = make_resource(library, title="Picked", publication_date=datetime.date(2000, 1, 1))
    make_resource(
        library,
        title="Same programme, older",
        programmes=[law],
        publication_date=datetime.date(2019, 1, 1),
    )
    make_resource(
        library,
        title="Same programme, newer",
        programmes=[law],
        publication_date=datetime.date(2022, 1, 1),
    )
    make_resource(library, title="Another programme", programmes=[statistics])
    make_resource(library, title="Unrelated")
    resource = make_resource(library, title="Main", programmes=[law])
    resource.related_links.create(related=picked)
    resource.save_revision().publish()

    assert related_titles(client, resource) == [
        "Picked",
        "Same programme, newer",
        "Same programme, older",
    ]


def test_chapters_and_annex_are_shown_under_their_headings_in_order(client, library):
    """Each section of a publication is shown under its own heading, or the kind's name (Chapter,
    Annex) when the editor left the heading empty, in the order the editor gave them."""
    resource = make_resource(
        library,
        title="Care systems",
        sections=[
            {
                "type": "section",
                "value": {
                    "kind": "chapter",
                    "heading": "1. Why care matters",
                    "text": "<p>Care work holds up every economy.</p>",
                },
            },
            {
                "type": "section",
                "value": {
                    "kind": "chapter",
                    "heading": "",
                    "text": "<p>Childcare centres for market traders.</p>",
                },
            },
            {
                "type": "section",
                "value": {
                    "kind": "annex",
                    "heading": "",
                    "text": "<p>List of the people interviewed.</p>",
                },
            },
        ],
    )

    response = client.get(resource.url)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    shown = [
        (
            section["class"],
            section.h2.get_text(strip=True),
            section.h2.find_next_sibling("p").get_text(strip=True),
        )
        for section in soup.select("article.resource section.resource-section")
    ]
    assert shown == [
        (
            ["resource-section", "resource-section--chapter"],
            "1. Why care matters",
            "Care work holds up every economy.",
        ),
        (
            ["resource-section", "resource-section--chapter"],
            "Chapter",
            "Childcare centres for market traders.",
        ),
        (
            ["resource-section", "resource-section--annex"],
            "Annex",
            "List of the people interviewed.",
        ),
    ]


def test_cover_credit_publisher_isbn_and_external_url_are_shown(client, library):
    cover = ImageFactory(credit="Photo: Juan Arredondo")
    resource = make_resource(
        library,
        title="A book",
        image=cover,
        publisher="Routledge",
        isbn="978-92-95095-12-3",
        external_url="https://example.org/a-book",
    )

    soup = BeautifulSoup(client.get(resource.url).content, "html.parser")

    caption = soup.select_one(".resource__cover figcaption").get_text(strip=True)
    assert caption == "Cover: Photo: Juan Arredondo"
    metadata = {
        term.get_text(strip=True): term.find_next_sibling("dd")
        for term in soup.select(".resource__metadata dt")
    }
    assert metadata["Publisher"].get_text(strip=True) == "Routledge"
    assert metadata["ISBN"].get_text(strip=True) == "978-92-95095-12-3"
    assert metadata["Online"].a["href"] == "https://example.org/a-book"


def related_titles(client, resource):
    response = client.get(resource.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".resource__related h3 a")]


def test_picked_resources_that_are_private_drafts_or_in_another_language_are_not_shown(
    client, library, french
):
    private = make_resource(library, title="Members only", summary="A secret summary.")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft = make_resource(library, title="Not ready")
    draft.unpublish()
    public = make_resource(library, title="For everyone")
    library.get_parent().specific.copy_for_translation(french).save_revision().publish()
    library.copy_for_translation(french).save_revision().publish()
    in_french = public.copy_for_translation(french)
    in_french.title = "Pour tout le monde"
    in_french.save_revision().publish()
    resource = make_resource(library, title="Main")
    for picked in (private, draft, in_french, public):
        resource.related_links.create(related=picked)
    resource.save_revision().publish()

    response = client.get(resource.url)

    assert related_titles(client, resource) == ["For everyone"]
    page = response.content.decode()
    assert "Members only" not in page and "A secret summary." not in page
    assert "Not ready" not in page and "Pour tout le monde" not in page


def test_resource_page_queries_do_not_grow_with_related_resources_with_covers(
    client, library, settings
):
    # The page rendered in full each time, not read from the fragments' cache.
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    settings.CACHES = {**settings.CACHES, "template_fragments": dummy}

    def page_queries(resource, related_count):
        assert len(related_titles(client, resource)) == related_count  # also warms the caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(resource.url)
        assert response.status_code == 200
        return len(queries)

    authors = ["Alfers, L.", "Roever, S."]
    theme = ThemeFactory(name="Care")
    alone = make_resource(library, title="Alone", authors=authors, themes=[theme])
    without_related = page_queries(alone, 0)

    first = make_resource(library, title="Picked 1", image=ImageFactory())
    # Its own theme, shared with nobody: the same term queries as the others, no automatic match.
    with_one = make_resource(
        library, title="With one", authors=authors, themes=[ThemeFactory(name="Waste")]
    )
    with_one.related_links.create(related=first)
    with_one.save_revision().publish()
    one_related = page_queries(with_one, 1)

    second = make_resource(library, title="Picked 2", image=ImageFactory())
    for number in (1, 2):
        make_resource(library, title=f"Shares {number}", image=ImageFactory(), themes=[theme])
    main = make_resource(library, title="Main", authors=authors, themes=[theme])
    for page in (first, second):
        main.related_links.create(related=page)
    main.save_revision().publish()
    four_related = page_queries(main, 4)

    assert four_related == one_related
    # The cards' renditions: one prefetch for every card with an image, none without cards.
    assert one_related == without_related + 1
    # Wagtail routing and restriction check, the layout, the page: rendered in full.
    assert four_related <= 25


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
