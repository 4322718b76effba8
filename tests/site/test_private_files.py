"""Files of private and unpublished content stay private (ngo_site.private_files).

Each case asks for a document as an anonymous visitor would, through the test client: at
Wagtail's serve view (`document.url`, /documents/<id>/<name>) and, with the development
server's URLs, at /media/. A refused document is a 404 (or, for a restricted collection,
Wagtail's login redirect), never the file; the same document used by a live public page as
well is served. Users who may see the page (a password typed, a login, a group) and editors
(previewing drafts) still get it.
"""

import importlib
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    ReferenceIndex,
)
from wagtail.test.utils.form_data import nested_form_data, streamfield

from tests.editorial import conftest as editorial
from tests.editorial.conftest import PASSWORD, standard_page_form
from tests.resources.factories import ImageFactory, LibraryPageFactory, make_resource
from tests.site.factories import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

make_user, editor, client_for, trees = (
    editorial.make_user,
    editorial.editor,
    editorial.client_for,
    editorial.trees,
)

PDF = b"%PDF-1.4\n% a file of the private-files tests\n%%EOF\n"


def make_document(name="report", collection=None):
    extra = {"collection": collection} if collection is not None else {}
    return get_document_model().objects.create(
        title=name.capitalize(), file=ContentFile(PDF, name=f"{name}.pdf"), **extra
    )


def document_block(document):
    return ("document", {"document": document, "title": "", "description": ""})


def page_using(document, parent, **fields):
    """A published StandardPage whose body offers `document` for download."""
    return StandardPageFactory(parent=parent, body=[document_block(document)], **fields)


def content(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def served(response):
    return response.status_code == 200 and content(response) == PDF


def refused(response):
    return response.status_code == 404 and PDF not in content(response)


def restrict(page, restriction_type, **fields):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, **fields
    )


@pytest.fixture
def anonymous():
    return Client()


# --- Pages that use the document ---------------------------------------------------------


def test_a_document_of_a_live_public_page_is_served(anonymous, home_page):
    document = make_document()
    page_using(document, home_page, title="Annual report")

    assert served(anonymous.get(document.url))


def test_a_document_that_nothing_uses_is_refused(anonymous, home_page):
    document = make_document()

    assert refused(anonymous.get(document.url))


def test_a_document_of_a_password_protected_page_is_refused_until_the_password_is_given(
    anonymous, home_page
):
    document = make_document()
    page = page_using(document, home_page, title="Board minutes")
    restriction = restrict(page, PageViewRestriction.PASSWORD, password="s3cret")

    assert refused(anonymous.get(document.url))

    response = anonymous.post(
        reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, page.pk)),
        {"password": "s3cret", "return_url": page.url},
    )
    assert response.status_code == 302
    response = anonymous.get(document.url)
    assert served(response)
    # Served for this visitor's session only: no shared cache may keep it.
    assert "private" in response["Cache-Control"]


def test_a_document_of_a_login_only_page_is_refused_to_anonymous_visitors(
    anonymous, home_page, django_user_model
):
    document = make_document()
    page = page_using(document, home_page, title="Members")
    restrict(page, PageViewRestriction.LOGIN)

    assert refused(anonymous.get(document.url))

    member = django_user_model.objects.create_user("member", password=PASSWORD)
    anonymous.force_login(member)  # no admin access, no permission: only logged in
    assert served(anonymous.get(document.url))


def test_a_document_of_a_page_for_some_groups_is_refused_to_everyone_else(
    anonymous, home_page, django_user_model
):
    document = make_document()
    page = page_using(document, home_page, title="Board")
    board = Group.objects.create(name="Board")
    restrict(page, PageViewRestriction.GROUPS).groups.add(board)

    assert refused(anonymous.get(document.url))
    outsider = django_user_model.objects.create_user("outsider", password=PASSWORD)
    anonymous.force_login(outsider)
    assert refused(anonymous.get(document.url))

    outsider.groups.add(board)
    assert served(anonymous.get(document.url))


def test_a_document_of_a_page_in_a_private_section_is_refused(anonymous, home_page):
    document = make_document()
    section = StandardPageFactory(parent=home_page, title="Members area")
    restrict(section, PageViewRestriction.LOGIN)
    page_using(document, section, title="Minutes")

    assert refused(anonymous.get(document.url))


