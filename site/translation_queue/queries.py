"""The queue's rows as shown: one per translatable object of the default language (pages below
the root, translatable snippets) and per target language.

The rows are stored (QueueEntry, kept up to date by translation_queue.entries and .signals); the
queue filters, sorts and paginates them in SQL, and only the rows shown become QueueRow objects
with their assignee and changed segments. No query per row.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, TranslatableMixin, get_page_models
from wagtail.snippets.models import get_snippet_models

from .models import SourceChange

MISSING = "missing"
OUTDATED = "outdated"
IN_PROGRESS = "in_progress"
READY_FOR_REVIEW = "ready_for_review"
PUBLISHED = "published"
# A translated object made by hand (copied, or created in the admin), without a wagtail-localize
# Translation: the queue cannot tell whether it follows its source, nor sync it.
UNMANAGED = "unmanaged"
STATUSES = [
    (MISSING, _("Missing")),
    (OUTDATED, _("Outdated")),
    (IN_PROGRESS, _("In progress")),
    (READY_FOR_REVIEW, _("Ready for review")),
    (PUBLISHED, _("Published")),
    (UNMANAGED, _("Not managed by translation")),
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
    reviewer: object = None
    due_date: date | None = None
    in_workflow: bool = False
    task_state_id: int | None = None  # the current moderation task of the translated page
    task_id: int | None = None
    can_approve: bool = False  # set by the view for the user looking at the queue
    can_publish: bool = False  # a snippet translation the user may approve and publish
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
    def pk(self):
        """The row's id in Wagtail's bulk actions (translation_queue.bulk_actions)."""
        return self.key

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


def section_page_types():
    """The page types whose pages are sections of the queue: those whose class sets
    `translation_queue_section = True` (programmes.models.ProgrammePage)."""
    return [
        model for model in get_page_models() if getattr(model, "translation_queue_section", False)
    ]


def programme_sections(source_locale):
    """{path of a section page: (id, title)} for the programme filter/column: one query per
    section page type (one: the programmes)."""
    return {
        path: (pk, title)
        for model in section_page_types()
        for pk, path, title in model.objects.filter(locale=source_locale).values_list(
            "pk", "path", "title"
        )
    }


def linked_sections(source_locale, keys=None):
    """{page pk: section page pk} of the pages placed in a section by a relation rather than
    the tree (a resource of the library names its programmes): page types whose class defines
    `translation_queue_sections(pages)`, returning that mapping for a queryset of its pages
    (resources.models.ResourcePage). One query per such page type."""
    sections = {}
    for model in get_page_models():
        find = getattr(model, "translation_queue_sections", None)
        if find is None:
            continue
        pages = model.objects.filter(locale=source_locale, live=True)
        if keys is not None:
            pages = pages.filter(translation_key__in=keys)
        sections.update(find(pages))
    return sections


def entry_rows(entries, locales):
    """QueueRow objects for the stored entries about to be shown, with their assignees and
    changed segments: two more queries whatever the number of rows (none when not needed)."""
    locales = {locale.pk: locale for locale in locales}
    change_ids = {entry.change_id for entry in entries if entry.change_id}
    changes = SourceChange.objects.in_bulk(change_ids) if change_ids else {}
    section_ids = {entry.section_id for entry in entries if entry.section_id}
    titles = section_titles(section_ids)
    reviewers = named_reviewers(entries)
    rows = []
    for entry in entries:
        rows.append(
            QueueRow(
                raw_key=str(entry.translation_key),
                title=entry.title,
                content_type=ContentType.objects.get_for_id(entry.content_type_id),  # cached
                source_pk=entry.source_pk,
                source_published_at=entry.source_published_at,
                target_locale=locales.get(entry.target_locale_id) or entry.target_locale,
                section=titles.get(entry.section_id, ""),
                section_id=entry.section_id,
                is_page=entry.is_page,
                source_id=entry.source_id,
                translation_id=entry.translation_id,
                target_pk=entry.target_pk,
                status=entry.status,
                progress=entry.progress,
                change=changes.get(entry.change_id),
                words=entry.words,
                assignee=entry.assignee,
                assignee_id=entry.assignee_id,
                reviewer=reviewers.get((entry.translation_key, entry.target_locale_id)),
                due_date=entry.due_date,
                in_workflow=entry.in_workflow,
                task_state_id=entry.task_state_id,
                task_id=entry.task_id,
            )
        )
    return rows


def named_reviewers(entries):
    """{(translation key, target locale id): reviewer} of the rows shown: one query."""
    from .models import TranslationAssignment

    keys = {entry.translation_key for entry in entries}
    if not keys:
        return {}
    return {
        (assignment.translation_key, assignment.target_locale_id): assignment.reviewer
        for assignment in TranslationAssignment.objects.filter(
            translation_key__in=keys, reviewer__isnull=False
        ).select_related("reviewer")
    }


def section_titles(section_ids):
    if not section_ids:
        return {}
    return dict(Page.objects.filter(pk__in=section_ids).values_list("pk", "title"))
