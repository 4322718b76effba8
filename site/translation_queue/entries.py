"""The queue's stored rows (QueueEntry): computed from scratch, refreshed per object, rebuilt.

`compute_entries(keys)` derives the rows of some objects (or of all) from wagtail-localize's
models, the pages and snippets, the assignments and the recorded source changes, in a fixed
number of queries whatever the number of objects. `refresh_entries(keys)` replaces the stored
rows of those objects with freshly computed ones; `rebuild_entries()` replaces them all.

Signals (translation_queue.signals) call `mark_keys()` / `mark_sources()` / ... when something a
row depends on changes; the marked objects are refreshed once, when the transaction commits
(wagtail-localize's sync saves dozens of segments in one transaction: one refresh, not dozens),
and before the queue reads its rows (`refresh_pending()`), so a read never sees a stale row.
"""

import uuid
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Sum,
    Value,
    When,
)
from wagtail.models import DraftStateMixin, Locale, Page, WorkflowState
from wagtail_localize.models import (
    String,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationContext,
    TranslationLog,
    TranslationSource,
)

from .models import QueueEntry, SourceChange, SourceWordCount, TranslationAssignment
from .queries import (
    IN_PROGRESS,
    MISSING,
    OUTDATED,
    PUBLISHED,
    READY_FOR_REVIEW,
    STATUS_ORDER,
    UNMANAGED,
    key_text,
    linked_sections,
    programme_sections,
    target_locales,
    translatable_snippet_models,
)
from .word_diff import words_left

BATCH = 500


def _chunks(values, size=BATCH):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _keyed(queryset, field, keys):
    return queryset if keys is None else queryset.filter(**{f"{field}__in": keys})


def _sources(source_locale, keys):
    """The queue's items: (key text, title, content type id, pk, published at, path, is_page).

    Only published source content: an English draft may still be rejected, and translators
    must not start on it."""
    items = []
    pages = (
        _keyed(
            Page.objects.filter(locale=source_locale, depth__gt=1, live=True),
            "translation_key",
            keys,
        )
        .annotate(key=key_text())
        .values_list("key", "title", "content_type_id", "pk", "last_published_at", "path")
    )
    items.extend((*row, True) for row in pages)
    for model in translatable_snippet_models():
        content_type = ContentType.objects.get_for_model(model)  # cached by Django
        published = model.objects.filter(locale=source_locale)
        if issubclass(model, DraftStateMixin):
            published = published.filter(live=True)
        for instance in _keyed(published, "translation_key", keys).annotate(key=key_text()):
            published_at = getattr(instance, "last_published_at", None)
            items.append(
                (instance.key, str(instance), content_type.pk, instance.pk, published_at, "", False)
            )
    return items


def _targets(targets, source_locale, keys):
    """{(key text, locale_id): [pk, live, has unpublished changes, (task state id, task id) of
    a workflow in progress, synced or strings edited since published]}.

    "Synced since published": the source was synced after the page was last published, so the
    page does not show the translation of the current source yet (wagtail-localize's editor
    saves strings, not the page) and needs saving and review even when every string is done."""
    found = {}
    synced_since_published = Exists(
        _keyed(
            TranslationSource.objects.filter(
                object_id=OuterRef("translation_key"),
                locale=source_locale,
                last_updated_at__gt=OuterRef("last_published_at"),
            ),
            "object_id",
            keys,
        )
    )
    # A string corrected in wagtail-localize's editor after the page was published: the edit
    # is saved in the strings only, and the page needs saving and review to show it. The newest
    # string of each object and language comes from one grouped query: as a correlated
    # subquery per page, SQLite scanned the strings once per page (14 s for 5,000 pages).
    newest_string = {
        (key, locale_id): latest
        for key, locale_id, latest in _keyed(
            StringTranslation.objects.filter(locale__in=targets), "context__object_id", keys
        )
        .annotate(key=key_text("context__object_id"))
        .values("key", "locale_id")
        .annotate(latest=Max("updated_at"))
        .values_list("key", "locale_id", "latest")
    }
    pages = (
        _keyed(Page.objects.filter(locale__in=targets), "translation_key", keys)
        .annotate(key=key_text(), synced=synced_since_published)
        .values_list(
            "key",
            "locale_id",
            "pk",
            "live",
            "has_unpublished_changes",
            "synced",
            "last_published_at",
        )
    )
    page_ids = {}
    for key, locale_id, pk, live, draft, synced, published_at in pages:
        latest = newest_string.get((key, locale_id))
        edited = latest is not None and published_at is not None and latest > published_at
        found[(key, locale_id)] = [pk, live, draft, None, synced or edited]
        page_ids[str(pk)] = (key, locale_id)
    if page_ids:
        in_workflow = WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=ContentType.objects.get_for_model(Page),
        )
        if keys is not None:
            in_workflow = in_workflow.filter(object_id__in=list(page_ids))
        for object_id, task_state_id, task_id in in_workflow.values_list(
            "object_id", "current_task_state_id", "current_task_state__task_id"
        ):
            if object_id in page_ids:
                found[page_ids[object_id]][3] = (task_state_id, task_id)
    for model in translatable_snippet_models():
        drafts = hasattr(model, "live")
        fields = ["key", "locale_id", "pk"] + (["live"] if drafts else [])
        for row in (
            _keyed(model.objects.filter(locale__in=targets), "translation_key", keys)
            .annotate(key=key_text())
            .values_list(*fields)
        ):
            live = row[3] if drafts else True
            found[(row[0], row[1])] = [row[2], live, False, None, False]
    return found


