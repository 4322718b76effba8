"""The tidy admin: required alt text, the "My drafts" dashboard panel."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from .conftest import standard_page_form

pytestmark = pytest.mark.django_db


def upload():
    return SimpleUploadedFile("market.png", get_test_image_file().file.getvalue())


def test_an_image_without_alt_text_is_refused(editor, client):
    client.force_login(editor)
    data = {"title": "Market", "collection": "1", "tags": ""}
    response = client.post(
        reverse("wagtailimages:add"), {**data, "file": upload(), "description": ""}
    )
    assert response.status_code == 200
    assert not get_image_model().objects.exists()
    response = client.post(
        reverse("wagtailimages:add"),
        {**data, "file": upload(), "description": "Vendors at a market"},
    )
    assert response.status_code == 302
    assert get_image_model().objects.get().description == "Vendors at a market"


def test_the_dashboard_lists_my_drafts_not_others(trees, editor, make_user, client):
    other = make_user("Communications editors", username="other_editor")
    for user, title, slug in ((editor, "My draft", "mine"), (other, "Their draft", "theirs")):
        client.force_login(user)
        client.post(
            reverse(
                "wagtailadmin_pages:add", args=("ngo_site", "standardpage", trees["en_home"].pk)
            ),
            standard_page_form(title, slug),
        )
    client.force_login(editor)
    client.get(reverse("wagtailadmin_home"))  # shows (and so clears) the "created" messages
    response = client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "My drafts" in html
    assert "My draft" in html and "Their draft" not in html
