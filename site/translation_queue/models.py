"""The queue's own records; everything else is read from wagtail-localize's models.

Both are keyed like wagtail-localize's TranslatableObject: by translation key (shared by an
object and all its translations), so they cover pages and snippets alike.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TranslationAssignment(models.Model):
    """Who translates an object into a language, and by when."""

    translation_key = models.UUIDField(db_index=True)
    target_locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translation_assignments",
        verbose_name=_("assignee"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Who approves it (a moderator or administrator): named in the queue and in the translator's
    # editor; Wagtail's workflow still lets any member of the approving groups approve.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translation_reviews",
        verbose_name=_("reviewer"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "target_locale"], name="unique_translation_assignment"
            )
        ]
        verbose_name = _("translation assignment")
        verbose_name_plural = _("translation assignments")

    def __str__(self):
        return f"{self.translation_key} → {self.target_locale_id}: {self.assignee}"


class SourceChange(models.Model):
    """What changed in a source object since the TranslationSource its translations were made
    from. Written when the source is published (translation_queue.signals); it stands while that
    TranslationSource has not been synced (`source_updated_at` still equals its
    `last_updated_at`)."""

    translation_key = models.UUIDField()
    source_locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, related_name="+"
    )
    source_updated_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    # [{"kind": "changed" | "removed" | "reordered" | "other", "path": segment path,
    #   "text": new source text or None, "previous": old source text or None}]
    # (records written before "kind" existed are all "changed")
    changed_segments = models.JSONField(default=list)
    words_changed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "source_locale"], name="unique_source_change"
            )
        ]
        verbose_name = _("source change")
        verbose_name_plural = _("source changes")

    def __str__(self):
        return f"{self.translation_key}: {self.words_changed} words changed"


class SourceWordCount(models.Model):
    """The words of a source object that has never been translated (no TranslationSource yet),
    counted from its segments when it is published (translation_queue.signals): the queue's
    "words" of a missing translation. Once a translation exists, its TranslationSource's
    segments give the count instead."""

    translation_key = models.UUIDField()
    source_locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, related_name="+"
    )
    words = models.PositiveIntegerField(_("words"))
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "source_locale"], name="unique_source_word_count"
            )
        ]
        verbose_name = _("source word count")
        verbose_name_plural = _("source word counts")

    def __str__(self):
        return f"{self.translation_key}: {self.words} words"


class QueueEntry(models.Model):
    """One row of the queue (a source page or snippet × a target language), kept up to date so
    the queue filters, sorts and paginates in SQL instead of recomputing every row per request.

    Derived data only: `translation_queue.entries` computes it from wagtail-localize's models,
    the pages and snippets and the two models above; signals refresh the rows of an object when
    any of them changes (at commit), and `manage.py rebuild_translation_queue` recomputes all
    of it. Ids of other tables are plain integers: the rows are replaced, never followed.
    """

    translation_key = models.UUIDField()
    target_locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, related_name="+"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    source_pk = models.PositiveBigIntegerField()
    is_page = models.BooleanField(default=True)
    title = models.CharField(max_length=255)
    # title.casefold(): sorting and searching the same way on SQLite and PostgreSQL
    folded_title = models.CharField(max_length=255)
    source_published_at = models.DateTimeField(null=True, blank=True)
    section_id = models.PositiveBigIntegerField(null=True, blank=True)  # programme page
    source_id = models.PositiveBigIntegerField(null=True, blank=True)  # TranslationSource
    translation_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_pk = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20)
    status_order = models.PositiveSmallIntegerField()
    progress = models.PositiveSmallIntegerField(default=0)
    words = models.PositiveIntegerField(null=True, blank=True)
    change_id = models.PositiveBigIntegerField(null=True, blank=True)  # SourceChange
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(null=True, blank=True)
    in_workflow = models.BooleanField(default=False)
    task_state_id = models.PositiveBigIntegerField(null=True, blank=True)
    task_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "target_locale"], name="unique_queue_entry"
            )
        ]
        indexes = [
            models.Index(fields=["folded_title"], name="queue_entry_title"),
            models.Index(fields=["status_order", "folded_title"], name="queue_entry_status"),
            models.Index(fields=["assignee", "due_date"], name="queue_entry_assignee"),
        ]
        verbose_name = _("translation queue entry")
        verbose_name_plural = _("translation queue entries")

    def __str__(self):
        return f"{self.title} → {self.target_locale_id}: {self.status}"


NORMALISED_TERM_LENGTH = 600


class GlossaryTerm(models.Model):
    """An English term and its translation into one language, offered to translators in the
    editor's help panel when a segment contains the term (translation_queue.editor_help).

    Translators propose terms in their languages; moderators and administrators approve them
    (translation_queue.glossary). Seeded from the names of the translated taxonomy terms and
    programmes (`manage.py seed_glossary`)."""

    # Terms refer to nothing an editor looks up the usage of (their language only); seeded in
    # bulk, they would otherwise be in the reference index only after a rebuild.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")

    source_term = models.CharField(
        _("English term"), max_length=255, help_text=_("The term as the English source writes it.")
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("language"),
    )
    translation = models.CharField(
        _("translation"), max_length=255, help_text=_("The term to use in this language.")
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("When to use it, or what to avoid (optional).")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PROPOSED,
        help_text=_("Only approved terms are shown in the translation editor."),
    )
    # Folded (ngo_site.text.normalise): matched case- and accent-insensitively, unique per language.
    # Inclusive writing is expanded to both words ("salarié·e·s" -> "salaries salariees"): less
    # than twice the 255 characters of a term.
    normalised_term = models.CharField(max_length=NORMALISED_TERM_LENGTH, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["normalised_term", "locale"], name="unique_glossary_term"
            )
        ]
        ordering = ["normalised_term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return f"{self.source_term} → {self.translation}"

    def save(self, *args, **kwargs):
        from ngo_site.text import normalise

        self.normalised_term = normalise(self.source_term)
        super().save(*args, **kwargs)


class SegmentComment(models.Model):
    """A reviewer's comment on one segment of a translation, shown to the translator in the
    editor's help panel and counted on the item's row in the queue until it is resolved."""

    translation_key = models.UUIDField(db_index=True)
    target_locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, related_name="+"
    )
    # The segment: wagtail-localize's context path and the source text commented on.
    segment_path = models.TextField()
    source_text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The last change of the text after it was written (translation_queue.comments.edit_comment).
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("edited by"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["translation_key", "target_locale", "resolved_at"],
                name="segment_comment_item",
            )
        ]
        verbose_name = _("segment comment")
        verbose_name_plural = _("segment comments")

    def __str__(self):
        return f"{self.segment_path}: {self.text[:40]}"


class TranslationJob(models.Model):
    """Queue items grouped for one target language, with a translator, a reviewer and a due
    date (translation_queue.jobs). Its status follows its items (all ready for review: in
    review; all published: done) and can be moved by hand by those allowed to."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"
    DONE = "done"
    STATUSES = [
        (OPEN, _("Open")),
        (IN_PROGRESS, _("In progress")),
        (IN_REVIEW, _("In review")),
        (DONE, _("Done")),
    ]

    name = models.CharField(_("name"), max_length=255)
    target_locale = models.ForeignKey(
        "wagtailcore.Locale",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("language"),
    )
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translation_jobs",
        verbose_name=_("translator"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translation_jobs_to_review",
        verbose_name=_("reviewer"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=STATUSES, default=OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="translation_job_status")]
        verbose_name = _("translation job")
        verbose_name_plural = _("translation jobs")

    def __str__(self):
        return self.name


