"""Programme and project pages as visitors get them, built by `load_demo` (the demo_content
fixture of tests/conftest.py): plain HTML that works without JavaScript."""

from pathlib import Path

from bs4 import BeautifulSoup
from django.conf import settings

from programmes.models import ProgrammePage, ProjectPage
from resources.models import ResourcePage
from tests.conftest import SHARED_DEMO

pytestmark = SHARED_DEMO

FOCAL_CITIES_URL = "/en/programmes/urban-policies/focal-cities/"
SOCIAL_PROTECTION_URL = "/en/programmes/social-protection/"
PROGRAMME_URLS = [
    "/en/programmes/social-protection/",
    "/en/programmes/statistics/",
    "/en/programmes/urban-policies/",
    "/en/programmes/organisation-and-representation/",
    "/en/programmes/law/",
]
PROJECT_URLS = [
    FOCAL_CITIES_URL,
    "/en/programmes/social-protection/mapping-social-protection-systems/",
    "/en/programmes/social-protection/child-care-in-markets/",
    "/en/programmes/social-protection/understanding-the-economics-of-social-protection/",
    "/en/programmes/social-protection/workers-health/",
]


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


DEMO_URLS = [
    "/en/programmes/",
    *PROGRAMME_URLS,
    *PROJECT_URLS,
    "/en/resources/",
    "/en/resources/does-social-protection-cause-informality/",
]
# The only scripts: the library's enhancement of its search form (apply on change, keep focus)
# and the resource page's "Copy" buttons for its citations (docs/library.md). Both pages work
# without them.
ENHANCEMENTS = {
    "/en/resources/": ["/static/resources/library.js"],
    "/en/resources/does-social-protection-cause-informality/": ["/static/resources/citations.js"],
}


def test_demo_pages_render_without_scripts(client, demo_content):
    # One test for all the pages: loading the demo is the slow part.
    for url in DEMO_URLS:
        soup = soup_of(client, url)
        # Everything works without JavaScript: the pages ship none but their enhancements.
        scripts = [script.get("src") for script in soup.find_all("script")]
        assert scripts == ENHANCEMENTS.get(url, []), url
        assert len(soup.find_all("h1")) == 1, url
        assert soup.find("meta", attrs={"name": "description"})["content"], url
        assert soup.find("meta", property="og:title")["content"], url
        assert soup.find("link", rel="canonical")["href"].endswith(url)
        breadcrumbs = soup.find("nav", class_="breadcrumbs")
        assert breadcrumbs.find(attrs={"aria-current": "page"}), url


def test_programme_index_lists_the_five_programmes_as_cards(client, demo_content):
    soup = soup_of(client, "/en/programmes/")
    cards = soup.select(".card-grid .card")
    assert [card.h3.a.get_text(strip=True) for card in cards] == [
        "Social Protection",
        "Statistics",
        "Urban Policies",
        "Organisation and Representation",
        "Law",
    ]
    assert all(card.find("img") is not None for card in cards)
    assert all(card.find("img")["alt"] == "" for card in cards)  # the title says it all


def test_programme_page_shows_what_seed_002_shows(client, demo_content):
    soup = soup_of(client, SOCIAL_PROTECTION_URL)
    headings = [h2.get_text(strip=True) for h2 in soup.select("main h2")]
    assert headings == [
        "Programme overview",
        "Programme activities",
        "How we work",
        "Projects",
        "Featured resources",
        "Related work",
        "Other programmes",
    ]
    assert [h3.get_text(strip=True) for h3 in soup.select(".working-methods h3")] == [
        "Research",
        "Policy advocacy",
        "Support to workers' organisations",
    ]
    projects = [a.get_text(strip=True) for a in soup.select("#projects-heading + ul h3 a")]
    assert projects == [
        "Mapping Social Protection Systems",
        "Child Care in Markets",
        "Understanding the Economics of Social Protection",
        "Workers' Health",
    ]
    featured = soup.select("#featured-resources-heading + ul h3 a")
    assert featured[0].get_text(strip=True).startswith("Does Social Protection Cause Informality?")
    others = [a.get_text(strip=True) for a in soup.select(".other-programmes h3 a")]
    assert others == ["Statistics", "Urban Policies", "Organisation and Representation", "Law"]
    # The browser journey goes from here to Focal Cities through "Related work".
    assert soup.select_one(f'.link-list a[href="{FOCAL_CITIES_URL}"]')


