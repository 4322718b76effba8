"""The queue's rows, computed in a fixed number of queries whatever the number of items.

One row per translatable object of the default language (pages below the root, translatable
snippets) and per target language. The statuses of all rows are computed first (so filters and
sorting see every row) from a handful of `values()` queries; only the page of rows shown gets its
word counts, in one more query. No query per row.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, TranslatableMixin, WorkflowState
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from .models import SourceChange, TranslationAssignment
from .signals import word_count

MISSING = "missing"
OUTDATED = "outdated"
IN_PROGRESS = "in_progress"
READY_FOR_REVIEW = "ready_for_review"
PUBLISHED = "published"
STATUSES = [
    (MISSING, _("Missing")),
    (OUTDATED, _("Outdated")),
    (IN_PROGRESS, _("In progress")),
    (READY_FOR_REVIEW, _("Ready for review")),
    (PUBLISHED, _("Published")),
]
STATUS_LABELS = dict(STATUSES)
STATUS_ORDER = {code: index for index, (code, _label) in enumerate(STATUSES)}


def key_text(field="translation_key"):
    """A UUID column as the database's text. Keys only meet other keys of the same database,
    so they are compared as text: making thousands of uuid.UUID objects (and parsing as many
    timestamps) cost more than everything else the queue does (docs/benchmarks.md)."""
    return Cast(field, output_field=TextField())


@dataclass(slots=True)
class QueueRow:
    raw_key: str  # the translation key as the database's text (key_text)
    title: str
    content_type: ContentType
    source_pk: int
    source_published_at: datetime | None
    target_locale: Locale
    section: str = ""
    section_id: int | None = None
    is_page: bool = True
    source_id: int | None = None  # TranslationSource
    translation_id: int | None = None
    target_pk: int | None = None
    status: str = MISSING
    progress: int = 0  # percent of segments translated
    change: SourceChange | None = None
    words: int | None = None
    assignee: object = None
    assignee_id: int | None = None
    due_date: date | None = None
    in_workflow: bool = False
    task_state_id: int | None = None  # the current moderation task of the translated page
    task_id: int | None = None
    can_approve: bool = False  # set by the view for the user looking at the queue
    extra: dict = field(default_factory=dict)

    @property
    def translation_key(self):
        return uuid.UUID(self.raw_key)

    @property
    def status_label(self):
        if self.status == IN_PROGRESS:
            return _("In progress %(percent)s%%") % {"percent": self.progress}
        return STATUS_LABELS[self.status]

    @property
    def key(self):
        return f"{self.translation_key}:{self.target_locale.pk}"

    @property
    def create_url(self):
        if self.is_page:
            return reverse("wagtail_localize:submit_page_translation", args=[self.source_pk])
        meta = self.content_type.model_class()._meta
        return reverse(
            "wagtail_localize:submit_snippet_translation",
            args=[meta.app_label, meta.model_name, self.source_pk],
        )

    @property
    def edit_url(self):
        if self.target_pk is None:
            return ""
        if self.is_page:
            return reverse("wagtailadmin_pages:edit", args=[self.target_pk])
        meta = self.content_type.model_class()._meta
        return reverse(
            f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[self.target_pk]
        )

    @property
    def sync_url(self):
        if self.source_id is None:
            return ""
        return reverse("wagtail_localize:update_translations", args=[self.source_id])


def target_locales():
    return list(
        Locale.objects.exclude(language_code=settings.LANGUAGE_CODE).order_by("language_code")
    )


def translatable_snippet_models():
    return [
        model
        for model in get_snippet_models()
        if issubclass(model, TranslatableMixin) and not issubclass(model, Page)
    ]


def programme_sections(source_locale):
    """{path of a programme page: (id, title)} for the programme filter/column."""
    try:
        from programmes.models import ProgrammePage
    except ImportError:  # pragma: no cover - the programmes app is optional
        return {}
    return {
        path: (pk, title)
        for pk, path, title in ProgrammePage.objects.filter(locale=source_locale).values_list(
            "pk", "path", "title"
        )
    }


def _section_for(path, sections, lengths):
    for length in lengths:
        if path[:length] in sections:
            return sections[path[:length]]
    return None


def _sources(source_locale, targets):
    """The queue's items: (translation_key, title, content type, pk, published at, path)."""
    items = []
    pages = (
        Page.objects.filter(locale=source_locale, depth__gt=1)
        .order_by("path")
        .annotate(key=key_text())
        .values_list("key", "title", "content_type_id", "pk", "last_published_at", "path")
    )
    items.extend((*row, True) for row in pages)
    for model in translatable_snippet_models():
        content_type = ContentType.objects.get_for_model(model)  # cached by Django
        for instance in (
            model.objects.filter(locale=source_locale).annotate(key=key_text()).order_by("pk")
        ):
            published_at = getattr(instance, "last_published_at", None)
            items.append(
                (
                    instance.key,
                    str(instance),
                    content_type.pk,
                    instance.pk,
                    published_at,
                    "",
                    False,
                )
            )
    return items


