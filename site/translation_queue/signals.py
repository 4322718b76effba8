"""Outdated detection: when an English page or snippet is published, compare its strings with
the TranslationSource its translations were made from, and record what changed.

wagtail-localize only refreshes a TranslationSource when someone clicks "Sync"; until then its
report calls the translation "up to date". Here no manual step is needed: the queue reads the
SourceChange written at publication and shows the item as outdated, with the changed segments.
Every kind of segment is compared (texts, and images, links, documents and related objects),
as well as their order: a removed paragraph or moved blocks make the item outdated too.
"""

import json
from difflib import SequenceMatcher

from django.conf import settings
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone
from wagtail.models import DraftStateMixin, Locale, Page, TranslatableMixin, WorkflowState
from wagtail.signals import page_published, post_page_move, published

from . import entries
from .word_diff import word_count, words_left

CHANGED = "changed"  # a text segment is new or its text changed
REMOVED = "removed"  # a segment the translation was made from is gone
REORDERED = "reordered"  # the remaining segments are in another order (blocks moved)
OTHER = "other"  # an image, a link, a document or a related object changed


def _grouped_segments(segments):
    """{(kind, path): [values, in order]}, the groups in their order: rich text gives one string
    per paragraph, all with the block's path."""
    groups = {}
    for kind, path, value in segments:
        groups.setdefault((kind, path), []).append(value)
    return groups


def _current_segments(instance):
    """(kind, path, value) of every segment of the instance as it is now, in order."""
    from django.core.serializers.json import DjangoJSONEncoder
    from wagtail_localize.segments.extract import extract_segments
    from wagtail_localize.segments.types import (
        OverridableSegmentValue,
        RelatedObjectSegmentValue,
        StringSegmentValue,
    )

    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            yield "string", segment.path, segment.string.data
        elif isinstance(segment, OverridableSegmentValue):
            # As wagtail-localize stores it, so that equal values compare equal.
            yield (
                "overridable",
                segment.path,
                json.loads(json.dumps(segment.data, cls=DjangoJSONEncoder)),
            )
        elif isinstance(segment, RelatedObjectSegmentValue):
            yield "related", segment.path, str(segment.translation_key)


def _translated_segments(source):
    """(kind, path, value) of the segments a TranslationSource holds, in order: four queries."""
    from wagtail_localize.models import OverridableSegment, RelatedObjectSegment, StringSegment

    rows = [
        (order, "string", path, data)
        for order, path, data in StringSegment.objects.filter(source=source).values_list(
            "order", "context__path", "string__data"
        )
    ]
    rows += [
        (order, "overridable", path, json.loads(data))
        for order, path, data in OverridableSegment.objects.filter(source=source).values_list(
            "order", "context__path", "data_json"
        )
    ]
    rows += [
        (order, "related", path, str(key))
        for order, path, key in RelatedObjectSegment.objects.filter(source=source).values_list(
            "order", "context__path", "object_id"
        )
    ]
    return [(kind, path, value) for _order, kind, path, value in sorted(rows, key=lambda r: r[0])]


def words_to_translate_after_sync(before, now):
    """The words a translator will have to translate once the translation is synced with
    `now` (the segments as (kind, path, value), like `before`, those it was made from).
    wagtail-localize keeps a translation by text and place (the segment's path: a field, a
    block; a rich-text block's paragraphs share it), so a text its place already had keeps its
    translation, wherever it moved within that place; the others count as in the queue after
    a sync (word_diff.words_left): the words their word diff adds to a text of that place that
    is gone, else all their words."""
    texts_before = {}
    for kind, path, value in before:
        if kind == "string":
            texts_before.setdefault(path, []).append(value)
    untranslated = {}
    for kind, path, value in now:
        if kind == "string" and value not in texts_before.get(path, ()):
            untranslated.setdefault(path, []).append(value)
    now_texts = {(path, value) for kind, path, value in now if kind == "string"}
    return sum(
        words_left(
            texts,
            [text for text in texts_before.get(path, ()) if (path, text) not in now_texts],
        )
        for path, texts in untranslated.items()
    )


