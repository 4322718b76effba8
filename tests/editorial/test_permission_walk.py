"""Every content-changing admin view, tried as every role (issue 23).

The admin's URL patterns are read from Django's URL resolver; every pattern of the namespaces
that change or publish content (wagtail-localize, the translation queue, its jobs and glossary,
Wagtail's page views, the snippet views of the translatable snippets, the bulk actions and the
admin API) must be in
CLASSIFICATION below, which names the action of the permission model (docs/editors.md) each view
performs, or says it is read-only. A new view, after an upgrade or in our code, makes
test_every_admin_view_is_classified fail until someone decides what it does.

Each view is then called, GET and POST (PUT for wagtail-localize's string editors), with real
objects (an English and a French tree translated with wagtail-localize in both directions, the
footer snippet translated both ways, an English and a French row of every translatable snippet)
as each role. For every case the policy refuses, nothing of the content may change; where the
role may change but not publish in that language, what visitors see may not change; read-only
views change nothing for anyone; and no request gets a server error. Each case runs in a
savepoint rolled back afterwards, with the transaction.on_commit callbacks run (wagtail-localize
publishes in them), so that allowed cases do not change the objects of later ones.
"""

import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.contrib.admin.utils import quote
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.blocks.base import BlockField
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail_localize.models import StringSegment

from ngo_site.models import FooterContent
from ngo_site.translation_queue import exchange
from ngo_site.translation_queue.entries import refresh_pending
from ngo_site.translation_queue.models import SegmentComment, TranslationJob

from .conftest import standard_page_form
from .permission_walk_helpers import (
    PAGE_FIELDS,
    build_world,
    differences,
    published,
    snapshot,
    translatable_snippet_models,
)

pytestmark = pytest.mark.django_db

EN, FR = "en", "fr"
EDITOR, TRANSLATOR, MODERATOR, ADMINISTRATOR = "editor", "translator", "moderator", "administrator"
ROLES = (EDITOR, TRANSLATOR, MODERATOR, ADMINISTRATOR)
EVERY = frozenset({EN, FR})
NONE = frozenset()


def languages(editor, translator, moderator=EVERY, administrator=EVERY):
    return {
        EDITOR: frozenset(editor),
        TRANSLATOR: frozenset(translator),
        MODERATOR: frozenset(moderator),
        ADMINISTRATOR: frozenset(administrator),
    }


# --- the permission model (docs/editors.md, issue 23) ------------------------------------------
# The languages in which each role may perform each action. An action on no particular language
# (locale None in a case) is allowed when the role may perform it in some language.
READ_ONLY = "read-only"
OUT_OF_SCOPE = "not content (users, images, documents: not walked)"
POLICY = {
    # Create, edit, save a draft of, copy, revert, convert an alias of a page.
    "page change": languages({EN}, {FR}),
    # Publish, unpublish, approve or reject in the workflow, privacy, unschedule.
    "page publish": languages(NONE, NONE),
    # Saving with "publish" (action-publish, publish_copies, alias): a draft for those who may
    # change but not publish (Wagtail saves the draft and publishes nothing).
    "page save asking to publish": languages({EN}, {FR}),
    "page submit for moderation": languages({EN}, {FR}),
    # Editors: the English pages Wagtail lets them delete (unpublished ones: see page_delete).
    "page delete": languages({EN}, NONE),
    # Editors: the English pages Wagtail lets them move (like deleting: unpublished ones).
    "page move": languages({EN}, NONE),
    # Not in the table: what ngo_site.roles grants ("lock_page" to translators in the
    # French tree, "unlock_page" to moderators and administrators only).
    "page lock": languages(NONE, {FR}),
    "page unlock": languages(NONE, NONE),
    "snippet create": languages({EN}, NONE),
    "snippet edit form": languages({EN}, {FR}),
    # Saving a French snippet as a translator is refused: its French waits for approval.
    "snippet save": languages({EN}, NONE),
    "snippet delete": languages({EN}, NONE),
    # wagtail-localize: start a translation into the case's language (the target).
    "submit translation": languages(NONE, {FR}),
    "sync": languages(NONE, {FR}),
    "sync and publish": languages(NONE, NONE, NONE, NONE),
    "translation edit": languages(NONE, {FR}),
    "translation stop": languages(NONE, NONE),
    "convert to alias": languages(NONE, NONE),
    "queue": languages(NONE, {FR}),
    # Translation jobs (ngo_site.translation_queue.jobs): in the languages one may change.
    "job": languages(NONE, {FR}),
    "queue publish snippet": languages(NONE, NONE),
    # Reviewers comment on a translation's segments; whoever may change the language (its
    # translators too) marks a comment as resolved (translation_queue.comments).
    "queue comment": languages(NONE, NONE),
    "queue resolve comment": languages(NONE, {FR}),
    # Its author too (a translator who once reviewed), not walked: the walk's comments have none.
    "queue edit comment": languages(NONE, NONE),
    # The translators' glossary (translation_queue.glossary): English is the source language,
    # with no glossary of its own. Translators read, add and change the proposed terms of the
    # languages they translate into; moderators and administrators also approve, change
    # approved terms and delete. Editors have no glossary.
    "glossary read": languages(NONE, {FR}, {FR}, {FR}),
    "glossary propose": languages(NONE, {FR}, {FR}, {FR}),
    "glossary approve": languages(NONE, NONE, {FR}, {FR}),
    "glossary delete": languages(NONE, NONE, {FR}, {FR}),
}
# Actions after which, for a role that may not publish in that language, what visitors see
# must not have changed (translations go live only by review; editors only submit).
PUBLISHING_GUARDED = {
    "page change",
    "page save asking to publish",
    "page submit for moderation",
    "page move",
    "page lock",
    "submit translation",
    "sync",
    "translation edit",
    "queue",
}

ALLOWED, DRAFT_ONLY, REFUSED, UNCHANGED = "allowed", "draft only", "refused", "read-only"


def expectation(action, role, locale):
    if action == READ_ONLY:
        return UNCHANGED
    allowed_in = POLICY[action][role]
    if not (allowed_in if locale is None else locale in allowed_in):
        return REFUSED
    if action in PUBLISHING_GUARDED and not (
        POLICY["page publish"][role] if locale is None else locale in POLICY["page publish"][role]
    ):
        return DRAFT_ONLY
    return ALLOWED


