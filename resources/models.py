"""The resource library: the library page, one page per resource, and the taxonomies (types,
themes, regions/countries) editors manage as translatable snippets.

Programme and project pages point at `ResourcePage` (featured and related resources); keep its
name. See docs/library.md for the design: facets and full text are served from two
denormalised tables (`ResourceFacet`, `ResourceSearchDocument`) rebuilt when a resource is
published, so the library's queries never join the taxonomies.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from ngo_site.blocks import BodyStreamBlock
from ngo_site.models import BasePage
from ngo_site.page_cache import lazily
from ngo_site.rich_text import BODY_FEATURES, INLINE_FEATURES

from .document_chooser import NotedDocumentChooser

# The library's facets: the `facet` of `ResourceFacet` rows and the query parameters filtering
# on them.
FACETS = ("type", "programme", "theme", "region", "language", "year")
# Bounds on what a document's extracted text adds to a resource's search text.
MAX_DOCUMENT_CHARS = 200_000

# The languages a resource itself can be written in (not the site's languages: a French PDF may
# be listed on the English site). ISO 639-1 codes; add one here, no migration of the search.
RESOURCE_LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("hi", _("Hindi")),
    ("sw", _("Swahili")),
    ("zh", _("Chinese")),
    ("ru", _("Russian")),
    ("th", _("Thai")),
]


class TaxonomyTerm(TranslatableMixin, models.Model):
    """A term editors manage; one row per language, the same term across languages sharing a
    `translation_key`, which is what the library's facets and URLs use."""

    # Its names and their translations start the translators' glossary
    # (ngo_site.translation_queue.glossary).
    translation_glossary = "name"

    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("The term as visitors see it in the library's filters, in this language."),
    )

    panels = [FieldPanel("name")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class ResourceType(TaxonomyTerm):
    """Publication, brief, practice record, podcast, video, dataset... Adding a type is adding a
    row here; the search code does not change."""

    class CitationType(models.TextChoices):
        GENERIC = "GEN", _("Generic")
        REPORT = "RPRT", _("Report, brief or working paper")
        BOOK = "BOOK", _("Book or long publication")
        DATASET = "DATA", _("Dataset")
        VIDEO = "VIDEO", _("Video")
        AUDIO = "SOUND", _("Audio or podcast")

    citation_type = models.CharField(
        _("citation type"),
        max_length=8,
        choices=CitationType.choices,
        default=CitationType.GENERIC,
        help_text=_("What reference managers are told this kind of resource is (RIS type)."),
    )

    is_practice_record = models.BooleanField(
        _("practice record"),
        default=False,
        help_text=_(
            "Tick for the type of the records of an inventory of practices: a resource of this "
            "type must have its practice record (summary, lessons, dates...) filled in."
        ),
    )

    panels = [FieldPanel("name"), FieldPanel("citation_type"), FieldPanel("is_practice_record")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("resource type")
        verbose_name_plural = _("resource types")


class Theme(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Region(TaxonomyTerm):
    """A world region or a country (a country may name the region it belongs to)."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        COUNTRY = "country", _("Country")

    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.COUNTRY,
        help_text=_("A world region (e.g. Latin America) or a country."),
    )

    panels = [FieldPanel("name"), FieldPanel("kind")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("region or country")
        verbose_name_plural = _("regions and countries")


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

    # The query parameters the library's search reads (resources.search.library_search): the
    # language switcher keeps them (ngo_site.navigation.language_links).
    query_parameters = ("q", "sort", "page", *FACETS)

    parent_page_types = ["ngo_site.HomePage"]
    subpage_types = ["resources.ResourcePage"]
    max_count_per_parent = 1
    page_description = _("The resource library. There is one, directly under the home page.")

    class Meta:
        verbose_name = _("resource library")
        verbose_name_plural = _("resource libraries")

    def get_context(self, request, *args, **kwargs):
        from . import search

        context = super().get_context(request, *args, **kwargs)
        # Searched only when the template's fragment for this URL is not in the cache.
        context.update(
            lazily(lambda: {"library": search.library_search(self, request.GET)}, ("library",))
        )
        return context


# The named sections of a publication (chapters, annex). A practice record's named parts are
# the fields of PracticeRecordBlock instead.
SECTION_KINDS = [
    ("chapter", _("Chapter")),
    ("annex", _("Annex")),
]


class SectionBlock(blocks.StructBlock):
    """One named section of a publication: its kind (chapter or annex) gives the default heading
    and a CSS class."""

    kind = blocks.ChoiceBlock(
        choices=SECTION_KINDS,
        label=_("kind"),
        help_text=_("A chapter of the publication or an annex."),
    )
    heading = blocks.CharBlock(
        required=False, label=_("heading"), help_text=_("Leave empty to use the kind's name.")
    )
    text = blocks.RichTextBlock(
        features=BODY_FEATURES, label=_("text"), help_text=_("The text of the section.")
    )

    class Meta:
        icon = "doc-full"
        label = _("section")
        template = "resources/blocks/section_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["heading"] = value.get("heading") or dict(SECTION_KINDS).get(value.get("kind"), "")
        return context


# What kind of practice a practice record describes (seed 003's "Type de pratique").
PRACTICE_TYPES = [
    ("programme", _("Programme or project")),
    ("policy", _("Policy or strategy")),
    ("law", _("Law or regulation")),
    ("service", _("Service delivery")),
    ("organising", _("Organising and representation")),
    ("advocacy", _("Advocacy or campaign")),
    ("research", _("Research or data collection")),
    ("tool", _("Tool or guidance")),
    ("other", _("Other")),
]


# No headings: the record's parts are headings of their own (h3 under the record's h2).
PRACTICE_FEATURES = [feature for feature in BODY_FEATURES if feature not in ("h2", "h3", "h4")]


def practice_text(label, help_text, required=False):
    return blocks.RichTextBlock(
        features=PRACTICE_FEATURES, required=required, label=label, help_text=help_text
    )


class InnovationBlock(blocks.StructBlock):
    """The inventory's four innovation questions, each answered in its own field."""

    catalysed = practice_text(
        _("Has it catalysed similar initiatives?"),
        _("Other initiatives the practice led to, by the same or other organisations."),
    )
    sustainable = practice_text(
        _("Are its impacts sustainable?"),
        _("Why the results last, e.g. a fund kept by a financial institution."),
    )
    scalable = practice_text(
        _("Can it be scaled up?"),
        _("Whether others could adopt it, and who is asking to."),
    )
    adapted = practice_text(
        _("How did it adapt to changing circumstances?"),
        _("E.g. how it adapted to the COVID-19 pandemic."),
    )

    class Meta:
        label = _("innovation")
        icon = "pick"


class PracticeRecordBlock(blocks.StructBlock):
    """A record of an inventory of practices (seed 003) as structured fields: what kind of
    practice, when, and one field per named part of the record, so every record has the same
    parts under the same headings. Rendered by resources/blocks/practice_record_block.html."""

    practice_type = blocks.ChoiceBlock(
        choices=PRACTICE_TYPES,
        label=_("practice type"),
        help_text=_("What kind of practice this is."),
    )
    start_date = blocks.DateBlock(
        required=False,
        label=_("start date"),
        help_text=_("When the practice started. Leave empty if not known."),
    )
    end_date = blocks.DateBlock(
        required=False,
        label=_("end date"),
        help_text=_("When it ended; leave empty if it is still going on or not known."),
    )
    objectives = practice_text(
        _("objectives"), _("What the practice set out to achieve, e.g. the GCM objectives.")
    )
    summary = practice_text(
        _("summary"),
        _("What was done, for whom and with what resources. Required."),
        required=True,
    )
    organisations = practice_text(
        _("organisations"), _("The organisation or organisations that carried out the practice.")
    )
    partners = practice_text(_("partners"), _("Partner and donor organisations involved."))
    benefit_and_impact = practice_text(
        _("benefit and impact"), _("The results: immediate impacts and other key outcomes.")
    )
    lessons = practice_text(_("lessons learned"), _("The main lessons of the practice."))
    challenges = practice_text(
        _("challenges and how they were overcome"),
        _("Each difficulty met and what was done about it."),
    )
    done_differently = practice_text(
        _("what could be done differently"), _("With hindsight, what would be changed.")
    )
    recommendations = practice_text(
        _("recommendations"), _("Advice for anyone who wants to replicate the practice.")
    )
    innovation = InnovationBlock(
        required=False, help_text=_("The answers to the inventory's innovation questions.")
    )
    additional_resources = practice_text(
        _("additional resources"), _("Links to reports, pictures or videos about the practice.")
    )
    related_practices = blocks.ListBlock(
        blocks.PageChooserBlock(
            page_type="resources.ResourcePage",
            label=_("practice"),
            help_text=_("Another resource of the library, usually another practice record."),
        ),
        required=False,
        label=_("related practices"),
        help_text=_("Other practice records of the library to read next."),
    )
    peer_review = practice_text(
        _("peer-review comments"), _("What the inventory's peer reviewers said, if published.")
    )

    class Meta:
        icon = "list-ul"
        label = _("practice record")
        template = "resources/blocks/practice_record_block.html"
        form_classname = "practice-record"

    def clean(self, value):
        value = super().clean(value)
        start, end = value.get("start_date"), value.get("end_date")
        if start and end and end < start:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "end_date": ValidationError(_("The end date is before the start date."))
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["practice_type_label"] = dict(PRACTICE_TYPES).get(value.get("practice_type"), "")
        context["related_practices"] = localised_resources(value.get("related_practices") or [])
        return context


def localised_resources(pages):
    """The live, public resources among `pages`, each in the active language when it has a live
    translation in it (a French record links to the French related practices): one query, or
    two with view restrictions, whatever the number of pages."""
    from django.utils import translation

    from ngo_site.localisation import prefer_locale
    from ngo_site.visibility import private_sections

    pages = [page for page in pages if page is not None]
    if not pages:
        return []
    keys = [page.translation_key for page in pages]
    language = (translation.get_language() or "").split("-")[0]
    candidates = ResourcePage.objects.live().filter(translation_key__in=keys)
    candidates = private_sections().exclude_from(candidates).select_related("locale")
    best = prefer_locale(candidates, language, locale_of=lambda page: page.locale.language_code)
    chosen = []
    for key in keys:
        if key in best and best[key] not in chosen:
            chosen.append(best[key])
    return chosen


class SectionStreamBlock(blocks.StreamBlock):
    section = SectionBlock()


class PracticeRecordStreamBlock(blocks.StreamBlock):
    practice_record = PracticeRecordBlock()

    class Meta:
        max_num = 1


class ResourcePage(BasePage):
    """A publication, brief, practice record, podcast, video or dataset of the library."""

    # Site search outside the default language also lists the originals of the resources not
    # translated into it, as the library does (ngo_site.search_views.untranslated_originals).
    search_lists_untranslated_originals = True

    @classmethod
    def translation_queue_sections(cls, pages):
        """{resource pk: programme page pk} for the resources of `pages`: the first programme
        each belongs to (its programme links, in their order). The translation queue shows it
        in its Programme column and filters by it (ngo_site.translation_queue.queries)."""
        sections = {}
        links = ResourceProgrammeLink.objects.filter(resource__in=pages).order_by(
            "resource_id", "sort_order", "pk"
        )
        for resource_id, programme_id in links.values_list("resource_id", "programme_id"):
            sections.setdefault(resource_id, programme_id)
        return sections

    resource_type = models.ForeignKey(
        ResourceType,
        verbose_name=_("resource type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("What kind of resource this is; the library's “Type” filter uses it."),
    )
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
        help_text=_(
            "The cover or a picture for the resource, shown on cards in lists. Its credit is "
            "the image's credit field."
        ),
    )
    external_url = models.URLField(
        _("external URL"), blank=True, help_text=_("Where the resource lives, if elsewhere.")
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=255,
        blank=True,
        help_text=_("Who published it, if not the organisation itself; used in citations."),
    )
    series = models.CharField(
        _("series"),
        max_length=255,
        blank=True,
        help_text=_("e.g. “WIEGO Working Paper No. 42”; used in citations."),
    )
    doi = models.CharField(_("DOI"), max_length=255, blank=True, help_text=_("e.g. 10.1234/abc"))
    isbn = models.CharField(
        _("ISBN"), max_length=32, blank=True, help_text=_("For books: e.g. 978-92-95095-12-3.")
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_(
            "The resource's identifier in the spreadsheet or catalogue it was imported from; "
            "a bulk import updates the resource with this ID instead of creating another. "
            "Leave empty for resources entered by hand."
        ),
    )
    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("The text of the resource or a presentation of it."),
    )
    sections = StreamField(
        SectionStreamBlock(),
        blank=True,
        verbose_name=_("sections"),
        help_text=_(
            "Named sections of a publication: its chapters and annex. A practice record's "
            "parts go in the practice record below."
        ),
    )
    practice_record = StreamField(
        PracticeRecordStreamBlock(),
        blank=True,
        verbose_name=_("practice record"),
        help_text=_(
            "For a record of an inventory of practices: its type, dates, summary, partners, "
            "lessons... Required when the resource type is a practice record."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("resource_type"),
                FieldPanel("publication_date"),
                InlinePanel("authors", heading=_("Authors"), label=_("author")),
                InlinePanel(
                    "languages", heading=_("Languages of the resource"), label=_("language")
                ),
            ],
            heading=_("Description"),
        ),
        MultiFieldPanel(
            [
                InlinePanel("programme_links", heading=_("Programmes"), label=_("programme")),
                InlinePanel("theme_links", heading=_("Themes"), label=_("theme")),
                InlinePanel(
                    "region_links", heading=_("Regions and countries"), label=_("region or country")
                ),
            ],
            heading=_("Classification"),
        ),
        FieldPanel("image"),
        InlinePanel("documents", heading=_("Documents"), label=_("document")),
        MultiFieldPanel(
            [
                FieldPanel("external_url"),
                FieldPanel("publisher"),
                FieldPanel("series"),
                FieldPanel("doi"),
                FieldPanel("isbn"),
                FieldPanel("external_id"),
            ],
            heading=_("Publication details"),
        ),
        FieldPanel("body"),
        FieldPanel("sections"),
        FieldPanel("practice_record"),
        InlinePanel("related_links", heading=_("Related resources"), label=_("related resource")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.SearchField("sections"),
        index.SearchField("practice_record"),
        # Authors, terms and the text of attached PDFs, so that the site search finds them too.
        index.SearchField("related_search_text"),
        index.FilterField("publication_date"),
    ]
    # The type is the same term in every language (the facets match by translation_key), so a
    # translation keeps the source's choice rather than requiring the term to be translated first.
    override_translatable_fields = [
        SynchronizedField("resource_type"),
        # A translation carries its source's import ID, so the ID is unique per locale.
        SynchronizedField("external_id", overridable=False),
    ]
    # "Copy page" in the same locale must not duplicate the ID (translations get it back as a
    # synchronised field).
    exclude_fields_in_copy = ["external_id"]

    parent_page_types = ["resources.LibraryPage"]
    subpage_types = []
    open_graph_type = "article"
    page_description = _("A publication, brief, podcast, video or dataset in the library.")

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    @property
    def card_image(self):
        return self.image or self.social_image

    def clean(self):
        super().clean()
        # Unique per locale is checked here, not by a database constraint: the locale is a
        # column of wagtailcore_page, which a constraint on this table cannot name.
        if self.external_id:
            same_id = ResourcePage.objects.filter(
                external_id=self.external_id, locale_id=self.locale_id, alias_of__isnull=True
            ).exclude(pk=self.pk)
            if self.alias_of_id is None and same_id.exists():
                raise ValidationError(
                    {"external_id": _("Another resource in this language has this external ID.")}
                )
        if self.alias_of_id is None and not self.practice_record and self.is_practice_record_type:
            raise ValidationError(
                {
                    "practice_record": _(
                        "This resource's type is a practice record: add its practice record "
                        "(at least the practice type and the summary), or choose another type."
                    )
                }
            )

    @property
    def is_practice_record_type(self):
        return (
            bool(self.resource_type_id)
            and ResourceType.objects.filter(
                pk=self.resource_type_id, is_practice_record=True
            ).exists()
        )

    # What get_context adds: computed only when the template's fragment is not in the cache.
    DETAIL_CONTEXT = (
        "type_label",
        "theme_names",
        "region_names",
        "programmes",
        "authors",
        "languages",
        "downloads",
        "related",
        "citation",
        "share_url",
    )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(lazily(lambda: self.detail_context(request), self.DETAIL_CONTEXT))
        return context

    def detail_context(self, request):
        from . import citations, queries

        # Read once for the byline, the languages and the three citation styles.
        authors = list(self.authors.all())
        prefetch_related_objects([self], "languages")
        languages = [row.language for row in self.languages.all()]
        context = queries.resource_detail(self, authors=authors)
        details = citations.citation_details(self, request, downloads=context["downloads"])
        details.update(authors=authors, languages=languages)
        context["citation"] = {
            "apa": citations.apa(self, **details),
            "bibtex": citations.bibtex(self, **details),
            "ris": citations.ris(self, **details),
        }
        context["share_url"] = details["url"]
        return context

    def related_search_text(self):
        parts = [author.name for author in self.authors.all()]
        parts += [link.theme.name for link in self.theme_links.all()]
        parts += [link.region.name for link in self.region_links.all()]
        parts += [self.publisher, self.series]
        for row in self.documents.all():
            parts += [
                row.title,
                row.document.title,
                row.document.extracted_text[:MAX_DOCUMENT_CHARS],
            ]
        return " ".join(part for part in parts if part)


class ResourceAuthor(Orderable):
    resource = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(
        _("name"), max_length=255, help_text=_("A person (Family, Given) or an organisation.")
    )

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("author")


class ResourceLanguage(Orderable):
    resource = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=RESOURCE_LANGUAGES,
        help_text=_("A language the resource itself is written or spoken in."),
    )

    panels = [FieldPanel("language")]

    class Meta(Orderable.Meta):
        verbose_name = _("language")


class ResourceProgrammeLink(Orderable):
    resource = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="programme_links")
    programme = models.ForeignKey(
        "programmes.ProgrammePage",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A programme the resource belongs to; its page can list the resource."),
    )

    panels = [PageChooserPanel("programme", page_type="programmes.ProgrammePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("programme")


class ResourceThemeLink(Orderable):
    resource = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A theme of the library's “Theme” filter."),
    )

    panels = [FieldPanel("theme")]

    class Meta(Orderable.Meta):
        verbose_name = _("theme")


class ResourceRegionLink(Orderable):
    resource = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="region_links")
    region = models.ForeignKey(
        Region,
        verbose_name=_("region or country"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A region or country the resource is about."),
    )

    panels = [FieldPanel("region")]

    class Meta(Orderable.Meta):
        verbose_name = _("region or country")


class ResourceDocument(TranslatableMixin, Orderable):
    """A download of a resource. Translatable (unlike Wagtail's documents), so that its title can
    be written in each language while the file stays the same: wagtail-localize offers `title`
    to translators and copies `document`."""

    resource = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "ngo_site.CustomDocument",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A file to download, e.g. the PDF; its text is searched by the library."),
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_(
            "The download's name on the resource page, in this language; translators translate "
            "it. Leave empty to show the document's own title."
        ),
    )

    # The chooser names a PDF whose text could not be read with the note (document_chooser.py).
    panels = [FieldPanel("document", widget=NotedDocumentChooser), FieldPanel("title")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("document")

    @property
    def label(self):
        return self.title or self.document.title


class ResourceRelatedLink(Orderable):
    """A resource editors pick as related; shown before the automatic ones."""

    resource = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(
        ResourcePage,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Shown under “Related resources”, before the ones found automatically."),
    )

    panels = [PageChooserPanel("related", page_type="resources.ResourcePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related resource")


# --- Resources shown on programme and project pages ---------------------------------------------
# The library depends on the programmes, never the other way round (docs/architecture.md): these
# rows are edited on the programme and project pages (their InlinePanels name the related names)
# and shown there through the hooks of programmes/queries.py (resources/wagtail_hooks.py). They
# were models of the programmes app until issue 24; migration 0015 took them over with their rows.


class ProgrammeFeaturedResource(Orderable):
    """A resource of the library that editors feature on a programme page."""

    programme = ParentalKey(
        "programmes.ProgrammePage", on_delete=models.CASCADE, related_name="featured_resources"
    )
    resource = models.ForeignKey(
        ResourcePage,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A resource of the library, shown as a card on the programme page."),
    )

    panels = [PageChooserPanel("resource", page_type="resources.ResourcePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured resource")
        verbose_name_plural = _("featured resources")


class ProjectRelatedResource(Orderable):
    """A resource of the library that editors list on a project page."""

    project = ParentalKey(
        "programmes.ProjectPage", on_delete=models.CASCADE, related_name="related_resources"
    )
    resource = models.ForeignKey(
        ResourcePage,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A resource of the library, listed on the project page."),
    )

    panels = [PageChooserPanel("resource", page_type="resources.ResourcePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related resource")
        verbose_name_plural = _("related resources")


# --- The search index (resources/index.py fills it; resources/search.py reads it) -------------

# The name migrations 0003 to 0013 give the vector columns' field.
TsVectorField = SearchVectorField


class ResourceSearchDocument(models.Model):
    """One row per live resource: what the library filters, sorts and searches on."""

    resource = models.OneToOneField(
        ResourcePage, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    library = models.ForeignKey(LibraryPage, on_delete=models.CASCADE, related_name="+")
    locale = models.ForeignKey(Locale, on_delete=models.CASCADE, related_name="+")
    title_sort = models.CharField(max_length=255)
    publication_date = models.DateField(null=True)
    first_published_at = models.DateTimeField(null=True)
    # SQLite: the normalised text with its stems, which the FTS5 table indexes. Empty on
    # PostgreSQL, which matches `search_vector`.
    text = models.TextField()
    # PostgreSQL, in the resource's language: `search_vector`, the whole text without positions
    # or weights, is matched (its GIN index is created on PostgreSQL alone, migration 0016:
    # SQLite has no GIN); `rank_vector`, the title (weight A) and summary (B), is ranked.
    search_vector = SearchVectorField(null=True, editable=False)
    rank_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["library", "publication_date"]),
            models.Index(fields=["library", "title_sort"]),
            # "The library's documents" read from the index alone, not the wide rows.
            models.Index(fields=["library", "resource"], name="resources_searchdoc_lib_res"),
        ]

    def __str__(self):
        return self.title_sort


class LibraryIndexVersion(models.Model):
    """One row, given a new `version` in the transaction of every change to the search tables:
    the library keeps what it reads of them in Django's cache under this version, so a kept copy
    is never read after a change."""

    version = models.UUIDField()

    def __str__(self):
        return str(self.version)


class ResourceFacet(models.Model):
    """One row per (resource, facet, value): the value is a term's translation_key, a
    programme's translation_key, a language code or a year, the same in every language."""

    resource = models.ForeignKey(ResourcePage, on_delete=models.CASCADE, related_name="facet_rows")
    # The resource's library, as on ResourceSearchDocument: a library's facet rows are then read
    # from one index without joining the documents.
    library = models.ForeignKey(LibraryPage, on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "facet", "value"], name="unique_resource_facet_value"
            )
        ]
        indexes = [
            models.Index(fields=["facet", "value", "resource"]),
            models.Index(
                fields=["library", "facet", "value", "resource"], name="resources_facet_library"
            ),
        ]

    def __str__(self):
        return f"{self.facet}={self.value}"
