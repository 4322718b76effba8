"""Blocks that place the partnerships snippets and forms on any page: funders, the funding
policy, an FAQ and the newsletter call to action. The shared body block (ngo_site.blocks)
offers them (`body_blocks` below, named by PartnershipsConfig.body_blocks), so they can go on
every page type that uses it.

This module must not import the models (they import it) nor ngo_site.blocks (which loads it
while the models are imported): queries are imported where a block renders, and the feature
lists come from ngo_site.rich_text, which imports nothing.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from ngo_site.rich_text import INLINE_FEATURES

from .choices import FunderType


class FundersBlock(blocks.StructBlock):
    """Every funder (or those of some types), grouped by type, in the editors' order."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    introduction = blocks.RichTextBlock(
        label=_("introduction"), features=INLINE_FEATURES, required=False
    )
    funder_types = blocks.MultipleChoiceBlock(
        label=_("types of funder"),
        choices=FunderType.choices,
        required=False,
        help_text=_("Leave empty to list every funder."),
    )

    class Meta:
        icon = "group"
        template = "partnerships/blocks/funders_block.html"
        label = _("funders")

    def get_context(self, value, parent_context=None):
        from .queries import funders_by_type

        context = super().get_context(value, parent_context)
        context["funder_groups"] = funders_by_type(value.get("funder_types") or None)
        return context


class FundingPolicyBlock(blocks.StructBlock):
    """The funding policy snippet: edit the snippet once and every page shows the new text."""

    policy = SnippetChooserBlock("partnerships.FundingPolicy", label=_("funding policy"))

    class Meta:
        icon = "info-circle"
        template = "partnerships/blocks/funding_policy_block.html"
        label = _("funding policy")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        policy = value.get("policy")
        # The page may point at the original; visitors read the translation in their language.
        context["policy"] = policy.localized if policy is not None else None
        return context


class FAQBlock(blocks.StructBlock):
    """An FAQ snippet as an accordion, with schema.org FAQPage data for the page."""

    faq = SnippetChooserBlock("partnerships.FAQGroup", label=_("FAQ"))

    class Meta:
        icon = "help"
        template = "partnerships/blocks/faq_block.html"
        label = _("frequently asked questions")

    def get_searchable_content(self, value):
        """The FAQ's title, introduction, questions and answers in the page's language, for the
        page's stemmed search text (ngo_site.models.BasePage.stemmed_search_text), which the site
        search matches: the site search finds a page by its FAQ. Nothing for the other search
        fields, which do not know the page's language. partnerships.signals indexes the pages
        again when the FAQ changes."""
        from ngo_site.stemming import page_language

        from .structured_data import plain_text

        group = value.get("faq")
        if group is None or page_language() is None:
            return []
        group = group.localized
        texts = [group.title, plain_text(group.introduction)]
        for question in group.questions.all():
            texts += [question.question, plain_text(question.answer)]
        return [text for text in texts if text]

    def get_context(self, value, parent_context=None):
        from .rendering import faq_block_context

        context = super().get_context(value, parent_context)
        group = value.get("faq")
        context.update(faq_block_context(group, parent_context) if group else {"faq": None})
        return context


class NewsletterCallToActionBlock(blocks.StructBlock):
    """An invitation to subscribe, with an address field.

    It is a GET form that carries the address to the sign-up page, where the subscription is
    sent: content pages then hold no CSRF token, so they can be cached like any other page."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("text"), features=INLINE_FEATURES, required=False)

    class Meta:
        icon = "mail"
        template = "partnerships/blocks/newsletter_call_to_action_block.html"
        label = _("newsletter sign-up")

    def get_context(self, value, parent_context=None):
        from .spam import new_started_token

        context = super().get_context(value, parent_context)
        try:
            context["signup_url"] = reverse("newsletter_signup")
        except NoReverseMatch:
            context["signup_url"] = None
        context["started_token"] = new_started_token()
        return context


def body_blocks():
    """The blocks this app adds to the shared body (ngo_site.blocks.BodyStreamBlock), named by
    PartnershipsConfig.body_blocks. Their names and order are part of every body's migrations."""
    return [
        ("funding_policy", FundingPolicyBlock()),
        ("faq", FAQBlock()),
        ("funders", FundersBlock()),
        ("newsletter", NewsletterCallToActionBlock()),
    ]
