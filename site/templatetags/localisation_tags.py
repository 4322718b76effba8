from django import template
from wagtail.models import Page

from ..navigation import live_translations
from ..sitemaps import alternate_links
from ..visibility import private_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def page_alternates(context, page):
    """[{"lang_code", "location"}, ...]: every live translation of `page` (the page itself
    included) plus x-default, for `<link rel="alternate" hreflang>` in the page's head."""
    if not isinstance(page, Page) or not page.pk:
        return []
    private = private_sections()
    by_language = {
        code: translated
        for code, translated in live_translations(page).items()
        if private.is_public(translated)
    }
    return alternate_links(context["request"], by_language)
