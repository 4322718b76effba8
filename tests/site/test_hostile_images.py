"""Hostile image files, posted by an editor through every admin view that takes one: the image
add view, the multiple uploader, replacing the file in the edit view and the chooser's upload.

The files are built here, cheaply: a PNG whose header declares 20000 × 20000 pixels around a
few bytes of data (Pillow refuses to open it: a decompression bomb), a WebP and a GIF that do
the same, a file that starts as a PNG does and goes on with nothing readable, and real 1-bit
PNGs of more than the 40 megapixels allowed (a few kilobytes on disk). Each is refused with a
form error in the editor's language, nothing is stored (no image, no file in the media folder) and
no request ends in a server error.
"""

import io
import struct
import threading
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import Collection, UploadedFile
from wagtail.users.models import UserProfile

from ngo_site.models import CustomImage
from ngo_site.private_files import PRIVATE_RENDITIONS_FOLDER, PUBLIC_RENDITIONS_FOLDER
from tests.editorial import conftest as editorial
from tests.resources.factories import ImageFactory
from tests.site.factories import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

make_user, editor, client_for = editorial.make_user, editorial.editor, editorial.client_for

LIMIT_MEGAPIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 1_000_000


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, rows=None):
    """A 1-bit greyscale PNG of `width` × `height`: blank rows (a valid picture, kilobytes on
    disk however many pixels it has) or, with `rows`, that many bytes of pixel data only."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + -(-width // 8))  # filter byte, then the row's bits
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height if rows is None else rows))
    data += compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def webp_canvas(width, height):
    """A WebP holding only its extended header (VP8X), which declares the canvas size."""
    data = bytes([0x10, 0, 0, 0]) + (width - 1).to_bytes(3, "little")
    data += (height - 1).to_bytes(3, "little")
    chunk = b"VP8X" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def gif_screen(width, height):
    """A GIF whose screen and single frame declare `width` × `height`, with one byte of data."""
    screen = struct.pack("<HH", width, height) + b"\x00\x00\x00"
    frame = b"\x2c" + struct.pack("<HHHH", 0, 0, width, height) + b"\x00"
    return b"GIF89a" + screen + frame + b"\x02\x02\x4c\x01\x00" + b"\x3b"


# A PNG of about 100 bytes declaring 400 million pixels: Pillow raises DecompressionBombError.
BOMB = png(20000, 20000, rows=1)
# 121 megapixels for real: more than twice the limit, which Pillow refuses to open as well.
HUGE = png(11000, 11000)
# Just over the limit: 40.96 megapixels (Pillow opens it, with a DecompressionBombWarning).
JUST_OVER = png(6400, 6400)

# The same in other formats; and a file that starts as a PNG does, followed by nothing readable.
WEBP_BOMB = webp_canvas(16000, 16000)
GIF_BOMB = gif_screen(30000, 30000)
BROKEN_PNG = b"\x89PNG\r\n\x1a\n" + b"not an image header " * 10

HOSTILE = {
    "bomb": ("bomb.png", BOMB, "far too many pixels to be opened safely"),
    "webp_bomb": ("bomb.webp", WEBP_BOMB, "far too many pixels to be opened safely"),
    "gif_bomb": ("bomb.gif", GIF_BOMB, "far too many pixels to be opened safely"),
    "broken": ("broken.png", BROKEN_PNG, "Upload a valid image"),
    "huge": ("huge.png", HUGE, "far too many pixels to be opened safely"),
    "just_over": ("poster.png", JUST_OVER, "This image is 6400 × 6400 pixels (41 megapixels)"),
}
FRENCH = {
    "bomb": "beaucoup trop de pixels pour être ouvert sans danger",
    "webp_bomb": "beaucoup trop de pixels pour être ouvert sans danger",
    "gif_bomb": "beaucoup trop de pixels pour être ouvert sans danger",
    "broken": "Téléversez une image valide",
    "huge": "beaucoup trop de pixels pour être ouvert sans danger",
    "just_over": "Cette image fait 6400 × 6400 pixels (41 mégapixels)",
}
LIMIT_TEXT = {
    "en": f"at most {LIMIT_MEGAPIXELS} megapixels",
    "fr": f"au plus {LIMIT_MEGAPIXELS} mégapixels",
}


def media_files():
    """The files of the media folder but renditions (which showing an image form makes)."""
    root = Path(settings.MEDIA_ROOT)
    return {
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.relative_to(root).parts[0]
        not in (PUBLIC_RENDITIONS_FOLDER, PRIVATE_RENDITIONS_FOLDER)
    }


def form_errors(html):
    soup = BeautifulSoup(html, "html.parser")
    return " ".join(error.get_text(" ", strip=True) for error in soup.select(".error-message"))


@pytest.fixture
def editor_client(editor, client_for):
    return client_for(editor)


@pytest.fixture(params=["en", "fr"])
def language(request, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = request.param
    profile.save()
    return request.param


def expected_message(case, language):
    return HOSTILE[case][2] if language == "en" else FRENCH[case]


def image_form(file, **extra):
    return {
        "title": "Hostile",
        "description": "A picture",
        "credit": "",
        "collection": Collection.get_first_root_node().pk,
        "file": file,
        **extra,
    }


@pytest.mark.parametrize("case", HOSTILE)
def test_the_add_view_refuses_the_file_with_a_form_error(editor_client, language, case):
    filename, content, _message = HOSTILE[case]
    before = media_files()

    response = editor_client.post(
        reverse("wagtailimages:add"), image_form(SimpleUploadedFile(filename, content))
    )

    assert response.status_code == 200
    errors = form_errors(response.content)
    assert expected_message(case, language) in errors
    if case != "broken":
        assert LIMIT_TEXT[language] in errors
    assert not CustomImage.objects.exists()
    assert media_files() == before


@pytest.mark.parametrize("case", HOSTILE)
def test_the_multiple_uploader_refuses_the_file(editor_client, language, case):
    filename, content, _message = HOSTILE[case]
    before = media_files()

    response = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile(filename, content)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 200
    assert response.json()["success"] is False
    assert expected_message(case, language) in response.json()["error_message"]
    assert not CustomImage.objects.exists()
    assert not UploadedFile.objects.exists()
    assert media_files() == before


@pytest.mark.parametrize("case", HOSTILE)
def test_replacing_the_file_of_an_image_keeps_the_old_one(editor_client, language, case):
    image = ImageFactory(title="Market", description="A market")
    original = image.file.name
    before = media_files()
    filename, content, _message = HOSTILE[case]

    response = editor_client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        image_form(SimpleUploadedFile(filename, content), title="Market"),
    )

    assert response.status_code == 200
    assert expected_message(case, language) in form_errors(response.content)
    image.refresh_from_db()
    assert (image.file.name, image.width, image.height) == (original, 96, 54)
    assert media_files() == before


@pytest.mark.parametrize("case", HOSTILE)
def test_the_choosers_upload_refuses_the_file(editor_client, language, case):
    filename, content, _message = HOSTILE[case]
    before = media_files()
    prefix = "image-chooser-upload"
    data = {
        f"{prefix}-{name}": value
        for name, value in image_form(SimpleUploadedFile(filename, content)).items()
    }

    response = editor_client.post(reverse("wagtailimages_chooser:create"), data)

    assert response.status_code == 200
    assert response.json()["step"] == "reshow_creation_form"
    errors = form_errors(response.json()["htmlFragment"])
    assert expected_message(case, language) in errors
    assert not CustomImage.objects.exists()
    assert media_files() == before


def test_an_image_of_exactly_the_limit_is_accepted(editor_client):
    width = 8000
    height = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // width

    response = editor_client.post(
        reverse("wagtailimages:add"),
        image_form(SimpleUploadedFile("poster.png", png(width, height))),
    )

    assert response.status_code == 302, form_errors(response.content)
    image = CustomImage.objects.get()
    assert (image.width, image.height) == (width, height)


def test_the_upload_form_tells_the_limit_before_the_upload(editor_client, language):
    response = editor_client.get(reverse("wagtailimages:add"))

    assert response.status_code == 200
    assert LIMIT_TEXT[language] in response.content.decode()


def test_pillow_refuses_to_decode_more_than_twice_the_limit_anywhere():
    """Whatever opens an image (a rendition, an avatar, a script), not only the admin's form."""
    with pytest.raises(PILImage.DecompressionBombError):
        PILImage.open(io.BytesIO(BOMB))
    assert PILImage.MAX_IMAGE_PIXELS == settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


