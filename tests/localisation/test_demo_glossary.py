"""The demo's glossary (seeded by load_demo from the translated taxonomies and programmes) and the
editor's help panel on the demo's outdated item, the French privacy policy."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page

from ngo_site.translation_queue.models import GlossaryTerm
from tests.conftest import SHARED_DEMO

pytestmark = SHARED_DEMO


@pytest.fixture
def demo(demo_content):
    return demo_content


def test_demo_glossary_starts_from_the_translated_names(demo):
    terms = GlossaryTerm.objects.filter(locale__language_code="fr", status="approved")
    notes = set(terms.values_list("note", flat=True))
    assert {"Thème", "Programme"} <= notes, notes
    assert terms.filter(note="Programme").exclude(translation="").exists()
    for term in terms:
        assert term.translation and term.source_term != ""


def test_editor_of_the_outdated_privacy_policy_shows_the_added_clause(client, demo):
    admin = get_user_model().objects.create_superuser("glossary-admin", "g@example.org", "pw")
    client.force_login(admin)
    english = Page.objects.get(locale__language_code="en", slug="privacy")
    french = english.get_translation(Page.objects.get(depth=2, locale__language_code="fr").locale)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[french.pk])).content.decode()
    panel = re.search(r"<section[^>]*data-translation-help.*?</section>", html, re.S).group(0)
    added = re.findall(r'<ins><span class="w-sr-only">added: </span>(.*?)</ins>', panel)
    assert any("delete them at any time" in text for text in added), panel
    assert "data-help-previous" in panel
