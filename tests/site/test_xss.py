"""Script injected anywhere a visitor or an editor can type is shown as text, never run.

Payloads go in the way people put them: rich text, headings, image alt text and captions and
document titles through the admin's edit view of a page; search queries, facet values and page
numbers in the address; contact and newsletter forms through their public pages; image credits,
taxonomy and footer snippets as editors save them. Each page is then read as a browser would
(bs4): no element, attribute or link the payloads tried to inject may exist, and the raw HTML
must never contain a payload unescaped.
"""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.test.utils.form_data import nested_form_data, streamfield

from partnerships.models import ContactSubmission
from tests.editorial.conftest import standard_page_form
from tests.partnerships.helpers import contact_data, newsletter_data
from tests.programmes.factories import LibraryPageFactory
from tests.resources.factories import (
    ImageFactory,
    RegionFactory,
    ResourceTypeFactory,
    ThemeFactory,
    make_resource,
)
from tests.site.factories import FooterContentFactory, StandardPageFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss-script')</script>"
BREAKOUT = "\"'><img src=x onerror=alert('xss-img')>"
JAVASCRIPT_URL = "javascript:alert('xss-link')"
PAYLOAD = f"{SCRIPT} {BREAKOUT}"
# What must never be found in a response's raw HTML: the payloads' markup, unescaped.
RAW_MARKERS = ["<script>alert(", "<img src=x"]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}


def assert_inert(response):
    """The payloads injected nothing: no script, event handler, stray image or script link."""
    assert response.status_code < 500
    html = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in html, f"unescaped {marker!r} in the page"
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            # Structured data is not run; it must stay data: valid JSON, with no "<" that could
            # close the element early (Django's json_script escapes it as \u003C).
            assert "<" not in script.string, script
            json.loads(script.string)
        else:
            assert "alert(" not in script.get_text(), script
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), f"event handler {name} on <{element.name}>"
            if name.lower() in URL_ATTRIBUTES:
                url = re.sub(r"\s", "", value).lower()
                assert not url.startswith(("javascript:", "data:text/html")), element
        if element.name == "img":
            assert element.get("src") != "x", element
    return soup


def visible_text(soup):
    return soup.get_text(" ", strip=True)


@pytest.fixture
def about(home_page, footer):
    return StandardPageFactory(parent=home_page, title="About us", slug="about")


