"""The content of programme and project pages is rendered once per publication and then read
from the cache (Wagtail's {% wagtailpagecache %}), for every visitor, logged in or not; whatever is
published shows at once, and previews always show the draft.

The page cache is off here (the test settings' default), so each request goes through Wagtail's
view: these requests are the ones a logged-in editor, a visitor with a session, or the first
visitor after a publication makes.
"""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.programmes.factories import (
    ImageFactory,
    LibraryPageFactory,
    ProgrammeFeaturedResourceFactory,
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    ProjectPageFactory,
    ProjectPlaceFactory,
    ResourcePageFactory,
)
from tests.programmes.test_admin_editing import programme_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]


def fragments_off():
    from django.conf import settings

    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    return override_settings(CACHES={**settings.CACHES, "template_fragments": dummy})


@pytest.fixture
def programme(home_page, footer):
    index = ProgrammeIndexPageFactory(parent=home_page)
    library = LibraryPageFactory(parent=home_page)
    programme = ProgrammePageFactory(parent=index, title="Social Protection", image=ImageFactory())
    for number in range(5):
        ProjectPageFactory(parent=programme, title=f"Project {number}", image=ImageFactory())
    for number in range(3):
        resource = ResourcePageFactory(parent=library, title=f"Resource {number}")
        ProgrammeFeaturedResourceFactory(programme=programme, resource=resource)
    return programme


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


def test_a_programme_page_rendered_again_reads_its_content_from_the_cache(client, programme):
    client.get(programme.url)  # makes the renditions and fills the layout's caches

    full_render_queries, first = queries_of(client, programme.url)
    cached_queries, second = queries_of(client, programme.url)
    assert cached_queries == full_render_queries  # both read the fragment now

    # The same request with the fragment turned off shows what it saves.
    with fragments_off():
        uncached_queries, uncached = queries_of(client, programme.url)

    assert second == first == uncached
    assert "Project 4" in second and "Resource 2" in second
    assert cached_queries < uncached_queries, (cached_queries, uncached_queries)
    print(f"programme page: {cached_queries} queries from the cache, {uncached_queries} without")


def test_a_project_page_rendered_again_reads_its_content_from_the_cache(client, programme):
    project = ProjectPageFactory(parent=programme, title="Focal Cities")
    for city in ("Accra", "Lima", "Dakar"):
        ProjectPlaceFactory(project=project, city=city)
    client.get(project.url)

    cached_queries, page = queries_of(client, project.url)
    with fragments_off():
        uncached_queries, uncached = queries_of(client, project.url)

    assert page == uncached and "Lima" in page
    assert cached_queries < uncached_queries, (cached_queries, uncached_queries)


def test_what_an_editor_publishes_is_on_the_page_at_once(admin_client, client, programme):
    library = programme.featured_resources.first().resource.get_parent()
    resource = ResourcePageFactory(parent=library, title="Newly featured review")
    assert "Social Protection" in client.get(programme.url).content.decode()
    assert "Social Protection" in admin_client.get(programme.url).content.decode()

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=(programme.pk,)),
        programme_form_data(resource)
        | {
            "title": "Social Protection for All",
            "slug": programme.slug,
            "action-publish": "Publish",
        },
    )
    assert response.status_code == 302

    for visitor in (client, admin_client):
        page = visitor.get(programme.url).content.decode()
        assert "Social Protection for All" in page
        # The form adds a featured resource: the lists are read afresh too.
        assert "Newly featured review" in page


def test_a_project_published_below_a_programme_is_listed_at_once(client, programme):
    assert "Street Vendors" not in client.get(programme.url).content.decode()

    ProjectPageFactory(parent=programme, title="Street Vendors")

    assert "Street Vendors" in client.get(programme.url).content.decode()


def test_previews_show_the_draft_and_leave_the_cached_content_alone(
    admin_client, client, programme
):
    resource = programme.featured_resources.first().resource
    client.get(programme.url)
    edit = reverse("wagtailadmin_pages:edit", args=(programme.pk,))
    draft = programme_form_data(resource) | {"title": "Draft title", "slug": programme.slug}
    assert admin_client.post(edit, draft).status_code == 302

    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(programme.pk,)))
    assert "Draft title" in preview.content.decode()

    # The live page, for visitors and for the editor, is still the published one...
    for visitor in (client, admin_client):
        live = visitor.get(programme.url).content.decode()
        assert "Draft title" not in live and "Social Protection" in live
    # ...and a preview made after the live page was cached still shows the draft.
    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(programme.pk,)))
    assert "Draft title" in preview.content.decode()