# --- the classification of every admin view that can change or publish content -------------
# Snippet views have the same names for every snippet model: "snippets:<name>" stands for the
# pattern of that name in every wagtailsnippets_<app>_<model> namespace. Bulk actions are
# classified per registered action ("bulk:<app>.<model>:<action>"), admin API page actions per
# action name ("api-action:<name>").
CLASSIFICATION = {
    # wagtail-localize (every pattern of its namespace; ngo_site.translation_queue.localize_guard)
    "wagtail_localize:javascript_catalog": READ_ONLY,
    "wagtail_localize:translations_report": READ_ONLY,
    "wagtail_localize:translations_report_results": READ_ONLY,
    "wagtail_localize:snippets_api_listing": READ_ONLY,
    "wagtail_localize:snippets_api_detail": READ_ONLY,
    "wagtail_localize:submit_page_translation": "submit translation",
    "wagtail_localize:submit_snippet_translation": "submit translation",
    "wagtail_localize:update_translations": "sync",
    "wagtail_localize:edit_string_translation": "translation edit",
    "wagtail_localize:edit_override": "translation edit",
    "wagtail_localize:download_pofile": "translation edit",
    "wagtail_localize:upload_pofile": "translation edit",
    "wagtail_localize:machine_translate": "translation edit",
    "wagtail_localize:preview_translation": "translation edit",
    "wagtail_localize:stop_translation": "translation stop",
    "wagtail_localize:convert_to_alias": "convert to alias",
    # The translation queue (ngo_site.translation_queue.urls)
    "translation_queue:index": "queue",
    "translation_queue:index_results": "queue",
    "translation_queue:assign": "queue",
    "translation_queue:import_po": "queue",
    "translation_queue:send_for_review": "queue",
    "translation_queue:publish_snippet": "queue publish snippet",
    "translation_queue:changes": "queue",
    "translation_queue:comment_segment": "queue comment",
    "translation_queue:resolve_comment": "queue resolve comment",
    "translation_queue:edit_comment": "queue edit comment",
    # Wagtail's page views
    "wagtailadmin_pages:add": "page change",
    "wagtailadmin_pages:preview_on_add": READ_ONLY,
    "wagtailadmin_pages:type_use": READ_ONLY,
    "wagtailadmin_pages:type_use_results": READ_ONLY,
    "wagtailadmin_pages:choose_parent": READ_ONLY,
    "wagtailadmin_pages:usage": READ_ONLY,
    "wagtailadmin_pages:edit": "page change",
    "wagtailadmin_pages:preview_on_edit": READ_ONLY,
    "wagtailadmin_pages:view_draft": READ_ONLY,
    "wagtailadmin_pages:add_subpage": READ_ONLY,
    "wagtailadmin_pages:delete": "page delete",
    "wagtailadmin_pages:unpublish": "page publish",
    "wagtailadmin_pages:convert_alias": "page change",
    "wagtailadmin_pages:search": READ_ONLY,
    "wagtailadmin_pages:search_results": READ_ONLY,
    "wagtailadmin_pages:move": "page move",
    "wagtailadmin_pages:move_confirm": "page move",
    "wagtailadmin_pages:set_page_position": "page move",
    "wagtailadmin_pages:copy": "page change",
    "wagtailadmin_pages:workflow_action": "page publish",
    "wagtailadmin_pages:collect_workflow_action_data": READ_ONLY,
    "wagtailadmin_pages:confirm_workflow_cancellation": READ_ONLY,
    "wagtailadmin_pages:workflow_preview": READ_ONLY,
    "wagtailadmin_pages:set_privacy": "page publish",
    "wagtailadmin_pages:lock": "page lock",
    "wagtailadmin_pages:unlock": "page unlock",
    "wagtailadmin_pages:revisions_index": READ_ONLY,
    "wagtailadmin_pages:revisions_view": READ_ONLY,
    "wagtailadmin_pages:revisions_revert": "page change",
    "wagtailadmin_pages:revisions_unschedule": "page publish",
    "wagtailadmin_pages:revisions_compare": READ_ONLY,
    "wagtailadmin_pages:workflow_history": READ_ONLY,
    "wagtailadmin_pages:workflow_history_detail": READ_ONLY,
    "wagtailadmin_pages:history": READ_ONLY,
    "wagtailadmin_pages:history_results": READ_ONLY,
    # Snippet views of the translatable snippets
    "wagtailsnippets:index": READ_ONLY,
    "snippets:list": READ_ONLY,
    "snippets:list_results": READ_ONLY,
    "snippets:add": "snippet create",
    "snippets:edit": "snippet save",
    "snippets:delete": "snippet delete",
    "snippets:usage": READ_ONLY,
    "snippets:history": READ_ONLY,
    "snippets:history_results": READ_ONLY,
    "snippets:copy": "snippet create",
    "snippets:reorder": "snippet save",
    # Bulk actions (the one pattern "wagtail_bulk_action", dispatching to registered actions)
    "wagtail_bulk_action": "per action: bulk:…",
    "bulk:wagtailcore.page:delete": "page delete",
    "bulk:wagtailcore.page:move": "page move",
    "bulk:wagtailcore.page:publish": "page publish",
    "bulk:wagtailcore.page:unpublish": "page publish",
    "bulk:snippet:delete": "snippet delete",
    "bulk:auth.user:assign_role": OUT_OF_SCOPE,
    "bulk:auth.user:delete": OUT_OF_SCOPE,
    "bulk:auth.user:set_active_state": OUT_OF_SCOPE,
    "bulk:ngo_site.customimage:add_tags": OUT_OF_SCOPE,
    "bulk:ngo_site.customimage:add_to_collection": OUT_OF_SCOPE,
    "bulk:ngo_site.customimage:delete": OUT_OF_SCOPE,
    "bulk:ngo_site.customdocument:add_tags": OUT_OF_SCOPE,
    "bulk:ngo_site.customdocument:add_to_collection": OUT_OF_SCOPE,
    "bulk:ngo_site.customdocument:delete": OUT_OF_SCOPE,
    # The translation queue's bulk actions (ngo_site.translation_queue.bulk_actions)
    "bulk:translation_queue.queueentry:claim": "queue",
    "bulk:translation_queue.queueentry:assign": "queue",
    "bulk:translation_queue.queueentry:review_and_due_date": "queue",
    "bulk:translation_queue.queueentry:sync": "queue",
    "bulk:translation_queue.queueentry:machine_translate": "queue",
    "bulk:translation_queue.queueentry:export_po": "queue",
    "bulk:translation_queue.queueentry:export_xliff": "queue",
    "bulk:translation_queue.queueentry:add_to_job": "queue",
    # The glossary (ngo_site.translation_queue.glossary, a ModelViewSet)
    "glossary:index": "glossary read",
    "glossary:index_results": "glossary read",
    "glossary:add": "glossary propose",
    "glossary:edit": "glossary propose",
    "glossary:delete": "glossary delete",
    "glossary:history": "glossary read",
    "glossary:history_results": "glossary read",
    "glossary:usage": "glossary read",
    # Translation jobs (ngo_site.translation_queue.job_views)
    "translation_jobs:index": "job",
    "translation_jobs:index_results": "job",
    "translation_jobs:add": "job",
    "translation_jobs:edit": "job",
    "translation_jobs:delete": "job",
    "translation_jobs:history": "job",
    "translation_jobs:history_results": "job",
    "translation_jobs:usage": "job",
    "translation_jobs:inspect": "job",
    "translation_jobs:move": "job",
    "translation_jobs:export": "job",
    "translation_jobs:import": "job",
    # The admin API (/admin/api/)
    "wagtailadmin_api:pages:listing": READ_ONLY,
    "wagtailadmin_api:pages:detail": READ_ONLY,
    "wagtailadmin_api:pages:find": READ_ONLY,
    "wagtailadmin_api:pages:action": "per action: api-action:…",
    "wagtailadmin_api:images:listing": READ_ONLY,
    "wagtailadmin_api:images:detail": READ_ONLY,
    "wagtailadmin_api:images:find": READ_ONLY,
    "wagtailadmin_api:documents:listing": READ_ONLY,
    "wagtailadmin_api:documents:detail": READ_ONLY,
    "wagtailadmin_api:documents:find": READ_ONLY,
    "api-action:copy": "page change",
    "api-action:delete": "page delete",
    "api-action:publish": "page publish",
    "api-action:unpublish": "page publish",
    "api-action:move": "page move",
    "api-action:convert_alias": "page change",
    "api-action:copy_for_translation": "submit translation",
    "api-action:create_alias": "page publish",
    "api-action:revert_to_page_revision": "page change",
}
WALKED_NAMESPACES = (
    "wagtail_localize",
    "translation_queue",
    "translation_jobs",
    "glossary",
    "wagtailadmin_pages",
    "wagtailadmin_api",
)


