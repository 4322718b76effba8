"""Images on the site: the alt text editors gave, the photographer's credit under the picture
("Credit: ..." in the visitor's language) and the focal point editors set in the admin."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.programmes.factories import (
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    ProjectPageFactory,
)
from tests.resources.factories import ImageFactory
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

CREDIT = "Juan Arredondo, Getty Images Reportage"


def image_block(image, caption=""):
    # The block's alt text field starts with the image's description (its default alt text);
    # the block refuses to be saved without alt text unless the image is marked decorative.
    return {
        "type": "image",
        "value": {
            "image": {"image": image.pk, "alt_text": image.description, "decorative": False},
            "caption": caption,
        },
    }


def figures(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select("main figure.figure")


def test_a_page_image_shows_its_alt_text_caption_and_credit(client, home_page):
    image = ImageFactory(description="Vendors at a market in Accra", credit=CREDIT)
    page = StandardPageFactory(
        parent=home_page, title="About us", body=[image_block(image, "Market day")]
    )
    (figure,) = figures(client, page)
    assert figure.img["alt"] == "Vendors at a market in Accra"
    caption = figure.figcaption.get_text(" ", strip=True)
    assert "Market day" in caption
    assert f"Credit: {CREDIT}" in caption


def test_a_project_image_shows_its_credit(client, home_page):
    image = ImageFactory(credit=CREDIT)
    programme = ProgrammePageFactory(parent=ProgrammeIndexPageFactory(parent=home_page))
    project = ProjectPageFactory(parent=programme, body=[image_block(image)])
    (figure,) = figures(client, project)
    assert figure.figcaption.get_text(" ", strip=True) == f"Credit: {CREDIT}"


def test_an_image_without_credit_or_caption_has_no_figcaption(client, home_page):
    page = StandardPageFactory(parent=home_page, body=[image_block(ImageFactory(credit=""))])
    (figure,) = figures(client, page)
    assert figure.figcaption is None


def test_the_french_page_says_credit_in_french(client, home_page, french):
    image = ImageFactory(credit=CREDIT)
    page = StandardPageFactory(parent=home_page, title="About us", body=[image_block(image)])
    home_page.copy_for_translation(french).save_revision().publish()
    french_page = page.copy_for_translation(french)
    french_page.save_revision().publish()
    (figure,) = figures(client, french_page.specific)
    assert figure.figcaption.get_text(" ", strip=True) == f"Crédit : {CREDIT}"


def test_the_focal_point_set_in_the_admin_drives_the_crops(client, administrator, home_page):
    image = ImageFactory(credit=CREDIT)
    client.force_login(administrator)
    response = client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {
            "title": image.title,
            "description": image.description,
            "credit": CREDIT,
            "collection": image.collection_id,
            "tags": "",
            "focal_point_x": "20",
            "focal_point_y": "30",
            "focal_point_width": "10",
            "focal_point_height": "10",
        },
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.has_focal_point()

    client.logout()
    page = StandardPageFactory(parent=home_page, body=[image_block(image)])
    figures(client, page)
    crops = image.renditions.filter(filter_spec__startswith="fill-")
    assert crops.exists()
    # Each crop was made for this focal point (the key changes when the focal point does).
    assert all(rendition.focal_point_key for rendition in crops)
