"""Programme and project pages cost a fixed number of SQL queries, whatever their content.

Each page is rendered twice through the test client as an anonymous visitor: the first request
makes the image renditions and fills the caches, the second is measured. The totals include
everything the request does: finding the site and the page, the view-restriction check, the
layout shared by every page (header, navigation, language switcher, breadcrumbs, footer) and
the page's own content. The layout's share is measured on a bare page at the same depth and
printed.

The template fragments ({% wagtailcache %}) are turned off here, so that the second request
renders the page in full and its queries are counted; tests/programmes/test_fragment_cache.py
measures the request that reads them from the cache.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import ProgrammePage
from tests.programmes.factories import (
    ImageFactory,
    LibraryPageFactory,
    ProgrammeFeaturedResourceFactory,
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    ProjectContributionFactory,
    ProjectPageFactory,
    ProjectPlaceFactory,
    ProjectRelatedResourceFactory,
    ResourcePageFactory,
)
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

# Without any fragment cached: the site, Wagtail's routing (the locale, the pages along the URL,
# the served page) and view-restriction check, the restricted sections, the locales, the
# layout's lists (home pages, menu, breadcrumbs, translations, footer), the link preview's
# picture and the page's own (a project's: its places, its contributing programmes, its related
# resources; 24 in all since the contributing programmes, the programme page's 23).
REQUEST_QUERY_BUDGET = 24
NO_FRAGMENT_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


@pytest.fixture(autouse=True)
def full_render(settings):
    settings.CACHES = {**settings.CACHES, "template_fragments": NO_FRAGMENT_CACHE}


def measured_queries(client, url):
    warm_up = client.get(url)
    assert warm_up.status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def tree(home_page, footer):
    index = ProgrammeIndexPageFactory(parent=home_page)
    library = LibraryPageFactory(parent=home_page)
    return index, library


def programme_with(index, library, projects, resources, contributions):
    """A programme with its own projects, featured resources, and projects of another programme
    it contributes to."""
    programme = ProgrammePageFactory(
        parent=index,
        image=ImageFactory(),
        activities=[
            {
                "type": "activity",
                "value": {
                    "title": "Research",
                    "text": "<p>Research.</p>",
                    "link": {"label": "", "page": None, "url": ""},
                },
            }
        ],
    )
    for _ in range(projects):
        ProjectPageFactory(parent=programme, image=ImageFactory(), publish=False)
    for _ in range(resources):
        resource = ResourcePageFactory(parent=library, image=ImageFactory(), publish=False)
        ProgrammeFeaturedResourceFactory(programme=programme, resource=resource)
    other = ProgrammePageFactory(parent=index)
    for _ in range(contributions):
        project = ProjectPageFactory(parent=other, image=ImageFactory(), publish=False)
        ProjectContributionFactory(project=project, programme=programme)
    return programme


def test_programme_page_queries_do_not_grow_with_projects_or_resources(client, tree):
    index, library = tree
    small = programme_with(index, library, projects=3, resources=2, contributions=1)
    large = programme_with(index, library, projects=30, resources=12, contributions=8)
    # Both programmes see each other (and the two they contribute to) under "other programmes".
    bare = StandardPageFactory(parent=index, title="Bare page at the same depth")

    small_count = measured_queries(client, small.url)
    large_count = measured_queries(client, large.url)
    layout_count = measured_queries(client, bare.url)

    assert large_count == small_count
    assert small_count <= REQUEST_QUERY_BUDGET, (small_count, layout_count)
    print(f"programme page: {small_count} queries ({layout_count} for the layout)")


def test_programme_page_query_count_is_exact(client, tree, django_assert_num_queries):
    """The same measurement as above, in the form that names the number: a regression shows up
    as a changed count in the failure message."""
    index, library = tree
    small = programme_with(index, library, projects=3, resources=2, contributions=1)
    large = programme_with(index, library, projects=30, resources=12, contributions=8)
    expected = measured_queries(client, small.url)
    client.get(large.url)
    with django_assert_num_queries(expected):
        response = client.get(large.url)
    assert response.status_code == 200


def project_with(programme, library, places, resources, contributions):
    """A project with places, related resources and other programmes contributing to it."""
    project = ProjectPageFactory(parent=programme, image=ImageFactory())
    link_target = ProjectPageFactory(parent=programme)  # a page places link to
    for number in range(places):
        ProjectPlaceFactory(
            project=project,
            # Every other place links to a page of the site, the others to the list.
            link_page=link_target if number % 2 else None,
        )
    for _ in range(resources):
        resource = ResourcePageFactory(parent=library, image=ImageFactory(), publish=False)
        ProjectRelatedResourceFactory(project=project, resource=resource)
    for contributor in ProgrammePage.objects.exclude(pk=programme.pk)[:contributions]:
        ProjectContributionFactory(project=project, programme=contributor)
    return project


def test_project_page_queries_do_not_grow_with_places_or_contributions(client, tree):
    index, library = tree
    programme = ProgrammePageFactory(parent=index)
    for _ in range(5):
        ProgrammePageFactory(parent=index)  # programmes that contribute to the projects
    few = project_with(programme, library, places=2, resources=1, contributions=1)
    many = project_with(programme, library, places=20, resources=6, contributions=5)
    bare = StandardPageFactory(parent=programme, title="Bare page at the same depth")

    few_count = measured_queries(client, few.url)
    many_count = measured_queries(client, many.url)
    layout_count = measured_queries(client, bare.url)

    assert many_count == few_count
    assert few_count <= REQUEST_QUERY_BUDGET, (few_count, layout_count)
    print(f"project page: {few_count} queries ({layout_count} for the layout)")


def test_programme_index_queries_do_not_grow_with_programmes(client, home_page):
    index = ProgrammeIndexPageFactory(parent=home_page)
    for _ in range(2):
        ProgrammePageFactory(parent=index, image=ImageFactory())
    two = measured_queries(client, index.url)
    for _ in range(8):
        ProgrammePageFactory(parent=index, image=ImageFactory(), publish=False)
    assert measured_queries(client, index.url) == two


def test_home_page_latest_resources_do_not_grow_with_resources(client, home_page):
    library = LibraryPageFactory(parent=home_page)
    home_page.latest_resources_count = 8
    home_page.save()
    for _ in range(2):
        ResourcePageFactory(parent=library, image=ImageFactory(), publish=False)
    two = measured_queries(client, home_page.url)
    for _ in range(6):
        ResourcePageFactory(parent=library, image=ImageFactory(), publish=False)
    assert measured_queries(client, home_page.url) == two


def test_the_layouts_fragments_save_its_queries_across_requests(client, tree, settings):
    """The menu and footer come from the fragments' cache, which every process shares (files
    or Redis), so a publication handled by one worker empties it for all."""
    index, library = tree
    programme = programme_with(index, library, projects=1, resources=1, contributions=1)

    uncached = measured_queries(client, programme.url)
    settings.CACHES = {
        **settings.CACHES,
        "template_fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    cached = measured_queries(client, programme.url)

    assert cached < uncached
    response = client.get(programme.url)
    assert response.status_code == 200 and programme.title in response.content.decode()