def test_focal_cities_map_has_five_labelled_linked_points_and_the_same_list(client, demo_content):
    soup = soup_of(client, FOCAL_CITIES_URL)
    svg = soup.select_one("svg.places-map__svg")
    assert svg["role"] == "group"
    assert soup.find(id=svg["aria-labelledby"])
    points = svg.select("a.places-map__point")
    labels = [point.find("text").get_text(strip=True) for point in points]
    cities = ["Accra", "Lima", "Delhi", "Dakar", "Mexico City"]
    assert labels == cities
    assert [point["aria-label"] for point in points] == [
        "Accra, Ghana",
        "Lima, Peru",
        "Delhi, India",
        "Dakar, Senegal",
        "Mexico City, Mexico",
    ]
    entries = soup.select("ul.places-list > li")
    assert [entry.select_one(".places-list__city").get_text(strip=True) for entry in entries] == (
        cities
    )
    # Each point leads to its entry in the list (the demo places have no page of their own).
    assert [point["href"] for point in points] == [f"#{entry['id']}" for entry in entries]
    since = {
        entry.select_one(".places-list__city").get_text(strip=True): entry.select_one(
            ".places-list__since"
        )
        for entry in entries
    }
    # Accra and Lima came first, in a year the texts do not give: no "since" is invented.
    assert since["Accra"] is None and since["Lima"] is None
    assert since["Delhi"].get_text(strip=True) == "since 2016"
    assert since["Dakar"].get_text(strip=True) == "since 2017"
    # The outline is a static file of the site: no tile server, nothing from elsewhere.
    outline = svg.find("image")
    assert outline["href"].startswith("/static/programmes/world")
    assert outline["aria-hidden"] == "true"


def test_world_outline_is_served(client, demo_content):
    response = client.get("/static/programmes/world.svg")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"<svg") and b"Natural Earth" in content


def test_focal_cities_body_has_the_seed_content(client, demo_content):
    soup = soup_of(client, FOCAL_CITIES_URL)
    figure = soup.select_one("figure.figure")
    # The demo has no photo: its illustration says what it is (issue 26).
    assert figure.img["alt"] == (
        "Abstract pattern of green and gold quarter circles, in the Urban Policies colours"
    )
    caption = figure.figcaption.get_text(" ", strip=True)
    assert "An abstract pattern stands in for a photo of the project" in caption
    assert "Credit: Illustration generated for the demo" in caption
    download = soup.select_one(".download__link")
    assert "Focal Cities brochure" in download.get_text()
    pdf = client.get(download["href"])
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert len(soup.select(".project__body ul li")) == 6
    related = [a.get_text(strip=True) for a in soup.select("#related-resources-heading + ul h3 a")]
    assert related == ["Focal Cities brochure"]


def test_focal_cities_photo_has_responsive_renditions(client, demo_content):
    image = soup_of(client, FOCAL_CITIES_URL).select_one("figure.figure img")
    candidates = [candidate.split() for candidate in image["srcset"].split(",")]
    assert len(candidates) >= 2
    for url, width in candidates:
        assert url.startswith(settings.MEDIA_URL) and width.endswith("w")
        # The test server does not serve media files: look for the rendition's file instead.
        assert (Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)).is_file()


def test_projects_without_places_have_no_map(client, demo_content):
    soup = soup_of(client, "/en/programmes/social-protection/workers-health/")
    assert soup.select_one(".places-map") is None