# --- Renditions ------------------------------------------------------------------------------

FIGURE_SPECS = {
    "fill-480x270-c100|format-webp",
    "fill-800x450-c100|format-webp",
    "fill-1200x675-c100|format-webp",
}


def figure_page(image, parent):
    """A published StandardPage whose body shows `image` in a figure (its srcset: 3 sizes)."""
    image.contextual_alt_text = "A photo"
    image.decorative = False
    return StandardPageFactory(parent=parent, body=[("image", {"image": image, "caption": ""})])


@pytest.fixture
def rendition_calls(monkeypatch):
    """Each rendition file made, as (filter spec, thread): Wagtail's own method, watched."""
    calls = []
    make = CustomImage.generate_rendition_file

    def watched(image, rendition_filter, *, source=None):
        calls.append((rendition_filter.spec, threading.get_ident()))
        return make(image, rendition_filter, source=source)

    monkeypatch.setattr(CustomImage, "generate_rendition_file", watched)
    return calls


def test_a_pages_first_visitor_makes_its_renditions_one_at_a_time(
    client, home_page, rendition_calls
):
    """Wagtail would decode the original on three threads at once (three times the memory)."""
    page = figure_page(ImageFactory(), home_page)

    response = client.get(page.url)

    assert response.status_code == 200
    assert {spec for spec, _thread in rendition_calls} >= FIGURE_SPECS
    assert {thread for _spec, thread in rendition_calls} == {threading.get_ident()}
    srcset = BeautifulSoup(response.content, "html.parser").select_one("main figure img")["srcset"]
    assert srcset.count("w,") == 2  # three sizes


