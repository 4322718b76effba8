"""Save a translation as a draft for review without changing what visitors see.

wagtail-localize's `Translation.save_target(publish=False)` writes the translated content on
the page's own row as well as in a new revision. For a French page that is not live yet that
is harmless; for a live one it would show unreviewed French (a machine pre-fill, an outside
translator's file) to visitors before anyone approved it. Wagtail keeps drafts in revisions
only, so after saving, the page's row gets its published content back; the new revision stays
the latest one ("has unpublished changes"), which is what the reviewer approves.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import DraftStateMixin, Page


def save_translation_draft(translation, user=None):
    """Save the target of `translation` as a draft; False when its content does not validate.

    A snippet without drafts is left as it is: saving it would publish it. Its new French
    waits in wagtail-localize's strings; the queue shows it "ready for review" and publishes
    it when someone approves it (views.publish_snippet)."""
    target = translation.get_target_instance()
    if not isinstance(target, (Page, DraftStateMixin)):
        return True
    is_live_page = isinstance(target, Page) and target.live and target.live_revision_id
    try:
        with transaction.atomic():
            translation.save_target(user=user, publish=False)
            if is_live_page:
                current = Page.objects.get(pk=target.pk).specific
                published = current.with_content_json(current.live_revision.content)
                published.save(clean=False)
    except ValidationError:
        return False
    return True
