"""Partnerships: the partnerships page, funders, the funding policy, FAQs and the submissions of
the contact and newsletter forms.

Funders, the funding policy and FAQ groups are translatable snippets (one row per language,
linked by `translation_key`, translated with wagtail-localize). Pages place the policy and the
FAQ with blocks (partnerships/blocks.py), so one edit of a snippet changes every page showing it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
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
from wagtail_localize.fields import SynchronizedField

from ngo_site.blocks import BodyStreamBlock
from ngo_site.models import BasePage
from ngo_site.page_cache import lazily
from ngo_site.rich_text import INLINE_FEATURES, INLINE_WITH_LISTS_FEATURES

from .choices import FUNDER_TYPE_HEADINGS, FunderType

ANCHOR_MAX_LENGTH = 60


# --- Funders ----------------------------------------------------------------------------------


def validate_not_in_the_future(year):
    if year > timezone.now().year:
        raise ValidationError(_("The year cannot be in the future."))


class Funder(TranslatableMixin, Orderable):
    """An organisation that funds the network's work. Editors order funders by dragging them in
    the snippet listing; the site shows them grouped by type, in that order."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("The funder's name as it wishes to be credited.")
    )
    funder_type = models.CharField(
        _("type"),
        max_length=20,
        choices=FunderType.choices,
        default=FunderType.FOUNDATION,
        help_text=_("The site lists funders grouped under a heading for each type."),
    )
    logo = models.ForeignKey(
        "ngo_site.CustomImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional. A logo on a white or transparent background works best."),
    )
    logo_alt_text = models.CharField(
        _("logo alternative text"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the logo shows, for people who cannot see it. Leave empty when the logo only "
            "spells the funder's name: the name is printed next to it."
        ),
    )
    website = models.URLField(
        _("website"), blank=True, help_text=_("The funder's name links to this address.")
    )
    since_year = models.PositiveSmallIntegerField(
        _("funder since"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), validate_not_in_the_future],
        help_text=_("The year the funding started. Leave empty if not known."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("funder_type"),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("logo_alt_text")], heading=_("Logo")),
        FieldRowPanel([FieldPanel("website"), FieldPanel("since_year")]),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("funder")
        verbose_name_plural = _("funders")

    def __str__(self):
        return self.name

    @property
    def type_heading(self):
        return FUNDER_TYPE_HEADINGS[FunderType(self.funder_type)]


# --- Funding policy ---------------------------------------------------------------------------


