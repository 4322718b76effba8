from django import template

from .. import navigation, serving

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


@register.simple_tag
def breadcrumb_ancestors(page):
    """The pages before `page` in its breadcrumb trail, from the home page down."""
    return serving.breadcrumb_ancestors(page)
