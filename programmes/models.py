"""Programmes and their projects.

The tree is Home → Programmes (index) → programme → project. A programme lists its projects
(its child pages) and the other programmes (its siblings) by itself; editors only pick the
featured resources. A project lists the places it works in, which the project page shows on a
map (programmes/maps.py) and as a list.

Programmes import no other domain app (tests/site/test_app_dependencies.py). The rows of
a programme's featured resources and of a project's related resources belong to the library
(`resources.models.ProgrammeFeaturedResource` and `ProjectRelatedResource`, parental keys to the
pages here); the editor's panels below name them by their related names, and the resources app
fills their regions of the pages through the hooks of programmes/queries.py.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import TranslatableField

from ngo_site.blocks import BODY_FEATURES, INLINE_FEATURES, BodyStreamBlock, LinkBlock
from ngo_site.models import BasePage
from ngo_site.page_cache import lazily

from .blocks import ProgrammeActivityBlock, WorkingMethodBlock


def card_image_field(help_text):
    return models.ForeignKey(
        "ngo_site.CustomImage",
        verbose_name=_("card image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


# The programmes' colours (site/static/ngo_site/css/site.css, .programme-colour-1 to -5, and
# docs/design.md): a programme takes the colour of its place among the programmes, in the
# editors' tree order, which translations share; a sixth programme starts the palette again.
PROGRAMME_COLOURS = 5


def programme_colour_of_path(path, depth):
    """The colour number (1 to PROGRAMME_COLOURS) of the programme whose tree path is `path`'s
    first `depth` steps: read from the path alone, so it costs no query."""
    steplen = Page.steplen
    step = path[steplen * (depth - 1) : steplen * depth]
    return (int(step, 36) - 1) % PROGRAMME_COLOURS + 1


def related_links_field():
    return StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("related work"),
        help_text=_(
            "Links to related work: pages of the site (e.g. a project of another programme) "
            "or other websites."
        ),
    )


class ProgrammeIndexPage(BasePage):
    """/programmes/: an introduction, then every programme as a card."""

    introduction = RichTextField(
        _("introduction"),
        blank=True,
        features=INLINE_FEATURES,
        help_text=_("A short paragraph above the programme cards."),
    )

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("introduction")]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]

    parent_page_types = ["ngo_site.HomePage"]
    subpage_types = ["programmes.ProgrammePage"]
    max_count_per_parent = 1
    page_description = _(
        "The list of programmes. There is one, directly under the home page; the programmes "
        "are its children."
    )

    class Meta:
        verbose_name = _("programme index")
        verbose_name_plural = _("programme indexes")

    def get_context(self, request, *args, **kwargs):
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = queries.programmes_of(self)
        return context


class ProgrammePage(BasePage):
    """A programme, e.g. Social Protection. Its projects are its child pages."""

    # Registrations read by the core (docs/architecture.md, "How domain apps plug into the core"):
    # the home page's featured programmes choose among these pages (ngo_site.models), and each
    # programme is a section of the translation queue (ngo_site.translation_queue.queries).
    featured_on_home_page = True
    translation_queue_section = True
    # Programme names and their translations start the translators' glossary (its `title`).
    translation_glossary = "title"

    lead = models.TextField(
        _("lead paragraph"),
        blank=True,
        max_length=600,
        help_text=_(
            "The opening paragraph, in large type under the title: why the programme exists."
        ),
    )
    overview = RichTextField(
        _("overview"),
        blank=True,
        features=BODY_FEATURES,
        help_text=_("What the programme does and for whom."),
    )
    activities = StreamField(
        [("activity", ProgrammeActivityBlock())],
        blank=True,
        verbose_name=_("programme activities"),
        help_text=_("The programme's areas of activity, each with a title and a short text."),
    )
    how_we_work = StreamField(
        [("method", WorkingMethodBlock())],
        blank=True,
        verbose_name=_("how we work"),
        help_text=_(
            "The ways the programme works, e.g. research, policy advocacy, support to workers' "
            "organisations."
        ),
    )
    image = card_image_field(_("The picture on the programme's card in lists of programmes."))
    related_links = related_links_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("lead"),
        FieldPanel("overview"),
        FieldPanel("activities"),
        FieldPanel("how_we_work"),
        InlinePanel(
            "featured_resources",
            heading=_("Featured resources"),
            label=_("resource"),
            help_text=_("Resources from the library to show on the page, in this order."),
        ),
        FieldPanel("related_links"),
        FieldPanel("image"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("lead"),
        index.SearchField("overview"),
        index.SearchField("activities"),
        index.SearchField("how_we_work"),
    ]

    parent_page_types = ["programmes.ProgrammeIndexPage"]
    subpage_types = ["programmes.ProjectPage"]
    page_description = _(
        "A programme of work, e.g. Social Protection. Its projects are added as its children."
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    @property
    def card_image(self):
        return self.image or self.social_image

    @property
    def programme_colour(self):
        """1 to 5: the class .programme-colour-N gives its cards and headings their colour."""
        return programme_colour_of_path(self.path, self.depth)

    def get_context(self, request, *args, **kwargs):
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(
            lazily(
                lambda: queries.programme_page_regions(self),
                ("projects", "contributed_projects", "other_programmes"),
            )
        )
        context.update(queries.registered_regions(queries.PROGRAMME_PAGE_REGIONS_HOOK, self))
        return context


class ProjectPageForm(WagtailAdminPageForm):
    """The project editor's form: a contributing programme must be another programme than the
    project's own (its parent page, in any language), and each is listed once."""

    def clean(self):
        cleaned_data = super().clean()
        contributions = self.formsets.get("contributions")
        if contributions is None or self.parent_page is None:
            return cleaned_data
        own_programme = self.parent_page.translation_key
        listed = set()
        for form in contributions.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            programme = form.cleaned_data.get("programme")
            if programme is None:
                continue
            if programme.translation_key == own_programme:
                form.add_error(
                    "programme",
                    _(
                        "“%(programme)s” is this project's own programme. Choose another "
                        "programme that takes part in the project."
                    )
                    % {"programme": programme.title},
                )
            elif programme.translation_key in listed:
                form.add_error(
                    "programme",
                    _("“%(programme)s” is already listed: list each programme once.")
                    % {"programme": programme.title},
                )
            listed.add(programme.translation_key)
        return cleaned_data