def admin_url_patterns():
    """[(namespace path, url name, route)] of every pattern under /admin/."""
    found = []

    def walk(resolver, route, namespaces):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                walk(pattern, route + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                found.append((":".join(namespaces), pattern.name, route + str(pattern.pattern)))

    walk(get_resolver(), "", ())
    return [item for item in found if item[2].startswith("admin/")]


def classification_keys():
    """The CLASSIFICATION key of every walked admin URL pattern, bulk action and API action,
    with its route (for the failure message)."""
    keys = {}
    snippet_namespaces = {
        f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}"
        for model in translatable_snippet_models()
    }
    for namespace, name, route in admin_url_patterns():
        if namespace in snippet_namespaces:
            keys[f"snippets:{name}"] = route
        elif namespace == "wagtailsnippets" or namespace.split(":")[0] in WALKED_NAMESPACES:
            keys[f"{namespace}:{name}"] = route
        elif name == "wagtail_bulk_action":
            keys[name] = route
    bulk_action_registry._scan_for_bulk_actions()
    snippet_labels = {model._meta.label_lower for model in translatable_snippet_models()}
    for app_label, models in bulk_action_registry.actions.items():
        for model_name, actions in models.items():
            label = f"{app_label}.{model_name}"
            for action in actions:
                if label in snippet_labels:
                    keys[f"bulk:snippet:{action}"] = f"admin/bulk/{label}/{action}/"
                else:
                    keys[f"bulk:{label}:{action}"] = f"admin/bulk/{label}/{action}/"
    for action in PagesAdminAPIViewSet.actions:
        keys[f"api-action:{action}"] = f"admin/api/main/pages/<pk>/action/{action}/"
    return keys


def test_every_admin_view_is_classified():
    keys = classification_keys()
    missing = sorted(
        f"{key}  ({route})" for key, route in keys.items() if key not in CLASSIFICATION
    )
    assert not missing, (
        "classify this new view in CLASSIFICATION of tests/editorial/test_permission_walk.py "
        "(its action in the permission model, or READ_ONLY):\n  " + "\n  ".join(missing)
    )
    stale = sorted(set(CLASSIFICATION) - set(keys))
    assert not stale, f"CLASSIFICATION names views that no longer exist: {stale}"
    # Guard against a resolver walk that silently finds nothing.
    assert len([k for k in keys if k.startswith("wagtail_localize:")]) >= 15
    assert len([k for k in keys if k.startswith("wagtailadmin_pages:")]) >= 30


# --- the cases ---------------------------------------------------------------------------------


@dataclass
class Case:
    key: str  # CLASSIFICATION key
    method: str
    url: str
    action: str  # POLICY action, or READ_ONLY
    locale: str | None  # the language the action touches
    data: dict | None = None
    label: str = ""
    content_type: str | None = None  # for PUT and JSON bodies
    files: dict = field(default_factory=dict)

    def describe(self):
        data = self.data if not isinstance(self.data, (bytes, str)) else self.data[:120]
        return (
            f"{self.key} {self.method} {self.url} [{self.label}] locale={self.locale} "
            f"action={self.action!r} data={data!r}"
        )


def snippet_form_data(instance, **changes):
    """Valid POST data of the snippet's edit form, built from its form class and the row's
    values (StreamFields and inline formsets left empty)."""
    form_class = instance.snippet_viewset.get_form_class(for_update=True)
    form = form_class(instance=instance)
    data = {}
    for name, form_field in form.fields.items():
        value = form[name].value()
        if isinstance(form_field.widget, DraftailRichTextArea):
            data[name] = rich_text(value or "<p>Walk.</p>")
        elif isinstance(form_field, BlockField):
            data[name] = streamfield([])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        else:
            data[name] = value
    for name in getattr(form, "formsets", {}):
        data[name] = inline_formset([])
    for name in ("name", "title"):
        if name in form.fields:
            data[name] = f"{data[name]} (changed)"
            break
    data.update(changes)
    return nested_form_data(data)


def po_upload(translation, name="upload.po"):
    po = translation.export_po()
    for entry in po:
        entry.msgstr = f"uploaded {entry.msgid}"
    return SimpleUploadedFile(name, str(po).encode(), content_type="text/x-gettext-translation")


def queue_po_upload(translations):
    po = exchange.export_po(translations)
    for entry in po:
        entry.msgstr = f"imported {entry.msgid}"
    return SimpleUploadedFile(
        "queue.po", str(po).encode(), content_type="text/x-gettext-translation"
    )


