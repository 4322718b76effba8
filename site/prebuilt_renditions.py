"""The renditions a page shows are made when it is published, not by its first visitor.

Making a rendition decodes the whole original: about 1.7 s and 320 MB for a photo of the upload
limit, 40 megapixels (docs/benchmarks.md, "Image renditions"). Made by `{% srcset_image %}`
when a page is first shown, that time is the first visitor's. Instead, the renditions that the
templates ask for (ngo_site.rendition_specs, by what the image is used for, read from Wagtail's
reference index) are made:

- when a page is published (Wagtail's `page_published`), for the images it uses;
- when a snippet is saved (a funder's logo, images in FAQ or funding-policy text);
- when an image is saved, or its renditions deleted (its file replaced, or its renditions on
  the wrong side of ngo_site.private_files), for the places that use it.

The work is a django-tasks task (the queue Wagtail itself uses for its reference index),
enqueued once the transaction commits: after the reference index is updated and after
ngo_site.private_files has put the image's existing renditions on the right side. Each
rendition is then made in the folder the rule of ngo_site.private_files chooses when it is made
(`rendition_upload_to`): an image of a private section gets its renditions in the private
folder, served only through the checked view; one that became public gets public ones. With
django-tasks' default ImmediateBackend the task runs in the editor's request, one rendition at
a time (ngo_site.images); its failure (a broken original) is logged and does not fail the
publication. A worker backend would move it out of the request.

In the request, the work is bounded in time: once RENDITIONS_AT_PUBLICATION_SECONDS have gone,
the renditions still missing are left to the pages' first visitors (and to `manage.py
build_renditions`), with a warning in the log, so that publishing a page with many large
images never outlives gunicorn's timeout (the publication itself is committed before).
"""

import logging
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.models import ReferenceIndex
from wagtail.signals import page_published

from . import rendition_specs
from .private_files import reconcile_renditions


def specs_by_image(references):
    """{image id: specs} for the rows of the reference index `references` that are images."""
    image_type = ContentType.objects.get_for_model(get_image_model())
    wanted = {}
    for image_id, model_path in references.filter(to_content_type=image_type).values_list(
        "to_object_id", "model_path"
    ):
        specs = wanted.setdefault(int(image_id), [])
        specs.extend(rendition_specs.specs_for_model_path(model_path))
    return {image_id: list(dict.fromkeys(specs)) for image_id, specs in wanted.items() if specs}


logger = logging.getLogger(__name__)


def build_renditions(wanted, seconds=None):
    """Make the missing renditions of {image id: specs} (those that exist are kept), one at a
    time; with `seconds`, none is started once that many seconds have gone."""
    reconcile_renditions(set(wanted))
    deadline = None if seconds is None else time.monotonic() + seconds
    left = 0
    for image in get_image_model().objects.filter(pk__in=wanted).select_related("collection"):
        for spec in wanted[image.pk]:
            if deadline is not None and time.monotonic() >= deadline:
                left += 1
                continue
            try:
                image.get_rendition(spec)
            except SourceImageIOError:
                # A missing or undecodable original: the page shows Wagtail's placeholder.
                break
    if left:
        logger.warning(
            "%d renditions were left for the pages' first visitors: making renditions at "
            "publication stops after RENDITIONS_AT_PUBLICATION_SECONDS (%s s).",
            left,
            seconds,
        )
    return left


def publication_budget():
    return settings.RENDITIONS_AT_PUBLICATION_SECONDS


@task()
def build_renditions_used_by(app_label, model_name, pk):
    """The renditions the object's images need where it uses them."""
    model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
    instance = model._default_manager.filter(pk=pk).first() if model else None
    if instance is not None:
        build_renditions(
            specs_by_image(ReferenceIndex.get_references_for_object(instance)),
            publication_budget(),
        )


@task()
def build_renditions_of_image(image_id):
    """The renditions an image needs in every place that uses it."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        build_renditions(
            specs_by_image(ReferenceIndex.get_references_to(image)), publication_budget()
        )


def _enqueue_for(instance):
    meta = instance._meta
    arguments = (meta.app_label, meta.model_name, str(instance.pk))
    transaction.on_commit(lambda: build_renditions_used_by.enqueue(*arguments))


def on_page_published(sender, instance, **kwargs):
    _enqueue_for(instance)


def on_snippet_saved(sender, instance, raw=False, **kwargs):
    from wagtail.snippets.models import get_snippet_models

    if not raw and sender in get_snippet_models():
        _enqueue_for(instance)


def _enqueue_for_image(image_id):
    transaction.on_commit(lambda: build_renditions_of_image.enqueue(image_id))


def on_image_saved(sender, instance, raw=False, created=False, **kwargs):
    # A new image is used by nothing yet.
    if not raw and not created:
        _enqueue_for_image(instance.pk)


def on_rendition_deleted(sender, instance, **kwargs):
    # Wagtail's image form deletes the renditions after saving a replaced file, and
    # ngo_site.private_files those of the wrong folder: they are made again (from the new file,
    # in the right folder). Once the deletion's transaction commits, so after all of them.
    _enqueue_for_image(instance.image_id)


def connect_signals():
    post_delete.connect(
        on_rendition_deleted,
        sender=get_image_model().get_rendition_model(),
        dispatch_uid="ngo_site_prebuilt_renditions_rendition",
    )
    page_published.connect(on_page_published, dispatch_uid="ngo_site_prebuilt_renditions_page")
    post_save.connect(on_snippet_saved, dispatch_uid="ngo_site_prebuilt_renditions_snippet")
    post_save.connect(
        on_image_saved,
        sender=get_image_model(),
        dispatch_uid="ngo_site_prebuilt_renditions_image",
    )
