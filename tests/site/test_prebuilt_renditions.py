"""The renditions a page shows are made when it is published, not by its first visitor
(ngo_site.prebuilt_renditions), from the one list of specs the templates use
(ngo_site.rendition_specs); an image of a private section gets no public rendition.

The image is a large photo (30 megapixels) uploaded by an editor through the admin's add view;
the page is published by a moderator through the admin's add view. What runs once the
transaction commits runs here too (django_capture_on_commit_callbacks).
"""

import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import Collection, Page, PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, streamfield

from ngo_site import rendition_specs
from ngo_site.models import CustomImage, CustomRendition
from ngo_site.private_files import PRIVATE_RENDITIONS_FOLDER, PUBLIC_RENDITIONS_FOLDER
from tests.editorial import conftest as editorial
from tests.site.factories import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

make_user, editor, moderator, client_for = (
    editorial.make_user,
    editorial.editor,
    editorial.moderator,
    editorial.client_for,
)
REPO = Path(__file__).resolve().parents[2]


def large_photo(width=6000, height=5000):
    picture = io.BytesIO()
    PILImage.new("RGB", (width, height), (180, 110, 60)).save(picture, "JPEG", quality=80)
    return picture.getvalue()


def upload(user, title):
    """The editor's upload through Wagtail's image add view."""
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": title,
            "description": "Vendors at a market",
            "credit": "",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(f"{title}.jpg", large_photo(), "image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content[-2000:]
    image = CustomImage.objects.get(title=title)
    assert image.width * image.height == 30_000_000
    return image


def publish_figure_page(user, parent, image, slug):
    """A moderator's new page, published at once, whose text shows `image` in a figure."""
    client = Client()
    client.force_login(user)
    form = editorial.standard_page_form(slug.title(), slug, **{"action-publish": "publish"})
    figure = {"image": {"image": image.pk, "alt_text": "A photo", "decorative": False}}
    form.update(nested_form_data({"body": streamfield([("image", {**figure, "caption": ""})])}))
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("ngo_site", "standardpage", parent.pk)), form
    )
    assert response.status_code == 302, response.content[-2000:]
    page = Page.objects.child_of(parent).get(slug=slug).specific
    assert page.live
    return page


def rendition_files(image):
    return dict(CustomRendition.objects.filter(image=image).values_list("filter_spec", "file"))


def test_a_published_pages_first_visitor_makes_no_rendition(
    editor, moderator, home_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = upload(editor, "market")
    assert not rendition_files(image)  # used by nothing yet

    with django_capture_on_commit_callbacks(execute=True):
        page = publish_figure_page(moderator, home_page, image, "market-day")

    files = rendition_files(image)
    assert set(files) >= set(rendition_specs.FIGURE)
    assert all(name.startswith(f"{PUBLIC_RENDITIONS_FOLDER}/") for name in files.values())
    renditions_before = CustomRendition.objects.count()

    response = Client().get(page.url)

    assert response.status_code == 200
    assert CustomRendition.objects.count() == renditions_before
    srcset = BeautifulSoup(response.content, "html.parser").select_one("main figure img")["srcset"]
    for spec in rendition_specs.FIGURE:
        assert CustomRendition.objects.get(image=image, filter_spec=spec).url in srcset

    # The editor replaces the photo: Wagtail deletes its renditions, which are made again from
    # the new file.
    client = Client()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailimages:edit", args=(image.pk,)),
            {
                "title": "market",
                "description": "Vendors at a market",
                "credit": "",
                "collection": image.collection_id,
                "file": SimpleUploadedFile("market-2.jpg", large_photo(5000, 6000), "image/jpeg"),
            },
        )
    assert response.status_code == 302, response.content[-2000:]
    replaced = rendition_files(image)
    assert set(replaced) >= set(rendition_specs.FIGURE)
    assert not set(replaced.values()) & set(files.values())
    renditions_before = CustomRendition.objects.count()
    assert Client().get(page.url).status_code == 200
    assert CustomRendition.objects.count() == renditions_before


