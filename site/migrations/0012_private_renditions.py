"""Renditions made before ngo_site.private_files chose their folder and name are deleted, files
included: they sit in `images/` (public) under guessable names, also for images that are not
public. Wagtail makes them again, in the right folder, when pages next show them."""

from django.db import migrations


def delete_renditions(apps, schema_editor):
    from wagtail.images.models import get_rendition_storage

    Rendition = apps.get_model("ngo_site", "CustomRendition")
    storage = get_rendition_storage()
    for name in Rendition.objects.values_list("file", flat=True).iterator():
        if name:
            # A missing file is no error (FileSystemStorage, S3); a storage that refuses stops
            # the migration, rather than leave the file public.
            storage.delete(name)
    Rendition.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("ngo_site", "0011_translation_reviewer")]

    operations = [migrations.RunPython(delete_renditions, migrations.RunPython.noop)]