def test_a_document_of_an_unpublished_page_is_refused(anonymous, home_page):
    document = make_document()
    page = page_using(document, home_page, title="Withdrawn")
    assert served(anonymous.get(document.url))

    page.unpublish()

    assert refused(anonymous.get(document.url))


def test_a_document_of_a_page_never_published_is_refused(anonymous, home_page):
    document = make_document()
    page_using(document, home_page, title="Coming soon", live=False, publish=False)

    assert ReferenceIndex.get_references_to(document).exists()  # used, by a page not live
    assert refused(anonymous.get(document.url))


def test_a_document_added_only_in_a_draft_is_refused_until_published(
    anonymous, trees, editor, client_for
):
    document = make_document("draft-annex")
    page = trees["en_page"]
    editor_client = client_for(editor)
    form = standard_page_form("About us", "about")
    form.update(nested_form_data({"body": streamfield([("document", {"document": document.pk})])}))

    # The editor saves a draft (no action: "Save draft") of the live page with the document.
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), form)
    assert response.status_code == 302

    page.refresh_from_db()
    assert page.live and page.has_unpublished_changes
    # Wagtail's reference index holds the page row, i.e. the live version: the draft's new
    # document is not a reference of the page.
    assert not ReferenceIndex.get_references_to(document).exists()
    assert refused(anonymous.get(document.url))
    # The editor, who may choose the document in the admin, gets it to preview the draft.
    assert served(editor_client.get(document.url))

    page.get_latest_revision().publish()

    assert ReferenceIndex.get_references_to(document).exists()
    assert served(anonymous.get(document.url))


def test_a_document_used_by_a_public_page_as_well_is_served(anonymous, home_page):
    document = make_document()
    private = page_using(document, home_page, title="Board minutes")
    restrict(private, PageViewRestriction.PASSWORD, password="s3cret")
    page_using(document, home_page, title="Annual report", live=False, publish=False)
    assert refused(anonymous.get(document.url))

    page_using(document, home_page, title="Publications")

    response = anonymous.get(document.url)
    assert served(response)
    assert "private" not in response.get("Cache-Control", "")


def test_a_document_of_a_resource_follows_the_resource_page(anonymous, home_page):
    # The resource's downloads are child rows (ResourceDocument): Wagtail indexes them under
    # the page.
    document = make_document("resource-paper")
    resource = make_resource(LibraryPageFactory(parent=home_page), documents=[document])
    assert served(anonymous.get(document.url))

    resource.unpublish()

    assert refused(anonymous.get(document.url))


def test_editors_get_the_document_of_a_private_page(anonymous, trees, editor, client_for):
    document = make_document()
    page = page_using(document, trees["en_home"], title="Board minutes")
    restrict(page, PageViewRestriction.PASSWORD, password="s3cret")

    assert refused(anonymous.get(document.url))
    assert served(client_for(editor).get(document.url))


# --- Collections ---------------------------------------------------------------------------


def test_a_document_of_a_login_restricted_collection_is_refused(
    anonymous, home_page, django_user_model
):
    papers = Collection.get_first_root_node().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=papers, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = make_document(collection=papers)
    page_using(document, home_page, title="Annual report")  # even on a public page
    unused = make_document("unused", collection=papers)

    response = anonymous.get(document.url)

    # Wagtail's own check, first: its login redirect.
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert PDF not in content(response)
    # Past the collection's restriction, the rule of the pages still holds.
    anonymous.force_login(django_user_model.objects.create_user("member", password=PASSWORD))
    assert served(anonymous.get(document.url))
    assert refused(anonymous.get(unused.url))


def test_a_document_of_a_password_restricted_collection_is_refused(anonymous, home_page):
    papers = Collection.get_first_root_node().add_child(name="Board papers")
    restriction = CollectionViewRestriction.objects.create(
        collection=papers, restriction_type=CollectionViewRestriction.PASSWORD, password="s3cret"
    )
    document = make_document(collection=papers)
    page_using(document, home_page, title="Annual report")
    unused = make_document("unused", collection=papers)

    response = anonymous.get(document.url)

    # Wagtail's own check, first: its password form, not the file.
    assert PDF not in content(response)
    assert b'name="password"' in content(response)
    response = anonymous.post(
        reverse("wagtaildocs_authenticate_with_password", args=(restriction.pk,)),
        {"password": "s3cret", "return_url": document.url},
    )
    assert response.status_code == 302
    assert served(anonymous.get(document.url))
    assert refused(anonymous.get(unused.url))


