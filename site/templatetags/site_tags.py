from django import template
from django.templatetags.static import static
from django.utils.translation import get_language, to_locale
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

from .. import navigation, rendition_specs
from ..addresses import absolute_url, page_full_url
from ..localisation import locales_by_language

register = template.Library()


@register.inclusion_tag("includes/primary_navigation.html", takes_context=True)
def primary_navigation(context):
    request = context["request"]
    current_path = getattr(context.get("page"), "url_path", "")
    items = [
        {"page": item, "is_current": current_path.startswith(item.url_path)}
        for item in navigation.primary_navigation(request)
    ]
    return {
        "request": request,
        "items": items,
        "search_url_active": request.resolver_match and request.resolver_match.url_name == "search",
        # The contact form (a view of the partnerships app, linked when its URL exists).
        "contact_url_active": request.resolver_match
        and request.resolver_match.url_name in ("contact", "contact_thanks"),
    }


@register.inclusion_tag("includes/footer.html", takes_context=True)
def site_footer(context):
    return {"request": context["request"], "footer": navigation.footer_content()}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context["request"]
    return {"links": navigation.language_links(request, context.get("page"))}


@register.simple_tag(takes_context=True)
def home_url(context):
    home = navigation.site_home(context["request"])
    return home.get_url(context["request"]) if home else "/"


@register.simple_tag(takes_context=True)
def absolute_page_url(context, page):
    """The page's absolute URL on the address the request was served on (ngo_site.addresses):
    for the canonical link and og:url."""
    return page_full_url(page, context.get("request"))


# The site's own picture for link previews of pages without an image of their own (1200×630:
# the mark of the favicon on the brand colour).
DEFAULT_SOCIAL_IMAGE = "ngo_site/img/social-default.png"
(SOCIAL_IMAGE_FILTER,) = rendition_specs.SOCIAL


@register.simple_tag(takes_context=True)
def open_graph_image(context, page):
    """{"url", "width", "height", "alt"} of the picture a link preview shows: the page's social
    image, else its own picture (a programme's, a resource's cover: the `image` field), else the
    site's default; absolute URLs on the request's address."""
    request = context.get("request")
    page = getattr(page, "specific", page)
    image_id = getattr(page, "social_image_id", None) or getattr(page, "image_id", None)
    if image_id is not None:
        found = _rendition(image_id)
        if found is not None:
            return {**found, "url": absolute_url(found["url"], request)}
    return {
        "url": absolute_url(static(DEFAULT_SOCIAL_IMAGE), request),
        "width": 1200,
        "height": 630,
        "alt": "",
    }


def _rendition(image_id):
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return None
    try:
        rendition = image.get_rendition(SOCIAL_IMAGE_FILTER)
    except SourceImageIOError:  # its file is missing or cannot be decoded (ngo_site.images)
        return None
    return {
        "url": rendition.url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": rendition.alt,
    }


@register.simple_tag
def breadcrumb_ancestors(page):
    """The pages before `page` in its breadcrumb trail, from the home page down."""
    return page.get_ancestors().filter(depth__gt=1)


# Open Graph wants a territory ("ll_TT"): the one each language of the site is written for.
OPEN_GRAPH_TERRITORIES = {"en": "en_GB", "fr": "fr_FR"}


def open_graph_locale(language_code):
    """ "en" -> "en_GB", "fr" -> "fr_FR", "pt-br" -> "pt_BR", "es" -> "es_ES"."""
    if language_code in OPEN_GRAPH_TERRITORIES:
        return OPEN_GRAPH_TERRITORIES[language_code]
    locale = to_locale(language_code)
    return locale if "_" in locale else f"{locale}_{locale.upper()}"


@register.simple_tag
def open_graph_locales(page, alternates):
    """{"locale": og:locale of `page`'s language, "alternates": [og:locale:alternate, ...]} for
    the other languages among `alternates` (the `page_alternates` of the page: its live public
    translations, itself included, and x-default)."""
    language_of = {locale.pk: code for code, locale in locales_by_language().items()}
    language = language_of.get(getattr(page, "locale_id", None)) or get_language()
    others = [
        alternate["lang_code"]
        for alternate in alternates
        if alternate["lang_code"] not in ("x-default", language)
    ]
    return {
        "locale": open_graph_locale(language),
        "alternates": [open_graph_locale(code) for code in others],
    }