def test_an_image_of_a_private_section_gets_no_public_rendition(
    editor, moderator, home_page, django_capture_on_commit_callbacks
):
    members = StandardPageFactory(parent=home_page, title="Members", slug="members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    with django_capture_on_commit_callbacks(execute=True):
        image = upload(editor, "minutes")
        publish_figure_page(moderator, members, image, "minutes")

    files = rendition_files(image)
    assert set(files) >= set(rendition_specs.FIGURE)
    assert all(name.startswith(f"{PRIVATE_RENDITIONS_FOLDER}/") for name in files.values())

    # The same image then published on a public page: its renditions become public ones, made
    # at publication (ngo_site.private_files takes the private ones away first).
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_figure_page(moderator, home_page, image, "open-minutes")
    files = rendition_files(image)
    assert set(files) >= set(rendition_specs.FIGURE)
    assert all(name.startswith(f"{PUBLIC_RENDITIONS_FOLDER}/") for name in files.values())
    renditions_before = CustomRendition.objects.count()
    assert Client().get(page.url).status_code == 200
    assert CustomRendition.objects.count() == renditions_before


# {% image obj spec ... %} and {% srcset_image obj spec ... %}: the filter words come after the
# image, before the first attribute (a word with "=").
IMAGE_TAG = re.compile(r"{%\s*(?:image|srcset_image|picture)\s+\S+\s+(.*?)%}")


def expand(words):
    """The specs of a tag's filter words, "fill-{480x270,960x540}-c100 format-webp" giving
    "fill-480x270-c100|format-webp" and "fill-960x540-c100|format-webp"."""
    specs = ["|".join(words)]
    while any("{" in spec for spec in specs):
        spec = next(spec for spec in specs if "{" in spec)
        head, _, rest = spec.partition("{")
        options, _, tail = rest.partition("}")
        specs.remove(spec)
        specs += [f"{head}{option}{tail}" for option in options.split(",")]
    return specs


def test_every_spec_of_the_templates_is_in_the_one_list():
    found = set()
    for template in REPO.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        for match in IMAGE_TAG.finditer(template.read_text()):
            words = []
            for word in match[1].split():
                if "=" in word or word == "as":
                    break
                words.append(word)
            found.update(expand(words))

    assert found, "no image tag found: the pattern is wrong"
    assert found <= set(rendition_specs.ALL), found - set(rendition_specs.ALL)
    assert set(rendition_specs.FIGURE) <= found


def test_build_renditions_makes_those_of_content_published_before(home_page):
    """Content published without the signals' work (here: inside the test's transaction, whose
    commit never comes) gets its renditions from `manage.py build_renditions`."""
    from io import StringIO

    from django.core.management import call_command

    from tests.resources.factories import ImageFactory

    image = ImageFactory()
    image.contextual_alt_text = "A photo"
    image.decorative = False
    page = StandardPageFactory(parent=home_page, body=[("image", {"image": image, "caption": ""})])
    assert not rendition_files(image)

    output = StringIO()
    call_command("build_renditions", stdout=output)

    assert set(rendition_files(image)) == set(rendition_specs.FIGURE)
    assert output.getvalue().strip() == "3 renditions made"
    renditions_before = CustomRendition.objects.count()
    assert Client().get(page.url).status_code == 200
    assert CustomRendition.objects.count() == renditions_before


def test_renditions_made_at_publication_stop_at_their_time_budget(home_page, settings, caplog):
    """In the editor's request the renditions are made for at most
    RENDITIONS_AT_PUBLICATION_SECONDS; those left are the first visitor's, and the log says so."""
    from ngo_site.prebuilt_renditions import build_renditions_used_by
    from tests.resources.factories import ImageFactory

    image = ImageFactory()
    image.contextual_alt_text = "A photo"
    image.decorative = False
    page = StandardPageFactory(parent=home_page, body=[("image", {"image": image, "caption": ""})])
    caplog.set_level("WARNING", logger="ngo_site.prebuilt_renditions")

    settings.RENDITIONS_AT_PUBLICATION_SECONDS = 0
    build_renditions_used_by.enqueue("ngo_site", "standardpage", str(page.pk))

    assert not rendition_files(image)
    assert "3 renditions were left for the pages' first visitors" in caplog.text
    response = Client().get(page.url)
    assert response.status_code == 200
    assert set(rendition_files(image)) == set(rendition_specs.FIGURE)

    CustomRendition.objects.filter(image=image).delete()
    settings.RENDITIONS_AT_PUBLICATION_SECONDS = 12
    build_renditions_used_by.enqueue("ngo_site", "standardpage", str(page.pk))
    assert set(rendition_files(image)) == set(rendition_specs.FIGURE)