class ProjectPage(BasePage):
    """A project of a programme, e.g. Focal Cities, with the places it works in and the other
    programmes that contribute to it."""

    image = card_image_field(
        _("The picture on the project's card in lists; pictures in the text go in the body.")
    )
    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("What the project does: text, pictures, quotes, documents…"),
    )
    related_links = related_links_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel(
            "places",
            heading=_("Places"),
            label=_("place"),
            help_text=_(
                "The cities the project works in, shown on a map and in a list, in this order."
            ),
        ),
        InlinePanel(
            "contributions",
            heading=_("Contributing programmes"),
            label=_("contributing programme"),
            help_text=_(
                "Other programmes that take part in this project, each with a sentence on its "
                "part. The project is listed on their pages too."
            ),
        ),
        InlinePanel(
            "related_resources",
            heading=_("Related resources"),
            label=_("resource"),
            help_text=_("Resources from the library about this project, in this order."),
        ),
        FieldPanel("related_links"),
    ]
    base_form_class = ProjectPageForm
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.RelatedFields("places", [index.SearchField("city"), index.SearchField("country")]),
    ]

    parent_page_types = ["programmes.ProgrammePage"]
    subpage_types = []
    page_description = _(
        "A project of a programme, with the places it works in (shown on a map). Add it under "
        "its programme."
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    @property
    def card_image(self):
        return self.image or self.social_image

    @property
    def programme_colour(self):
        """Its programme's colour (its parent's, read from its own path)."""
        return programme_colour_of_path(self.path, self.depth - 1)

    def get_context(self, request, *args, **kwargs):
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(
            lazily(
                lambda: queries.project_page_regions(self, request),
                ("places_map", "contributions"),
            )
        )
        context.update(queries.registered_regions(queries.PROJECT_PAGE_REGIONS_HOOK, self))
        return context


class ProjectPlace(TranslatableMixin, Orderable):
    """A city a project works in. Translatable, so that city and country names can be written in
    each language ("Mexico City" / "Mexico")."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="places")
    city = models.CharField(
        _("city"), max_length=100, help_text=_("As written in this language, e.g. “Mexico City”.")
    )
    country = models.CharField(
        _("country"), max_length=100, help_text=_("As written in this language, e.g. “Mexico”.")
    )
    latitude = models.FloatField(
        _("latitude"),
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("In decimal degrees, north positive, e.g. 5.6037 for Accra."),
    )
    longitude = models.FloatField(
        _("longitude"),
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("In decimal degrees, east positive, e.g. -0.187 for Accra."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("since"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1970), MaxValueValidator(2100)],
        help_text=_("The year the project started working here. Leave empty if not known."),
    )
    description = models.CharField(
        _("short description"),
        max_length=300,
        blank=True,
        help_text=_("One sentence about the work in this place."),
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("link to a page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: a page of the site about the work in this place."),
    )
    link_url = models.URLField(
        _("or link to another site"),
        blank=True,
        help_text=_("Optional: an address on another website."),
    )

    panels = [
        FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("start_year"),
        FieldPanel("description"),
        MultiFieldPanel([PageChooserPanel("link_page"), FieldPanel("link_url")], heading=_("Link")),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        return f"{self.city}, {self.country}"

    def clean(self):
        super().clean()
        if self.link_page_id and self.link_url:
            raise ValidationError({"link_url": _("Choose a page or enter an address, not both.")})


class ProjectContribution(TranslatableMixin, Orderable):
    """Another programme's part in a project, e.g. Statistics in Focal Cities (a project of Urban
    Policies): the project page names the programme under "With the contribution of", and the
    programme's page lists the project under "Projects we contribute to". Translatable like the
    places: the text is translated with the project, and the programme becomes its translation."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="contributions")
    # A key to Wagtail's Page, limited to programmes, rather than to ProgrammePage: when a
    # project is translated, wagtail-localize replaces a translatable key by the target's
    # translation, which it looks up as the base Page model (its related-object segments).
    programme = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={
            "content_type__app_label": "programmes",
            "content_type__model": "programmepage",
        },
        help_text=_("A programme other than the project's own."),
    )
    contribution = models.CharField(
        _("its part"),
        max_length=400,
        help_text=_(
            "One or two sentences on what the programme does in this project, e.g. "
            "“Coordinates the research and statistics the organisations need.”"
        ),
    )

    panels = [
        PageChooserPanel("programme", page_type="programmes.ProgrammePage"),
        FieldPanel("contribution"),
    ]
    # The text is translated (wagtail-localize's default for text); the programme too: the
    # translation points to the programme's translation when there is one, else to the original.
    override_translatable_fields = [TranslatableField("programme")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("contributing programme")
        verbose_name_plural = _("contributing programmes")

    def __str__(self):
        return f"{self.programme} in {self.project}"
