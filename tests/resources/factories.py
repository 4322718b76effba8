"""factory-boy factories for the resource library's models (see tests/site/factories.py for
how page factories add pages to the tree)."""

import datetime

import factory

from ngo_site.models import CustomImage
from resources.models import LibraryPage, ResourcePage
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
