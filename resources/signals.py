"""Keep the library's search tables in step with publishing."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from ngo_site.models import CustomDocument

from . import index
from .models import ResourcePage


@receiver(page_published, sender=ResourcePage)
def index_published_resource(sender, instance, **kwargs):
    index.index_resources([instance])


@receiver(page_unpublished, sender=ResourcePage)
def remove_unpublished_resource(sender, instance, **kwargs):
    index.remove_resources([instance.pk])


@receiver(post_page_move, sender=ResourcePage)
def reindex_moved_resource(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """A resource moved to another library is listed there: its search rows name the library."""
    if parent_page_before.pk != parent_page_after.pk:
        index.index_resources([instance])


@receiver(pre_save, sender=CustomDocument)
def extract_text_of_new_file(sender, instance, **kwargs):
    """When a file is uploaded or replaced (not yet committed to storage), read its text."""
    from .extraction import extract_pdf_text, is_pdf

    file = instance.file
    if not file or getattr(file, "_committed", True):
        return
    if not is_pdf(instance):
        instance.extracted_text, instance.text_extraction_note = "", ""
        return
    file.seek(0)
    instance.extracted_text, instance.text_extraction_note = extract_pdf_text(file)
    file.seek(0)


@receiver(post_save, sender=CustomDocument)
def reindex_resources_of_document(sender, instance, created, **kwargs):
    if created:
        return
    resources = ResourcePage.objects.filter(documents__document=instance).distinct()
    index.index_resources(list(resources))