def source_differences(before, now):
    """What changed in the segments `now` since the segments `before` (those of the
    TranslationSource, each (kind, path, value) in order): a list of {"kind", "path", "text"
    (new text or None), "previous" (old text or None)}.

    The texts of one place (a field; a rich-text block's paragraphs) are aligned as a diff
    aligns lines (difflib), not by position: a paragraph inserted at the top is one new
    segment, and the paragraphs below it, unchanged, are not shown as changed; a paragraph
    rewritten is paired with the one it replaces."""
    groups_before, groups_now = _grouped_segments(before), _grouped_segments(now)
    differences, moved = [], False
    for key, new in groups_now.items():
        kind, path = key
        old = groups_before.get(key, [])
        if kind != "string":
            if old != new:
                differences.append({"kind": OTHER, "path": path, "text": None, "previous": None})
            continue
        matcher = SequenceMatcher(a=old, b=new, autojunk=False)
        for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
            if tag == "equal":
                continue
            # A text the place still has, or already had, only moved: wagtail-localize keeps
            # its translation; the move shows as the reordering below.
            replaced = [text for text in old[old_start:old_end] if text not in new]
            added = [text for text in new[new_start:new_end] if text not in old]
            moved = moved or len(replaced) < old_end - old_start or len(added) < new_end - new_start
            for offset, text in enumerate(added):
                previous = replaced[offset] if offset < len(replaced) else None
                differences.append(
                    {"kind": CHANGED, "path": path, "text": text, "previous": previous}
                )
            for text in replaced[len(added) :]:
                differences.append({"kind": REMOVED, "path": path, "text": None, "previous": text})
    for key, old in groups_before.items():
        kind, path = key
        if key not in groups_now:
            for value in old:
                text = value if kind == "string" else None
                differences.append({"kind": REMOVED, "path": path, "text": None, "previous": text})
    kept_before = [key for key in groups_before if key in groups_now]
    kept_now = [key for key in groups_now if key in groups_before]
    if moved or kept_before != kept_now:
        differences.append({"kind": REORDERED, "path": "", "text": None, "previous": None})
    return differences


def record_source_change(instance):
    """Compare `instance` (a source-language object) with its TranslationSource; store the
    difference as a SourceChange, or delete the record when there is none."""
    from wagtail_localize.models import TranslationSource

    from .models import SourceChange, SourceWordCount

    source = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id
    ).first()
    lookup = {"translation_key": instance.translation_key, "source_locale_id": instance.locale_id}
    if source is None:
        # Never translated: the queue shows it as missing (not outdated), with all its words.
        words = sum(
            word_count(value)
            for kind, _path, value in _current_segments(instance)
            if kind == "string"
        )
        SourceWordCount.objects.update_or_create(
            **lookup, defaults={"words": words, "counted_at": timezone.now()}
        )
        return None
    SourceWordCount.objects.filter(**lookup).delete()
    before = _translated_segments(source)
    now = list(_current_segments(instance))
    changed = source_differences(before, now)
    if not changed:
        SourceChange.objects.filter(**lookup).delete()
        return None
    change, _ = SourceChange.objects.update_or_create(
        **lookup,
        defaults={
            "source_updated_at": source.last_updated_at,
            "detected_at": timezone.now(),
            "changed_segments": changed,
            "words_changed": words_to_translate_after_sync(before, now),
        },
    )
    return change


def _is_source(instance):
    locale = getattr(instance, "locale", None)
    return locale is not None and locale.language_code == settings.LANGUAGE_CODE


def page_source_published(sender, instance, **kwargs):
    if _is_source(instance):
        record_source_change(instance.specific)


def snippet_source_published(sender, instance, **kwargs):
    is_snippet = isinstance(instance, TranslatableMixin) and not isinstance(instance, Page)
    if is_snippet and _is_source(instance):
        record_source_change(instance)


def snippet_source_saved(sender, instance, raw=False, **kwargs):
    # Snippets without drafts are "published" by saving them.
    if raw or not isinstance(instance, TranslatableMixin) or isinstance(instance, Page):
        return
    if isinstance(instance, DraftStateMixin):
        return
    from wagtail.snippets.models import get_snippet_models

    if type(instance) in get_snippet_models() and _is_source(instance):
        record_source_change(instance)


