"""The objects and database snapshots of tests/editorial/test_permission_walk.py.

`build_world()` makes, through the library's own models, an English and a French tree with
wagtail-localize translations in both directions (pages and the footer snippet), pages in the
moderation workflow, a scheduled revision, locked pages, aliases, and an English and a French
row of every translatable snippet. `snapshot()` reads what a content-changing view could have
changed; `published()` only what visitors see.
"""

from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import (
    Page,
    PageViewRestriction,
    Revision,
    TaskState,
    TranslatableMixin,
    WorkflowState,
)
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from ngo_site.models import FooterContent, StandardPage
from ngo_site.translation_queue.models import (
    GlossaryTerm,
    SegmentComment,
    TranslationAssignment,
    TranslationJob,
    TranslationJobEvent,
    TranslationJobItem,
)
from tests.site.factories import FooterContentFactory, StandardPageFactory

LINKED_PARAGRAPH = '<p>Read <a href="https://example.org/report">our report</a>.</p>'


def translatable_snippet_models():
    return [model for model in get_snippet_models() if issubclass(model, TranslatableMixin)]


def body(*paragraphs):
    return [{"type": "paragraph", "value": paragraph} for paragraph in paragraphs]


def translate(instance, locale, user=None, publish=True):
    """Translate `instance` into `locale` with wagtail-localize (every string given a French
    or English text), and return (Translation, target instance)."""
    source, _created = TranslationSource.get_or_create_from_instance(instance)
    translation = Translation.objects.create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = f"[{locale.language_code}] {entry.msgid}"
    translation.import_po(po)
    # save_target(publish=True) publishes in transaction.on_commit, which the test's
    # transaction never reaches: publish the page's revision here.
    is_page = issubclass(source.specific_content_type.model_class(), Page)
    # A snippet without drafts is saved "published" (its only way to be saved).
    translation.save_target(user=user, publish=not is_page)
    target = translation.get_target_instance()
    if isinstance(target, Page) and publish:
        target = Page.objects.get(pk=target.pk).specific
        target.get_latest_revision().publish()
        target = Page.objects.get(pk=target.pk).specific
    return translation, target


def _snippet_row(model, locale, label):
    """A new row of a translatable snippet model in `locale`, with its required fields filled."""
    if model is FooterContent:
        return FooterContentFactory(
            locale=locale,
            name=label,
            social_links=[
                {"type": "link", "value": {"label": "Site", "page": None, "url": "https://x.org"}}
            ],
        )
    values = {"locale": locale}
    if any(field.name == "sort_order" for field in model._meta.fields):
        # As the admin numbers them; the English row first.
        values["sort_order"] = 0 if locale.language_code == "en" else 1
    for field in model._meta.concrete_fields:
        if field.name in ("id", "locale", "translation_key", "sort_order") or field.null:
            continue
        if field.has_default() or field.blank:
            continue
        if field.get_internal_type() in ("CharField", "TextField", "SlugField"):
            values[field.name] = f"{label} {field.name}"[: field.max_length or 100]
        elif field.get_internal_type() in ("PositiveSmallIntegerField", "IntegerField"):
            values[field.name] = 2020
    return model.objects.create(**values)