class TranslationJobItem(models.Model):
    """One source page or snippet of a job (its translation into the job's language). Keyed
    by translation key like TranslationAssignment: the queue's stored rows are recreated
    whenever their item changes, so the job follows the key, never a row's primary key."""

    job = models.ForeignKey(
        TranslationJob, on_delete=models.CASCADE, related_name="items", verbose_name=_("job")
    )
    translation_key = models.UUIDField()
    # The item's title when it was added: still shown if the source is deleted later.
    title = models.CharField(_("title"), max_length=255)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "translation_key"], name="unique_job_item")
        ]
        indexes = [models.Index(fields=["translation_key"], name="translation_job_item_key")]
        verbose_name = _("translation job item")
        verbose_name_plural = _("translation job items")

    def __str__(self):
        return self.title


class TranslationJobEvent(models.Model):
    """One step of a job's history: who did what, when (user None: the queue itself, e.g. the
    status following the items)."""

    CREATED = "created"
    CHANGED = "changed"
    ITEMS_ADDED = "items_added"
    STATUS = "status"
    EXPORTED = "exported"
    IMPORTED = "imported"
    ACTIONS = [
        (CREATED, _("Created")),
        (CHANGED, _("Changed")),
        (ITEMS_ADDED, _("Items added")),
        (STATUS, _("Status changed")),
        (EXPORTED, _("Exported")),
        (IMPORTED, _("Imported")),
    ]

    job = models.ForeignKey(
        TranslationJob, on_delete=models.CASCADE, related_name="events", verbose_name=_("job")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20, choices=ACTIONS)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("translation job event")
        verbose_name_plural = _("translation job events")

    def __str__(self):
        return f"{self.job_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