def contentstate(text, link_text, url):
    """Draftail's value for one paragraph whose `link_text` links to `url`."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "xss01",
                    "text": f"{text} {link_text}",
                    "type": "unstyled",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": len(text) + 1, "length": len(link_text), "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
        }
    )


def test_rich_text_and_blocks_edited_in_the_admin_are_inert(client, admin_client, about):
    image = ImageFactory(title="Market", credit=PAYLOAD)
    document = get_document_model().objects.create(
        title=PAYLOAD, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="report.pdf")
    )
    body = streamfield(
        [
            ("paragraph", contentstate(PAYLOAD, "read more", JAVASCRIPT_URL)),
            ("heading", {"text": PAYLOAD, "level": "h2"}),
            ("quote", {"quote": PAYLOAD, "attribution": PAYLOAD}),
            (
                "image",
                {
                    "image": {"image": image.pk, "alt_text": PAYLOAD, "decorative": ""},
                    "caption": PAYLOAD,
                },
            ),
            ("document", {"document": document.pk, "title": "", "description": PAYLOAD}),
        ]
    )
    form = standard_page_form(PAYLOAD, "about", **{"action-publish": "Publish"})
    form.update(nested_form_data({"body": body}))
    form["summary"] = PAYLOAD
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(about.pk,)), form)
    assert response.status_code == 302, response.content.decode()[:3000]

    page = client.get("/en/about/")

    assert page.status_code == 200
    soup = assert_inert(page)
    # The payloads were kept as text, not silently dropped: the test would pass vacuously.
    assert SCRIPT in visible_text(soup)
    assert BREAKOUT in visible_text(soup)
    image_element = soup.select_one("main img")
    assert image_element is not None and image_element["alt"] == PAYLOAD
    link = soup.find("a", string="read more")
    assert link is None or not link.get("href", "").lower().startswith("javascript")
    # The editor's own view of the page in the admin is as inert.
    assert_inert(admin_client.get(reverse("wagtailadmin_pages:edit", args=(about.pk,))))


@pytest.fixture
def library(home_page, footer):
    library = LibraryPageFactory(parent=home_page)
    theme = ThemeFactory(name=PAYLOAD)
    region = RegionFactory(name=PAYLOAD)
    kind = ResourceTypeFactory(name=PAYLOAD)
    resource = make_resource(
        library,
        title=f"Street vendors {PAYLOAD}",
        summary=PAYLOAD,
        resource_type=kind,
        themes=[theme],
        regions=[region],
        languages=["en"],
        authors=[PAYLOAD],
    )
    return {"library": library, "theme": theme, "region": region, "resource": resource}


@pytest.mark.parametrize(
    "query",
    [
        {"q": PAYLOAD},
        {"q": JAVASCRIPT_URL},
        {"theme": PAYLOAD, "region": BREAKOUT},
        {"type": PAYLOAD, "language": BREAKOUT, "year": PAYLOAD},
        {"q": "vendors", "page": PAYLOAD, "sort": BREAKOUT},
    ],
    ids=["text", "link", "facets", "more-facets", "page-and-sort"],
)
def test_library_queries_and_facet_values_are_inert(client, library, query):
    response = client.get(library["library"].url, query)

    assert_inert(response)


def test_taxonomy_names_and_authors_shown_as_facets_and_on_the_resource_are_inert(client, library):
    facets = {"theme": str(library["theme"].translation_key)}
    listing = assert_inert(client.get(library["library"].url, facets))
    assert SCRIPT in visible_text(listing)

    resource = assert_inert(client.get(library["resource"].url))
    assert SCRIPT in visible_text(resource)


@pytest.mark.parametrize("query", [PAYLOAD, BREAKOUT, JAVASCRIPT_URL, SCRIPT * 50])
def test_site_search_queries_are_inert(client, about, query):
    response = client.get("/en/search/", {"q": query})

    assert response.status_code == 200
    soup = assert_inert(response)
    search_box = soup.select_one('input[name="q"]')
    assert search_box is not None and search_box["value"] == query[: len(search_box["value"])]


def test_contact_form_input_shown_back_with_errors_is_inert(client, about):
    response = client.post(
        "/en/contact/",
        contact_data(name=PAYLOAD, email=BREAKOUT, organisation=PAYLOAD, message=PAYLOAD),
    )

    assert response.status_code in (200, 400)
    soup = assert_inert(response)
    assert soup.select_one('input[name="name"]')["value"] == PAYLOAD


def test_newsletter_form_input_shown_back_with_errors_is_inert(client, about):
    response = client.post("/en/newsletter/", newsletter_data(name=PAYLOAD, email=PAYLOAD))

    assert response.status_code in (200, 400)
    soup = assert_inert(response)
    assert soup.select_one('input[name="name"]')["value"] == PAYLOAD


def test_contact_messages_are_inert_in_the_admin(client, admin_client, about):
    response = client.post(
        "/en/contact/", contact_data(name=PAYLOAD, organisation=PAYLOAD, message=PAYLOAD)
    )
    assert response.status_code == 302
    message = ContactSubmission.objects.get()

    assert_inert(admin_client.get(reverse("contact_messages:index")))
    inspect = admin_client.get(reverse("contact_messages:inspect", args=(message.pk,)))
    assert inspect.status_code == 200
    assert SCRIPT in visible_text(assert_inert(inspect))


def test_footer_snippet_is_inert(client, home_page):
    FooterContentFactory(organisation_name=PAYLOAD, address=PAYLOAD, copyright_notice=PAYLOAD)

    soup = assert_inert(client.get("/en/"))

    assert SCRIPT in visible_text(soup)


# --- The library's Atom feed, programme, project and partnerships pages -----------------------


def test_resource_titles_and_summaries_are_escaped_in_the_atom_feed(client, library):
    from xml.etree import ElementTree

    response = client.get(reverse("resources_feed"))

    assert response.status_code == 200
    xml = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in xml, f"unescaped {marker!r} in the feed"
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ElementTree.fromstring(response.content).findall(f"{atom}entry")
    entry = next(e for e in entries if "Street vendors" in e.findtext(f"{atom}title"))
    # The title is text: the payload is read back exactly, as characters.
    assert entry.findtext(f"{atom}title") == f"Street vendors {PAYLOAD}"
    summary = entry.find(f"{atom}summary")
    content = summary.text or ""
    if summary.get("type") == "html":
        # A feed reader shows an html summary as markup: it must hold no element.
        assert BeautifulSoup(content, "html.parser").find(True) is None, content
    else:
        assert content == PAYLOAD


def test_programme_and_project_fields_are_inert(client, home_page, footer):
    from tests.programmes.factories import (
        ProgrammePageFactory,
        ProjectPageFactory,
        ProjectPlaceFactory,
    )

    programme = ProgrammePageFactory(
        parent=home_page, title=f"Programme {PAYLOAD}", summary=PAYLOAD, lead=PAYLOAD
    )
    project = ProjectPageFactory(parent=programme, title=f"Project {PAYLOAD}", summary=PAYLOAD)
    ProjectPlaceFactory(
        project=project, city=PAYLOAD, country=BREAKOUT, description=PAYLOAD, locale=project.locale
    )

    for page in (programme, project, home_page):
        soup = assert_inert(client.get(page.url))
        if page is not home_page:
            assert SCRIPT in visible_text(soup), page.url


def test_partnerships_page_fields_and_snippets_are_inert(client, home_page, footer):
    from tests.partnerships.factories import (
        FAQGroupFactory,
        FAQQuestionFactory,
        FunderFactory,
        FundingPolicyFactory,
        PartnershipsPageFactory,
        faq_block,
        funders_block,
        policy_block,
    )

    FunderFactory(name=PAYLOAD, website="https://example.org/")
    policy = FundingPolicyFactory(title=PAYLOAD)
    faq = FAQGroupFactory(title=PAYLOAD, questions=0)
    FAQQuestionFactory(group=faq, question=PAYLOAD)
    page = PartnershipsPageFactory(
        parent=home_page,
        title=f"Partnerships {PAYLOAD}",
        body=[funders_block(PAYLOAD), policy_block(policy), faq_block(faq)],
    )

    soup = assert_inert(client.get(page.url))

    assert SCRIPT in visible_text(soup)
