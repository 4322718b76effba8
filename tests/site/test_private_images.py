"""Images of private and unpublished content stay private (ngo_site.private_files).

Each case renders a page that uses an image as someone who may see it (a visitor who typed the
password or logged in, an editor viewing a draft), takes the rendition URLs that its HTML
prints, and asks for them — and for the rendition's file at the development server's /media/ —
as an anonymous visitor would, through the test client. A private image's URLs are refused
(404), its files are in a folder that /media/ never serves, under names that cannot be guessed
from the original's; the same image used by a live public page as well gets plain media URLs,
which are served. Saving, publishing and unpublishing run Wagtail's on-commit work (the
reference index, deleting files), as a real request's transaction would.
"""

import importlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse
from wagtail.images.utils import generate_signature
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from ngo_site.private_files import PRIVATE_RENDITIONS_FOLDER, PUBLIC_RENDITIONS_FOLDER
from tests.editorial import conftest as editorial
from tests.editorial.conftest import PASSWORD
from tests.resources.factories import ImageFactory
from tests.site.factories import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

make_user, editor, client_for, trees = (
    editorial.make_user,
    editorial.editor,
    editorial.client_for,
    editorial.trees,
)


@pytest.fixture
def development_urls(settings):
    """site/urls.py as the development server (DEBUG) builds it, which serves MEDIA_ROOT."""
    import ngo_site.urls

    settings.DEBUG = True
    importlib.reload(ngo_site.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(ngo_site.urls)
    clear_url_caches()


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what a block leaves for the end of the transaction, as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def figure_body(image):
    """A page body showing `image` in a figure (a StreamField ImageBlock: fill-480/800/1200)."""
    image.contextual_alt_text = "A photo"
    image.decorative = False
    return [("image", {"image": image, "caption": ""})]


def page_using(image, parent, **fields):
    """A StandardPage (published unless publish=False) whose body shows `image`."""
    return StandardPageFactory(parent=parent, body=figure_body(image), **fields)


def restrict(page, restriction_type, **fields):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, **fields
    )


def content(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def image_urls(response):
    """The rendition URLs a page's HTML prints (img src and srcset, og:image), as paths."""
    assert response.status_code == 200, response.status_code
    html = content(response).decode()
    found = set()
    for attribute in re.findall(r'(?:src|srcset|content)="([^"]+)"', html):
        for candidate in attribute.split(","):
            url = candidate.strip().split(" ")[0].replace("&amp;", "&")
            path = urlsplit(url).path
            if path.startswith(("/media/", "/images/")):
                found.add(path)
    assert found, "the page shows no image"
    return found


def is_image(response):
    return response.status_code == 200 and content(response).startswith(
        (b"RIFF", b"\x89PNG", b"\xff\xd8", b"GIF8")
    )


def refused(response):
    return response.status_code == 404 and not content(response).startswith(
        (b"RIFF", b"\x89PNG", b"\xff\xd8", b"GIF8")
    )


def assert_private(image, urls, anonymous, settings):
    """Every URL the page printed, and every rendition file of `image` at /media/, is refused
    to `anonymous`, and no rendition's name can be guessed from the original's."""
    assert urls
    for url in urls:
        assert not url.startswith(settings.MEDIA_URL), url  # the site's view, not the file
        assert refused(anonymous.get(url)), url
    renditions = list(image.renditions.all())
    assert renditions
    stem = Path(image.file.name).stem
    for rendition in renditions:
        folder, name = rendition.file.name.split("/", 1)
        assert folder == PRIVATE_RENDITIONS_FOLDER
        assert (Path(settings.MEDIA_ROOT) / rendition.file.name).exists()
        assert refused(anonymous.get(f"{settings.MEDIA_URL}{rendition.file.name}"))
        # A random token before Wagtail's own name (original name, focal point key, filter).
        assert re.fullmatch(rf"[A-Za-z0-9_-]{{12}}-{re.escape(stem)}\..+", name), name
    public_folder = Path(settings.MEDIA_ROOT) / PUBLIC_RENDITIONS_FOLDER
    assert not list(public_folder.glob(f"**/*{stem}*"))


def assert_public(image, urls, anonymous, settings):
    for url in urls:
        assert url.startswith(f"{settings.MEDIA_URL}{PUBLIC_RENDITIONS_FOLDER}/"), url
        assert is_image(anonymous.get(url)), url
    assert all(
        rendition.file.name.startswith(f"{PUBLIC_RENDITIONS_FOLDER}/")
        for rendition in image.renditions.all()
    )


# --- Pages that use the image ------------------------------------------------------------


def test_an_image_of_a_live_public_page_gets_public_media_urls(
    anonymous, home_page, settings, development_urls
):
    image = ImageFactory()
    page = page_using(image, home_page, title="Annual report")

    urls = image_urls(anonymous.get(page.url))

    assert len(urls) == 3  # the figure's three sizes
    assert_public(image, urls, anonymous, settings)
    # Still not guessable: a random token before Wagtail's name.
    for rendition in image.renditions.all():
        name = rendition.file.name.split("/", 1)[1]
        assert re.fullmatch(r"[A-Za-z0-9_-]{12}-.+", name), name


def test_an_image_of_a_password_protected_page_is_private(
    anonymous, home_page, settings, development_urls
):
    image = ImageFactory()
    page = page_using(image, home_page, title="Board minutes")
    restriction = restrict(page, PageViewRestriction.PASSWORD, password="s3cret")
    visitor = Client()
    visitor.post(
        reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, page.pk)),
        {"password": "s3cret", "return_url": page.url},
    )

    urls = image_urls(visitor.get(page.url))

    assert_private(image, urls, anonymous, settings)
    for url in urls:  # the visitor who typed the password gets them, for themselves only
        response = visitor.get(url)
        assert is_image(response)
        assert "private" in response["Cache-Control"]


