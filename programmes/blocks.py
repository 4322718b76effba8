"""Blocks that only programme pages use. Blocks shared by several page types are in
site/blocks.py (ngo_site.blocks)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ngo_site.blocks import INLINE_FEATURES, LinkBlock


class OptionalLinkBlock(LinkBlock):
    """A LinkBlock that may be left empty. LinkBlock itself insists on a page or an address."""

    def clean(self, value):
        if not (value.get("page") or value.get("url") or value.get("label")):
            return value
        return super().clean(value)


class ProgrammeActivityBlock(blocks.StructBlock):
    """One of the programme's areas of activity, e.g. "A systems approach to social protection"."""

    title = blocks.CharBlock(label=_("title"), max_length=200)
    text = blocks.RichTextBlock(label=_("text"), features=[*INLINE_FEATURES, "ul", "ol"])
    link = OptionalLinkBlock(
        label=_("link"),
        required=False,
        help_text=_("Optional: where to read more, e.g. a project or a resource."),
    )

    class Meta:
        icon = "tasks"
        template = "programmes/blocks/programme_activity_block.html"
        label = _("activity")


class WorkingMethodBlock(blocks.StructBlock):
    """One way the programme works, e.g. research, policy advocacy, support to organisations."""

    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.RichTextBlock(label=_("text"), features=INLINE_FEATURES)

    class Meta:
        icon = "cogs"
        template = "programmes/blocks/working_method_block.html"
        label = _("way of working")
