"""The demo's French content comes through wagtail-localize and behaves like a translator's."""

import pytest
from wagtail.models import Page

from tests.conftest import SHARED_DEMO

pytestmark = SHARED_DEMO


@pytest.fixture
def demo(demo_content):
    return demo_content


def test_french_pages_are_published_translations_with_a_sound_tree(demo):
    french = Page.objects.filter(locale__language_code="fr")
    assert french.filter(depth=2).count() == 1
    assert french.filter(depth=3).count() >= 2
    assert all(page.live for page in french)
    # Every French page is a translation of an English one, not a separate page.
    english_keys = set(
        Page.objects.filter(locale__language_code="en").values_list("translation_key", flat=True)
    )
    assert set(french.values_list("translation_key", flat=True)) <= english_keys
    # treebeard's bookkeeping stays right (a stale publish once zeroed the French home's numchild)
    problems = Page.find_problems()
    assert all(not found for found in problems), problems


def test_french_page_serves_in_french_with_its_translated_slug(client, demo):
    response = client.get("/fr/qui-sommes-nous/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Qui sommes-nous" in html
    assert "Royaume-Uni" in html  # the French footer snippet


def test_language_switcher_links_to_the_translation(client, demo):
    html = client.get("/en/about/").content.decode()
    assert 'href="/fr/qui-sommes-nous/" hreflang="fr"' in html
