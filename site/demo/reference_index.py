"""Wagtail's reference index ("usage" of images, documents, pages and snippets), brought up to
date once per object at the end of `load_demo` instead of on every save.

Why: loading the demo saves most objects several times (a draft, a revision, the publication,
each translation's sync), and Wagtail re-indexes the object's references on every one of those
saves, which was about a fifth of the command's time. The final index is the same: each object
saved or deleted during the load is indexed (or removed) once, from its state in the database.
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from modelcluster.fields import ParentalKey
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update


def _parental_key(model):
    return next(
        (field for field in model._meta.get_fields() if isinstance(field, ParentalKey)), None
    )


def _indexed_root(model, pk):
    """The object whose references a save of (model, pk) changes: the object itself, or the
    parent it belongs to through ParentalKeys, as Wagtail's own update task resolves it."""
    instance = model._default_manager.filter(pk=pk).first()
    while instance is not None and (key := _parental_key(type(instance))) is not None:
        instance = getattr(instance, key.name)
    if instance is None or not ReferenceIndex.is_indexed(type(instance)):
        return None
    if isinstance(instance, Page):
        instance = instance.specific
    return instance


@contextmanager
def reference_index_updated_at_the_end():
    """Within the block, saves and deletes of tracked models are only noted; on leaving it
    without an error, every noted object is re-indexed once (within the caller's transaction)."""
    saved, deleted = {}, {}

    def note_save(sender, instance, raw=False, **kwargs):
        if not raw and sender in ReferenceIndex.tracked_models:
            saved[(sender, instance.pk)] = None

    def note_delete(sender, instance, **kwargs):
        if sender in ReferenceIndex.tracked_models:
            deleted[(sender, instance.pk)] = instance

    post_save.connect(note_save, weak=False, dispatch_uid="demo-reference-index-save")
    post_delete.connect(note_delete, weak=False, dispatch_uid="demo-reference-index-delete")
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(dispatch_uid="demo-reference-index-save")
        post_delete.disconnect(dispatch_uid="demo-reference-index-delete")

    with transaction.atomic():
        for instance in deleted.values():
            ReferenceIndex.remove_for_object(instance)
            ReferenceIndex.remove_references_to(instance)
        roots = {}
        for model, pk in saved:
            root = _indexed_root(model, pk)
            if root is not None:
                roots[(type(root), root.pk)] = root
        for root in roots.values():
            ReferenceIndex.create_or_update_for_object(root)
