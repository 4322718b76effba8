"""Site-wide models: media with credits, the home page, plain content pages and the footer."""

from django.db import models
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from .addresses import on_public_origin
from .blocks import BodyStreamBlock, LinkBlock
from .images import BoundedRenditionsMixin
from .visibility import private_sections


class CustomImage(BoundedRenditionsMixin, AbstractImage):
    """Wagtail's image with the photographer's credit, which the site prints under images; its
    renditions are made one at a time (ngo_site.images)."""

    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_("Photographer and agency, e.g. “Juan Arredondo, Getty Images Reportage”."),
    )

    admin_form_fields = (*Image.admin_form_fields, "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CustomRendition(AbstractRendition):
    """A rendition whose file is public (`images/`) only while its image is, under a random name
    (ngo_site.private_files): the URL of any other goes through the site's checks."""

    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    @property
    def url(self):
        from .private_files import is_private_rendition, private_rendition_url

        if is_private_rendition(self.file.name):
            return private_rendition_url(self.image_id, self.filter_spec)
        return super().url

    def get_upload_to(self, filename):
        from .private_files import rendition_upload_to

        return rendition_upload_to(self.image, self.file.field.storage.get_valid_name(filename))

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class CustomDocument(AbstractDocument):
    """Wagtail's document with room for the text extracted from it (filled by the library)."""

    extracted_text = models.TextField(_("extracted text"), blank=True, editable=False)
    text_extraction_note = models.CharField(
        _("text extraction note"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("Why no text could be read from the file, if that happened."),
    )

    admin_form_fields = Document.admin_form_fields

    def clean(self):
        # Wagtail checks the extension against WAGTAILDOCS_EXTENSIONS; with no file (the form
        # refused it, see ngo_site.documents) that would only add a confusing second error.
        if self.file:
            super().clean()

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


def _searchable_texts(obj, field):
    """The text a search field holds for `obj`, following related fields, as the search backend
    reads it (SearchField.get_value: StreamFields give their searchable content)."""
    if isinstance(field, index.SearchField):
        yield from _flatten(field.get_value(obj))
    elif isinstance(field, index.RelatedFields):
        related = field.get_value(obj)
        if related is None:
            return
        related_objects = related.all() if hasattr(related, "all") else [related]
        for related_object in related_objects:
            for sub_field in field.fields:
                yield from _searchable_texts(related_object, sub_field)


def _flatten(value):
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)
    else:
        yield str(value)


class BasePage(Page):
    """Fields every public page shares: a summary used for cards, meta description and OG."""

    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=400,
        help_text=_(
            "One or two sentences. Shown on cards and listings and used as the description "
            "for search engines and social media when no SEO description is set."
        ),
    )
    social_image = models.ForeignKey(
        "ngo_site.CustomImage",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared on social media (1200×630 works best)."),
    )

    # Open Graph's og:type; publications say "article" (resources.models.ResourcePage).
    open_graph_type = "website"

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        # The page's text as stems of its own language, for the site search (ngo_site.stemming).
        index.SearchField("stemmed_search_text"),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel([FieldPanel("social_image")], heading=_("Social media")),
    ]

    class Meta:
        abstract = True

    @property
    def meta_description(self):
        return self.search_description or self.summary

    def get_url_parts(self, request=None):
        """Wagtail's, on the site's public address (ngo_site.addresses): SITE_URL when set, else
        the address the request was served on for a page of the request's own Site; canonical
        links, sitemaps, feeds and citations then lead where the visitor is."""
        return on_public_origin(super().get_url_parts(request=request), request)

    def stemmed_search_text(self):
        """Every other search field's text, stemmed in the page's language (ngo_site.stemming)."""
        from . import stemming

        texts = []
        language_code = self.locale.language_code
        # In the page's language: blocks showing translatable snippets (an FAQ) give their text
        # in it (partnerships.blocks.FAQBlock.get_searchable_content).
        with stemming.building_search_text(language_code):
            for field in self.get_search_fields():
                if getattr(field, "field_name", None) != "stemmed_search_text":
                    texts.extend(_searchable_texts(self, field))
        return stemming.stemmed(" ".join(texts), language_code)

    def serve(self, request, *args, **kwargs):
        # What a password or login let one visitor see is never shared by a cache. Like
        # wagtail-cache's WagtailCacheMixin, from the restricted sections this request has
        # already read (Wagtail has checked the restriction itself before serving).
        response = super().serve(request, *args, **kwargs)
        if not private_sections().is_public(self):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @property
    def card_image(self):
        """The image on cards that list this page; page types with a main image override it."""
        return self.social_image