def _targets(targets, source_locale):
    """{(translation_key, locale_id):
    [pk, live, has unpublished changes, (task state id, task id) of a workflow in progress,
    synced since published]}.

    "Synced since published": the source was synced after the page was last published, so the
    page does not show the translation of the current source yet (wagtail-localize's editor
    saves strings, not the page) and needs saving and review even when every string is done."""
    found = {}
    synced_since_published = Exists(
        TranslationSource.objects.filter(
            object_id=OuterRef("translation_key"),
            locale=source_locale,
            last_updated_at__gt=OuterRef("last_published_at"),
        )
    )
    pages = (
        Page.objects.filter(locale__in=targets)
        .annotate(key=key_text(), synced=synced_since_published)
        .values_list("key", "locale_id", "pk", "live", "has_unpublished_changes", "synced")
    )
    page_ids = {}
    for key, locale_id, pk, live, draft, synced in pages:
        found[(key, locale_id)] = [pk, live, draft, None, synced]
        page_ids[str(pk)] = (key, locale_id)
    in_workflow = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", "current_task_state_id", "current_task_state__task_id")
    for object_id, task_state_id, task_id in in_workflow:
        if object_id in page_ids:
            found[page_ids[object_id]][3] = (task_state_id, task_id)
    for model in translatable_snippet_models():
        rows = (
            model.objects.filter(locale__in=targets)
            .annotate(key=key_text())
            .values_list("key", "locale_id", "pk")
        )
        drafts = hasattr(model, "live")
        states = (
            dict(model.objects.filter(locale__in=targets).values_list("pk", "live"))
            if drafts
            else {}
        )
        for key, locale_id, pk in rows:
            found[(key, locale_id)] = [pk, states.get(pk, True), False, None, False]
    return found


def _progress(source_locale, targets):
    """{source id: {"total": n, locale_id: translated}} over every TranslationSource."""
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
        StringSegment.objects.filter(source__locale=source_locale)
        .values("source_id")
        .annotate(**annotations)
        .order_by()
    )
    return {row["source_id"]: row for row in rows}


