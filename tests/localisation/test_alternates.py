"""Language discovery: `/` by Accept-Language, the switcher, hreflang alternates, html lang and
the per-language sitemaps."""

import re
from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


@pytest.mark.parametrize(
    ("accept_language", "prefix"),
    [("fr-FR,fr;q=0.9,en;q=0.5", "/fr/"), ("en-GB,en;q=0.8", "/en/"), ("de-DE", "/en/")],
)
def test_root_redirects_by_the_browsers_language(client, home_page, accept_language, prefix):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == prefix


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_every_page_links_its_translations(client, demo_content):
    html = client.get("/fr/programmes/protection-sociale/").content.decode()
    assert '<html lang="fr"' in html
    links = alternates(html)
    assert links == {
        "en": "http://localhost/en/programmes/social-protection/",
        "fr": "http://localhost/fr/programmes/protection-sociale/",
        "x-default": "http://localhost/en/programmes/social-protection/",
    }
    # The switcher goes to the translation of the page, not to the home page.
    assert 'href="/en/programmes/social-protection/" hreflang="en" lang="en"' in html

    # A page without French (the Law programme, left for the translators) has no fr alternate,
    # and the switcher offers the French home page instead.
    law = client.get("/en/programmes/law/").content.decode()
    assert set(alternates(law)) == {"en", "x-default"}
    assert 'href="/fr/" hreflang="fr" lang="fr" title=' in law


def test_a_sitemap_per_language_with_alternates(client, demo_content):
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert locations == ["http://testserver/sitemap-en.xml", "http://testserver/sitemap-fr.xml"]

    french = ElementTree.fromstring(client.get("/sitemap-fr.xml").content)
    urls = {
        url.find("sm:loc", NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
        for url in french.findall("sm:url", NS)
    }
    assert all("/fr/" in location for location in urls)
    focal = urls["http://localhost/fr/programmes/politiques-urbaines/villes-focales/"]
    assert focal == {
        "en": "http://localhost/en/programmes/urban-policies/focal-cities/",
        "fr": "http://localhost/fr/programmes/politiques-urbaines/villes-focales/",
        "x-default": "http://localhost/en/programmes/urban-policies/focal-cities/",
    }
    english = client.get("/sitemap-en.xml").content.decode()
    assert "/en/programmes/law/" in english
    assert client.get("/sitemap-de.xml").status_code == 404
    assert client.get("/sitemap-fr.xml?p=abc").status_code == 404


def test_adding_spanish_is_a_settings_change(client, home_page, settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from wagtail.models import Locale

    settings.LANGUAGES = [*settings.LANGUAGES, ("es", "Spanish")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    call_command("migrate", verbosity=0)  # what a deployment runs
    assert Locale.objects.filter(language_code="es").exists()

    client.force_login(get_user_model().objects.create_superuser("ana", "a@example.org", "pw"))
    queue = client.get("/admin/translation-queue/?locale=es").content.decode()
    assert f'data-queue-row="{home_page.translation_key}:' in queue
    assert "Spanish" in queue or "español" in queue