class FundingPolicy(TranslatableMixin, models.Model):
    """A statement about where the money comes from (e.g. "no funding from private companies"),
    placed on pages with the funding policy block."""

    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("The heading of the policy, e.g. “We accept no funding from companies”."),
    )
    body = RichTextField(
        _("text"),
        features=INLINE_WITH_LISTS_FEATURES,
        help_text=_("The policy itself. Every page with the funding policy block shows it."),
    )

    panels = [FieldPanel("title"), FieldPanel("body")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("funding policy")
        verbose_name_plural = _("funding policies")

    def __str__(self):
        return self.title


# --- Frequently asked questions ---------------------------------------------------------------


class FAQGroup(TranslatableMixin, ClusterableModel):
    """An ordered set of questions and answers, placed on pages with the FAQ block. The same
    group can appear on several pages; the page carries schema.org FAQPage data built from it."""

    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("Shown as the heading of the questions, e.g. “Frequently asked questions”."),
    )
    introduction = RichTextField(
        _("introduction"),
        blank=True,
        features=INLINE_FEATURES,
        help_text=_("Optional: a sentence shown before the questions."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("introduction"),
        InlinePanel("questions", label=_("question"), heading=_("Questions"), min_num=1),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")

    def __str__(self):
        return self.title


class FAQQuestion(TranslatableMixin, Orderable):
    """One question of an FAQ group, with its rich-text answer and the name of its anchor."""

    group = ParentalKey(FAQGroup, on_delete=models.CASCADE, related_name="questions")
    question = models.CharField(
        _("question"),
        max_length=255,
        help_text=_("As a visitor would ask it, e.g. “Do you offer internships?”."),
    )
    answer = RichTextField(
        _("answer"),
        features=INLINE_WITH_LISTS_FEATURES,
        help_text=_("A short answer; link to a page for the details."),
    )
    anchor = models.SlugField(
        _("link name"),
        max_length=ANCHOR_MAX_LENGTH,
        blank=True,
        allow_unicode=False,
        help_text=_(
            "The end of the link to this question (…#internships). Made from the question when "
            "left empty; keep it once shared, or the links people saved will stop working."
        ),
    )

    panels = [FieldPanel("question"), FieldPanel("answer"), FieldPanel("anchor")]

    # The anchor stays the same in every language, so a shared link to a question keeps working
    # after switching language, and translators have one thing fewer to translate.
    override_translatable_fields = [SynchronizedField("anchor")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        if not self.anchor:
            self.anchor = anchor_from_text(self.question)
        super().save(*args, **kwargs)


def anchor_from_text(text):
    slug = slugify(text)[:ANCHOR_MAX_LENGTH].strip("-")
    return slug or "question"


# --- The partnerships page --------------------------------------------------------------------


class PartnershipsPage(BasePage):
    """/partnerships/: who we partner with and how, our funders, funding policy and FAQ."""

    introduction = RichTextField(
        _("introduction"),
        blank=True,
        features=INLINE_FEATURES,
        help_text=_("The opening paragraph: the network's mission and why it makes partnerships."),
    )
    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_(
            "How partnerships are chosen, activities, funders, the funding policy and the FAQ. "
            "Funders, the policy and FAQs are snippets: edit them once, every page follows."
        ),
    )
    citation_note = RichTextField(
        _("note on citing our documents"),
        blank=True,
        features=INLINE_FEATURES,
        help_text=_("Asks readers to cite the network's publications when they use them."),
    )
    citation_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("how to cite page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: the page that explains how to cite us, e.g. the resource library."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("introduction"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("citation_note"), PageChooserPanel("citation_page")],
            heading=_("Citing our documents"),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["ngo_site.HomePage"]
    subpage_types = ["ngo_site.StandardPage"]
    max_count_per_parent = 1
    page_description = _("Partnerships, funders, funding policy and frequently asked questions.")

    class Meta:
        verbose_name = _("partnerships page")
        verbose_name_plural = _("partnerships pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            lazily(lambda: {"citation_link": citation_link(self.citation_page)}, ("citation_link",))
        )
        return context


def citation_link(page):
    """The URL and title of the "how to cite" page in the visitor's language, if it is live."""
    if page is None:
        return None
    localized = page.localized
    target = localized if localized.live else page
    if not target.live:
        return None
    return {"url": target.url, "title": target.title}


# --- Form submissions -------------------------------------------------------------------------


class ContactTopic(models.TextChoices):
    PARTNERSHIP = "partnership", _("A partnership or funding proposal")
    MEDIA = "media", _("A media enquiry")
    RESEARCH = "research", _("Research or studies")
    EVENT = "event", _("An invitation to speak at an event")
    OTHER = "other", _("Something else")


class ContactSubmission(models.Model):
    """A message sent through the contact form. Editors read them in the admin (read-only)."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    topic = models.CharField(
        _("topic"), max_length=20, choices=ContactTopic.choices, default=ContactTopic.OTHER
    )
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=10)
    submitted_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class NewsletterSubscriber(models.Model):
    """A newsletter subscription. It counts only once confirmed through the emailed link (double
    opt-in); unsubscribing keeps the row, marked, so that the address is not written to again."""

    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.PENDING,
        db_index=True,
    )
    signed_up_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["-signed_up_at"]
        constraints = [
            # One row per address, whatever its capitalisation.
            models.UniqueConstraint(Lower("email"), name="partnerships_subscriber_email_unique")
        ]

    def __str__(self):
        return self.email

    def confirm(self, now=None):
        self.status = SubscriptionStatus.CONFIRMED
        self.confirmed_at = now or timezone.now()
        self.unsubscribed_at = None
        self.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])

    def unsubscribe(self, now=None):
        self.status = SubscriptionStatus.UNSUBSCRIBED
        self.unsubscribed_at = now or timezone.now()
        self.save(update_fields=["status", "unsubscribed_at"])

    @property
    def is_confirmed(self):
        return self.status == SubscriptionStatus.CONFIRMED


# --- Limits of the public forms (partnerships/limits.py) --------------------------------------
# In the database, not in a process's memory or a cache that may be per process: every worker
# of every app server sees the same counts (docs/partnerships.md, "Spam resistance").


class FormLimitCounter(models.Model):
    """How many times `key` (a hash: no address is stored) has used `scope` since
    `window_start`; the count starts again at zero once `expires_at` has passed."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="unique_form_limit_counter")
        ]

    def __str__(self):
        return f"{self.scope} {self.key[:8]}: {self.count}"


class UsedFormToken(models.Model):
    """A form's "started" token that has been sent once: sending it again is refused. Kept until
    the token would have expired anyway (PARTNERSHIPS_FORM_MAX_AGE)."""

    nonce = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.nonce