def truncated_png():
    picture = io.BytesIO()
    PILImage.effect_noise((400, 300), 60).save(picture, format="PNG")
    return picture.getvalue()[:2000]


@pytest.mark.parametrize(
    ("content", "size"),
    [(BOMB, (20000, 20000)), (truncated_png(), (400, 300))],
    ids=["stored-before-the-limit", "truncated"],
)
def test_an_original_that_cannot_be_decoded_leaves_the_page_served(
    client, home_page, content, size
):
    """An image saved without the admin's form (before the limit, by a script) that Pillow
    cannot decode: the page is served with Wagtail's placeholder for a missing picture."""
    image = CustomImage(title="Legacy", description="An old picture")
    image.file.save("legacy.png", ContentFile(content), save=False)
    image.width, image.height = size  # what its header says (Django's reading may give up)
    image.save()
    page = figure_page(image, home_page)

    response = client.get(page.url)

    assert response.status_code == 200
    assert not image.renditions.exists()


def test_a_social_image_that_cannot_be_decoded_gives_the_sites_default(client, home_page):
    image = CustomImage(title="Legacy", description="An old picture")
    image.file.save("legacy.png", ContentFile(BOMB), save=False)
    image.width, image.height = 20000, 20000
    image.save()
    page = StandardPageFactory(parent=home_page, social_image=image)

    response = client.get(page.url)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "social-default" in soup.select_one('meta[property="og:image"]')["content"]


# --- Avatars ---------------------------------------------------------------------------------


def test_an_avatar_that_is_a_decompression_bomb_is_refused(editor, editor_client, language):
    """Wagtail's account page takes a profile picture through Django's ImageField, which opens
    it with Pillow: more than twice the limit is refused there too, with no server error, and
    the error is shown (site/templates/wagtailadmin/account/settings_panels/avatar.html)."""
    response = editor_client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Ed",
            "name_email-last_name": "Itor",
            "name_email-email": editor.email,
            "locale-preferred_language": language,
            "locale-current_time_zone": "Europe/Paris",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "avatar-avatar": SimpleUploadedFile("me.png", BOMB),
        },
    )

    assert response.status_code == 200
    expected = {"en": "Upload a valid image", "fr": "Téléversez une image valide"}[language]
    assert form_errors(response.content) == expected + (
        ". The file you uploaded was either not an image or a corrupted image."
        if language == "en"
        else ". Le fichier que vous avez transféré n’est pas une image ou bien est corrompu."
    )
    assert not UserProfile.get_for_user(editor).avatar
