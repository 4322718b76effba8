"""Editors create programmes and projects through Wagtail's own create views, and the page-type
rules keep each page type in its place."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from ngo_site.models import HomePage, StandardPage
from programmes.models import ProgrammeIndexPage, ProgrammePage, ProjectPage, ProjectPlace
from resources.models import LibraryPage, ResourcePage
from tests.programmes.factories import (
    LibraryPageFactory,
    ProgrammeFeaturedResourceFactory,
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    ProjectPageFactory,
    ProjectPlaceFactory,
    ProjectRelatedResourceFactory,
    ResourcePageFactory,
    make_home_page,
)


def empty_link():
    return {"label": "", "page": "", "url": ""}


def programme_form_data(resource):
    """What the programme create form posts for a programme with one of everything."""
    return nested_form_data(
        {
            "title": "Social Protection",
            "slug": "social-protection",
            "summary": "Social protection for informal workers.",
            "lead": "Informal workers need social protection.",
            "overview": rich_text("<p>Research, advocacy and capacity building.</p>"),
            "activities": streamfield(
                [
                    (
                        "activity",
                        {
                            "title": "A systems approach",
                            "text": rich_text("<p>Income security and health.</p>"),
                            "link": empty_link(),
                        },
                    )
                ]
            ),
            "how_we_work": streamfield(
                [("method", {"title": "Research", "text": rich_text("<p>Evidence.</p>")})]
            ),
            "featured_resources": inline_formset([{"resource": str(resource.pk)}]),
            "related_links": streamfield([]),
            "comments": inline_formset([]),
        }
    )


def project_form_data(resource):
    """What the project create form posts for a project with a place and a resource."""
    return nested_form_data(
        {
            "title": "Focal Cities",
            "slug": "focal-cities",
            "summary": "City-level support for informal workers' organisations.",
            "body": streamfield(
                [("paragraph", rich_text("<p>Cities are where informal workers work.</p>"))]
            ),
            "places": inline_formset(
                [
                    {
                        "city": "Delhi",
                        "country": "India",
                        "latitude": "28.6139",
                        "longitude": "77.209",
                        "start_year": "2016",
                        "description": "Added in 2016.",
                        "link_page": "",
                        "link_url": "",
                    }
                ]
            ),
            "contributions": inline_formset([]),
            "related_resources": inline_formset([{"resource": str(resource.pk)}]),
            "related_links": streamfield([]),
            "comments": inline_formset([]),
        }
    )


class PageTypeRulesTests(WagtailPageTestCase):
    def test_each_page_type_has_one_kind_of_parent(self):
        self.assertAllowedParentPageTypes(ProgrammeIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(ProgrammePage, {ProgrammeIndexPage})
        self.assertAllowedParentPageTypes(ProjectPage, {ProgrammePage})
        self.assertAllowedParentPageTypes(LibraryPage, {HomePage})
        self.assertAllowedParentPageTypes(ResourcePage, {LibraryPage})

    def test_wrong_parents_are_refused(self):
        self.assertCanNotCreateAt(HomePage, ProgrammePage)
        self.assertCanNotCreateAt(HomePage, ProjectPage)
        self.assertCanNotCreateAt(ProgrammeIndexPage, ProjectPage)
        self.assertCanNotCreateAt(ProgrammePage, ProgrammePage)
        self.assertCanNotCreateAt(ProjectPage, ProjectPage)
        self.assertCanNotCreateAt(LibraryPage, ProjectPage)
        self.assertCanNotCreateAt(StandardPage, ProgrammePage)

    def test_nothing_but_projects_goes_under_a_programme(self):
        self.assertAllowedSubpageTypes(ProgrammePage, {ProjectPage})
        self.assertAllowedSubpageTypes(ProgrammeIndexPage, {ProgrammePage})
        self.assertAllowedSubpageTypes(ProjectPage, set())


class CreateThroughAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home_page()
        cls.index = ProgrammeIndexPageFactory(parent=cls.home)
        cls.library = LibraryPageFactory(parent=cls.home)
        cls.resource = ResourcePageFactory(parent=cls.library, title="A review of the evidence")

    def setUp(self):
        self.user = self.login()

    def test_editor_creates_a_programme_with_activities_and_a_featured_resource(self):
        data = programme_form_data(self.resource)
        self.assertCanCreate(self.index, ProgrammePage, data)

        programme = ProgrammePage.objects.get(slug="social-protection")
        self.assertTrue(programme.live)
        self.assertEqual(programme.activities[0].value["title"], "A systems approach")
        self.assertEqual(
            [row.resource_id for row in programme.featured_resources.all()], [self.resource.pk]
        )

    def test_editor_creates_a_project_with_a_place(self):
        programme = ProgrammePageFactory(parent=self.index, title="Urban Policies")
        data = project_form_data(self.resource)
        self.assertCanCreate(programme, ProjectPage, data)

        project = ProjectPage.objects.get(slug="focal-cities")
        place = project.places.get()
        self.assertEqual((place.city, place.start_year), ("Delhi", 2016))
        self.assertAlmostEqual(place.latitude, 28.6139)
        # The place takes its language from its project.
        self.assertEqual(place.locale_id, project.locale_id)
        response = self.client.get(project.url)
        self.assertContains(response, 'class="places-map__point"')
        self.assertContains(response, "since 2016")

    def test_a_place_off_the_globe_is_refused(self):
        programme = ProgrammePageFactory(parent=self.index)
        data = nested_form_data(
            {
                "title": "Nowhere",
                "slug": "nowhere",
                "body": streamfield([]),
                "places": inline_formset(
                    [
                        {
                            "city": "Nowhere",
                            "country": "None",
                            "latitude": "95",
                            "longitude": "0",
                            "start_year": "",
                            "description": "",
                            "link_page": "",
                            "link_url": "",
                        }
                    ]
                ),
                "contributions": inline_formset([]),
                "related_resources": inline_formset([]),
                "related_links": streamfield([]),
                "comments": inline_formset([]),
                "action-publish": "action-publish",
            }
        )
        add_url = reverse(
            "wagtailadmin_pages:add", args=["programmes", "projectpage", programme.pk]
        )
        response = self.client.post(add_url, data)
        self.assertEqual(response.status_code, 200)  # the form again, with its errors
        self.assertFalse(ProjectPage.objects.filter(slug="nowhere").exists())
        self.assertFalse(ProjectPlace.objects.filter(city="Nowhere").exists())

    def assertRefused(self, response):
        """Wagtail answers a forbidden create view by sending the editor back to the dashboard
        with a "permission denied" message."""
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], reverse("wagtailadmin_home"))

    def test_create_view_refuses_a_project_directly_under_the_programme_index(self):
        add_url = reverse(
            "wagtailadmin_pages:add", args=["programmes", "projectpage", self.index.pk]
        )
        self.assertRefused(self.client.get(add_url))
        self.assertRefused(self.client.post(add_url, {"title": "Misplaced", "slug": "misplaced"}))
        self.assertFalse(ProjectPage.objects.filter(slug="misplaced").exists())

    def test_create_view_refuses_a_programme_under_the_home_page(self):
        add_url = reverse(
            "wagtailadmin_pages:add", args=["programmes", "programmepage", self.home.pk]
        )
        self.assertRefused(self.client.get(add_url))

    def test_create_view_refuses_a_second_programme_index(self):
        add_url = reverse(
            "wagtailadmin_pages:add", args=["programmes", "programmeindexpage", self.home.pk]
        )
        self.assertRefused(self.client.get(add_url))

    def test_chooser_of_featured_resources_offers_resources_only(self):
        """The featured-resource panel's chooser is restricted to resource pages."""
        add_url = reverse(
            "wagtailadmin_pages:add", args=["programmes", "programmepage", self.index.pk]
        )
        response = self.client.get(add_url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "resources.resourcepage")

    def test_home_page_featured_programmes_chooser_offers_programmes_only(self):
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.home.pk])
        response = self.client.get(edit_url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "programmes.programmepage")

    def test_a_place_links_to_a_page_or_an_address_not_both(self):
        programme = ProgrammePageFactory(parent=self.index)
        place = ProjectPlace(
            city="Accra",
            country="Ghana",
            latitude=5.6,
            longitude=-0.19,
            link_page=programme,
            link_url="https://example.org/accra",
        )
        with self.assertRaises(ValidationError) as raised:
            place.clean()
        self.assertIn("link_url", raised.exception.message_dict)

    def test_editors_can_preview_programmes_and_projects(self):
        programme = ProgrammePageFactory(parent=self.index)
        ProgrammeFeaturedResourceFactory(programme=programme, resource=self.resource)
        project = ProjectPageFactory(parent=programme)
        ProjectPlaceFactory(project=project, city="Kigali", country="Rwanda")
        ProjectRelatedResourceFactory(project=project, resource=self.resource)
        self.assertPageIsPreviewable(self.index)
        # StreamField editors are drawn by JavaScript, so their form data cannot be read from the
        # edit page's HTML: post what the editor would.
        self.assertPageIsPreviewable(
            programme, post_data=programme_form_data(self.resource) | {"slug": programme.slug}
        )
        self.assertPageIsPreviewable(
            project, post_data=project_form_data(self.resource) | {"slug": project.slug}
        )
        self.assertPageIsPreviewable(self.library)
