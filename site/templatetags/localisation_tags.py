from django import template
from wagtail.models import Page

from ..sitemaps import translation_alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def page_alternates(context, page):
    """[{"lang_code", "location"}, ...]: every live translation of `page` (the page itself
    included) plus x-default, for `<link rel="alternate" hreflang>` in the page's head."""
    if not isinstance(page, Page) or not page.pk:
        return []
    return translation_alternates(context["request"], [page]).get(page.translation_key, [])