class HomePage(BasePage):
    """The root of each language's tree."""

    hero_heading = models.CharField(
        _("hero heading"),
        max_length=200,
        blank=True,
        help_text=_("The large statement at the top of the home page. Defaults to the title."),
    )
    introduction = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A short paragraph under the heading: who the organisation is."),
    )
    latest_resources_count = models.PositiveSmallIntegerField(
        _("number of latest resources"),
        default=4,
        help_text=_("How many of the newest resources the home page lists (0 hides them)."),
    )
    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("sections"),
        help_text=_(
            "Sections shown after the programmes and the latest resources, in this order: "
            "for example a newsletter sign-up, a call to action or the funding policy."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_heading"),
        FieldPanel("introduction"),
        InlinePanel("featured_programmes", heading=_("Featured programmes"), label=_("programme")),
        FieldPanel("latest_resources_count"),
        FieldPanel("body"),
    ]
    promote_panels = [*BasePage.promote_panels, FieldPanel("summary")]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    page_description = _("The home page of one language of the site.")

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from . import home

        context = super().get_context(request, *args, **kwargs)
        context.update(home.home_regions(self))
        return context


def home_feature_page_types():
    """The page types an editor may feature on the home page: those whose class sets
    `featured_on_home_page = True` (programmes.models.ProgrammePage); any page when none does."""
    from wagtail.models import get_page_models

    return [model for model in get_page_models() if getattr(model, "featured_on_home_page", False)]


class FeaturedPageChooserPanel(PageChooserPanel):
    """A page chooser limited to home_feature_page_types(), read when the admin builds the form
    (after every app's models are loaded) rather than named here."""

    def get_form_options(self):
        if self.page_type is None:
            self.page_type = home_feature_page_types()
        return super().get_form_options()


class HomePageFeaturedProgramme(Orderable):
    home_page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_programmes")
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A programme page, shown as a card on the home page."),
    )

    panels = [FeaturedPageChooserPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured programme")
        verbose_name_plural = _("featured programmes")


class StandardPage(BasePage):
    """A plain content page: about us, privacy policy, legal notices."""

    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("The text of the page: headings, paragraphs, images, quotes, documents…"),
    )

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    page_description = _("A plain page of text and media, e.g. About us or Privacy policy.")

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class FooterContent(TranslatableMixin, models.Model):
    """The site footer. One per language; wagtail-localize translates it like any snippet."""

    name = models.CharField(
        _("name"),
        max_length=100,
        default="Footer",
        help_text=_("Only for editors, to tell footers apart."),
    )
    organisation_name = models.CharField(
        _("organisation name"),
        max_length=200,
        blank=True,
        help_text=_("Printed at the top of the footer, above the address."),
    )
    address = models.TextField(
        _("address"), blank=True, help_text=_("Postal address, one line each.")
    )
    email = models.EmailField(
        _("contact email"), blank=True, help_text=_("The address visitors can write to.")
    )
    social_links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("social media links"),
        help_text=_("The organisation's accounts, e.g. Facebook, LinkedIn, YouTube."),
    )
    legal_links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("legal links"),
        help_text=_("Privacy policy, terms of use, accessibility statement…"),
    )
    copyright_notice = models.CharField(
        _("copyright notice"),
        max_length=255,
        blank=True,
        help_text=_("e.g. “© WIEGO. Content licensed under CC BY-NC-ND 4.0.”"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("organisation_name"),
        FieldPanel("address"),
        FieldPanel("email"),
        FieldPanel("social_links"),
        FieldPanel("legal_links"),
        FieldPanel("copyright_notice"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer")
        verbose_name_plural = _("footers")

    def __str__(self):
        return f"{self.name} ({self.locale})"
