"""Save a translation as a draft for review without changing what visitors see.

wagtail-localize's `Translation.save_target(publish=False)` writes the translated content on
the page's own row as well as in a new revision: on a live page, unreviewed French (a sync, a
machine pre-fill, an outside translator's file) would reach visitors before anyone approved
it (wagtail-localize issues 634 and 655). Wagtail keeps drafts in revisions only: for a live
page or snippet the translated content is built in memory (wagtail-localize's
`get_ephemeral_translated_instance`, the instance its preview shows) and saved with Wagtail's
own `save_revision()`, which writes the revision and marks the object as having unpublished
changes without touching its content, `live_revision` or `last_published_at`. The reviewer
approves that revision.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import DraftStateMixin, Page


def save_translation_draft(translation, user=None):
    """Save the target of `translation` as a draft; False when its content does not validate.

    A snippet without drafts is left as it is: saving it would publish it. Its new French
    waits in wagtail-localize's strings; the queue shows it "ready for review" and publishes
    it when someone approves it (views.publish_snippet)."""
    target = translation.get_target_instance()
    if not isinstance(target, (Page, DraftStateMixin)):
        return True
    try:
        with transaction.atomic():
            if target.live:
                draft = translation.source.get_ephemeral_translated_instance(
                    translation.target_locale, fallback=True
                )
                if isinstance(draft, Page):
                    # As wagtail-localize does when it saves a translated page.
                    draft.slug = find_available_slug(
                        draft.get_parent(), slugify(draft.slug), ignore_page_id=draft.pk
                    )
                draft.save_revision(user=user, log_action=True)
            else:
                # Not visible to visitors: wagtail-localize's own draft save is harmless.
                translation.save_target(user=user, publish=False)
    except ValidationError:
        return False
    return True


def synced_translation(instance):
    """The enabled wagtail-localize Translation whose target is `instance`, or None."""
    from wagtail_localize.models import Translation

    return (
        Translation.objects.filter(
            source__object_id=instance.translation_key,
            target_locale_id=instance.locale_id,
            enabled=True,
        )
        .select_related("source", "target_locale")
        .first()
    )


def untranslated_segments(instance):
    """How many text segments of `instance`'s synced translation have no translation yet (0
    when it is not the target of a synced translation)."""
    from wagtail_localize.models import StringSegment

    translation = synced_translation(instance)
    if translation is None:
        return 0
    return (
        StringSegment.objects.filter(source=translation.source)
        .annotate_translation(translation.target_locale)
        .filter(translation__isnull=True)
        .count()
    )
