from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FooterContent
from .roles import is_translator_only


class FooterContentViewSet(SnippetViewSet):
    model = FooterContent
    icon = "list-ul"
    menu_label = _("Footer")
    list_display = ["name", "organisation_name", "locale"]
    # No list_filter: Wagtail adds its own language filter (?locale=fr) to translatable
    # snippets, and a "locale" entry here would replace it by one that expects an id.
    search_fields = ["name", "organisation_name", "email"]


register_snippet(FooterContentViewSet)


# --- Editorial roles (ngo_site.roles, docs/editors.md) ------------------------------------------


def _refuse(request, message):
    from django.contrib import messages
    from django.shortcuts import redirect

    messages.error(request, message)
    return redirect("wagtailadmin_home")


@hooks.register("before_delete_page")
def translators_never_delete_pages(request, page):
    # Translators need "change" and "publish" in the French tree, with which Wagtail would let
    # them delete leaf pages; deleting is the source's decision (the English page's editors).
    if is_translator_only(request.user):
        return _refuse(request, _("Translators cannot delete pages."))
    return None


@hooks.register("before_bulk_action")
def translators_never_bulk_delete(request, action_type, objects, action_class_instance):
    if action_type == "delete" and is_translator_only(request.user):
        return _refuse(request, _("Translators cannot delete pages."))
    return None


def _is_source_snippet(instance):
    locale = getattr(instance, "locale", None)
    return locale is not None and locale.language_code == settings.LANGUAGE_CODE


@hooks.register("before_edit_snippet")
def translators_edit_only_translations(request, instance):
    # Wagtail's snippet permissions are not per locale: keep translators to the translations.
    if is_translator_only(request.user) and _is_source_snippet(instance):
        return _refuse(request, _("Translators cannot edit the English source."))
    return None


@hooks.register("before_delete_snippet")
def translators_never_delete_snippets(request, instances):
    if is_translator_only(request.user):
        return _refuse(request, _("Translators cannot delete snippets."))
    return None


# --- Dashboard ------------------------------------------------------------------------------


class MyDraftsPanel(Component):
    """The pages whose latest revision is the user's and is not published yet.

    Wagtail's dashboard already has "Awaiting your review" (pages in moderation that the user
    can approve), "Your pages in a workflow" and "Your most recent edits"; a draft that was
    never submitted appears in none of them.
    """

    name = "my_drafts"
    order = 150
    template_name = "ngo_site/admin/my_drafts_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["drafts"] = my_drafts(self.user)
        return context


def my_drafts(user, limit=10):
    return (
        Page.objects.filter(has_unpublished_changes=True, latest_revision__user=user)
        .select_related("locale", "latest_revision")
        .order_by("-latest_revision__created_at")[:limit]
    )


@hooks.register("construct_homepage_panels")
def add_my_drafts_panel(request, panels):
    panels.append(MyDraftsPanel(request.user))


@hooks.register("construct_homepage_panels")
def add_translation_summary_panel(request, panels):
    from .dashboard import TranslationSummaryPanel
    from .translation_queue.views import can_use_queue

    # Its counts link to the queue: only for those the queue lets in.
    if can_use_queue(request.user):
        panels.append(TranslationSummaryPanel())


# --- Translation queue (ngo_site.translation_queue, docs/localisation.md) ----------------------


@hooks.register("register_admin_urls")
def translation_queue_urls():
    from django.urls import include, path

    from .translation_queue import urls as translation_queue_urls

    return [path("translation-queue/", include(translation_queue_urls))]


class TranslationQueueMenuItem(MenuItem):
    """Shown only to those the queue's views let in (translators, moderators, administrators)."""

    def is_shown(self, request):
        from .translation_queue.views import can_use_queue

        return can_use_queue(request.user)


@hooks.register("register_admin_menu_item")
def translation_queue_menu_item():
    from django.urls import reverse_lazy

    return TranslationQueueMenuItem(
        _("Translation queue"),
        reverse_lazy("translation_queue:index"),
        name="translation-queue",
        icon_name="site",
        order=250,
    )


@hooks.register("construct_homepage_panels")
def add_my_translations_panel(request, panels):
    from .translation_queue.views import MyTranslationsPanel

    panels.append(MyTranslationsPanel(request.user))