def build_cases(w):
    cases = []

    def add(key, url, locale, get=None, posts=(), label="", puts=(), with_get=True):
        """GET with action `get` (default: the view's classification) and one POST per
        (action, data, label) of `posts` (default: one empty POST)."""
        default = CLASSIFICATION[key]
        if default == READ_ONLY and key.startswith("wagtailadmin_pages:") and locale == EN:
            return  # Wagtail's read-only page views do not depend on the language: French only
        if with_get:
            cases.append(Case(key, "GET", url, get or default, locale, None, label))
        for action, data, post_label in posts or ((default, {}, ""),):
            files = {}
            if isinstance(data, dict):
                files = {k: v for k, v in data.items() if isinstance(v, SimpleUploadedFile)}
            cases.append(
                Case(
                    key,
                    "POST",
                    url,
                    action,
                    locale,
                    data,
                    f"{label} {post_label}".strip(),
                    files=files,
                )
            )
        for action, body, put_label in puts:
            cases.append(
                Case(
                    key,
                    "PUT",
                    url,
                    action,
                    locale,
                    body,
                    f"{label} {put_label}".strip(),
                    content_type="application/x-www-form-urlencoded",
                )
            )

    def page_form(page, **extra):
        return standard_page_form(f"{page.title} (changed)", page.slug, **extra)

    en_page, fr_page = w["en_page"], w["fr_page"]
    pairs = (
        (EN, en_page, w["en_home"], w["en_section"], w["en_draft"]),
        (FR, fr_page, w["fr_home"], w["fr_section"], w["fr_draft"]),
    )
    # A French page that is not a synced translation: Wagtail's own form edits it.
    free_pages = {EN: w["en_new"], FR: w["fr_only"]}

    # --- Wagtail's page views
    for code, page, home, section, draft in pairs:
        p = page.pk
        free = free_pages[code]
        add(
            "wagtailadmin_pages:add",
            reverse("wagtailadmin_pages:add", args=("ngo_site", "standardpage", home.pk)),
            code,
            posts=(
                ("page change", standard_page_form("Walk new", "walk-new"), "save draft"),
                (
                    "page save asking to publish",
                    standard_page_form("Walk new", "walk-new", **{"action-publish": "publish"}),
                    "action-publish",
                ),
                (
                    "page submit for moderation",
                    standard_page_form("Walk new", "walk-new", **{"action-submit": "submit"}),
                    "action-submit",
                ),
            ),
            label=f"under {code} home",
        )
        add(
            "wagtailadmin_pages:preview_on_add",
            reverse(
                "wagtailadmin_pages:preview_on_add", args=("ngo_site", "standardpage", home.pk)
            ),
            code,
            posts=((READ_ONLY, standard_page_form("Walk new", "walk-new"), "preview data"),),
        )
        # In French, a synced translation (wagtail-localize's editor takes the edit view over)
        # and a page of the French tree that is no translation (Wagtail's own form).
        targets = [(page, "synced translation" if code == FR else "source")]
        if code == FR:
            targets.append((free, "own page"))
        for target, target_label in targets:
            add(
                "wagtailadmin_pages:edit",
                reverse("wagtailadmin_pages:edit", args=(target.pk,)),
                code,
                posts=(
                    ("page change", page_form(target), "save draft"),
                    (
                        "page save asking to publish",
                        page_form(target, **{"action-publish": "publish"}),
                        "action-publish",
                    ),
                    (
                        "page save asking to publish",
                        {**page_form(target), "action": "publish"},
                        "localize action=publish",
                    ),
                    (
                        "page submit for moderation",
                        page_form(target, **{"action-submit": "submit"}),
                        "action-submit",
                    ),
                    (
                        "convert to alias",
                        {"localize-convert-to-alias": "on"},
                        "localize-convert-to-alias",
                    ),
                ),
                label=target_label,
            )
        add(
            "wagtailadmin_pages:preview_on_edit",
            reverse("wagtailadmin_pages:preview_on_edit", args=(p,)),
            code,
            posts=((READ_ONLY, page_form(page), "preview data"),),
        )
        add(
            "wagtailadmin_pages:view_draft",
            reverse("wagtailadmin_pages:view_draft", args=(p,)),
            code,
        )
        add("wagtailadmin_pages:usage", reverse("wagtailadmin_pages:usage", args=(p,)), code)
        add(
            "wagtailadmin_pages:add_subpage",
            reverse("wagtailadmin_pages:add_subpage", args=(home.pk,)),
            code,
        )
        for target, target_label in ((draft, "unpublished"), (page, "live")):
            add(
                "wagtailadmin_pages:delete",
                reverse("wagtailadmin_pages:delete", args=(target.pk,)),
                code,
                label=target_label,
            )
        add(
            "wagtailadmin_pages:unpublish", reverse("wagtailadmin_pages:unpublish", args=(p,)), code
        )
        alias = w[f"{code}_alias"]
        add(
            "wagtailadmin_pages:convert_alias",
            reverse("wagtailadmin_pages:convert_alias", args=(alias.pk,)),
            code,
        )
        add("wagtailadmin_pages:move", reverse("wagtailadmin_pages:move", args=(p,)), code)
        for target, target_label in ((page, "live"), (draft, "unpublished")):
            add(
                "wagtailadmin_pages:move_confirm",
                reverse("wagtailadmin_pages:move_confirm", args=(target.pk, section.pk)),
                code,
                label=f"{target_label}, into its section",
            )
        add(
            "wagtailadmin_pages:set_page_position",
            reverse("wagtailadmin_pages:set_page_position", args=(p,)) + "?position=0",
            code,
        )
        add(
            "wagtailadmin_pages:copy",
            reverse("wagtailadmin_pages:copy", args=(p,)),
            code,
            posts=(
                (
                    "page change",
                    {"new_title": "Walk copy", "new_slug": "walk-copy", "new_parent_page": home.pk},
                    "copy",
                ),
                (
                    "page save asking to publish",
                    {
                        "new_title": "Walk copy",
                        "new_slug": "walk-copy",
                        "new_parent_page": home.pk,
                        "publish_copies": "on",
                    },
                    "publish_copies",
                ),
                (
                    "page save asking to publish",
                    {
                        "new_title": "Walk copy",
                        "new_slug": "walk-copy",
                        "new_parent_page": home.pk,
                        "alias": "on",
                    },
                    "alias",
                ),
            ),
        )
        review, task_state = w[f"{code}_review"], w[f"{code}_task_state"]
        for action_name in ("approve", "reject"):
            add(
                "wagtailadmin_pages:workflow_action",
                reverse(
                    "wagtailadmin_pages:workflow_action",
                    args=(review.pk, action_name, task_state.pk),
                ),
                code,
                posts=(("page publish", {"comment": "walk"}, action_name),),
                label=action_name,
            )
            add(
                "wagtailadmin_pages:collect_workflow_action_data",
                reverse(
                    "wagtailadmin_pages:collect_workflow_action_data",
                    args=(review.pk, action_name, task_state.pk),
                ),
                code,
                posts=((READ_ONLY, {"comment": "walk"}, action_name),),
            )
        add(
            "wagtailadmin_pages:confirm_workflow_cancellation",
            reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=(review.pk,)),
            code,
        )
        add(
            "wagtailadmin_pages:workflow_preview",
            reverse("wagtailadmin_pages:workflow_preview", args=(review.pk, task_state.task_id)),
            code,
        )
        add(
            "wagtailadmin_pages:workflow_history",
            reverse("wagtailadmin_pages:workflow_history", args=(review.pk,)),
            code,
        )
        add(
            "wagtailadmin_pages:workflow_history_detail",
            reverse(
                "wagtailadmin_pages:workflow_history_detail",
                args=(review.pk, task_state.workflow_state_id),
            ),
            code,
        )
        add(
            "wagtailadmin_pages:set_privacy",
            reverse("wagtailadmin_pages:set_privacy", args=(p,)),
            code,
            posts=(
                (
                    "page publish",
                    {"restriction_type": "password", "password": "walk-secret"},
                    "password",
                ),
            ),
        )
        add("wagtailadmin_pages:lock", reverse("wagtailadmin_pages:lock", args=(p,)), code)
        add(
            "wagtailadmin_pages:unlock",
            reverse("wagtailadmin_pages:unlock", args=(w[f"{code}_locked"].pk,)),
            code,
        )
        revision = w[f"{code}_page_first_revision"]
        add(
            "wagtailadmin_pages:revisions_index",
            reverse("wagtailadmin_pages:revisions_index", args=(p,)),
            code,
        )
        add(
            "wagtailadmin_pages:revisions_view",
            reverse("wagtailadmin_pages:revisions_view", args=(p, revision.pk)),
            code,
        )
        add(
            "wagtailadmin_pages:revisions_revert",
            reverse("wagtailadmin_pages:revisions_revert", args=(p, revision.pk)),
            code,
            posts=(
                ("page change", page_form(page), "save draft"),
                (
                    "page save asking to publish",
                    page_form(page, **{"action-publish": "publish"}),
                    "action-publish",
                ),
            ),
        )
        scheduled = w[f"{code}_scheduled"]
        add(
            "wagtailadmin_pages:revisions_unschedule",
            reverse(
                "wagtailadmin_pages:revisions_unschedule",
                args=(scheduled.pk, w[f"{code}_scheduled_revision"].pk),
            ),
            code,
        )
        add(
            "wagtailadmin_pages:revisions_compare",
            reverse("wagtailadmin_pages:revisions_compare", args=(p, "earliest", "latest")),
            code,
        )
        add("wagtailadmin_pages:history", reverse("wagtailadmin_pages:history", args=(p,)), code)
        add(
            "wagtailadmin_pages:history_results",
            reverse("wagtailadmin_pages:history_results", args=(p,)),
            code,
        )
    # Moving the English page into the French tree touches the French tree.
    add(
        "wagtailadmin_pages:move_confirm",
        reverse("wagtailadmin_pages:move_confirm", args=(en_page.pk, w["fr_section"].pk)),
        FR,
        label="English page into the French tree",
    )
    for name in ("type_use", "type_use_results"):
        add(
            f"wagtailadmin_pages:{name}",
            reverse(f"wagtailadmin_pages:{name}", args=("ngo_site", "standardpage")),
            None,
        )
    add(
        "wagtailadmin_pages:choose_parent",
        reverse("wagtailadmin_pages:choose_parent", args=("ngo_site", "standardpage")),
        None,
    )
    add("wagtailadmin_pages:search", reverse("wagtailadmin_pages:search") + "?q=about", None)
    add(
        "wagtailadmin_pages:search_results",
        reverse("wagtailadmin_pages:search_results") + "?q=about",
        None,
    )

    # --- snippet views of every translatable snippet model
    cases.append(
        Case("wagtailsnippets:index", "GET", reverse("wagtailsnippets:index"), READ_ONLY, None)
    )
    for model, rows in w["snippets"].items():
        ns = f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}"
        label = model._meta.label
        # Every view of the footer, GET and POST; of the other models (the same views, the same
        # hooks), the edit form and the POSTs: the walk stays short.
        every = model is FooterContent
        for code, row in rows.items():
            other = FR if code == EN else EN
            data = snippet_form_data(row)
            add(
                "snippets:add",
                reverse(f"{ns}:add") + f"?locale={code}",
                code,
                posts=(("snippet create", data, "create"),),
                label=label,
                with_get=every,
            )
            add(
                "snippets:edit",
                reverse(f"{ns}:edit", args=(row.pk,)),
                code,
                get="snippet edit form",
                posts=(
                    ("snippet save", data, "save"),
                    *(
                        (("snippet save", {**data, "action": "publish"}, "action=publish"),)
                        if every
                        else ()
                    ),
                ),
                label=label,
            )
            add(
                "snippets:delete",
                reverse(f"{ns}:delete", args=(row.pk,)),
                code,
                label=label,
                with_get=every,
            )
            # The copy view's form posts to the add view; posted to the copy URL itself, Wagtail's
            # CopyView saves the form on the original row. With ?locale=, the hook that checks
            # the language of a new snippet reads the other language.
            add(
                "snippets:copy",
                reverse(f"{ns}:copy", args=(row.pk,)),
                code,
                posts=(("snippet create", data, "create"),),
                label=label,
                with_get=every,
            )
            add(
                "snippets:copy",
                reverse(f"{ns}:copy", args=(row.pk,)) + f"?locale={other}",
                code,
                posts=(("snippet create", data, f"create, ?locale={other}"),),
                label=label,
                with_get=False,
            )
            try:
                reorder = reverse(f"{ns}:reorder", args=(row.pk,))
            except NoReverseMatch:  # only sortable snippets have one
                reorder = None
            if reorder:
                # The English row is first, the French second: each is moved to the other place.
                position = 1 if code == EN else 0
                add("snippets:reorder", f"{reorder}?position={position}", code, label=label)
            if every:
                for name in ("usage", "history", "history_results"):
                    add(
                        f"snippets:{name}",
                        reverse(f"{ns}:{name}", args=(row.pk,)),
                        code,
                        label=label,
                    )
            add(
                "bulk:snippet:delete",
                reverse(
                    "wagtail_bulk_action",
                    args=(model._meta.app_label, model._meta.model_name, "delete"),
                )
                + f"?id={row.pk}&next=/admin/",
                code,
                label=label,
                with_get=every,
            )
        if every:
            for name in ("list", "list_results"):
                add(f"snippets:{name}", reverse(f"{ns}:{name}"), None, label=label)

    # --- wagtail-localize
    fr_id, en_id = str(w["fr"].pk), str(w["en"].pk)
    add("wagtail_localize:javascript_catalog", reverse("wagtail_localize:javascript_catalog"), None)
    add(
        "wagtail_localize:translations_report",
        reverse("wagtail_localize:translations_report"),
        None,
    )
    add(
        "wagtail_localize:translations_report_results",
        reverse("wagtail_localize:translations_report_results"),
        None,
    )
    add(
        "wagtail_localize:snippets_api_listing",
        reverse("wagtail_localize:snippets_api_listing", args=("ngo_site", "footercontent")),
        None,
    )
    add(
        "wagtail_localize:snippets_api_detail",
        reverse(
            "wagtail_localize:snippets_api_detail",
            args=("ngo_site", "footercontent", w["en_footer"].pk),
        ),
        None,
    )
    for page, code, other_id in ((w["en_new"], FR, fr_id), (w["fr_only"], EN, en_id)):
        add(
            "wagtail_localize:submit_page_translation",
            reverse("wagtail_localize:submit_page_translation", args=(page.pk,)),
            code,
            posts=(
                ("submit translation", {"locales": [other_id]}, f"into {code}"),
                (
                    "submit translation",
                    {"locales": [other_id], "include_subtree": "on"},
                    f"into {code}, subtree",
                ),
            ),
            label=page.title,
        )
    # Starting a translation of a page whose French exists must not re-save that French.
    add(
        "wagtail_localize:submit_page_translation",
        reverse("wagtail_localize:submit_page_translation", args=(w["en_home"].pk,)),
        FR,
        posts=(
            (
                "submit translation",
                {"locales": [fr_id], "include_subtree": "on"},
                "home into fr, subtree",
            ),
        ),
        label="English home (French exists)",
    )
    for row, code, other_id in ((w["en_footer_new"], FR, fr_id), (w["fr_footer_only"], EN, en_id)):
        add(
            "wagtail_localize:submit_snippet_translation",
            reverse(
                "wagtail_localize:submit_snippet_translation",
                args=("ngo_site", "footercontent", row.pk),
            ),
            code,
            posts=(("submit translation", {"locales": [other_id]}, f"into {code}"),),
            label=str(row),
        )
    for source_name, code in (
        ("page_source_en", FR),
        ("page_source_fr", EN),
        ("footer_to_fr", FR),
        ("footer_to_en", EN),
    ):
        source = w[source_name] if source_name.startswith("page") else w[source_name].source
        add(
            "wagtail_localize:update_translations",
            reverse("wagtail_localize:update_translations", args=(source.pk,)),
            code,
            posts=(
                ("sync", {}, "sync"),
                ("sync", {"use_machine_translation": "on"}, "sync, machine translation"),
                ("sync and publish", {"publish_translations": "on"}, "publish_translations"),
            ),
            label=source_name,
        )
    for name, code in (
        ("page_to_fr", FR),
        ("page_to_en", EN),
        ("footer_to_fr", FR),
        ("footer_to_en", EN),
    ):
        translation = w[name]
        t = translation.pk
        string = w[f"{name}_string"]
        add(
            "wagtail_localize:edit_string_translation",
            reverse("wagtail_localize:edit_string_translation", args=(t, string.pk)),
            code,
            puts=(("translation edit", urlencode({"value": "walked"}), "value"),),
            label=name,
        )
        override = w[f"{name}_override"]
        if override is not None:
            add(
                "wagtail_localize:edit_override",
                reverse("wagtail_localize:edit_override", args=(t, override.pk)),
                code,
                puts=(
                    (
                        "translation edit",
                        urlencode({"value": "https://example.org/walked"}),
                        "value",
                    ),
                ),
                label=name,
            )
        add(
            "wagtail_localize:download_pofile",
            reverse("wagtail_localize:download_pofile", args=(t,)),
            code,
            label=name,
        )
        add(
            "wagtail_localize:upload_pofile",
            reverse("wagtail_localize:upload_pofile", args=(t,)),
            code,
            posts=(("translation edit", {"file": po_upload(translation)}, "PO file"),),
            label=name,
        )
        add(
            "wagtail_localize:machine_translate",
            reverse("wagtail_localize:machine_translate", args=(t,)),
            code,
            label=name,
        )
        add(
            "wagtail_localize:preview_translation",
            reverse("wagtail_localize:preview_translation", args=(t,)),
            code,
            label=name,
        )
        add(
            "wagtail_localize:stop_translation",
            reverse("wagtail_localize:stop_translation", args=(t,)),
            code,
            label=name,
        )
    for page, code in ((fr_page, FR), (w["en_from_fr"], EN)):
        add(
            "wagtail_localize:convert_to_alias",
            reverse("wagtail_localize:convert_to_alias", args=(page.pk,)),
            code,
            posts=(("convert to alias", {}, ""), ("convert to alias", {"next": "/admin/"}, "next")),
            label=page.title,
        )

    # --- the translation queue
    queue = "/admin/translation-queue/"
    add("translation_queue:index", reverse("translation_queue:index"), None)
    add("translation_queue:index_results", reverse("translation_queue:index_results"), None)
    add(
        "translation_queue:changes",
        reverse("translation_queue:changes", args=(en_page.translation_key,)) + "?locale=fr",
        FR,
    )
    rows_fr = f"{en_page.translation_key}:{w['fr'].pk}"
    footer_fr = f"{w['en_footer'].translation_key}:{w['fr'].pk}"
    add(
        "translation_queue:assign",
        reverse("translation_queue:assign"),
        FR,
        posts=(
            (
                "queue",
                {
                    "translation_key": en_page.translation_key,
                    "locale": "fr",
                    "assignee": "me",
                    "next": queue,
                },
                "claim fr",
            ),
            (
                "queue",
                {
                    "translation_key": w["fr_origin"].translation_key,
                    "locale": "en",
                    "assignee": "me",
                    "next": queue,
                },
                "claim en",
            ),
        ),
    )
    selected = "&".join(f"id={quote(row)}" for row in (rows_fr, footer_fr))
    forms = {
        "assign": {"assignee": ""},
        "review_and_due_date": {"reviewer": "", "due_date": ""},
        "add_to_job": {"job": "", "name": "Walk job"},
    }
    for action in (
        "claim",
        "assign",
        "review_and_due_date",
        "sync",
        "machine_translate",
        "export_po",
        "export_xliff",
        "add_to_job",
    ):
        add(
            f"bulk:translation_queue.queueentry:{action}",
            reverse("wagtail_bulk_action", args=("translation_queue", "queueentry", action))
            + f"?{selected}&next={queue}",
            FR,
            posts=(("queue", forms.get(action, {}), action),),
        )
    add(
        "translation_queue:import_po",
        reverse("translation_queue:import_po"),
        FR,
        posts=(
            (
                "queue",
                {"file": queue_po_upload([w["page_to_fr"], w["footer_to_fr"]])},
                "PO of French targets",
            ),
        ),
    )
    add(
        "translation_queue:import_po",
        reverse("translation_queue:import_po"),
        EN,
        posts=(
            (
                "queue",
                {"file": queue_po_upload([w["page_to_en"], w["footer_to_en"]])},
                "PO of English targets",
            ),
        ),
    )
    for page, code in ((fr_page, FR), (w["fr_only"], FR), (en_page, EN), (w["en_from_fr"], EN)):
        add(
            "translation_queue:send_for_review",
            reverse("translation_queue:send_for_review", args=(page.pk,)),
            code,
            posts=(("queue", {"next": queue}, ""),),
            label=page.title,
        )
    for name, code in (("footer_to_fr", FR), ("footer_to_en", EN)):
        add(
            "translation_queue:publish_snippet",
            reverse("translation_queue:publish_snippet", args=(w[name].pk,)),
            code,
            posts=(("queue publish snippet", {"next": queue}, ""),),
            label=name,
        )

    for name, code in (("page_to_fr", FR), ("page_to_en", EN)):
        segment = StringSegment.objects.filter(source=w[name].source).first()
        add(
            "translation_queue:comment_segment",
            reverse("translation_queue:comment_segment", args=(w[name].pk,)),
            code,
            posts=(("queue comment", {"segment": segment.pk, "text": "Walk.", "next": queue}, ""),),
            label=name,
        )
        comment = SegmentComment.objects.create(
            translation_key=w[name].source.object_id,
            target_locale=w[name].target_locale,
            segment_path=segment.context.path,
            source_text=segment.string.data,
            text="Walk.",
        )
        add(
            "translation_queue:resolve_comment",
            reverse("translation_queue:resolve_comment", args=(comment.pk,)),
            code,
            posts=(("queue resolve comment", {"next": queue}, ""),),
            label=name,
        )
        add(
            "translation_queue:edit_comment",
            reverse("translation_queue:edit_comment", args=(comment.pk,)),
            code,
            posts=(
                ("queue edit comment", {"text": "Walk (edited).", "next": queue}, "new text"),
                (READ_ONLY, {"text": "  ", "next": queue}, "empty text"),
            ),
            label=name,
        )

    # --- the glossary: a French term proposed and one approved, an English one (no glossary)
    def term_form(term=None, locale=None, **changes):
        data = {"source_term": "walk new term", "translation": "nouveau terme", "note": ""}
        if term is not None:
            data = {
                "source_term": term.source_term,
                "translation": f"{term.translation} (changed)",
                "note": "walk",
                "status": term.status,
            }
        data["locale"] = (locale or term.locale).pk
        return {"status": "proposed", **data, **changes}

    glossary_terms = (
        (FR, w["fr_term_proposed"], "proposed"),
        (FR, w["fr_term_approved"], "approved"),
        (EN, w["en_term"], "English"),
    )
    for name in ("index", "index_results"):
        add(f"glossary:{name}", reverse(f"glossary:{name}"), None)
    add(
        "glossary:add",
        reverse("glossary:add"),
        FR,
        posts=(
            ("glossary propose", term_form(locale=w["fr"]), "proposed French"),
            ("glossary approve", term_form(locale=w["fr"], status="approved"), "approved French"),
        ),
    )
    add(
        "glossary:add",
        reverse("glossary:add"),
        EN,
        posts=(("glossary propose", term_form(locale=w["en"]), "proposed English"),),
        with_get=False,
    )
    for code, term, label in glossary_terms:
        changing = "glossary approve" if term.status == "approved" else "glossary propose"
        add(
            "glossary:edit",
            reverse("glossary:edit", args=(term.pk,)),
            code,
            get=changing,
            posts=(
                (changing, term_form(term), "change"),
                ("glossary approve", term_form(term, status="approved"), "approve"),
            ),
            label=label,
        )
        add("glossary:delete", reverse("glossary:delete", args=(term.pk,)), code, label=label)
        for name in ("history", "history_results", "usage"):
            add(f"glossary:{name}", reverse(f"glossary:{name}", args=(term.pk,)), code, label=label)

    # --- translation jobs: one into French, one into English (translators have no rights on it)
    jobs_index = reverse("translation_jobs:index")
    add("translation_jobs:index", jobs_index, None)
    add("translation_jobs:index_results", reverse("translation_jobs:index_results"), None)
    add(
        "translation_jobs:add",
        reverse("translation_jobs:add"),
        FR,
        posts=(("job", {"name": "Walk job", "target_locale": w["fr"].pk}, "new French job"),),
    )
    for code, job, translation in (
        (FR, w["fr_job"], w["page_to_fr"]),
        (EN, w["en_job"], w["page_to_en"]),
    ):
        pk = job.pk
        add("translation_jobs:inspect", reverse("translation_jobs:inspect", args=[pk]), code)
        add(
            "translation_jobs:edit",
            reverse("translation_jobs:edit", args=[pk]),
            code,
            posts=(
                (
                    "job",
                    {"name": "Walk (changed)", "target_locale": job.target_locale_id},
                    "rename",
                ),
            ),
        )
        add("translation_jobs:delete", reverse("translation_jobs:delete", args=[pk]), code)
        for name in ("history", "history_results", "usage"):
            add(f"translation_jobs:{name}", reverse(f"translation_jobs:{name}", args=[pk]), code)
        add(
            "translation_jobs:move",
            reverse("translation_jobs:move", args=[pk]),
            code,
            posts=(("job", {"status": "in_progress"}, "start"),),
        )
        for file_type in ("po", "xliff"):
            add(
                "translation_jobs:export",
                reverse("translation_jobs:export", args=[pk, file_type]),
                code,
                label=file_type,
            )
        add(
            "translation_jobs:import",
            reverse("translation_jobs:import", args=[pk]),
            code,
            posts=(("job", {"file": queue_po_upload([translation])}, "PO of the job"),),
        )

    # --- bulk actions on pages
    def bulk(action, *pages):
        ids = "&".join(f"id={page.pk}" for page in pages)
        return (
            reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
            + f"?{ids}&next=/admin/"
        )

    for code, page, _home, section, draft in pairs:
        add("bulk:wagtailcore.page:delete", bulk("delete", draft), code, label="unpublished")
        add("bulk:wagtailcore.page:delete", bulk("delete", page), code, label="live")
        add(
            "bulk:wagtailcore.page:move",
            bulk("move", page),
            code,
            posts=(("page move", {"chooser": section.pk}, "into its section"),),
        )
        add(
            "bulk:wagtailcore.page:publish",
            bulk("publish", w[f"{code}_scheduled"], draft),
            code,
            posts=(("page publish", {"include_descendants": "on"}, ""),),
        )
        add(
            "bulk:wagtailcore.page:unpublish",
            bulk("unpublish", page),
            code,
            posts=(("page publish", {"include_descendants": "on"}, ""),),
        )
    add(
        "bulk:wagtailcore.page:move",
        bulk("move", en_page),
        FR,
        posts=(
            ("page move", {"chooser": w["fr_section"].pk}, "English page into the French tree"),
        ),
    )

    # --- the admin API
    api = "/admin/api/main/"
    for kind in ("pages", "images", "documents"):
        add(f"wagtailadmin_api:{kind}:listing", f"{api}{kind}/", None)
        add(f"wagtailadmin_api:{kind}:find", f"{api}{kind}/find/?id=1", None)
        if kind != "pages":  # no image or document here: a 404, but never a server error
            add(f"wagtailadmin_api:{kind}:detail", f"{api}{kind}/1/", None)
    add("wagtailadmin_api:pages:detail", f"{api}pages/{en_page.pk}/", EN)
    add("wagtailadmin_api:pages:detail", f"{api}pages/{fr_page.pk}/", FR)

    def api_action(action, page, locale, payload, label=""):
        url = f"{api}pages/{page.pk}/action/{action}/"
        key = f"api-action:{action}"
        cases.append(Case(key, "GET", url, CLASSIFICATION[key], locale, None, label))
        cases.append(
            Case(
                key,
                "POST",
                url,
                CLASSIFICATION[key],
                locale,
                json.dumps(payload),
                label,
                content_type="application/json",
            )
        )

    for code, page, home, section, draft in pairs:
        api_action(
            "copy",
            page,
            code,
            {
                "destination_page_id": home.pk,
                "update_attrs": {"title": "API copy", "slug": "api-copy"},
            },
        )
        api_action("delete", draft, code, {}, "unpublished")
        api_action("delete", page, code, {}, "live")
        api_action("publish", free_pages[code], code, {})
        api_action("unpublish", page, code, {})
        api_action(
            "move", page, code, {"destination_page_id": section.pk, "position": "last-child"}
        )
        api_action("convert_alias", w[f"{code}_alias"], code, {})
        api_action(
            "create_alias",
            free_pages[code],
            code,
            {"destination_page_id": section.pk, "update_slug": "api-alias"},
        )
        api_action(
            "revert_to_page_revision",
            page,
            code,
            {"revision_id": w[f"{code}_page_first_revision"].pk},
        )
    api_action("copy_for_translation", w["en_new"], FR, {"locale": "fr"}, "into fr")
    api_action("copy_for_translation", w["fr_only"], EN, {"locale": "en"}, "into en")
    api_action(
        "move",
        en_page,
        FR,
        {"destination_page_id": w["fr_section"].pk, "position": "last-child"},
        "English page into the French tree",
    )
    return cases


