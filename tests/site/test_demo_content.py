"""`manage.py load_demo` is idempotent: a second run creates, updates, re-publishes and
duplicates nothing. The demo is loaded once for the module (tests/conftest.py, shared_demo)."""

import io
import re

import pytest
from wagtail.models import Page, Revision
from wagtail.snippets.models import get_snippet_models

from ngo_site.translation_queue.models import QueueEntry
from partnerships.models import FAQQuestion, Funder, FundingPolicy
from tests.conftest import SHARED_DEMO, run_load_demo

pytestmark = SHARED_DEMO

SUMMARY = re.compile(r"(\d+) created, (\d+) updated, (\d+) unchanged")


def summary(output):
    match = SUMMARY.search(output)
    assert match, f"load_demo printed no summary:\n{output}"
    created, updated, unchanged = (int(number) for number in match.groups())
    return {"created": created, "updated": updated, "unchanged": unchanged}


def snapshot():
    return {
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        **{
            f"snippets {model._meta.label}": model.objects.count() for model in get_snippet_models()
        },
        "questions": list(FAQQuestion.objects.order_by("pk").values_list("pk", "answer")),
        "funders": list(Funder.objects.order_by("pk").values_list("pk", "sort_order", "name")),
        "policies": list(FundingPolicy.objects.order_by("pk").values_list("pk", "body")),
    }


def latest_revisions():
    return {page.url_path: page.latest_revision_id for page in Page.objects.all()}


def test_loading_the_demo_again_changes_nothing(shared_demo):
    first = summary(shared_demo)
    assert first["created"] > 0
    before, revisions = snapshot(), latest_revisions()
    assert before["pages"] > 2, "the demo content has no pages besides the root"

    output = run_load_demo()
    second = summary(output)

    changed = [
        line.strip()
        for line in output.splitlines()
        if line.strip().startswith(("created:", "updated:"))
    ]
    assert second["created"] == 0, changed
    assert second["updated"] == 0, changed
    assert second["unchanged"] == sum(first.values()), (first, second)
    after = latest_revisions()
    republished = sorted(path for path in after if after[path] != revisions.get(path))
    assert not republished, f"the second load_demo published these again: {republished}"
    assert snapshot() == before


