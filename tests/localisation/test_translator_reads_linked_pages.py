"""A translator's translation editor loads what the source links to, without rights on it.

wagtail-localize's editor fetches `<admin>/api/main/pages|images|documents/<id>/` for each page,
image or document a segment links to. A translator holds rights on the French tree only; the
admin API answers them for English pages (ngo_site.admin_api), and nothing else on the English
tree opens to them. The users are in the real groups (tests/editorial/conftest.py).
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Page

from tests.resources.factories import ImageFactory
from tests.site.factories import FooterContentFactory, StandardPageFactory

pytestmark = pytest.mark.django_db

API = "/admin/api/main/"


def link(page):
    return {"type": "link", "value": {"label": "", "page": page.pk, "url": ""}}


@pytest.fixture
def linked_english_page(trees):
    # Never translated: only the English page exists, out of the translator's tree.
    return StandardPageFactory(parent=trees["en_home"], title="Privacy policy", slug="privacy")


def test_translator_reads_a_linked_english_page_through_the_admin_api(
    linked_english_page, translator, client_for
):
    client = client_for(translator)
    response = client.get(f"{API}pages/{linked_english_page.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == linked_english_page.pk
    assert data["title"] == "Privacy policy"
    # The detail is read-only: the endpoint accepts no write method.
    assert client.post(f"{API}pages/{linked_english_page.pk}/", {}).status_code == 405
    assert client.put(f"{API}pages/{linked_english_page.pk}/", {}).status_code == 405


def test_translator_gets_no_rights_on_the_english_tree(linked_english_page, translator, client_for):
    client = client_for(translator)
    page = linked_english_page
    # Wagtail's page edit view refuses them (a redirect to the dashboard with a message).
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code in (302, 403)
    if edit.status_code == 302:
        assert edit.url == reverse("wagtailadmin_home")
    # The listing of the English tree still hides it (explorable pages only).
    listing = client.get(f"{API}pages/", {"child_of": page.get_parent().pk})
    assert page.pk not in [item["id"] for item in listing.json().get("items", [])]
    # The API's page actions run on explorable pages only: publish and copy find no page.
    page.save_revision()
    for action in ("publish", "unpublish", "copy", "delete"):
        response = client.post(
            f"{API}pages/{page.pk}/action/{action}/",
            {"destination_page_id": page.get_parent().pk},
            content_type="application/json",
        )
        # Refused or not found (LocaleMiddleware sends a 404 under /admin/ to /en/admin/).
        assert response.status_code in (302, 403, 404), action
    page.refresh_from_db()
    assert page.live and Page.objects.filter(pk=page.pk).exists()
    assert page.title == "Privacy policy"


def test_users_who_do_not_translate_keep_wagtails_explorable_pages(trees, make_user, client_for):
    from django.contrib.auth.models import Group, Permission

    # Access to the admin and nothing else: no page permission, no translation permission.
    group = Group.objects.create(name="Admin readers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    reader = make_user("Admin readers")
    response = client_for(reader).get(f"{API}pages/{trees['en_page'].pk}/", follow=True)
    assert response.status_code == 404


def test_translation_editor_of_the_french_footer_links_to_what_the_translator_can_load(
    trees, linked_english_page, translator, client_for, french
):
    """The footer's links, image and document as the editor's JavaScript fetches them."""
    english_footer = FooterContentFactory(legal_links=[link(linked_english_page)])
    client = client_for(translator)
    submit = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["ngo_site", "footercontent", english_footer.pk],
    )
    assert client.post(submit, {"locales": [french.pk]}).status_code == 302
    french_footer = english_footer.get_translation(french)
    editor_page = client.get(
        reverse("wagtailsnippets_ngo_site_footercontent:edit", args=[french_footer.pk])
    )
    assert editor_page.status_code == 200
    # What the editor's React component receives, and the URLs it then fetches.
    props = json.loads(editor_page.context["props"])
    page_ids = [
        segment["value"]
        for segment in props["segments"]
        if (segment.get("location", {}).get("widget") or {}).get("type") == "page_chooser"
    ]
    assert page_ids == [linked_english_page.pk]
    response = client.get(f"{props['adminBaseUrl']}api/main/pages/{page_ids[0]}/")
    assert response.status_code == 200
    assert response.json()["title"] == "Privacy policy"


def test_translator_reads_images_and_documents_through_the_admin_api(translator, client_for):
    image = ImageFactory(title="Market stall")
    document = get_document_model().objects.create(
        title="Annual report", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="report.pdf")
    )
    client = client_for(translator)
    image_detail = client.get(f"{API}images/{image.pk}/")
    assert image_detail.status_code == 200
    assert image_detail.json()["title"] == "Market stall"
    document_detail = client.get(f"{API}documents/{document.pk}/")
    assert document_detail.status_code == 200
    assert document_detail.json()["title"] == "Annual report"