# --- the walk ---------------------------------------------------------------------------------


class Rollback(Exception):
    """Raised to roll a case's savepoint back."""


def send(client, case):
    if case.method == "GET":
        return client.get(case.url)
    if case.method == "PUT":
        return client.put(case.url, case.data, content_type=case.content_type)
    if case.content_type:
        return client.post(case.url, case.data, content_type=case.content_type)
    data = dict(case.data or {})
    for name, upload in case.files.items():
        upload.seek(0)
        data[name] = upload
    return client.post(case.url, data)


def publication_changes(before, after):
    """What visitors see that changed; new snippet rows (a translation started) are not
    counted: they are new rows, not changes of what the site showed."""
    old, new = published(before), published(after)
    new["snippets"] = {
        label: {pk: row for pk, row in rows.items() if pk in old["snippets"].get(label, {})}
        for label, rows in new["snippets"].items()
    }
    return differences(old, new)


def attempt(client, case, capture_on_commit, baseline=None):
    """Send the case's request in a savepoint, run the on-commit callbacks it registered, and
    roll everything back: (status or exception text, snapshot after it, or None when
    `baseline` is False: not wanted). The database is the same before every case (each is
    rolled back), so the snapshot before it is taken once per walk."""
    outcome = {}
    try:
        with transaction.atomic():
            try:
                with capture_on_commit(execute=True):
                    response = send(client, case)
                outcome["status"] = response.status_code
            except Exception as error:
                outcome["status"] = f"{type(error).__name__}: {error}"
                raise Rollback from error
            outcome["after"] = snapshot() if baseline is not False else None
            raise Rollback
    except Rollback:
        pass
    finally:
        cache.clear()
    return outcome["status"], outcome.get("after")


