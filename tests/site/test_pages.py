"""The public layout: home page, 404 page, skip link, header, navigation and footer."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import SITE_NAME
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def assert_site_layout(soup, footer):
    """What every public page shares: language, skip link, header, navigation, footer."""
    html = soup.find("html")
    assert html is not None and html.get("lang") == "en", soup.prettify()[:300]

    skip_link = soup.select_one('a.skip-link[href="#main-content"]')
    assert skip_link is not None, "no skip link to #main-content"
    assert soup.find(id="main-content") is not None, "the skip link's target is missing"
    # The skip link must come first so that keyboard users meet it before anything else.
    assert soup.body.find("a") is skip_link

    site_name = soup.select_one("header.site-header .site-header__name")
    assert site_name is not None and site_name.get_text(strip=True) == SITE_NAME

    assert soup.select_one("nav.primary-nav") is not None, "no primary navigation"

    site_footer = soup.select_one("footer.site-footer")
    assert site_footer is not None, "no site footer"
    footer_text = site_footer.get_text(" ", strip=True)
    assert footer.organisation_name in footer_text
    assert "12 Quay Street" in footer_text
    assert site_footer.select_one(f'a[href="mailto:{footer.email}"]') is not None
    assert footer.copyright_notice in footer_text


def test_root_redirects_to_the_english_home_page(client, home_page):
    response = client.get("/")
    assert response.status_code in (301, 302)
    assert response["Location"] == "/en/"


def test_home_page_renders_in_the_site_layout(client, home_page, footer):
    about = StandardPageFactory(parent=home_page, title="About us", show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Legal notice", show_in_menus=False)

    response = client.get("/en/")

    assert response.status_code == 200
    assert b'<html lang="en"' in response.content
    soup = soup_of(response)
    assert_site_layout(soup, footer)
    assert soup.h1.get_text(strip=True) == home_page.hero_heading
    nav_links = {a.get_text(strip=True): a["href"] for a in soup.select("nav.primary-nav a[href]")}
    assert nav_links.get("About us") == about.get_url()
    assert "Legal notice" not in nav_links, "a page hidden from menus is in the navigation"


def test_page_not_found_renders_in_the_site_layout(client, home_page, footer):
    response = client.get("/en/there-is-no-such-page/")

    assert response.status_code == 404
    soup = soup_of(response)
    assert_site_layout(soup, footer)
    assert soup.h1.get_text(strip=True) == "Page not found"
