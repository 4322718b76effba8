"""factory-boy factories for the site app's models.

Pages are created under a parent (`parent=`, default: the English home page's parent, i.e. the
tree root) with `add_child`, then published, as an editor would. For example:

    about = StandardPageFactory(parent=home_page, title="About us", show_in_menus=True)
"""

import factory
from django.utils.text import slugify
from wagtail.models import Locale, Page

from ngo_site.models import FooterContent, HomePage, StandardPage


def default_locale():
    return Locale.get_default()


class PageFactory(factory.django.DjangoModelFactory):
    """Base for Wagtail page factories: `parent` (a Page) is where the page is added."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, **kwargs):
        if parent is None:
            parent = Page.get_first_root_node()
        if "locale" not in kwargs:
            kwargs["locale"] = parent.locale if parent.depth > 1 else default_locale()
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        if publish:
            page.save_revision().publish()
            page.refresh_from_db()
        return page


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage

    title = "Home"
    slug = "home"
    hero_heading = "Decent work for every informal worker"
    summary = "A network of informal workers' organisations."


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    summary = factory.LazyAttribute(lambda page: f"What {page.title} is about.")


class FooterContentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FooterContent

    name = "Footer"
    locale = factory.LazyFunction(default_locale)
    organisation_name = "Harbour Workers Network"
    address = "12 Quay Street\nPort Town, PT1 2AB"
    email = "contact@example.org"
    copyright_notice = "© Harbour Workers Network"