def run_case(client, case, role, capture_on_commit, baseline):
    """(expectation, list of problems) of one case."""
    expected = expectation(case.action, role, case.locale)
    # An allowed case is only checked for server errors: no snapshot to take.
    status, after = attempt(
        client, case, capture_on_commit, baseline if expected != ALLOWED else False
    )
    problems = []
    if isinstance(status, str) or status >= 500:
        problems.append(f"server error: {status}")
    if after is None:
        return expected, problems
    if expected in (REFUSED, UNCHANGED):
        changed = differences(baseline, after)
    elif expected == DRAFT_ONLY:
        changed = publication_changes(baseline, after)
    else:
        changed = []
    if changed:
        what = "changed content" if expected != DRAFT_ONLY else "changed what visitors see"
        problems.append(f"{expected} but {what} ({status}): " + "; ".join(changed))
    return expected, problems


@pytest.fixture
def world(trees, english, french):
    w = build_world(trees, english, french)
    for code, locale, source in (("fr", french, w["en_page"]), ("en", english, w["fr_origin"])):
        job = TranslationJob.objects.create(name=f"Walk {code}", target_locale=locale)
        job.items.create(translation_key=source.translation_key, title=source.title)
        w[f"{code}_job"] = job
    refresh_pending()  # the jobs follow their items before the walk's baseline is taken
    return w


