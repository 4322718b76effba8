"""Every page type previews, and its revisions can be viewed, compared and rolled back, in
English and French, through the admin views an editor uses.

Page types are discovered (every Page subclass), so a new type without a demo page in both
languages fails here: add one to its app's demo content.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Page, get_page_models

from tests.conftest import SHARED_DEMO

pytestmark = SHARED_DEMO

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def page_types():
    return [model for model in get_page_models() if model is not Page]


def demo_instances():
    """{(page model, language code): a demo page of that type in that language}."""
    instances = {}
    for model in page_types():
        for language in LANGUAGES:
            # A real translation if there is one, else the alias wagtail-localize puts in the
            # French tree for an untranslated parent (visitors see it; it has no revisions).
            pages = model.objects.filter(locale__language_code=language)
            page = pages.order_by("alias_of", "path").first()
            instances[model, language] = page
    return instances


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "x")
    client.force_login(user)
    return client


def test_every_page_type_previews_in_every_language(demo_content, superuser_client):
    instances = demo_instances()
    missing = [f"{m._meta.label} ({language})" for (m, language), p in instances.items() if not p]
    assert not missing, (
        "No demo page for these page types; add one to the app's demo content (and its "
        f"French translation): {', '.join(missing)}"
    )
    failures = []
    for (model, language), page in instances.items():
        urls = [reverse("wagtailadmin_pages:view_draft", args=(page.pk,))]
        if not page.alias_of_id:
            # A draft change, so the preview shows something that is not live.
            revision = page.save_revision()
            urls.append(reverse("wagtailadmin_pages:revisions_view", args=(page.pk, revision.pk)))
        for url in urls:
            response = superuser_client.get(url)
            if response.status_code != 200 or page.title.encode() not in response.content:
                failures.append(f"{model._meta.label} ({language}) {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_revisions_compare_and_roll_back_for_every_page_type(demo_content, superuser_client):
    failures = []
    for (model, language), page in demo_instances().items():
        if page is None or page.alias_of_id:
            continue  # reported by the preview test; aliases have no revisions
        original_title = page.title
        first = page.save_revision()
        page.title = f"{original_title} (changed)"
        second = page.save_revision()
        compare = reverse(
            "wagtailadmin_pages:revisions_compare", args=(page.pk, first.pk, second.pk)
        )
        response = superuser_client.get(compare)
        if response.status_code != 200 or b"(changed)" not in response.content:
            failures.append(f"{model._meta.label} ({language}) compare: {response.status_code}")
        history = reverse("wagtailadmin_pages:history", args=(page.pk,))
        if superuser_client.get(history).status_code != 200:
            failures.append(f"{model._meta.label} ({language}) history")
        # Rolling back opens the edit form filled with the old revision; saving it makes a new
        # revision with the old content.
        revert = reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, first.pk))
        response = superuser_client.get(revert)
        if response.status_code != 200 or original_title.encode() not in response.content:
            failures.append(f"{model._meta.label} ({language}) revert: {response.status_code}")
    assert not failures, "\n".join(failures)
