from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TranslatableMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import page_cache
from .models import FooterContent
from .roles import can_change, can_publish, editable_languages, is_translator_only


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
# Wagtail's page permissions say who may change and publish pages in each locale tree; these
# hooks say it where Wagtail's permissions know no languages (snippets) or let too much through.


def _refuse(request, message):
    from django.contrib import messages
    from django.shortcuts import redirect

    messages.error(request, message)
    return redirect("wagtailadmin_home")


@hooks.register("before_delete_page")
def translators_never_delete_pages(request, page):
    # Translators have "change" in the French tree, with which Wagtail would let them delete
    # unpublished leaf pages; deleting is the source's decision (the English page's editors).
    if is_translator_only(request.user):
        return _refuse(request, _("Translators cannot delete pages."))
    return None


@hooks.register("before_move_page")
def translators_never_move_pages(request, page, destination):
    # A translation's place in its tree follows its source (wagtail-localize moves it).
    if is_translator_only(request.user):
        return _refuse(request, _("Translators cannot move pages."))
    return None


@hooks.register("before_bulk_action")
def bulk_actions_in_own_languages(request, action_type, objects, action_class_instance):
    if action_type == "delete" and is_translator_only(request.user):
        return _refuse(request, _("Translators cannot delete pages."))
    snippets = [
        instance
        for instance in objects
        if isinstance(instance, TranslatableMixin) and not isinstance(instance, Page)
    ]
    if any(not can_change(request.user, instance) for instance in snippets):
        return _refuse(request, _("You cannot change content in this language."))
    return None


@hooks.register("before_create_snippet")
def snippets_created_in_own_languages(request, model):
    if not issubclass(model, TranslatableMixin):
        return None
    language = request.GET.get("locale") or settings.LANGUAGE_CODE
    if language not in editable_languages(request.user):
        return _refuse(request, _("You cannot add content in this language."))
    return None


# order=-1: before wagtail-localize's own hooks, which answer with its translation editor.
@hooks.register("before_edit_snippet", order=-1)
def snippets_changed_in_own_languages(request, instance):
    # Wagtail's snippet permissions are per model, not per language: editors keep to the
    # English source, translators to the translations.
    if not isinstance(instance, TranslatableMixin):
        return None
    if not can_change(request.user, instance):
        if is_translator_only(request.user):
            return _refuse(request, _("Translators cannot edit the English source."))
        return _refuse(request, _("You cannot change content in this language."))
    if not can_publish(request.user, instance):
        # A translated snippet has no drafts: saving it publishes it. A synced translation's
        # French stays in the translation editor's strings until a moderator approves it in
        # the queue; any other translated snippet is changed by a moderator.
        from django.contrib import messages
        from django.shortcuts import redirect

        from .translation_queue.drafts import synced_translation

        if synced_translation(instance) is None:
            return _refuse(
                request,
                _(
                    "Only a moderator can change “%(title)s”: it is not a synced translation, "
                    "and saving it would publish it."
                )
                % {"title": str(instance)},
            )
        if request.method != "POST" or "localize-restart-translation" in request.POST:
            return None
        messages.info(
            request,
            _(
                "Your translation is kept in the translation editor; a moderator publishes it "
                "from the translation queue after review."
            ),
        )
        return redirect("translation_queue:index")
    return _refuse_publishing_untranslated(request, instance)


@hooks.register("before_edit_page", order=-1)
def no_page_published_with_untranslated_segments(request, page):
    return _refuse_publishing_untranslated(request, page)


def _refuse_publishing_untranslated(request, instance):
    """wagtail-localize publishes a translation with the source's text in every segment not
    translated yet: on the French site that is English where French was (after a sync)."""
    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    from .translation_queue.drafts import untranslated_segments

    missing = untranslated_segments(instance)
    if missing:
        return _refuse(
            request,
            ngettext(
                "“%(title)s” was not published: %(count)d segment is not translated yet.",
                "“%(title)s” was not published: %(count)d segments are not translated yet.",
                missing,
            )
            % {"title": str(instance), "count": missing},
        )
    return None


@hooks.register("before_delete_snippet")
def snippets_deleted_in_own_languages(request, instances):
    if is_translator_only(request.user):
        return _refuse(request, _("Translators cannot delete snippets."))
    for instance in instances:
        if isinstance(instance, TranslatableMixin) and not can_change(request.user, instance):
            return _refuse(request, _("You cannot change content in this language."))
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


# What the page cache (wagtail-cache) may keep: see ngo_site.page_cache.
hooks.register("is_request_cacheable", page_cache.is_request_cacheable)
hooks.register("is_response_cacheable", page_cache.is_response_cacheable)


@hooks.register("construct_admin_api")
def register_translator_readable_pages_endpoint(router):
    # In place of Wagtail's "pages" endpoint: see ngo_site.admin_api.
    from .admin_api import TranslatorReadablePagesAdminAPIViewSet

    router.register_endpoint("pages", TranslatorReadablePagesAdminAPIViewSet)