@pytest.fixture
def role_users(make_user):
    from ngo_site import roles

    names = {
        EDITOR: roles.COMMUNICATIONS_EDITORS,
        TRANSLATOR: roles.TRANSLATORS,
        MODERATOR: roles.MODERATORS,
        ADMINISTRATOR: roles.ADMINISTRATORS,
    }
    return {role: make_user(name) for role, name in names.items()}


@pytest.mark.one_database  # refusals are decided before any write: the same on both databases
@pytest.mark.parametrize("role", ROLES)
def test_no_refused_action_changes_anything(
    role, world, role_users, client, django_capture_on_commit_callbacks
):
    cases = build_cases(world)
    walked = {case.key for case in cases}
    unwalked = sorted(
        key
        for key, action in CLASSIFICATION.items()
        if key not in walked and action != OUT_OF_SCOPE and not action.startswith("per action")
    )
    assert not unwalked, f"classified views without a case: {unwalked}"
    client.force_login(role_users[role])
    baseline = snapshot()
    failures, tally = [], {}
    started = time.monotonic()
    timings = {}
    for case in cases:
        case_started = time.monotonic()
        expected, problems = run_case(
            client, case, role, django_capture_on_commit_callbacks, baseline
        )
        timings[case.key] = timings.get(case.key, 0) + time.monotonic() - case_started
        tally[expected] = tally.get(expected, 0) + 1
        failures.extend(f"{role}: {case.describe()}\n    -> {problem}" for problem in problems)
    seconds = time.monotonic() - started
    assert snapshot() == baseline, "the cases' savepoints did not roll everything back"
    print(f"{role}: {len(cases)} cases in {seconds:.1f} s, {tally}")
    slowest = sorted(timings.items(), key=lambda item: -item[1])[:5]
    print("slowest views:", ", ".join(f"{key} {spent:.1f} s" for key, spent in slowest))
    assert not failures, f"{len(failures)} of {len(cases)} cases failed:\n" + "\n".join(failures)