def test_home_page_features_the_programmes_and_lists_the_latest_resources(client, demo_content):
    soup = soup_of(client, "/en/")
    programmes = [
        a.get_text(strip=True) for a in soup.select("#featured-programmes-heading + ul h3 a")
    ]
    assert programmes[0] == "Social Protection" and len(programmes) == 5
    resources = soup.select("#latest-resources-heading + ul h3 a")
    # The home page's number of newest resources (the demo library holds many more).
    newest = ResourcePage.objects.live().filter(locale=demo_content.locale)
    expected = min(demo_content.latest_resources_count, newest.count())
    assert expected > 0 and len(resources) == expected
    nav = [a.get_text(strip=True) for a in soup.select(".primary-nav a")]
    assert nav[:2] == ["Programmes", "Resources"]


def test_demo_tree_and_slugs(demo_content):
    focal_cities = ProjectPage.objects.get(slug="focal-cities", locale__language_code="en")
    assert focal_cities.url == FOCAL_CITIES_URL
    assert focal_cities.get_parent().slug == "urban-policies"
    assert [place.city for place in focal_cities.places.all()] == [
        "Accra",
        "Lima",
        "Delhi",
        "Dakar",
        "Mexico City",
    ]
    assert ProgrammePage.objects.filter(locale__language_code="en").count() == 5
    assert ProjectPage.objects.filter(locale__language_code="en").count() == 5


CONTRIBUTING_PROGRAMME_URLS = {
    "Statistics": "/en/programmes/statistics/",
    "Organisation and Representation": "/en/programmes/organisation-and-representation/",
    "Law": "/en/programmes/law/",
}


def test_every_programme_lists_a_project_and_focal_cities_names_its_contributors(
    client, demo_content
):
    """Statistics, Organisation and Representation and Law have no project of their own in the
    seeds: they list Focal Cities, which they contribute to, with their part in it."""
    for url in PROGRAMME_URLS:
        soup = soup_of(client, url)
        assert soup.select("#projects-heading + ul .card, #contributed-projects-heading + ul .card")
    for url in CONTRIBUTING_PROGRAMME_URLS.values():
        cards = soup_of(client, url).select("#contributed-projects-heading + ul .card")
        assert [card.h3.a["href"] for card in cards] == [FOCAL_CITIES_URL], url
        assert cards[0].select_one(".card__note").get_text(strip=True).startswith("Our part:")

    contributions = soup_of(client, FOCAL_CITIES_URL).select("#contributions-heading + ul > li")
    assert {item.h3.a.get_text(strip=True): item.h3.a["href"] for item in contributions} == (
        CONTRIBUTING_PROGRAMME_URLS
    )
    statistics = contributions[0].p.get_text(strip=True)
    assert statistics.startswith("Evidence for the organisations: research and figures")
    statistics_card = soup_of(client, "/en/programmes/statistics/").select_one(".card__note")
    assert statistics in statistics_card.get_text(" ", strip=True)


def test_every_featured_resource_has_its_pdf_date_and_authors(client, demo_content):
    """In both languages, each resource a programme page features opens on a page with a PDF
    to download, a publication date and its authors."""
    programmes = ProgrammePage.objects.live().filter(locale__language_code__in=["en", "fr"])
    checked = set()
    for programme in programmes:
        soup = soup_of(client, programme.url)
        featured = [a["href"] for a in soup.select("#featured-resources-heading + ul h3 a")]
        for href in featured:
            if href in checked:
                continue
            checked.add(href)
            resource = soup_of(client, href)
            pdf = resource.select_one(".resource__downloads a[href$='.pdf']")
            assert pdf is not None, href
            download = client.get(pdf["href"])
            assert download.status_code == 200, pdf["href"]
            assert b"".join(
                download.streaming_content if download.streaming else [download.content]
            ).startswith(b"%PDF"), pdf["href"]
            assert resource.select_one(".resource__date time[datetime]"), href
            authors = resource.select_one(".resource__authors")
            assert authors is not None and authors.get_text(strip=True), href
    # Among them, in both languages, the practice record featured on Organisation and
    # Representation and the brochure featured on Urban Policies.
    assert {
        "/en/resources/protecting-migrants-from-covid-19-senegal/",
        "/fr/ressources/protection-des-migrants-contre-la-covid-19-senegal/",
        "/en/resources/focal-cities-brochure/",
        "/fr/ressources/brochure-villes-focales/",
    } <= checked