def _progress(source_ids, targets):
    """{source id: {"total": n, "locale_<id>": translated}}."""
    annotations = {"total": Count("pk")}
    for locale in targets:
        annotations[f"locale_{locale.pk}"] = Sum(
            Case(
                When(
                    Exists(
                        StringTranslation.objects.filter(
                            translation_of_id=OuterRef("string_id"),
                            context_id=OuterRef("context_id"),
                            locale_id=locale.pk,
                            has_error=False,
                        )
                    ),
                    then=Value(1),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    rows = (
        _keyed(StringSegment.objects.all(), "source_id", source_ids)
        .values("source_id")
        .annotate(**annotations)
        .order_by()
    )
    return {row["source_id"]: row for row in rows}


def _snippet_saves(snippet_sources, targets):
    """For translated snippets (no drafts: saving the snippet publishes it), whether French
    strings were written, or the source synced, after the snippet was last saved from its
    translation: {(source id, locale id): True}. Such a snippet waits for approval."""
    if not snippet_sources:
        return {}
    source_ids = [source_id for source_id, _key, _updated in snippet_sources]
    saved = {
        (source_id, locale_id): last
        for source_id, locale_id, last in TranslationLog.objects.filter(
            source_id__in=source_ids, locale__in=targets
        )
        .values("source_id", "locale_id")
        .annotate(last=Max("created_at"))
        .values_list("source_id", "locale_id", "last")
        .order_by()
    }
    written = {
        (key, locale_id): last
        for key, locale_id, last in StringTranslation.objects.filter(
            context__object_id__in=[key for _id, key, _updated in snippet_sources],
            locale__in=targets,
        )
        .annotate(key=key_text("context__object_id"))
        .values("key", "locale_id")
        .annotate(last=Max("updated_at"))
        .values_list("key", "locale_id", "last")
        .order_by()
    }
    waiting = {}
    for source_id, key, updated in snippet_sources:
        text = str(key)
        for locale in targets:
            last_saved = saved.get((source_id, locale.pk))
            last_written = written.get((text, locale.pk))
            waiting[(source_id, locale.pk)] = last_saved is None or (
                (last_written is not None and last_written > last_saved) or updated > last_saved
            )
    return waiting


def _untranslated_words(entries, targets):
    """Words still to translate, per (source id, locale id): all the words of a segment
    without a translation, or, when the segment replaces a translated one in the same place
    (its source changed and was synced), the words its word diff adds. A fixed number of
    queries per batch of sources."""
    source_ids = {entry.source_id for entry in entries if entry.source_id}
    if not source_ids:
        return {}
    segments = defaultdict(list)
    translated = set()
    for chunk in _chunks(source_ids):
        for source_id, string_id, context_id, data in StringSegment.objects.filter(
            source_id__in=chunk
        ).values_list("source_id", "string_id", "context_id", "string__data"):
            segments[source_id].append((string_id, context_id, data))
        # Every translation in these contexts, including those of texts the source no longer
        # has: the earlier texts of changed segments.
        translated.update(
            StringTranslation.objects.filter(
                context__stringsegment__source_id__in=chunk,
                locale__in=targets,
                has_error=False,
            ).values_list("translation_of_id", "context_id", "locale_id")
        )
    current = {
        (string_id, context_id) for items in segments.values() for string_id, context_id, _ in items
    }
    earlier_ids = defaultdict(list)  # (context id, locale id) -> [string id]
    for string_id, context_id, locale_id in translated:
        if (string_id, context_id) not in current:
            earlier_ids[(context_id, locale_id)].append(string_id)
    # Only the earlier texts of contexts that have a segment left to translate are read.
    needed = {
        (context_id, locale.pk)
        for items in segments.values()
        for string_id, context_id, _data in items
        for locale in targets
        if (string_id, context_id, locale.pk) not in translated
        and (context_id, locale.pk) in earlier_ids
    }
    wanted = {string_id for place in needed for string_id in earlier_ids[place]}
    earlier_texts = {}
    for chunk in _chunks(wanted):
        earlier_texts.update(String.objects.filter(pk__in=chunk).values_list("pk", "data"))
    words = {}
    for source_id, items in segments.items():
        for locale in targets:
            by_context = defaultdict(list)
            for string_id, context_id, data in items:
                if (string_id, context_id, locale.pk) not in translated:
                    by_context[context_id].append(data)
            words[(source_id, locale.pk)] = sum(
                words_left(
                    untranslated,
                    [
                        earlier_texts[string_id]
                        for string_id in earlier_ids.get((context_id, locale.pk), ())
                        if string_id in earlier_texts
                    ],
                )
                for context_id, untranslated in by_context.items()
            )
    return words


def compute_entries(keys=None):
    """The queue's rows computed from scratch: of every item, or of the objects whose
    translation keys are given. Unsaved QueueEntry objects; a fixed number of queries."""
    source_locale = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    targets = target_locales()
    if source_locale is None or not targets:
        return []
    if keys is not None:
        keys = list(keys)
        if not keys:
            return []
        if len(keys) > BATCH:
            return [entry for chunk in _chunks(keys) for entry in compute_entries(chunk)]
    items = _sources(source_locale, keys)
    if not items:
        return []
    sources = {
        key: (pk, updated)
        for key, pk, updated in _keyed(
            TranslationSource.objects.filter(locale=source_locale), "object_id", keys
        )
        .annotate(key=key_text("object_id"))
        .values_list("key", "pk", "last_updated_at")
    }
    source_ids = None if keys is None else [pk for pk, _updated in sources.values()]
    translations = {
        (source_id, locale_id): pk
        for pk, source_id, locale_id in _keyed(
            Translation.objects.filter(source__locale=source_locale, target_locale__in=targets),
            "source_id",
            source_ids,
        ).values_list("pk", "source_id", "target_locale_id")
    }
    changes = {
        key: (pk, updated, words)
        for key, pk, updated, words in _keyed(
            SourceChange.objects.filter(source_locale=source_locale), "translation_key", keys
        )
        .annotate(key=key_text())
        .values_list("key", "pk", "source_updated_at", "words_changed")
    }
    # Words of the objects never translated (no TranslationSource to count segments from).
    counted_words = dict(
        _keyed(SourceWordCount.objects.filter(source_locale=source_locale), "translation_key", keys)
        .annotate(key=key_text())
        .values_list("key", "words")
    )
    assignments = {
        (key, locale_id): (assignee_id, due_date)
        for key, locale_id, assignee_id, due_date in _keyed(
            TranslationAssignment.objects.filter(target_locale__in=targets),
            "translation_key",
            keys,
        )
        .annotate(key=key_text())
        .values_list("key", "target_locale_id", "assignee_id", "due_date")
    }
    progress = _progress(source_ids, targets) if source_ids != [] else {}
    target_objects = _targets(targets, source_locale, keys)
    sections = programme_sections(source_locale)
    lengths = sorted({len(path) for path in sections}, reverse=True)
    section_pks = {pk for pk, _title in sections.values()}
    linked = {
        page_pk: section_pk
        for page_pk, section_pk in linked_sections(source_locale, keys).items()
        if section_pk in section_pks
    }
    snippet_sources = [
        (sources[key][0], key, sources[key][1])
        for key, _title, _ct, _pk, _published, _path, is_page in items
        if not is_page and key in sources
    ]
    snippet_waiting = _snippet_saves(snippet_sources, targets)

    entries = []
    for key, title, ct_id, pk, published_at, path, is_page in items:
        section_id = None
        if is_page:
            for length in lengths:
                if path[:length] in sections:
                    section_id = sections[path[:length]][0]
                    break
            else:
                section_id = linked.get(pk)
        source_id, source_updated_at = sources.get(key, (None, None))
        change = changes.get(key)
        if change is not None and change[1] != source_updated_at:
            change = None  # synced since: the translation now follows the new source
        title = (title or "")[:255]
        for locale in targets:
            entry = QueueEntry(
                translation_key=key,
                target_locale_id=locale.pk,
                content_type_id=ct_id,
                source_pk=pk,
                is_page=is_page,
                title=title,
                folded_title=title.casefold()[:255],
                source_published_at=published_at,
                section_id=section_id,
                source_id=source_id,
                status=MISSING,
            )
            target = target_objects.get((key, locale.pk))
            if target is not None:
                entry.target_pk = target[0]
            assignment = assignments.get((key, locale.pk))
            if assignment is not None:
                entry.assignee_id, entry.due_date = assignment
            translation_id = translations.get((source_id, locale.pk))
            entries.append(entry)
            if translation_id is None or target is None:
                entry.status = MISSING if target is None else UNMANAGED
                continue
            entry.translation_id = translation_id
            counts = progress.get(source_id, {"total": 0})
            total = counts["total"]
            done = counts.get(f"locale_{locale.pk}") or 0
            entry.progress = 100 if not total else int(100 * done / total)
            _pk, live, unpublished_changes, workflow, synced_since_published = target
            if workflow is not None:
                entry.in_workflow = True
                entry.task_state_id, entry.task_id = workflow
            if not is_page:
                synced_since_published = snippet_waiting.get((source_id, locale.pk), False)
            if change is not None:
                entry.status, entry.change_id, entry.words = OUTDATED, change[0], change[2]
            elif entry.progress < 100:
                entry.status = IN_PROGRESS
            elif entry.in_workflow or not live or unpublished_changes or synced_since_published:
                entry.status = READY_FOR_REVIEW
            else:
                entry.status = PUBLISHED
    counted = [entry for entry in entries if entry.status in (IN_PROGRESS, READY_FOR_REVIEW)]
    counted += [entry for entry in entries if entry.status == MISSING and entry.source_id]
    words = _untranslated_words(counted, targets)
    for entry in entries:
        entry.status_order = STATUS_ORDER[entry.status]
        if entry.status == PUBLISHED:
            entry.words = 0 if entry.source_id else None
        elif entry.status != OUTDATED and entry.source_id:
            entry.words = words.get((entry.source_id, entry.target_locale_id))
        elif entry.status == MISSING:  # never translated: all its words, counted at publication
            entry.words = counted_words.get(entry.translation_key)
    return entries


def refresh_entries(keys):
    """Replace the stored rows of these objects (translation keys) by computed ones."""
    keys = list({uuid.UUID(str(key)) for key in keys})
    if not keys:
        return
    with transaction.atomic():
        for chunk in _chunks(keys):
            QueueEntry.objects.filter(translation_key__in=chunk).delete()
        QueueEntry.objects.bulk_create(compute_entries(keys), batch_size=BATCH)
        from .jobs import follow_entries  # jobs move forward with their items

        follow_entries(keys)


def count_words_never_counted():
    """Count the words of the source objects never translated whose words were never counted
    (published before SourceWordCount existed, or imported without signals); returns their
    number. Extracting an object's segments costs milliseconds, so this runs only on demand:
    `manage.py rebuild_translation_queue` calls it, `migrate` does not."""
    from wagtail_localize.models import TranslationSource

    from .signals import record_source_change

    source_locale = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    if source_locale is None:
        return 0
    known = set(
        TranslationSource.objects.filter(locale=source_locale)
        .annotate(key=key_text("object_id"))
        .values_list("key", flat=True)
    )
    known |= set(
        SourceWordCount.objects.filter(source_locale=source_locale)
        .annotate(key=key_text())
        .values_list("key", flat=True)
    )
    counted = 0
    for key, _title, ct_id, pk, _published, _path, _is_page in _sources(source_locale, None):
        if key in known:
            continue
        model = ContentType.objects.get_for_id(ct_id).model_class()
        instance = model.objects.filter(pk=pk).first() if model is not None else None
        if instance is not None:
            record_source_change(instance)
            counted += 1
    return counted


def rebuild_entries():
    """Recompute every row of the queue; returns their number."""
    with transaction.atomic():
        QueueEntry.objects.all().delete()
        entries = compute_entries()
        QueueEntry.objects.bulk_create(entries, batch_size=BATCH)
        from .jobs import follow_entries

        follow_entries({entry.translation_key for entry in entries})
    return len(entries)


# --- refreshing what changed ----------------------------------------------------------------


def _pending():
    pending = getattr(connection, "_translation_queue_pending", None)
    if pending is None:
        pending = {
            "everything": set(),
            "keys": set(),
            "sources": set(),
            "contexts": set(),
            "pages": set(),
        }
        connection._translation_queue_pending = pending
    return pending


def _schedule(was_empty):
    # About one callback per transaction: Django drops it with the transaction on rollback (the
    # marks left over are then refreshed by the next callback or read: harmless extra work);
    # a callback finding nothing left to refresh costs nothing.
    if not was_empty and any(
        callback is refresh_pending for _ids, callback, *_rest in connection.run_on_commit
    ):
        return
    transaction.on_commit(refresh_pending)


def _mark(kind, values):
    values = {value for value in values if value is not None}
    if values:
        pending = _pending()
        was_empty = not any(pending.values())
        pending[kind].update(values)
        _schedule(was_empty)


def mark_keys(*keys):
    _mark("keys", (str(key) for key in keys if key))


def mark_sources(*source_ids):
    _mark("sources", source_ids)


def mark_contexts(*context_ids):
    _mark("contexts", context_ids)


def mark_pages(*page_ids):
    _mark("pages", page_ids)


def mark_everything():
    """A language was added or removed: every row is rebuilt."""
    _mark("everything", {True})


def refresh_pending():
    """Refresh the rows of every object marked since the last refresh."""
    pending = _pending()
    if not any(pending.values()):
        return
    marked = {kind: set(values) for kind, values in pending.items()}
    for values in pending.values():
        values.clear()
    if marked["everything"]:
        rebuild_entries()
        return
    keys = set(marked["keys"])
    for chunk in _chunks(marked["sources"]):
        keys.update(
            TranslationSource.objects.filter(pk__in=chunk)
            .annotate(key=key_text("object_id"))
            .values_list("key", flat=True)
        )
    for chunk in _chunks(marked["contexts"]):
        keys.update(
            TranslationContext.objects.filter(pk__in=chunk)
            .annotate(key=key_text("object_id"))
            .values_list("key", flat=True)
        )
    for chunk in _chunks(marked["pages"]):
        keys.update(
            Page.objects.filter(pk__in=chunk).annotate(key=key_text()).values_list("key", flat=True)
        )
    refresh_entries(keys)


COMPARED_FIELDS = [
    field.attname
    for field in QueueEntry._meta.concrete_fields
    if field.attname not in ("id", "translation_key", "target_locale_id")
]


def entry_values(entries):
    """{(translation key, locale id): {field: value}} of QueueEntry objects, for comparisons."""
    return {
        (uuid.UUID(str(entry.translation_key)), entry.target_locale_id): {
            name: getattr(entry, name) for name in COMPARED_FIELDS
        }
        for entry in entries
    }


def compare_entries():
    """[(key, locale id, stored values or None, computed values or None)] of the rows where the
    stored table differs from a recomputation from scratch."""
    stored = entry_values(QueueEntry.objects.all())
    computed = entry_values(compute_entries())
    return [
        (key, locale_id, stored.get((key, locale_id)), computed.get((key, locale_id)))
        for key, locale_id in sorted(set(stored) | set(computed), key=str)
        if stored.get((key, locale_id)) != computed.get((key, locale_id))
    ]
