"""The permission model (docs/editors.md) on wagtail-localize's admin views.

wagtail-localize checks one permission, "submit translation", for starting and syncing
translations, and Wagtail's per-model snippet permission for editing one: neither knows
languages. With them a translator could create and publish English pages (submit a French page
into English, then "sync and publish"), an editor could republish the French site, and a
translator could turn a live French page into an alias of its English source.

`ngo_site.admin_guard.AdminGuardMiddleware` looks at every request that resolves to a view of
the `wagtail_localize` URL namespace and applies the rule of that view (RULES below) before the
view runs; a view without a rule is refused, so a new wagtail-localize view cannot slip through
an upgrade unchecked. Every rule but the read-only ones also needs wagtail-localize's own
"submit translation" permission: its tools are for translators and moderators. The starting of
translations is done here too (`submit`): the library's own code re-saves translations that
already exist (a page's related snippets, the pages of a subtree), which would publish
unreviewed strings and, for untranslated segments, English text on live French content.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator
from wagtail_localize.views.submit_translations import SubmitTranslationForm

from ngo_site.admin_guard import refuse
from ngo_site.roles import can_change, can_publish, editable_languages

NAMESPACE = "wagtail_localize"
TRANSLATE_PERMISSION = "wagtail_localize.submit_translation"


def _target_of(translation_id):
    translation = get_object_or_404(Translation, pk=translation_id)
    try:
        return translation.get_target_instance()
    except ObjectDoesNotExist as missing:
        raise Http404 from missing


def _may_translate(user):
    return user.has_perm(TRANSLATE_PERMISSION)


def _change_target(request, translation_id, **kwargs):
    """The string and override editors, PO upload and download, machine translation, preview:
    only for those who may change the translated page or snippet, in its language."""
    if not _may_translate(request.user) or not can_change(request.user, _target_of(translation_id)):
        return refuse(request)
    return None


def _publish_target(request, translation_id, **kwargs):
    """Stopping a synced translation: those who approve the translated object only."""
    if not _may_translate(request.user) or not can_publish(
        request.user, _target_of(translation_id)
    ):
        return refuse(request, _("Only a moderator can stop a translation."))
    return None


def _convert_to_alias(request, page_id, **kwargs):
    # An alias shows the source's content: on a live French page, English replaces the French.
    page = get_object_or_404(Page, pk=page_id)
    if not _may_translate(request.user) or not can_publish(request.user, page):
        return refuse(request, _("Only a moderator can turn a translation into an alias."))
    return None


def _update(request, translation_source_id, **kwargs):
    """Sync from the source: only for those who may change every translation it updates, and
    never "publish immediately": a translation goes live when someone approves it, and the
    library's publish shows English text for the segments the sync left untranslated."""
    if not _may_translate(request.user):
        return refuse(request)
    source = get_object_or_404(TranslationSource, pk=translation_source_id)
    for translation in source.translations.filter(enabled=True).select_related("target_locale"):
        try:
            target = translation.get_target_instance()
        except ObjectDoesNotExist:  # not created yet in that language: nothing of it changes
            continue
        if not can_change(request.user, target):
            return refuse(request)
    if request.method == "POST" and request.POST.get("publish_translations"):
        return refuse(
            request,
            _(
                "Translations are not published by a sync: sync them, then send them for "
                "review from the translation queue."
            ),
        )
    return None


def _submit_page(request, page_id, **kwargs):
    page = get_object_or_404(Page, pk=page_id)
    if page.is_root():
        raise Http404
    return _submit(request, page.specific)


def _submit_snippet(request, app_label, model_name, pk, **kwargs):
    models = {(m._meta.app_label, m._meta.model_name): m for m in get_snippet_models()}
    model = models.get((app_label, model_name))
    if model is None:
        raise Http404
    return _submit(request, get_object_or_404(model, pk=pk))


class NewTranslationsOnly(TranslationCreator):
    """wagtail-localize's TranslationCreator, leaving translations that already exist alone:
    they change only through a sync and a review, never as a side effect of starting another
    translation (the library re-saves a page's related snippets and a subtree's pages)."""

    def create_translations(self, instance, include_related_objects=True):
        if all(instance.has_translation(locale) for locale in self.target_locales):
            return
        super().create_translations(instance, include_related_objects)


def _submit(request, instance):
    """Start translations into languages the user may write in, as drafts (the form is
    wagtail-localize's own; its GET is the library's view)."""
    if not _may_translate(request.user):
        return refuse(request)
    if request.method != "POST":
        return None
    form = SubmitTranslationForm(instance, request.POST)
    if not form.is_valid():
        return None  # the library's view shows the form's errors
    locales = list(form.cleaned_data["locales"])
    allowed = editable_languages(request.user)
    refused = [locale for locale in locales if locale.language_code not in allowed]
    if refused:
        return refuse(
            request,
            _("You cannot start translations into %(languages)s.")
            % {"languages": ", ".join(str(locale.get_display_name()) for locale in refused)},
        )
    with transaction.atomic():
        for locale in locales:
            creator = NewTranslationsOnly(request.user, [locale])
            creator.create_translations(instance)
            if isinstance(instance, Page) and form.cleaned_data.get("include_subtree"):
                for descendant in instance.get_descendants().specific():
                    creator.create_translations(descendant)
    messages.success(
        request,
        ngettext(
            "“%(title)s” was submitted for translation into %(count)d language.",
            "“%(title)s” was submitted for translation into %(count)d languages.",
            len(locales),
        )
        % {"title": str(instance), "count": len(locales)},
    )
    next_url = request.POST.get("next") or request.GET.get("next")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    if isinstance(instance, Page) and len(locales) == 1:
        translated = instance.get_translation_or_none(locales[0])
        if translated is not None:
            return redirect("wagtailadmin_pages:edit", translated.pk)
    return redirect(reverse("wagtailadmin_home"))


def _read_only(request, **kwargs):
    """Reports, the snippet chooser API and the JavaScript catalogue: nothing changes."""
    if request.method not in ("GET", "HEAD"):
        return refuse(request)
    return None


RULES = {
    "javascript_catalog": _read_only,
    "translations_report": _read_only,
    "translations_report_results": _read_only,
    "snippets_api_listing": _read_only,
    "snippets_api_detail": _read_only,
    "submit_page_translation": _submit_page,
    "submit_snippet_translation": _submit_snippet,
    "update_translations": _update,
    "edit_string_translation": _change_target,
    "edit_override": _change_target,
    "download_pofile": _change_target,
    "upload_pofile": _change_target,
    "machine_translate": _change_target,
    "preview_translation": _change_target,
    "stop_translation": _publish_target,
    "convert_to_alias": _convert_to_alias,
}