def build_world(trees, english, french):
    """Every object the walk's URLs point at, by name (ids are read from here)."""
    admin = get_user_model().objects.create_superuser(
        "walk-admin", "walk-admin@example.org", "not-used"
    )
    en_home, fr_home = trees["en_home"], trees["fr_home"]
    w = {"admin": admin, "en": english, "fr": french, "en_home": en_home, "fr_home": fr_home}

    def page(parent, title, publish=True, **kwargs):
        return StandardPageFactory(parent=parent, title=title, publish=publish, **kwargs)

    # The English page and its wagtail-localize translation into French (the trees fixture's
    # French page, same translation key, becomes the translation's target).
    en_page = trees["en_page"]
    en_page.body = body("<p>Our network.</p>", LINKED_PARAGRAPH)
    en_page.save_revision().publish()
    w["en_page"] = Page.objects.get(pk=en_page.pk).specific
    w["page_to_fr"], w["fr_page"] = translate(w["en_page"], french, admin)
    w["page_source_en"] = w["page_to_fr"].source
    # A French page translated into English: the English page is a translation's target.
    w["fr_origin"] = page(fr_home, "Origine", body=body("<p>Notre réseau.</p>"))
    w["page_to_en"], w["en_from_fr"] = translate(w["fr_origin"], english, admin)
    w["page_source_fr"] = w["page_to_en"].source
    # Pages without a translation, to start one; drafts, to delete; sections to move into.
    w["en_new"] = page(en_home, "New campaign")
    w["fr_only"] = page(fr_home, "Seulement en français")
    w["en_draft"] = page(en_home, "Draft", publish=False, live=False)
    w["fr_draft"] = page(fr_home, "Brouillon", publish=False, live=False)
    w["en_section"] = page(en_home, "Section")
    w["fr_section"] = page(fr_home, "Rubrique")
    # In the moderation workflow ("Moderators approval"), each with its task state.
    for code, parent in (("en", en_home), ("fr", fr_home)):
        in_review = page(parent, f"In review {code}")
        in_review.title = f"In review {code}, changed"
        in_review.save_revision(user=admin)
        in_review.get_workflow().start(in_review, admin)
        in_review = Page.objects.get(pk=in_review.pk).specific
        w[f"{code}_review"] = in_review
        w[f"{code}_task_state"] = TaskState.objects.get(
            workflow_state__object_id=str(in_review.pk),
            status=TaskState.STATUS_IN_PROGRESS,
        )
        # A revision scheduled to go live next week.
        scheduled = page(parent, f"Scheduled {code}")
        revision = scheduled.save_revision(user=admin)
        revision.approved_go_live_at = timezone.now() + timedelta(days=7)
        revision.save()
        w[f"{code}_scheduled"] = Page.objects.get(pk=scheduled.pk).specific
        w[f"{code}_scheduled_revision"] = revision
        # Locked by the administrator.
        locked = page(parent, f"Locked {code}")
        locked.locked, locked.locked_by, locked.locked_at = True, admin, timezone.now()
        locked.save()
        w[f"{code}_locked"] = locked
    # Aliases (Wagtail's "convert alias" turns one into an ordinary page).
    w["en_alias"] = w["en_new"].create_alias(parent=w["en_section"], update_slug="new-alias")
    w["fr_alias"] = w["fr_only"].create_alias(parent=w["fr_section"], update_slug="alias-fr")
    for key in ("en_page", "fr_page"):
        w[f"{key}_first_revision"] = Revision.page_revisions.filter(
            object_id=str(w[key].pk)
        ).earliest("created_at")

    # The footer: English translated into French, French translated into English, and one of
    # each language without a translation.
    w["en_footer"] = _snippet_row(FooterContent, english, "Footer")
    w["footer_to_fr"], w["fr_footer"] = translate(w["en_footer"], french, admin)
    w["fr_footer_origin"] = _snippet_row(FooterContent, french, "Pied de page")
    w["footer_to_en"], w["en_footer_from_fr"] = translate(w["fr_footer_origin"], english, admin)
    w["en_footer_new"] = _snippet_row(FooterContent, english, "Footer new")
    w["fr_footer_only"] = _snippet_row(FooterContent, french, "Pied seul")
    # Every translatable snippet model: an English row and its French copy.
    w["snippets"] = {}
    for model in translatable_snippet_models():
        if model is FooterContent:
            w["snippets"][model] = {"en": w["en_footer"], "fr": w["fr_footer"]}
            continue
        en_row = _snippet_row(model, english, f"{model._meta.model_name} en")
        fr_row = en_row.copy_for_translation(french)
        if hasattr(fr_row, "sort_order"):
            fr_row.sort_order = 1
        fr_row.save()
        w["snippets"][model] = {"en": en_row, "fr": fr_row}

    # The glossary: a proposed and an approved French term, and an English one (English is the
    # source language: no glossary of its own; a row made by hand must stay out of reach).
    for key, locale, status in (
        ("fr_term_proposed", french, GlossaryTerm.Status.PROPOSED),
        ("fr_term_approved", french, GlossaryTerm.Status.APPROVED),
        ("en_term", english, GlossaryTerm.Status.APPROVED),
    ):
        w[key] = GlossaryTerm.objects.create(
            source_term=f"walk {key.replace('_', ' ')}",
            locale=locale,
            translation=f"terme {key.replace('_', ' ')}",
            status=status,
        )

    # Segment ids of each translation.
    for name in ("page_to_fr", "page_to_en", "footer_to_fr", "footer_to_en"):
        translation = w[name]
        w[f"{name}_string"] = StringSegment.objects.filter(source=translation.source).first()
        w[f"{name}_override"] = OverridableSegment.objects.filter(source=translation.source).first()
    return w


# --- snapshots ------------------------------------------------------------------------------

PAGE_FIELDS = (
    "id",
    "title",
    "draft_title",
    "slug",
    "live",
    "live_revision_id",
    "last_published_at",
    "latest_revision_id",
    "has_unpublished_changes",
    "locale_id",
    "path",
    "depth",
    "url_path",
    "locked",
    "locked_by_id",
    "alias_of_id",
    "translation_key",
)


