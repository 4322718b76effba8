"""`{% published_fragment "name" part ... %}…{% endpublished_fragment %}`: the rendered markup of
a part of a page, kept until the published content changes.

The page cache (ngo_site.caching) keeps whole pages for anonymous visitors; this keeps the costly
middle of a page (its lists of projects and resources, its StreamFields) for every visitor, logged
in or not, so that a page rendered afresh (a logged-in editor, a visitor with a session, a page
cache turned off) does not query and render them again. The key holds the content generation
(ngo_site.content_version), which any publication replaces, the name, the language, the host and
the parts given; so the markup must depend on nothing else (not the user, not a CSRF token).
Previews are never cached, and without a cache shared by every process (CACHE_IS_SHARED) the
markup is rendered on each request. CACHE_PAGE_FRAGMENTS = False turns the tag off (the query
budget tests do, to count what a full render costs).
"""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import content_version

register = template.Library()


class PublishedFragmentNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context):
        request = context.get("request")
        if (
            request is None
            or getattr(request, "is_preview", False)
            or not getattr(settings, "CACHE_PAGE_FRAGMENTS", True)
        ):
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        parts = [str(part.resolve(context)) for part in self.parts]
        markup = content_version.cached(
            f"markup-{name}",
            lambda: str(self.nodelist.render(context)),
            get_language(),
            request.get_host(),
            *parts,
        )
        return mark_safe(markup)


@register.tag
def published_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            "published_fragment needs a name, e.g. {% published_fragment 'programme' page.pk %}"
        )
    nodelist = parser.parse(("endpublished_fragment",))
    parser.delete_first_token()
    return PublishedFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]]
    )
