from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def view_language_switcher(context):
    """The site's language switcher for pages that are Django views rather than Wagtail pages:
    each language links to the same view in that language (translated URL paths included)."""
    request = context["request"]
    current = translation.get_language()
    existing = set(Locale.objects.values_list("language_code", flat=True))
    links = [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"],
            "url": translate_url(request.get_full_path(), code),
            "is_current": code == current,
            "is_translation": True,
        }
        for code, _name in settings.LANGUAGES
        if code in existing
    ]
    return {"links": links}
