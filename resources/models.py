"""The resource library, minimal for now: the library page and one page per resource.

Programme and project pages point at `ResourcePage` (featured and related resources). The library
issue extends these models (types, authors, taxonomies, documents, faceted search) and keeps
their names.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ngo_site.blocks import INLINE_FEATURES, BodyStreamBlock
from ngo_site.models import BasePage


class LibraryPage(BasePage):
    """The resource library: every resource of the site is a child of this page."""

    introduction = RichTextField(
        _("introduction"),
        blank=True,
        features=INLINE_FEATURES,
        help_text=_("A short paragraph at the top of the library: what visitors will find."),
    )

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("introduction")]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]

    parent_page_types = ["ngo_site.HomePage"]
    subpage_types = ["resources.ResourcePage"]
    max_count_per_parent = 1
    page_description = _("The resource library. There is one, directly under the home page.")

    class Meta:
        verbose_name = _("resource library")

    def get_context(self, request, *args, **kwargs):
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context["resources"] = queries.library_page_of_resources(self, request.GET.get("page"))
        return context


class ResourcePage(BasePage):
    """A publication, brief, podcast, video or dataset of the library."""

    publication_date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_(
            "When the resource was published. Lists show the newest first; leave empty only "
            "when the date is not known."
        ),
    )
    image = models.ForeignKey(
        "ngo_site.CustomImage",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The cover or a picture for the resource, shown on cards in lists."),
    )
    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("The text of the resource or a presentation of it, with its downloads."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("publication_date"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.FilterField("publication_date"),
    ]

    parent_page_types = ["resources.LibraryPage"]
    subpage_types = []
    page_description = _("A publication, brief, podcast, video or dataset in the library.")

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    @property
    def card_image(self):
        return self.image or self.social_image
