"""factory-boy factories for the resource library's models (see tests/site/factories.py for
how page factories add pages to the tree)."""

import datetime

import factory
from wagtail.models import Locale

from ngo_site.models import CustomImage
from resources.models import (
    LibraryPage,
    Region,
    ResourceAuthor,
    ResourceDocument,
    ResourceLanguage,
    ResourcePage,
    ResourceProgrammeLink,
    ResourceRegionLink,
    ResourceThemeLink,
    ResourceType,
    Theme,
)
from tests.site.factories import PageFactory


class ImageFactory(factory.django.DjangoModelFactory):
    """A small generated picture (PIL), enough for renditions to be made from it."""

    class Meta:
        model = CustomImage

    title = factory.Sequence(lambda n: f"Picture {n}")
    description = factory.LazyAttribute(lambda image: f"Description of {image.title}")
    file = factory.django.ImageField(width=96, height=54, color="purple")


class LibraryPageFactory(PageFactory):
    class Meta:
        model = LibraryPage

    title = "Resources"
    slug = "resources"
    summary = "Publications and other resources."


class ResourcePageFactory(PageFactory):
    class Meta:
        model = ResourcePage

    title = factory.Sequence(lambda n: f"Resource {n}")
    summary = factory.LazyAttribute(lambda page: f"What {page.title} says.")
    publication_date = factory.Sequence(
        lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n)
    )


class ResourceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceType

    name = factory.Sequence(lambda n: f"Type {n}")
    locale = factory.LazyFunction(lambda: Locale.get_default())


class ThemeFactory(ResourceTypeFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")


class RegionFactory(ResourceTypeFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")


def make_resource(
    library,
    *,
    resource_type=None,
    themes=(),
    regions=(),
    programmes=(),
    languages=(),
    authors=(),
    documents=(),
    **fields,
):
    """A published resource with its classification, the way an editor's form saves it: the
    child rows are part of the page's revision, and publishing indexes it for the library."""
    page = ResourcePageFactory.build(resource_type=resource_type, **fields)
    page.locale = library.locale
    page.theme_links = [ResourceThemeLink(theme=theme) for theme in themes]
    page.region_links = [ResourceRegionLink(region=region) for region in regions]
    page.programme_links = [ResourceProgrammeLink(programme=page_) for page_ in programmes]
    page.languages = [ResourceLanguage(language=code) for code in languages]
    page.authors = [ResourceAuthor(name=name) for name in authors]
    page.documents = [ResourceDocument(document=document) for document in documents]
    library = type(library).objects.get(pk=library.pk)  # fresh tree data
    library.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page