# --- keeping the stored rows (QueueEntry) up to date ------------------------------------------
# Every model a row is computed from (translation_queue.entries.compute_entries) marks the
# object it belongs to; entries refreshes the marked objects' rows when the transaction
# commits. tests/localisation/test_translation_queue_entries.py checks the rows against a full
# recomputation after each kind of event.


def _mark_for(instance):
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationLog,
        TranslationSource,
    )

    from .models import SourceChange, SourceWordCount, TranslationAssignment

    if isinstance(instance, TranslatableMixin):  # pages and snippets, any language
        entries.mark_keys(instance.translation_key)
    elif isinstance(instance, (StringTranslation,)):
        entries.mark_contexts(instance.context_id)
    elif isinstance(instance, (StringSegment, Translation, TranslationLog)):
        entries.mark_sources(instance.source_id)
    elif isinstance(instance, TranslationSource):
        entries.mark_keys(instance.object_id)
    elif isinstance(instance, (TranslationAssignment, SourceChange, SourceWordCount)):
        entries.mark_keys(instance.translation_key)
    elif isinstance(instance, WorkflowState):
        if instance.base_content_type_id == _page_content_type_id() and instance.object_id:
            entries.mark_pages(int(instance.object_id))
    elif isinstance(instance, Locale):
        entries.mark_everything()


def _page_content_type_id():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Page).pk  # cached by Django


def entry_source_saved(sender, instance, **kwargs):
    _mark_for(instance)


def entry_source_deleted(sender, instance, **kwargs):
    _mark_for(instance)


def entry_page_moved(sender, instance, **kwargs):
    # The programme section of the page and of everything below it may have changed.
    moved = Page.objects.get(pk=instance.pk)
    entries.mark_keys(
        *Page.objects.filter(path__startswith=moved.path).values_list("translation_key", flat=True)
    )


def create_locales_for_languages(sender, using="default", **kwargs):
    """Every language of settings.WAGTAIL_CONTENT_LANGUAGES gets its Locale after `migrate`, so
    adding a language (e.g. Spanish) is a settings change: no admin step before translators can
    start (docs/localisation.md). Locales are never deleted here: that would delete content."""
    if sender.label != "ngo_site":
        return
    from wagtail.models import Locale

    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.using(using).get_or_create(language_code=code)


def rebuild_queue_after_migrate(sender, using="default", **kwargs):
    """`migrate` (a deployment, a new language, an upgrade of wagtail-localize) recomputes the
    queue's stored rows, so they never start out of date. Seconds for thousands of items."""
    if sender.label != "translation_queue" or using != "default":
        return
    from django.db import connection
    from wagtail_localize.models import TranslationSource

    from .models import QueueEntry

    tables = set(connection.introspection.table_names())
    if not {QueueEntry._meta.db_table, TranslationSource._meta.db_table} <= tables:
        return  # a partial `migrate` (e.g. to an older migration): nothing to compute from
    entries.rebuild_entries()


def connect():
    """Connect the receivers above (called from TranslationQueueConfig.ready)."""
    page_published.connect(page_source_published, dispatch_uid="translation_queue_page_source")
    published.connect(snippet_source_published, dispatch_uid="translation_queue_snippet_source")
    post_save.connect(snippet_source_saved, dispatch_uid="translation_queue_snippet_saved")
    post_save.connect(entry_source_saved, dispatch_uid="translation_queue_entries_saved")
    post_delete.connect(entry_source_deleted, dispatch_uid="translation_queue_entries_deleted")
    post_page_move.connect(entry_page_moved, dispatch_uid="translation_queue_entries_moved")
    post_migrate.connect(
        create_locales_for_languages, dispatch_uid="ngo_site_locales_follow_languages"
    )
    post_migrate.connect(
        rebuild_queue_after_migrate, dispatch_uid="translation_queue_rebuild_after_migrate"
    )