def test_an_image_of_a_login_only_page_is_private(
    anonymous, home_page, settings, development_urls, django_user_model
):
    image = ImageFactory()
    page = page_using(image, home_page, title="Members")
    restrict(page, PageViewRestriction.LOGIN)
    member = Client()
    member.force_login(django_user_model.objects.create_user("member", password=PASSWORD))

    urls = image_urls(member.get(page.url))

    assert_private(image, urls, anonymous, settings)
    assert all(is_image(member.get(url)) for url in urls)


def test_an_image_of_a_page_in_a_private_section_is_private(
    anonymous, trees, editor, client_for, settings, development_urls
):
    image = ImageFactory()
    section = StandardPageFactory(parent=trees["en_home"], title="Members area")
    restrict(section, PageViewRestriction.LOGIN)
    page = page_using(image, section, title="Minutes")

    urls = image_urls(client_for(editor).get(page.url))

    assert_private(image, urls, anonymous, settings)


def test_an_image_of_a_page_never_published_is_private(
    anonymous, trees, editor, client_for, settings, development_urls
):
    image = ImageFactory()
    page = page_using(image, trees["en_home"], title="Coming soon", live=False, publish=False)
    page.save_revision()
    editor_client = client_for(editor)

    urls = image_urls(editor_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk])))

    assert_private(image, urls, anonymous, settings)
    # The editor, who may choose the image in the admin, gets it to preview the page.
    assert all(is_image(editor_client.get(url)) for url in urls)


def test_an_image_of_an_unpublished_page_becomes_private(
    anonymous, trees, editor, client_for, settings, development_urls, committed
):
    image = ImageFactory()
    page = page_using(image, trees["en_home"], title="Withdrawn")
    public_urls = image_urls(anonymous.get(page.url))
    assert_public(image, public_urls, anonymous, settings)

    with committed():
        page.unpublish()

    # The files the public URLs named are gone; the editor's view shows private URLs.
    for url in public_urls:
        assert refused(anonymous.get(url)), url
    urls = image_urls(
        client_for(editor).get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    )
    assert_private(image, urls, anonymous, settings)