def _raw(queryset, fields):
    """values_list() of `fields`, StreamFields read as their stored JSON text (turning them
    into StreamValues, let alone rendering them, would make every snapshot slow)."""
    model = queryset.model
    names = []
    for name in fields:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            model_field = None
        if isinstance(model_field, StreamField):
            queryset = queryset.annotate(**{f"{name}__raw": Cast(name, TextField())})
            names.append(f"{name}__raw")
        else:
            names.append(name)
    return queryset.values_list(*names)


def _rows(queryset, *fields):
    return sorted(tuple(row) for row in _raw(queryset, fields))


def _snippet_rows(model):
    fields = [field.attname for field in model._meta.concrete_fields]
    return {row[0]: tuple(str(value) for value in row) for row in _raw(model.objects.all(), fields)}


def snapshot():
    """What a content-changing admin view could change (not sessions, logs or the queue's own
    cached rows)."""
    return {
        "pages": _rows(Page.objects.all(), *PAGE_FIELDS),
        "standard page content": _rows(
            StandardPage.objects.all(), "page_ptr_id", "summary", "body"
        ),
        "revisions": _rows(Revision.objects.all(), "id", "object_id", "approved_go_live_at"),
        "snippets": {
            model._meta.label: _snippet_rows(model) for model in translatable_snippet_models()
        },
        "translation sources": _rows(TranslationSource.objects.all(), "id", "last_updated_at"),
        "translations": _rows(
            Translation.objects.all(), "id", "source_id", "target_locale_id", "enabled"
        ),
        "string translations": _rows(
            StringTranslation.objects.all(),
            "id",
            "translation_of_id",
            "locale_id",
            "context_id",
            "data",
        ),
        "segment overrides": _rows(SegmentOverride.objects.all(), "id", "locale_id", "data_json"),
        "view restrictions": _rows(
            PageViewRestriction.objects.all(), "id", "page_id", "restriction_type"
        ),
        "workflow states": _rows(WorkflowState.objects.all(), "id", "object_id", "status"),
        "task states": _rows(TaskState.objects.all(), "id", "status"),
        "segment comments": _rows(
            SegmentComment.objects.all(),
            "id",
            "target_locale_id",
            "text",
            "resolved_at",
            "edited_at",
            "edited_by_id",
        ),
        "glossary terms": _rows(
            GlossaryTerm.objects.all(),
            "id",
            "source_term",
            "locale_id",
            "translation",
            "note",
            "status",
        ),
        "assignments": _rows(
            TranslationAssignment.objects.all(),
            "id",
            "translation_key",
            "target_locale_id",
            "assignee_id",
        ),
        "translation jobs": _rows(
            TranslationJob.objects.all(),
            "id",
            "name",
            "target_locale_id",
            "translator_id",
            "reviewer_id",
            "due_date",
            "status",
        ),
        "translation job items": _rows(
            TranslationJobItem.objects.all(), "id", "job_id", "translation_key"
        ),
        "translation job events": _rows(TranslationJobEvent.objects.all(), "id", "job_id"),
    }


def published(state):
    """The part of a snapshot visitors see: live pages (their content included), the snippets
    (which have no drafts: a row is what the site shows) and the view restrictions. Not the
    live revision's id: converting an alias into an ordinary page makes a new revision live with
    the same content (a publication shows in last_published_at and the content)."""
    live = {row[0]: row for row in state["pages"] if row[PAGE_FIELDS.index("live")]}
    content = {row[0]: row for row in state["standard page content"] if row[0] in live}
    return {
        "live pages": {
            pk: tuple(
                row[PAGE_FIELDS.index(field)]
                for field in ("title", "slug", "live", "last_published_at")
            )
            for pk, row in live.items()
        },
        "live content": content,
        "snippets": state["snippets"],
        "view restrictions": state["view restrictions"],
    }


def differences(before, after):
    """A short description of what changed between two snapshots (or published() parts)."""
    changes = []
    for table in before:
        old, new = before[table], after[table]
        if old == new:
            continue
        if isinstance(old, dict):
            for key in sorted(set(old) | set(new), key=str):
                if old.get(key) != new.get(key):
                    changes.append(
                        f"{table}[{key}]: {_short(old.get(key))} -> {_short(new.get(key))}"
                    )
        else:
            gone = [row for row in old if row not in new]
            added = [row for row in new if row not in old]
            changes.append(f"{table}: -{_short(gone)} +{_short(added)}")
    return changes


def _short(value, limit=300):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def model_of_snippet_namespace(namespace):
    """ngo_site.FooterContent for "wagtailsnippets_ngo_site_footercontent"."""
    for model in get_snippet_models():
        if namespace == f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}":
            return model
    return apps.get_model("wagtailcore", "Page")  # unreachable for registered snippets
