"""factory-boy factories for programmes, projects and their rows (see tests/site/factories.py for
how page factories add pages to the tree).

    index = ProgrammeIndexPageFactory(parent=home_page)
    programme = ProgrammePageFactory(parent=index, title="Social Protection")
    project = ProjectPageFactory(parent=programme)
    ProjectPlaceFactory(project=project, city="Accra", country="Ghana")
    ProjectContributionFactory(project=project, programme=other_programme)
"""

import factory
from wagtail.models import Page, Site

from ngo_site.models import HomePage
from programmes.models import (
    ProgrammeIndexPage,
    ProgrammePage,
    ProjectContribution,
    ProjectPage,
    ProjectPlace,
)
from resources.models import ProgrammeFeaturedResource, ProjectRelatedResource
from tests.resources.factories import ImageFactory, LibraryPageFactory, ResourcePageFactory
from tests.site.factories import HomePageFactory, PageFactory

__all__ = [
    "ImageFactory",
    "LibraryPageFactory",
    "ProgrammeFeaturedResourceFactory",
    "ProgrammeIndexPageFactory",
    "ProgrammePageFactory",
    "ProjectContributionFactory",
    "ProjectPageFactory",
    "ProjectPlaceFactory",
    "ProjectRelatedResourceFactory",
    "ResourcePageFactory",
    "make_home_page",
]


def make_home_page():
    """The English home page as the default site's root, for unittest-style test cases that
    cannot use the `home_page` pytest fixture (same steps as tests/conftest.py)."""
    existing = HomePage.objects.filter(depth=2).first()
    if existing is not None:
        return existing
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="localhost", port=80, is_default_site=True
    )
    site.root_page = root
    site.save()
    for welcome in root.get_children().filter(slug="home"):
        welcome.delete()
    root.refresh_from_db()
    home = HomePageFactory(parent=root)
    site.root_page = home
    site.save()
    return home


class ProgrammeIndexPageFactory(PageFactory):
    class Meta:
        model = ProgrammeIndexPage

    title = "Programmes"
    slug = "programmes"
    summary = "Our programmes."


class ProgrammePageFactory(PageFactory):
    class Meta:
        model = ProgrammePage

    title = factory.Sequence(lambda n: f"Programme {n}")
    summary = factory.LazyAttribute(lambda page: f"What the {page.title} programme does.")
    lead = factory.LazyAttribute(lambda page: f"Why the {page.title} programme exists.")
    overview = "<p>An overview of the programme.</p>"


class ProjectPageFactory(PageFactory):
    class Meta:
        model = ProjectPage

    title = factory.Sequence(lambda n: f"Project {n}")
    summary = factory.LazyAttribute(lambda page: f"What {page.title} does.")


class ProjectPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPlace

    city = factory.Sequence(lambda n: f"City {n}")
    country = "Countryland"
    # Spread the points over the map so that every label can be placed.
    latitude = factory.Sequence(lambda n: -40 + (n * 7) % 80)
    longitude = factory.Sequence(lambda n: -150 + (n * 37) % 300)
    start_year = 2017
    description = factory.LazyAttribute(lambda place: f"Our work in {place.city}.")
    sort_order = factory.Sequence(int)


class ProjectContributionFactory(factory.django.DjangoModelFactory):
    """Another programme's part in a project; pass `project` and `programme`."""

    class Meta:
        model = ProjectContribution

    contribution = factory.LazyAttribute(
        lambda row: f"What {row.programme.title} does in {row.project.title}."
    )
    sort_order = factory.Sequence(int)


class ProgrammeFeaturedResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeFeaturedResource

    sort_order = factory.Sequence(int)


class ProjectRelatedResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectRelatedResource

    sort_order = factory.Sequence(int)


def publish_translation(page, locale, **fields):
    """`page`'s translation into `locale` (its parents copied too), with `fields` set, published."""
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation.specific
