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
    # [{"path": segment path, "text": new source text, "previous": old source text or None}]
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
