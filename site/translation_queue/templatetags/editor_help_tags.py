"""The "Help for this translation" panel in wagtail-localize's editor
(translation_queue.editor_help)."""

from django import template

from ngo_site.roles import can_change

from ..editor_help import editor_help

register = template.Library()


@register.inclusion_tag("translation_queue/help_panel.html", takes_context=True)
def translation_help_panel(context, translation, instance, user):
    request = context.get("request")
    if translation is None or not can_change(user, instance):
        return {"shown": False}
    return {
        "shown": True,
        "translation": translation,
        "target_locale": translation.target_locale,
        "next_url": request.get_full_path() if request else "",
        **editor_help(translation, user, instance),
    }