def test_demo_home_page_is_the_default_site_root(demo_content, client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert response.context["page"].specific == demo_content


def reference_rows():
    from wagtail.models import ReferenceIndex

    return set(
        ReferenceIndex.objects.values_list(
            "content_type_id", "object_id", "to_content_type_id", "to_object_id", "content_path"
        )
    )


def test_demo_reference_index_is_what_a_full_rebuild_gives(demo_content):
    """load_demo indexes references once at the end (ngo_site.demo.reference_index): the result
    must be exactly Wagtail's own `rebuild_references_index`."""
    from django.core.management import call_command

    loaded = reference_rows()
    assert loaded, "the demo content recorded no references"
    call_command("rebuild_references_index", stdout=io.StringIO())
    assert reference_rows() == loaded


def test_a_theme_usage_lists_the_demo_resources_tagged_with_it(demo_content, admin_client):
    """What an editor sees under "Usage" of a theme before changing or deleting it."""
    from django.urls import reverse

    from resources.models import ResourcePage, Theme

    resource = ResourcePage.objects.live().filter(theme_links__isnull=False).first()
    assert resource is not None, "no demo resource has a theme"
    theme = Theme.objects.get(pk=resource.theme_links.first().theme_id)
    response = admin_client.get(reverse("wagtailsnippets_resources_theme:usage", args=[theme.pk]))
    assert response.status_code == 200
    assert resource.title in response.content.decode()


def test_every_missing_translation_in_the_demo_queue_shows_its_words(demo_content):
    """The translation queue of `make demo` gives the words of every item never translated,
    the generated library resources (bulk-created, without signals) included."""
    missing = QueueEntry.objects.filter(status="missing")
    assert missing.count() > 10
    assert list(missing.filter(words__isnull=True).values_list("title", flat=True)) == []
    assert not missing.filter(words=0).exists()


# --- The demo's content: the organisation's site rebuilt from the seeds (issue 26) ------------

PROGRAMMES = {
    "/en/programmes/social-protection/": "/fr/programmes/protection-sociale/",
    "/en/programmes/statistics/": "/fr/programmes/statistiques/",
    "/en/programmes/urban-policies/": "/fr/programmes/politiques-urbaines/",
    "/en/programmes/organisation-and-representation/": (
        "/fr/programmes/organisation-et-representation/"
    ),
    "/en/programmes/law/": "/fr/programmes/droit/",
}
PROGRAMME_NAMES_FR = [
    "Protection sociale",
    "Statistiques",
    "Politiques urbaines",
    "Organisation et représentation",
    "Droit",
]
# Fewer words than this in a programme's own sections (lead, overview, activities, how we work)
# is a stub, as four of the five were.
PROGRAMME_MIN_WORDS = 250
PROJECT_MIN_WORDS = 150


def soup_of(client, url, **params):
    from bs4 import BeautifulSoup

    response = client.get(url, params)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def cards(soup, section_id):
    """The cards of a section of includes/card_section.html (none when there is no section)."""
    heading = soup.select_one(f"#{section_id}-heading")
    return heading.find_parent("section").select(".card") if heading else []


def words_in(nodes):
    return sum(len(node.get_text(" ", strip=True).split()) for node in nodes)


def test_five_programmes_are_live_in_english_and_french(demo_content):
    from programmes.models import ProgrammePage

    english = ProgrammePage.objects.live().filter(locale__language_code="en")
    french = ProgrammePage.objects.live().filter(locale__language_code="fr")
    assert english.count() == french.count() == 5
    assert set(english.values_list("translation_key", flat=True)) == set(
        french.values_list("translation_key", flat=True)
    )


def test_the_french_home_page_lists_five_programme_cards_all_in_french(client, demo_content):
    soup = soup_of(client, "/fr/")
    section = soup.select_one("#featured-programmes-heading").find_parent("section")
    cards = section.select(".card__title a")
    assert [a.get_text(strip=True) for a in cards] == PROGRAMME_NAMES_FR
    assert [a["href"] for a in cards] == list(PROGRAMMES.values())
    # The facet of the French library names the five programmes in French too.
    facet = soup_of(client, "/fr/ressources/").select_one("#facet-programme")
    offered = {label.get_text(" ", strip=True).rsplit(" (", 1)[0] for label in facet("label")}
    assert offered == set(PROGRAMME_NAMES_FR)


def test_every_programme_page_is_full_in_both_languages(client, demo_content):
    for english, french in PROGRAMMES.items():
        for url in (english, french):
            page = soup_of(client, url).select_one("article.programme")
            own = [
                page.select_one("header"),
                *(
                    page.select_one(f"#{heading}").find_parent("section")
                    for heading in ("overview-heading", "activities-heading", "how-we-work-heading")
                ),
            ]
            assert words_in(own) >= PROGRAMME_MIN_WORDS, (url, words_in(own))
            assert len(page.select(".activity-list > li")) >= 3, url
            assert len(page.select(".working-methods > li")) >= 3, url
            assert cards(page, "featured-resources"), url
            # Its projects, or related work of other programmes where it has none of its own.
            related_work = page.select_one("#related-work-heading")
            assert cards(page, "projects") or related_work, url


def test_every_project_page_has_substance_in_both_languages(client, demo_content):
    from programmes.models import ProjectPage

    projects = ProjectPage.objects.live().filter(locale__language_code__in=["en", "fr"])
    assert projects.count() == 10
    for project in projects:
        article = soup_of(client, project.url).select_one("article.project")
        body = article.select_one(".project__body")
        assert words_in([body]) >= PROJECT_MIN_WORDS, (project.url, words_in([body]))
        # Sections with headings (context, what was done...), not one paragraph.
        assert len(body.select("h2")) >= 2, project.url
        assert cards(article, "related-resources"), project.url


# A word of each of the care-systems paper's eleven annex cases that is in its French PDF only (not
# in its page's title, summary, sections or terms), and the case's heading in the PDF.
ANNEX_CASES = {
    "Mercomuna": "Cas 1 : Iztapalapa (Mexico)",
    "Manitas": "Cas 2 : Bogota (Colombie)",
    "ASLHWA": "Cas 3 : Pakistan",
    "empreintes": "Cas 4 : États-Unis",
    "Silindokuhle": "Cas 5 : Durban (Afrique du Sud)",
    "Anambra": "Cas 6 : Canada, Norvège, Colombie et Nigeria",
    "VIH": "Cas 7 : Afrique",
    "népalais": "Cas 8 : Népal",
    "Saskatchewan": "Cas 9 : Danemark et Canada",
    "WCK": "Cas 10 : Belgique",
    "Gorkha": "Cas 11 : Japon, Népal et Philippines",
}
# The English PDF: each case's heading, which names its place, and the programme's own name.
ENGLISH_ANNEX_CASES = {
    "Case 1: Iztapalapa (Mexico City)": "Utopias",
    "Case 2: Bogotá (Colombia), the district care system": "Sistema Distrital de Cuidado",
    "Case 3: Pakistan": "All Sindh Lady Health Workers Association",
    "Case 4: United States, the sanctuary city model": "San Francisco",
    "Case 5: Durban (South Africa), childcare for market traders": "Silindokuhle",
    "Case 6: Canada, Norway, Colombia and Nigeria": "On Civil Society",
    "Case 7: Africa": "Home-Based Care Alliance",
    "Case 8: Nepal, literacy classes for older people in Kathmandu": "Ageing Nepal",
    "Case 9: Denmark and Canada": "FixLongTermCare",
    "Case 10: Belgium": "Welfare Care Kempen",
    "Case 11: Japan, Nepal and the Philippines, Ibasho communities": "Ibasho",
}
CARE_PAPER = {
    "en": "/en/resources/inclusive-care-systems/",
    "fr": "/fr/ressources/systemes-de-soins-inclusifs/",
}
# Each page's downloads: the PDF in the page's language first, then the other one.
CARE_PAPER_DOWNLOADS = {
    "en": ["The paper in English (PDF)", "The original in French (PDF)"],
    "fr": ["Le document en français, sa langue d’origine (PDF)", "Le document en anglais (PDF)"],
}
# What each PDF's text holds besides its cases: chapter headings and a phrase of its own.
CARE_PAPER_TEXT = {
    "en": ["Executive summary", "Recommendations for local and regional governments"],
    "fr": [
        "Résumé exécutif",
        "Recommandations aux gouvernements locaux et régionaux",
        "travailleuse·eur·s de l’informel",  # cp1252 text comes back intact
    ],
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_care_paper_is_a_publication_pdf_in_each_language_with_its_eleven_annex_cases(
    client, demo_content, language
):
    import io

    from pypdf import PdfReader

    from resources.extraction import extract_pdf_text

    other = {"en": "fr", "fr": "en"}[language]
    links = soup_of(client, CARE_PAPER[language]).select(".resource__downloads a")
    assert [link.get_text(strip=True) for link in links] == CARE_PAPER_DOWNLOADS[language]
    other_links = soup_of(client, CARE_PAPER[other]).select(".resource__downloads a")
    # The same two files, in the other order.
    assert [link["href"] for link in links] == [link["href"] for link in other_links][::-1]
    response = client.get(links[0]["href"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert len(PdfReader(io.BytesIO(data)).pages) >= 10
    # What the library's own extraction reads in it: the chapters and every case.
    text, note = extract_pdf_text(io.BytesIO(data))
    assert not note
    flat = " ".join(text.split())
    for phrase in CARE_PAPER_TEXT[language]:
        assert phrase in flat
    cases = ANNEX_CASES if language == "fr" else {v: k for k, v in ENGLISH_ANNEX_CASES.items()}
    for word, case in cases.items():
        assert case in flat, case
        assert word in flat, word
    assert len(flat.split()) >= 3000


# Words of the English PDF alone: in neither the paper's pages nor its French PDF.
ENGLISH_PDF_WORDS = ["fingerprints", "typhoon", "Homeland", "arithmetic"]
# Each case by its place and programme, as a visitor would look for it in each library.
CASE_QUERIES = {
    "en": ["Iztapalapa Utopias", "Ibasho", "Kathmandu literacy", "Warwick Junction", "Bogotá"],
    "fr": ["Iztapalapa", "Ibasho", "alphabétisation Katmandou", "Warwick Junction", "Bogota"],
}


def test_each_annex_case_of_the_care_paper_is_listed_and_found_by_the_library(client, demo_content):
    def found(library, words):
        query = " ".join(words)
        return [a["href"] for a in soup_of(client, library, q=query).select(".library-item h3 a")]

    for language, url in CARE_PAPER.items():
        soup = soup_of(client, url)
        page_text = soup.select_one("main").get_text(" ", strip=True)
        annex = soup.select(".resource-section--annex ol li")
        assert len(annex) == 11, (language, [li.get_text() for li in annex])
        library = url.rsplit("/", 2)[0] + "/"
        for word in [*ANNEX_CASES, *ENGLISH_PDF_WORDS]:
            assert word not in page_text, word  # so that only the PDFs' text can find it
        # The library finds a resource that has every word of a query: one search tries them all.
        assert url in found(library, ANNEX_CASES), language
        for query in CASE_QUERIES[language]:
            assert url in found(library, [query]), (language, query)
    assert CARE_PAPER["en"] in found("/en/resources/", ENGLISH_PDF_WORDS)
    english = soup_of(client, CARE_PAPER["en"]).select_one("main").get_text(" ", strip=True)
    assert "The paper is under Downloads in English and in French" in english
    french = soup_of(client, CARE_PAPER["fr"]).select_one("main").get_text(" ", strip=True)
    assert "en français, sa langue d’origine, et en anglais" in french


def test_the_featured_paper_of_social_protection_has_a_pdf_a_date_and_an_author(
    client, demo_content
):
    from wagtail.models import Locale

    from programmes.models import ProgrammePage

    programme = ProgrammePage.objects.get(locale__language_code="en", slug="social-protection")
    paper = programme.featured_resources.first().resource
    assert paper.slug == "does-social-protection-cause-informality"
    assert paper.publication_date is not None
    assert list(paper.authors.values_list("name", flat=True)) == ["WIEGO"]
    (row,) = paper.documents.all()
    assert "Does Social Protection Cause Informality?" in row.document.extracted_text
    french = paper.get_translation(Locale.objects.get(language_code="fr"))
    for url in (paper.url, french.url):
        soup = soup_of(client, url)
        (download,) = soup.select(".resource__downloads a")
        assert client.get(download["href"]).status_code == 200
        text = soup.select_one("main").get_text(" ", strip=True)
        assert "WIEGO. (2023)." in text  # the APA citation: author and year
