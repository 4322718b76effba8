"""The permission model of docs/editors.md on the admin views that run no hook of ours.

Wagtail's page and snippet views call `before_*` hooks (site/wagtail_hooks.py); some views do
not: wagtail-localize's (rules in `translation_queue.localize_guard`), the snippet listing's
"copy" and "reorder", and the admin API's page actions. `AdminGuardMiddleware` resolves the
request's view and applies its rule before the view runs; a wagtail-localize view without a
rule is refused. tests/editorial/test_permission_walk.py walks every admin URL as every role.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from wagtail.admin.auth import permission_denied

from .roles import can_publish, is_translator_only

SNIPPET_NAMESPACE_PREFIX = "wagtailsnippets_"
API_NAMESPACE = "wagtailadmin_api"


def refuse(request, message=None):
    """Wagtail's own refusal (a message and the dashboard), or 403 for background requests."""
    if message is None:
        return permission_denied(request)
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        raise PermissionDenied(message)
    messages.error(request, message)
    return redirect("wagtailadmin_home")


def _snippet_models_by_namespace():
    from wagtail.snippets.models import get_snippet_models

    return {model.snippet_viewset.url_namespace: model for model in get_snippet_models()}


def _snippet_rule(request, match):
    """Copying or reordering a snippet changes content in the snippet's language, live at once
    (snippets have no drafts): only for those who may publish it."""
    if match.url_name not in ("copy", "reorder"):
        return None
    model = _snippet_models_by_namespace().get(match.namespaces[0])
    if model is None or "pk" not in match.kwargs:
        return None
    instance = get_object_or_404(model, pk=match.kwargs["pk"])
    if getattr(instance, "locale", None) is not None and not can_publish(request.user, instance):
        return refuse(request, _("You cannot change content in this language."))
    return None


def _api_rule(request, match):
    """The admin API's page actions run without Wagtail's hooks: the rules of our hooks
    (translators neither delete nor move pages) apply there too."""
    if match.url_name != "action":
        return None
    if match.kwargs.get("action_name") in ("delete", "move") and is_translator_only(request.user):
        raise PermissionDenied(_("Translators cannot delete or move pages."))
    return None


def _localize_rule(request, match):
    from .translation_queue import localize_guard

    rule = localize_guard.RULES.get(match.url_name)
    if rule is None:
        return refuse(request)
    return rule(request, **match.kwargs)


def rule_for(match):
    """The rule of the view a request resolved to, or None when Wagtail's hooks cover it."""
    from .translation_queue.localize_guard import NAMESPACE

    if match is None or not match.namespaces:
        return None
    if NAMESPACE in match.namespaces:
        return _localize_rule
    if match.namespaces[0].startswith(SNIPPET_NAMESPACE_PREFIX):
        return _snippet_rule
    if match.namespaces[0] == API_NAMESPACE:
        return _api_rule
    return None


class AdminGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        rule = rule_for(request.resolver_match)
        # Anonymous visitors: Wagtail's admin sends them to the login page.
        if rule is None or not request.user.is_authenticated:
            return None
        return rule(request, request.resolver_match)
