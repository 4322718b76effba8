"""The demo library (make demo): the seed resources and enough generated ones for every facet."""

import polib
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.models import Locale

from programmes.models import ProgrammePage
from resources.models import ResourceType
from tests.conftest import SHARED_DEMO
from tests.resources.test_french_library import listed, soup_of

pytestmark = SHARED_DEMO


def test_demo_library_has_every_facet_and_searchable_pdf_text(client, demo_content):
    soup = BeautifulSoup(client.get("/en/resources/").content, "html.parser")

    status = soup.select_one("[role=status]").get_text(" ", strip=True)
    assert int(status.split()[0]) >= 64
    for facet in ("type", "programme", "theme", "region", "language", "year"):
        assert len(soup.select(f"#facet-{facet} li")) >= 2, facet
    # Spread over every facet: each resource type and each programme has resources to offer.
    english = Locale.objects.get(language_code="en")

    def offered(facet):
        return {box["value"] for box in soup.select(f"#facet-{facet} input")}

    assert offered("type") == {
        str(key)
        for key in ResourceType.objects.filter(locale=english).values_list(
            "translation_key", flat=True
        )
    }
    assert offered("programme") == {
        str(key)
        for key in ProgrammePage.objects.live()
        .filter(locale=english)
        .values_list("translation_key", flat=True)
    }
    assert len(ResourceType.objects.filter(locale=english)) >= 6

    # "injustices" is only in the text of the care-systems paper's PDF (resources/demo/
    # library.yaml), not in the paper's title, summary, sections, authors or terms.
    found = BeautifulSoup(client.get("/en/resources/", {"q": "injustices"}).content, "html.parser")
    links = found.select(".library-item h3 a")
    assert [a.get_text(strip=True) for a in links] == [
        "Inclusive Care Systems: Caring Cities for All"
    ]
    paper_page = BeautifulSoup(client.get(links[0]["href"]).content, "html.parser")
    assert paper_page.select_one(".resource__downloads a[href$='.pdf']")
    assert "injustice" not in paper_page.get_text(" ").lower()

    practice = BeautifulSoup(
        client.get("/en/resources/protecting-migrants-from-covid-19-senegal/").content,
        "html.parser",
    )
    # Its author as the French record names it, on the English page too: author names are
    # cited as the source gives them, not translated.
    authors = practice.select_one(".resource__authors").get_text(strip=True)
    assert authors == "Organisation de travailleuse·eur·s migrant·e·s, Dakar"
    record = practice.select_one("section.practice-record")
    headings = [h.get_text(strip=True) for h in record.find_all("h3")]
    assert headings[:4] == ["Objectives", "Summary", "Organisations", "Partners"]
    assert "Related practices" in headings


def test_demo_french_library(client, demo_content):
    from wagtail.models import Locale
    from wagtail_localize.segments.extract import extract_segments
    from wagtail_localize.segments.types import StringSegmentValue

    from ngo_site.demo.translate import translatable_objects
    from resources.models import LibraryPage, Region, ResourcePage, ResourceType, Theme

    soup = soup_of(client.get("/fr/ressources/", {"q": "heat stress lima"}))
    legends = [legend.get_text(strip=True) for legend in soup.select("fieldset.facet legend")]
    assert "Type de ressource" in legends and "Thème" in legends
    assert "Santé et sécurité au travail" in soup.select_one("#facet-theme").get_text()
    (item,) = soup.select(".library-item")
    assert (
        item.h3.a.get_text(strip=True)
        == "Heat stress and outdoor work in Lima: evidence from a survey"
    )
    assert item.h3.a["lang"] == "en" and item.h3.a["href"].startswith("/en/resources/")

    french = Locale.objects.get(language_code="fr")
    english = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    # Every term has French, and the French library lists every resource exactly once.
    for model in (ResourceType, Theme, Region):
        assert (
            model.objects.filter(locale=french).count()
            == model.objects.filter(locale=english).count()
        )
    count = soup_of(client.get("/fr/ressources/")).select_one(".library__count")
    assert count.get_text(strip=True).startswith(
        f"{ResourcePage.objects.filter(locale=english).live().count()} "
    )
    care_paper = listed(client.get("/fr/ressources/", {"q": "soins inclusifs"}))
    assert care_paper == [
        (
            "Systèmes de soins inclusifs : des villes bienveillantes pour tou·te·s",
            "/fr/ressources/systemes-de-soins-inclusifs/",
            None,
            False,
        )
    ]
    translated = ResourcePage.objects.filter(locale=french).live().count()
    untranslated = ResourcePage.objects.filter(locale=english).live().count() - translated
    # The seed resources and a sample of the generated ones are in French, the rest is left to
    # the translators (resources/demo/fr.po says why).
    assert translated >= 12 and untranslated > 0
    assert LibraryPage.objects.get(locale=french).url == "/fr/ressources/"

    # Every string of the library's demo catalogue is a string of the demo content.
    demo_strings = {
        segment.string.data
        for instance in translatable_objects(english)
        for segment in extract_segments(instance)
        if isinstance(segment, StringSegmentValue)
    }
    catalogue = polib.pofile(str(settings.BASE_DIR / "resources/demo/fr.po"))
    unused = [entry.msgid for entry in catalogue if entry.msgid not in demo_strings]
    assert not unused


def test_demo_practice_record_in_french(client, demo_content):
    soup = soup_of(client.get("/fr/ressources/protection-des-migrants-contre-la-covid-19-senegal/"))

    record = soup.select_one("section.practice-record")
    assert record.h2.get_text(strip=True) == "La pratique"
    assert record.select_one("dl dd").get_text(strip=True) == "Programme ou projet"
    headings = [h.get_text(strip=True) for h in record.find_all("h3")]
    assert headings[:3] == ["Objectifs", "Résumé", "Organisations"]
    text = record.get_text(" ", strip=True)
    # From the seed's French, through wagtail-localize (resources/demo/fr.po).
    assert "la CSI Afrique a ensuite financé la distribution de kits" in text
    assert "Comment la pratique s’est-elle adaptée" in text
    # Related practices link to their French translations.
    links = [a["href"] for a in record.select(".practice-record__part ul a")]
    assert links and all(href.startswith("/fr/ressources/") for href in links)


def test_demo_downloads_have_their_title_in_the_page_language(client, demo_content):
    def downloads(url):
        return [
            a.get_text(strip=True)
            for a in soup_of(client.get(url)).select(".resource__downloads a")
        ]

    # The paper's PDFs, each page's language first (tests/site/test_demo_content.py).
    assert downloads("/en/resources/inclusive-care-systems/") == [
        "The paper in English (PDF)",
        "The original in French (PDF)",
    ]
    assert downloads("/fr/ressources/systemes-de-soins-inclusifs/") == [
        "Le document en français, sa langue d’origine (PDF)",
        "Le document en anglais (PDF)",
    ]
    assert downloads("/fr/ressources/brochure-villes-focales/") == ["Brochure Villes focales"]
