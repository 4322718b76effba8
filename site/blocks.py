"""StreamField blocks shared by several page types. Each block renders with its own template in
site/templates/blocks/, so a page body is just `{% include_block page.body %}`."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructValue
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from .localisation import localized_page, prefetch_localized_pages
from .rich_text import BODY_FEATURES, INLINE_FEATURES

__all__ = ["BODY_FEATURES", "INLINE_FEATURES"]  # re-exported: the apps import them from here


class LinkValue(StructValue):
    def target_page(self):
        """The chosen page in the visitor's language when it has a live translation."""
        page = self.get("page")
        if page is None:
            return None
        if not hasattr(self, "_target_page"):
            self._target_page = localized_page(page)
        return self._target_page

    def href(self):
        page = self.target_page()
        return page.url if page is not None else self.get("url") or ""

    def text(self):
        if self.get("label"):
            return self["label"]
        page = self.target_page()
        return page.title if page is not None else self.get("url")


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an address elsewhere."""

    label = blocks.CharBlock(
        label=_("label"), required=False, help_text=_("Defaults to the page title.")
    )
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("external address"), required=False)

    class Meta:
        icon = "link"
        value_class = LinkValue
        template = "blocks/link_block.html"
        label = _("link")

    def bulk_to_python(self, values):
        # All the links of a StreamField come here together: look up their pages'
        # translations in one query rather than one per link when they are rendered.
        links = super().bulk_to_python(values)
        prefetch_localized_pages([link.get("page") for link in links])
        return links

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Choose a page or enter an address, not both."))
                }
            )
        if value.get("url") and not value.get("label"):
            raise blocks.StructBlockValidationError(
                block_errors={"label": ValidationError(_("A link to another site needs a label."))}
            )
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))],
        default="h2",
        help_text=_("Use sections for main parts and subsections inside them."),
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("heading")


class FigureBlock(blocks.StructBlock):
    """An image with alt text (required unless decorative), a caption and the image's credit."""

    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(
        label=_("caption"),
        required=False,
        max_length=300,
        help_text=_("Shown under the image, followed by the credit of the image."),
    )

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"
        label = _("image")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(
        label=_("attribution"),
        required=False,
        help_text=_("Who said it, e.g. “A street vendor, Accra”."),
    )

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("quote")


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.RichTextBlock(label=_("text"), features=INLINE_FEATURES, required=False)
    link = LinkBlock(label=_("button"))

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        label = _("call to action")


class DocumentDownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("title"), required=False, help_text=_("Defaults to the document's title.")
    )
    description = blocks.TextBlock(
        label=_("description"),
        required=False,
        help_text=_("Optional: one sentence on what the document contains."),
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/document_download_block.html"
        label = _("document download")


class EmbedWithCaptionBlock(blocks.StructBlock):
    embed = EmbedBlock(
        label=_("address of the video or audio"),
        help_text=_("The address of its page, e.g. on YouTube, Vimeo or SoundCloud."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"
        label = _("embedded media")


def registered_body_blocks():
    """The blocks the domain apps add to the shared body, in the order of INSTALLED_APPS: an app
    names them with `body_blocks` on its AppConfig, the dotted path of a function returning
    (name, block) pairs (e.g. partnerships.blocks.body_blocks). Read when a body block is built,
    i.e. while the models are imported: after every AppConfig exists, before any ready() and
    before Wagtail's hooks could be loaded, which is why this is not a hook."""
    pairs = []
    for config in apps.get_app_configs():
        path = getattr(config, "body_blocks", None)
        if path:
            pairs.extend(import_string(path)())
    return pairs


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("text"), features=BODY_FEATURES, template="blocks/paragraph_block.html"
    )
    image = FigureBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    document = DocumentDownloadBlock()
    embed = EmbedWithCaptionBlock()
    # ...followed by the domain apps' blocks (registered_body_blocks): the partnerships app's
    # funding policy, FAQ, funders and newsletter call to action.

    class Meta:
        label = _("body")

    def __init__(self, local_blocks=None, **kwargs):
        super().__init__([*registered_body_blocks(), *(local_blocks or ())], **kwargs)