# --- allowed actions really happen (the walk cannot pass by refusing everything) -------------


def page_row(state, pk):
    row = next((row for row in state["pages"] if row[0] == pk), None)
    return None if row is None else dict(zip(PAGE_FIELDS, row, strict=True))


def glossary_row(state, pk):
    return next((row for row in state["glossary terms"] if row[0] == pk), None)


@pytest.mark.one_database  # who may open a view is decided before any query of the terms
@pytest.mark.parametrize("role", ROLES)
def test_glossary_views_open_for_whom_the_policy_allows(
    role, world, role_users, client, django_capture_on_commit_callbacks
):
    """Every glossary GET of the walk: a page for those the policy allows, a refusal (Wagtail's
    redirect to the dashboard, 403 or 404) for the others."""
    client.force_login(role_users[role])
    failures = []
    glossary_gets = [
        case
        for case in build_cases(world)
        if case.key.startswith("glossary:") and case.method == "GET"
    ]
    assert len(glossary_gets) >= 15
    for case in glossary_gets:
        expected = expectation(case.action, role, case.locale)
        status, _after = attempt(client, case, django_capture_on_commit_callbacks, False)
        opened = status == 200
        if opened != (expected == ALLOWED) or status not in (200, 302, 403, 404):
            failures.append(f"{role}: {case.describe()} -> {status}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_allowed_actions_take_effect(world, role_users, client, django_capture_on_commit_callbacks):
    w = world
    cases = build_cases(w)
    baseline = snapshot()

    def case(key, method, label="", locale=None):
        found = [
            c
            for c in cases
            if c.key == key
            and c.method == method
            and label in c.label
            and (locale is None or c.locale == locale)
        ]
        assert found, (key, method, label, locale)
        return found[0]

    fr_review, fr_only = w["fr_review"].pk, w["fr_only"].pk

    def new_french_page_of(after):
        return any(
            row["translation_key"] == w["en_new"].translation_key and row["locale_id"] == w["fr"].pk
            for row in (dict(zip(PAGE_FIELDS, r, strict=True)) for r in after["pages"])
        )

    checks = [
        (
            MODERATOR,
            case("wagtailadmin_pages:workflow_action", "POST", "approve", FR),
            "approving the French page in review publishes it",
            lambda after: page_row(after, fr_review)["title"] == "In review fr, changed",
        ),
        (
            MODERATOR,
            case("wagtailadmin_pages:edit", "POST", "own page action-publish", FR),
            "a moderator publishes a French page",
            lambda after: page_row(after, fr_only)["title"].endswith("(changed)"),
        ),
        (
            TRANSLATOR,
            case("wagtailadmin_pages:edit", "POST", "own page save draft", FR),
            "a translator saves a draft of a French page, which stays unpublished",
            lambda after: (
                page_row(after, fr_only)["draft_title"].endswith("(changed)")
                and page_row(after, fr_only)["title"] == w["fr_only"].title
                and page_row(after, fr_only)["has_unpublished_changes"]
            ),
        ),
        (
            TRANSLATOR,
            case("wagtailadmin_pages:edit", "POST", "own page action-publish", FR),
            "a translator asking to publish saves a draft only",
            lambda after: (
                page_row(after, fr_only)["draft_title"].endswith("(changed)")
                and page_row(after, fr_only)["title"] == w["fr_only"].title
            ),
        ),
        (
            TRANSLATOR,
            case("wagtail_localize:submit_page_translation", "POST", "into fr", FR),
            "a translator starts a French translation",
            new_french_page_of,
        ),
        (
            TRANSLATOR,
            case("wagtail_localize:edit_string_translation", "PUT", "page_to_fr", FR),
            "a translator translates a string of a French translation",
            lambda after: any(row[-1] == "walked" for row in after["string translations"]),
        ),
        (
            TRANSLATOR,
            case("translation_queue:send_for_review", "POST", w["fr_page"].title, FR),
            "a translator sends a French page for review",
            lambda after: len(after["workflow states"]) > len(baseline["workflow states"]),
        ),
        (
            TRANSLATOR,
            case("bulk:translation_queue.queueentry:claim", "POST", "claim", FR),
            "a translator claims French rows of the queue with a bulk action",
            lambda after: len(after["assignments"]) > len(baseline["assignments"]),
        ),
        (
            EDITOR,
            case("wagtailadmin_pages:add", "POST", "save draft", EN),
            "an editor adds an English page",
            lambda after: any(row[1] == "Walk new" for row in after["pages"]),
        ),
        (
            EDITOR,
            case("snippets:edit", "POST", "ngo_site.FooterContent save", EN),
            "an editor changes the English footer",
            lambda after: (
                after["snippets"]["ngo_site.FooterContent"][w["en_footer"].pk][3]
                == "Footer (changed)"
            ),
        ),
        (
            EDITOR,
            case("wagtailadmin_pages:move_confirm", "POST", "unpublished, into its section", EN),
            "an editor moves an unpublished English page",
            lambda after: page_row(after, w["en_draft"].pk)["url_path"].startswith(
                "/home/section/"
            ),
        ),
        (
            MODERATOR,
            case("wagtail_localize:stop_translation", "POST", "page_to_fr", FR),
            "a moderator stops a French translation",
            lambda after: (
                (w["page_to_fr"].pk, w["page_source_en"].pk, w["fr"].pk, False)
                in after["translations"]
            ),
        ),
        (
            ADMINISTRATOR,
            case("snippets:delete", "POST", "ngo_site.FooterContent", FR),
            "an administrator deletes the French footer",
            lambda after: w["fr_footer"].pk not in after["snippets"]["ngo_site.FooterContent"],
        ),
        (
            MODERATOR,
            case("translation_queue:edit_comment", "POST", "page_to_fr new text", FR),
            "a moderator edits a comment on a French translation, which records the edit",
            lambda after: any(
                row[2] == "Walk (edited)." and row[4] is not None and row[5] is not None
                for row in after["segment comments"]
            ),
        ),
        (
            TRANSLATOR,
            case("glossary:add", "POST", "proposed French", FR),
            "a translator proposes a French glossary term",
            lambda after: any(
                row[1:3] == ("walk new term", w["fr"].pk) and row[5] == "proposed"
                for row in after["glossary terms"]
            ),
        ),
        (
            TRANSLATOR,
            case("glossary:edit", "POST", "proposed change", FR),
            "a translator changes a proposed French term",
            lambda after: glossary_row(after, w["fr_term_proposed"].pk)[3].endswith("(changed)"),
        ),
        (
            MODERATOR,
            case("glossary:edit", "POST", "proposed approve", FR),
            "a moderator approves a proposed French term",
            lambda after: glossary_row(after, w["fr_term_proposed"].pk)[5] == "approved",
        ),
        (
            MODERATOR,
            case("glossary:edit", "POST", "approved change", FR),
            "a moderator changes an approved French term",
            lambda after: glossary_row(after, w["fr_term_approved"].pk)[3].endswith("(changed)"),
        ),
        (
            ADMINISTRATOR,
            case("glossary:delete", "POST", "approved", FR),
            "an administrator deletes an approved French term",
            lambda after: glossary_row(after, w["fr_term_approved"].pk) is None,
        ),
    ]
    logged_in = None
    failures = []
    for role, allowed_case, description, took_effect in checks:
        assert expectation(allowed_case.action, role, allowed_case.locale) != REFUSED, description
        if logged_in != role:
            client.force_login(role_users[role])
            logged_in = role
        status, after = attempt(client, allowed_case, django_capture_on_commit_callbacks)
        if isinstance(status, str) or status >= 400 or not took_effect(after):
            failures.append(
                f"{role}: {description}: {allowed_case.describe()} -> {status}; "
                + "; ".join(differences(baseline, after))[:600]
            )
    assert not failures, "\n".join(failures)