def queue_rows(*, source_locale=None, locales=None):
    """Every row of the queue, with its status; a fixed number of queries."""
    source_locale = source_locale or Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    targets = locales if locales is not None else target_locales()
    if not targets:
        return []
    sources = {
        key: (pk, updated)
        for key, pk, updated in TranslationSource.objects.filter(locale=source_locale)
        .annotate(key=key_text("object_id"), updated=key_text("last_updated_at"))
        .values_list("key", "pk", "updated")
    }
    translations = {
        (source_id, locale_id): (pk, enabled)
        for pk, source_id, locale_id, enabled in Translation.objects.filter(
            source__locale=source_locale, target_locale__in=targets
        ).values_list("pk", "source_id", "target_locale_id", "enabled")
    }
    # The changed segments (JSON) and the assignees (users) are only loaded for the rows shown
    # (add_row_details): with thousands of items, building them for every row costs more than
    # the rest of the queue.
    changes = {
        change.key: change
        for change in SourceChange.objects.filter(source_locale=source_locale)
        .annotate(key=key_text(), updated=key_text("source_updated_at"))
        .defer("changed_segments")
    }
    assignments = {
        (key, locale_id): (assignee_id, due_date)
        for key, locale_id, assignee_id, due_date in TranslationAssignment.objects.filter(
            target_locale__in=targets
        )
        .annotate(key=key_text())
        .values_list("key", "target_locale_id", "assignee_id", "due_date")
    }
    progress = _progress(source_locale, targets)
    target_objects = _targets(targets, source_locale)
    sections = programme_sections(source_locale)
    lengths = sorted({len(path) for path in sections}, reverse=True)
    content_types = {}

    rows = []
    for key, title, ct_id, pk, published_at, path, is_page in _sources(source_locale, targets):
        section = _section_for(path, sections, lengths) if is_page else None
        source_id, source_updated_at = sources.get(key, (None, None))
        change = changes.get(key)
        if change is not None and change.updated != source_updated_at:
            change = None  # synced since: the translation now follows the new source
        if ct_id not in content_types:
            content_types[ct_id] = ContentType.objects.get_for_id(ct_id)  # cached by Django
        for locale in targets:
            row = QueueRow(
                raw_key=key,
                title=title,
                content_type=content_types[ct_id],
                source_pk=pk,
                source_published_at=published_at,
                target_locale=locale,
                section=section[1] if section else "",
                section_id=section[0] if section else None,
                is_page=is_page,
                source_id=source_id,
            )
            translation = translations.get((source_id, locale.pk))
            target = target_objects.get((key, locale.pk))
            if target is not None:
                row.target_pk = target[0]
            assignment = assignments.get((key, locale.pk))
            if assignment is not None:
                row.assignee_id, row.due_date = assignment
            if translation is None or target is None:
                row.status = MISSING if target is None else PUBLISHED
                rows.append(row)
                continue
            row.translation_id = translation[0]
            counts = progress.get(source_id, {"total": 0})
            total = counts["total"]
            done = counts.get(f"locale_{locale.pk}") or 0
            row.progress = 100 if not total else int(100 * done / total)
            _pk, live, unpublished_changes, workflow, synced_since_published = target
            in_workflow = workflow is not None
            if in_workflow:
                row.in_workflow = True
                row.task_state_id, row.task_id = workflow
            if change is not None:
                row.status, row.change = OUTDATED, change
            elif row.progress < 100:
                row.status = IN_PROGRESS
            elif in_workflow or not live or unpublished_changes or synced_since_published:
                row.status = READY_FOR_REVIEW
            else:
                row.status = PUBLISHED
            rows.append(row)
    return rows


def add_row_details(rows):
    """What only the rows shown need: the assignees and the changed segments (two queries)."""
    user_ids = {row.assignee_id for row in rows if row.assignee_id}
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    change_ids = {row.change.pk for row in rows if row.change is not None}
    segments = (
        dict(SourceChange.objects.filter(pk__in=change_ids).values_list("pk", "changed_segments"))
        if change_ids
        else {}
    )
    for row in rows:
        row.assignee = users.get(row.assignee_id)
        if row.change is not None:
            row.change.changed_segments = segments.get(row.change.pk, [])
    return rows


def add_word_counts(rows):
    """Words new or changed since the last translation, for the rows about to be shown:
    the changed words of an outdated item, the untranslated words otherwise, every word of a
    missing item (when wagtail-localize has its strings). One query for all the rows."""
    source_ids = {row.source_id for row in rows if row.source_id and row.change is None}
    segments = defaultdict(list)
    if source_ids:
        for source_id, string_id, context_id, data in StringSegment.objects.filter(
            source_id__in=source_ids
        ).values_list("source_id", "string_id", "context_id", "string__data"):
            segments[source_id].append((string_id, context_id, data))
    translated = set()
    locale_ids = {row.target_locale.pk for row in rows}
    if source_ids:
        translated = set(
            StringTranslation.objects.filter(
                context__stringsegment__source_id__in=source_ids,
                locale_id__in=locale_ids,
                has_error=False,
            ).values_list("translation_of_id", "context_id", "locale_id")
        )
    for row in rows:
        if row.change is not None:
            row.words = row.change.words_changed
        elif row.source_id is None:
            row.words = None
        elif row.status == PUBLISHED:
            row.words = 0
        else:
            row.words = sum(
                word_count(data)
                for string_id, context_id, data in segments[row.source_id]
                if (string_id, context_id, row.target_locale.pk) not in translated
            )
    return rows
