"""Keep the site search in step with the FAQs: a page showing an FAQ (the FAQ block) indexes its
questions and answers (partnerships.blocks.FAQBlock.get_searchable_content), so when an FAQ
group or one of its questions is saved or deleted, the pages showing the group, or any of its
translations, are indexed again.

The pages are found with Wagtail's reference index, once the transaction commits (then the index
is up to date, also at the end of `load_demo`, which updates it last), once per FAQ per
transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, ReferenceIndex
from wagtail.search import index

from .models import FAQGroup, FAQQuestion


def pages_showing(translation_key):
    """The live pages whose fields refer to an FAQ group of this translation key."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = set()
    for group in FAQGroup.objects.filter(translation_key=translation_key):
        references = ReferenceIndex.get_references_to(group).filter(base_content_type=page_type)
        page_ids.update(references.values_list("object_id", flat=True))
    return Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids]).specific()


def reindex_pages_showing(translation_key):
    for page in pages_showing(translation_key):
        index.insert_or_update_object(page)


class _Reindex:
    """The on-commit callback for one FAQ, so that a transaction saving a group and its
    questions indexes the pages once."""

    def __init__(self, translation_key):
        self.translation_key = translation_key
        self.done = False

    def __call__(self):
        self.done = True
        reindex_pages_showing(self.translation_key)


def _schedule(translation_key):
    pending = (entry[1] for entry in getattr(connection, "run_on_commit", ()))
    if any(
        isinstance(callback, _Reindex)
        and not callback.done
        and callback.translation_key == translation_key
        for callback in pending
    ):
        return
    transaction.on_commit(_Reindex(translation_key))


@receiver(post_save, sender=FAQGroup)
def faq_group_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _schedule(instance.translation_key)


@receiver(post_save, sender=FAQQuestion)
@receiver(post_delete, sender=FAQQuestion)
def faq_question_changed(sender, instance, raw=False, **kwargs):
    group = FAQGroup.objects.filter(pk=instance.group_id).values("translation_key").first()
    if not raw and group is not None:
        _schedule(group["translation_key"])
