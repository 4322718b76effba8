"""What crawlers and link previews read (issue 26): `/robots.txt`, read by the standard library's
robots.txt parser as a crawler reads it, and the Open Graph tags of a page's head, read by an
HTML parser: the site's name, the page's locale as Open Graph writes it (en_GB, fr_FR) and the
locales of its translations."""

from html.parser import HTMLParser
from urllib.robotparser import RobotFileParser

import pytest

from tests.conftest import SITE_NAME
from tests.site.factories import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]


def robots_of(client, **extra):
    response = client.get("/robots.txt", **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


def test_robots_txt_lets_crawlers_read_the_site_and_its_documents_but_not_the_admin(
    client, home_page
):
    robots = robots_of(client)

    for path in (
        "/",
        "/en/",
        "/fr/",
        "/en/resources/some-report/",
        "/sitemap.xml",
        "/documents/12/report.pdf",
    ):
        assert robots.can_fetch("Googlebot", f"http://testserver{path}"), path
        assert robots.can_fetch("*", f"http://testserver{path}"), path
    for path in ("/admin/", "/admin/pages/3/edit/"):
        assert not robots.can_fetch("Googlebot", f"http://testserver{path}"), path
        assert not robots.can_fetch("*", f"http://testserver{path}"), path


def test_robots_txt_names_the_sitemap_index_with_an_absolute_url(client, home_page):
    assert robots_of(client).site_maps() == ["http://testserver/sitemap.xml"]
    assert robots_of(client, secure=True, HTTP_HOST="localhost").site_maps() == [
        "https://localhost/sitemap.xml"
    ]
    # ... and the sitemap is there.
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"/sitemap-en.xml" in response.content


def test_robots_txt_is_at_the_root_without_a_language_prefix(client, home_page):
    # Not redirected to /en/robots.txt by the locale middleware, whatever the browser prefers.
    response = client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert client.head("/robots.txt").status_code == 200
    assert client.get("/en/robots.txt").status_code == 404


class MetaTags(HTMLParser):
    """[(property, content)] of the `<meta property>` tags, in order."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "property" in attrs:
            self.tags.append((attrs["property"], attrs.get("content")))

    def values(self, name):
        return [content for prop, content in self.tags if prop == name]


def open_graph(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return MetaTags(response.content.decode())


def translate(page, locale, **fields):
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


@pytest.fixture
def translated_pages(home_page, french):
    french_home = translate(home_page, french, slug="accueil")
    about = StandardPageFactory(parent=home_page, title="About us")
    a_propos = translate(about, french, title="À propos", slug="a-propos")
    only_english = StandardPageFactory(parent=home_page, title="Only in English")
    return {
        "home": home_page,
        "accueil": french_home,
        "about": about,
        "a_propos": a_propos,
        "only_english": only_english,
    }


def test_open_graph_names_the_site_and_the_page_locale_with_its_translation(
    client, translated_pages
):
    english = open_graph(client, translated_pages["about"].url)
    assert english.values("og:site_name") == [SITE_NAME]
    assert english.values("og:locale") == ["en_GB"]
    assert english.values("og:locale:alternate") == ["fr_FR"]
    assert english.values("og:title") == ["About us"]

    french = open_graph(client, translated_pages["a_propos"].url)
    assert french.values("og:site_name") == [SITE_NAME]
    assert french.values("og:locale") == ["fr_FR"]
    assert french.values("og:locale:alternate") == ["en_GB"]
    assert french.values("og:title") == ["À propos"]

    home = open_graph(client, "/fr/")
    assert home.values("og:locale") == ["fr_FR"]
    assert home.values("og:locale:alternate") == ["en_GB"]


def test_a_page_without_translation_has_no_alternate_locale(client, translated_pages):
    tags = open_graph(client, translated_pages["only_english"].url)
    assert tags.values("og:locale") == ["en_GB"]
    assert tags.values("og:locale:alternate") == []
    assert tags.values("og:site_name") == [SITE_NAME]


def test_an_unpublished_translation_is_not_an_alternate(client, translated_pages):
    translated_pages["a_propos"].unpublish()
    tags = open_graph(client, translated_pages["about"].url)
    assert tags.values("og:locale") == ["en_GB"]
    assert tags.values("og:locale:alternate") == []