def test_an_image_added_only_in_a_draft_is_private_until_published(
    anonymous, trees, editor, client_for, settings, development_urls, committed
):
    image = ImageFactory()
    page = trees["en_page"]  # live and public
    editor_client = client_for(editor)
    page.body = figure_body(image)
    with committed():
        revision = page.save_revision()

    urls = image_urls(editor_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk])))

    assert_private(image, urls, anonymous, settings)
    assert all(is_image(editor_client.get(url)) for url in urls)

    with committed():
        revision.publish()

    # Published: the private renditions are gone, the page shows public ones.
    assert not image.renditions.filter(file__startswith=f"{PRIVATE_RENDITIONS_FOLDER}/")
    assert_public(image, image_urls(anonymous.get(page.url)), anonymous, settings)
    for url in urls:  # a URL printed earlier: the view serves a public image to anyone
        assert is_image(anonymous.get(url))


def test_an_image_used_by_a_public_page_as_well_is_public(
    anonymous, home_page, settings, development_urls, django_user_model, committed
):
    image = ImageFactory()
    private = page_using(image, home_page, title="Members")
    restrict(private, PageViewRestriction.LOGIN)
    member = Client()
    member.force_login(django_user_model.objects.create_user("member", password=PASSWORD))
    assert_private(image, image_urls(member.get(private.url)), anonymous, settings)

    with committed():
        public = page_using(image, home_page, title="Publications")

    assert_public(image, image_urls(anonymous.get(public.url)), anonymous, settings)
    assert_public(image, image_urls(member.get(private.url)), anonymous, settings)


def test_an_image_whose_page_gets_a_restriction_becomes_private(
    anonymous, home_page, settings, development_urls, django_user_model, committed
):
    image = ImageFactory()
    page = page_using(image, home_page, title="Members")
    public_urls = image_urls(anonymous.get(page.url))
    assert_public(image, public_urls, anonymous, settings)

    with committed():
        restrict(page, PageViewRestriction.LOGIN)

    assert all(refused(anonymous.get(url)) for url in public_urls)
    member = Client()
    member.force_login(django_user_model.objects.create_user("member", password=PASSWORD))
    assert_private(image, image_urls(member.get(page.url)), anonymous, settings)


def test_an_image_of_a_restricted_collection_is_private_even_on_a_public_page(
    anonymous, home_page, settings, development_urls, django_user_model
):
    photos = Collection.get_first_root_node().add_child(name="Board photos")
    CollectionViewRestriction.objects.create(
        collection=photos, restriction_type=CollectionViewRestriction.LOGIN
    )
    image = ImageFactory(collection=photos)
    page = page_using(image, home_page, title="Annual report")

    urls = image_urls(anonymous.get(page.url))

    assert_private(image, urls, anonymous, settings)
    member = Client()
    member.force_login(django_user_model.objects.create_user("member", password=PASSWORD))
    assert all(is_image(member.get(url)) for url in urls)


def test_a_forged_private_url_is_refused(anonymous, home_page, settings, development_urls):
    image = ImageFactory()
    page = page_using(image, home_page, title="Annual report")  # public
    signature = generate_signature(image.pk, "fill-10x10")
    for forged in (
        reverse("private_image", args=("A" * 27 + "=", image.pk, "fill-10x10")),
        reverse("private_image", args=(signature, image.pk, "fill-11x11")),
        reverse("private_image", args=(signature, image.pk + 1, "fill-10x10")),
    ):
        assert refused(anonymous.get(forged, follow=True)), forged
    assert is_image(
        anonymous.get(reverse("private_image", args=(signature, image.pk, "fill-10x10")))
    )
    assert anonymous.get(page.url).status_code == 200


# --- Cost ----------------------------------------------------------------------------------


def test_the_check_costs_a_few_queries_and_printing_urls_none(
    anonymous,
    home_page,
    settings,
    development_urls,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    image = ImageFactory()
    section = StandardPageFactory(parent=home_page, title="Members area")
    restrict(section, PageViewRestriction.LOGIN)
    for number in range(6):
        page_using(image, section, title=f"Private {number}")
        page_using(image, home_page, title=f"Draft {number}", live=False, publish=False)
    rendition = image.get_rendition("fill-10x10")
    with django_assert_num_queries(0):
        url = rendition.url
    anonymous.get("/en/")  # sites, locales: read once per process in real life

    # The image and its collection, the collection's restrictions, the references, the live
    # pages, their ancestors and the restrictions on them, the rendition.
    with django_assert_max_num_queries(8):
        assert refused(anonymous.get(url))
