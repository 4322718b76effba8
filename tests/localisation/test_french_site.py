"""The French site as a visitor reads it: every demo page under /fr/ is in French.

The crawl follows the internal /fr/ links from /fr/ and adds every URL of the French sitemap. A
page fails when its visible text contains, verbatim, an English interface string: any msgid of
the project's French template catalogues (locale/fr, programmes/locale/fr,
partnerships/locale/fr). The library's resources not translated yet are listed in English on
purpose, marked `lang="en"` (docs/library.md), which the check skips like any text so marked.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils.translation import get_language_info

from tests.conftest import SHARED_DEMO

pytestmark = SHARED_DEMO

CATALOGUES = [
    Path(settings.BASE_DIR) / "locale/fr/LC_MESSAGES/django.po",
    Path(settings.BASE_DIR) / "programmes/locale/fr/LC_MESSAGES/django.po",
    Path(settings.BASE_DIR) / "partnerships/locale/fr/LC_MESSAGES/django.po",
]
SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


class VisibleText(HTMLParser):
    """The text a visitor reads (and screen readers announce): text nodes outside script/style,
    plus alt, title, aria-label, placeholder and the value of buttons. Elements marked as being
    in another language (`lang="en"`, e.g. "English" in the language switcher) are skipped, and
    so are those marked `translate="no"` (machine formats: a resource's BibTeX and RIS)."""

    SKIP = {"script", "style", "template"}
    ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.links = []
        self._skipping = 0
        self._foreign = None  # [tag, nesting depth] of an element in another language

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._foreign is not None:
            if tag == self._foreign[0]:
                self._foreign[1] += 1
            return
        foreign_language = attrs.get("lang") and not attrs["lang"].startswith("fr")
        if (foreign_language and tag != "html") or attrs.get("translate") == "no":
            self._foreign = [tag, 1]
            return
        if tag in self.SKIP:
            self._skipping += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in self.ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self._foreign is not None:
            if tag == self._foreign[0]:
                self._foreign[1] -= 1
                if not self._foreign[1]:
                    self._foreign = None
            return
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and self._foreign is None:
            self.parts.append(data)

    def text(self):
        return " ".join(" ".join(self.parts).split())


def english_interface_strings():
    """msgids whose French differs from the English (so "Programmes", "introduction", "Accra"
    do not count), without placeholders, long enough not to match inside French words."""
    strings = set()
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgid:
                continue
            french = entry.msgstr or entry.msgstr_plural.get(0, "")
            for english in filter(None, [entry.msgid, entry.msgid_plural]):
                literal = re.split(r"%\(\w+\)s|%s", english)
                for piece in literal:
                    piece = piece.strip(" :.,")
                    if len(piece) >= 4 and piece.lower() not in french.lower():
                        strings.add(piece)
    # Language names are written in their own language on purpose (a visitor looks for theirs):
    # the switcher marks them with lang="en", the newsletter's language choice does not.
    strings -= {get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}
    # Words of the admin's catalogue that the demo's proper names contain (the funder "Open
    # Horizons Trust"): content, not interface.
    strings -= {"Open"}
    return strings


def english_strings_in(text, strings):
    # Whole words only: "Search" must not match inside "Research".
    return sorted(
        string for string in strings if re.search(rf"(?<!\w){re.escape(string)}(?!\w)", text)
    )


def sitemap_urls(client, language):
    response = client.get(f"/sitemap-{language}.xml")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    return [urlsplit(loc.text).path for loc in tree.findall("sm:url/sm:loc", SITEMAP_NS)]


def crawl_french_site(client):
    """{path: visible text} of every French page reachable from /fr/ or listed in the sitemap."""
    queue = ["/fr/", *sitemap_urls(client, "fr")]
    pages = {}
    while queue:
        path = urlsplit(queue.pop()).path
        if path in pages or not path.startswith("/fr/"):
            continue
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        if "text/html" not in response["Content-Type"]:
            pages[path] = ""
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        pages[path] = parser.text()
        queue.extend(urljoin(path, link) for link in parser.links)
    return pages


@pytest.mark.one_database
def test_every_french_demo_page_shows_no_english_interface_text(client, demo_content):
    strings = english_interface_strings()
    # The check can fail: the English home page shows English interface strings.
    english_home = VisibleText()
    english_home.feed(client.get("/en/").content.decode())
    assert english_strings_in(english_home.text(), strings)

    pages = crawl_french_site(client)
    expected = {
        "/fr/",
        "/fr/qui-sommes-nous/",
        "/fr/confidentialite/",
        "/fr/programmes/",
        "/fr/programmes/protection-sociale/",
        "/fr/programmes/politiques-urbaines/villes-focales/",
        "/fr/partenariats/",
        "/fr/ressources/",
        "/fr/ressources/systemes-de-soins-inclusifs/",
    }
    assert expected <= set(pages), expected - set(pages)
    leftovers = {
        path: found for path, text in pages.items() if (found := english_strings_in(text, strings))
    }
    assert not leftovers, leftovers


def test_french_programme_content_and_slugs_come_from_the_demo_catalogue(client, demo_content):
    response = client.get("/fr/programmes/protection-sociale/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Approche systémique de la protection sociale" in html
    assert "Présentation du programme" in html  # the template's own French
    focal = client.get("/fr/programmes/politiques-urbaines/villes-focales/").content.decode()
    assert "Un motif abstrait tient lieu de photo du projet" in focal
    assert "Sénégal" in focal


def test_french_programmes_list_the_french_focal_cities_they_contribute_to(client, demo_content):
    """Statistics, Organisation and Representation and Law list Focal Cities in French, with
    their part in French and a link to the French page, which names them in return."""
    focal_cities = "/fr/programmes/politiques-urbaines/villes-focales/"
    programmes = {
        "Statistiques": "/fr/programmes/statistiques/",
        "Organisation et représentation": "/fr/programmes/organisation-et-representation/",
        "Droit": "/fr/programmes/droit/",
    }
    parts = {}
    for url in programmes.values():
        response = client.get(url)
        assert response.status_code == 200, url
        soup = BeautifulSoup(response.content, "html.parser")
        cards = soup.select("#contributed-projects-heading + ul .card")
        assert [(card.h3.a.get_text(strip=True), card.h3.a["href"]) for card in cards] == [
            ("Villes focales", focal_cities)
        ], url
        assert soup.find(id="contributed-projects-heading").get_text() == (
            "Projets auxquels nous contribuons"
        )
        parts[url] = cards[0].select_one(".card__note").get_text(" ", strip=True)
    assert parts[programmes["Droit"]].startswith("Notre apport : Connaître le droit")

    soup = BeautifulSoup(client.get(focal_cities).content, "html.parser")
    assert soup.find(id="contributions-heading").get_text() == "Avec la contribution de"
    contributions = soup.select("#contributions-heading + ul > li")
    assert {item.h3.a.get_text(strip=True): item.h3.a["href"] for item in contributions} == (
        programmes
    )
    for item in contributions:
        assert item.p.get_text(strip=True) in parts[item.h3.a["href"]]
    # wagtail-localize pointed the translated rows to the French programmes themselves.
    from programmes.models import ProjectContribution

    rows = ProjectContribution.objects.filter(project__url_path__endswith="/villes-focales/")
    assert {(row.locale.language_code, row.programme.locale.language_code) for row in rows} == {
        ("fr", "fr")
    }


def test_demo_catalogues_cover_every_programme_string_except_the_queue_example(demo_content):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo_strings", "fr", stdout=out)
    missing = polib.pofile(out.getvalue())
    programme_pages = {
        "Programmes",
        "Social Protection",
        "Statistics",
        "Urban Policies",
        "Organisation and Representation",
        "Law",
        "Focal Cities",
        "Mapping Social Protection Systems",
        "Child Care in Markets",
        "Understanding the Economics of Social Protection",
        "Workers' Health",
    }
    untranslated_objects = {entry.comment.split(" · ")[0] for entry in missing}
    assert not programme_pages & untranslated_objects
    # Generated library resources are left without French on purpose, for the translators' queue.
    assert "Heat stress and outdoor work in Lima: evidence from a survey" in untranslated_objects


# --- Alternates and sitemaps of the demo ----------------------------------------------------


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_every_page_links_its_translations(client, demo_content):
    html = client.get("/fr/programmes/protection-sociale/").content.decode()
    assert '<html lang="fr"' in html
    links = alternates(html)
    assert links == {
        "en": "http://testserver/en/programmes/social-protection/",
        "fr": "http://testserver/fr/programmes/protection-sociale/",
        "x-default": "http://testserver/en/programmes/social-protection/",
    }
    # The switcher goes to the translation of the page, not to the home page.
    assert 'href="/en/programmes/social-protection/" hreflang="en" lang="en"' in html

    # A page without French (a generated resource, left for the translators) has no fr
    # alternate, and the switcher leads to a French page that says so and offers the original
    # and the closest French page: the library.
    from resources.models import LibraryPage

    french_library = LibraryPage.objects.get(locale__language_code="fr").url
    untranslated = client.get("/en/resources/demo-resource-009/").content.decode()
    assert set(alternates(untranslated)) == {"en", "x-default"}
    switcher = BeautifulSoup(untranslated, "html.parser").select_one(
        ".language-switcher a[hreflang=fr]"
    )
    assert switcher["href"].startswith("/fr/not-translated/?page=")
    response = client.get(switcher["href"])
    assert response.status_code == 200
    explanation = BeautifulSoup(response.content, "html.parser")
    assert "Cette page n’est pas encore disponible" in explanation.h1.get_text()
    original = explanation.select_one("a[data-original]")
    assert (original["href"], original["hreflang"]) == ("/en/resources/demo-resource-009/", "en")
    assert explanation.select_one("a[data-closest]")["href"] == french_library
    visible = VisibleText()
    visible.feed(response.content.decode())
    assert english_strings_in(visible.text(), english_interface_strings()) == []


def test_the_not_translated_page_hides_private_sections(client, demo_content):
    from wagtail.models import PageViewRestriction

    from resources.models import ResourcePage

    resource = ResourcePage.objects.get(url_path__endswith="/demo-resource-009/")
    PageViewRestriction.objects.create(page=resource, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/fr/not-translated/?page={resource.pk}").status_code == 404
    assert client.get("/fr/not-translated/?page=junk").status_code == 404


def test_a_sitemap_per_language_with_alternates(client, demo_content):
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert locations == ["http://testserver/sitemap-en.xml", "http://testserver/sitemap-fr.xml"]

    french = ElementTree.fromstring(client.get("/sitemap-fr.xml").content)
    urls = {
        url.find("sm:loc", SITEMAP_NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", SITEMAP_NS)
        }
        for url in french.findall("sm:url", SITEMAP_NS)
    }
    assert all("/fr/" in location for location in urls)
    focal = urls["http://testserver/fr/programmes/politiques-urbaines/villes-focales/"]
    assert focal == {
        "en": "http://testserver/en/programmes/urban-policies/focal-cities/",
        "fr": "http://testserver/fr/programmes/politiques-urbaines/villes-focales/",
        "x-default": "http://testserver/en/programmes/urban-policies/focal-cities/",
    }
    english = client.get("/sitemap-en.xml").content.decode()
    assert "/en/programmes/law/" in english
    assert client.get("/sitemap-de.xml").status_code == 404
    assert client.get("/sitemap-fr.xml?p=abc").status_code == 404