# --- Cost ----------------------------------------------------------------------------------


def test_the_check_costs_a_few_queries_however_many_pages_use_the_document(
    anonymous, home_page, django_assert_max_num_queries
):
    document = make_document()
    section = StandardPageFactory(parent=home_page, title="Members area")
    restrict(section, PageViewRestriction.LOGIN)
    for number in range(6):
        page_using(document, section, title=f"Private {number}")
        page_using(document, home_page, title=f"Draft {number}", live=False, publish=False)
    anonymous.get("/en/")  # sites, locales: read once per process in real life

    # The document, its collection and the collection's restrictions (Wagtail), then the
    # references, the live pages, their ancestors and the restrictions on them; a refusal adds
    # the 404 page's layout and Wagtail's redirect look-up.
    with django_assert_max_num_queries(14):
        assert refused(anonymous.get(document.url))
    page_using(document, section.get_parent(), title="Public")
    with django_assert_max_num_queries(8):
        assert served(anonymous.get(document.url))


# --- The files' own URLs -------------------------------------------------------------------


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


def test_the_development_server_never_serves_the_documents_folder(
    anonymous, home_page, settings, development_urls
):
    document = make_document()
    page_using(document, home_page, title="Annual report")  # public: served at /documents/
    name = document.file.name
    assert name.startswith("documents/")
    assert (Path(settings.MEDIA_ROOT) / name).read_bytes() == PDF  # the file is there

    assert served(anonymous.get(document.url))
    for path in (name, f"images/../{name}", f"./{name}", f"Documents/{name[10:]}"):
        assert refused(anonymous.get(f"{settings.MEDIA_URL}{path}")), path


def test_the_development_server_serves_renditions_but_not_original_images(
    anonymous, home_page, settings, development_urls
):
    image = ImageFactory()
    # A public image (tests/site/test_private_images.py: the renditions of the others are
    # not in images/).
    StandardPageFactory(parent=home_page, title="Gallery", social_image=image)
    rendition = image.get_rendition("fill-10x10")
    assert rendition.file.name.startswith("images/")
    assert image.file.name.startswith("original_images/")

    assert anonymous.get(image.file.url).status_code == 404
    assert anonymous.get(f"{settings.MEDIA_URL}images/../{image.file.name}").status_code == 404
    response = anonymous.get(rendition.url)
    assert response.status_code == 200
    assert content(response) == (Path(settings.MEDIA_ROOT) / rendition.file.name).read_bytes()


def test_in_a_bucket_documents_and_originals_get_signed_short_lived_urls(monkeypatch):
    from django.core.files.storage import storages
    from storages.backends.s3 import S3Storage

    from tests.site.test_settings_env import production_environment, read_settings

    in_bucket = read_settings(
        ["STORAGES", "WAGTAILIMAGES_RENDITION_STORAGE"],
        **production_environment(
            AWS_STORAGE_BUCKET_NAME="ngo-media",
            AWS_S3_REGION_NAME="eu-west-3",
            AWS_S3_CUSTOM_DOMAIN="media.example.org",
        ),
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
    private = S3Storage(**in_bucket["STORAGES"]["default"]["OPTIONS"])
    renditions = S3Storage(**in_bucket["STORAGES"]["renditions"]["OPTIONS"])

    assert in_bucket["WAGTAILIMAGES_RENDITION_STORAGE"] == "renditions"
    for name in ("documents/report.pdf", "original_images/photo.jpg"):
        url = private.url(name)
        assert url.startswith("https://ngo-media.s3.")
        assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url, url
    assert renditions.url("images/photo.fill-10x10.jpg") == (
        "https://media.example.org/images/photo.fill-10x10.jpg"
    )
    # The test settings themselves keep media on disk.
    assert storages.backends["default"]["BACKEND"].endswith("FileSystemStorage")
