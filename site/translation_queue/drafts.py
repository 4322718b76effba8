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
from wagtail.models import Page


def save_translation_draft(translation, user=None):
    """Save the target of `translation` as a draft; False when its content does not validate."""
    target = translation.get_target_instance()
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
