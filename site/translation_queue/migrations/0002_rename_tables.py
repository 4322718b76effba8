"""The queue's tables take the names of their app; their content types (and so their
permissions and log entries) move with them. Renaming keeps every row."""

from django.db import migrations

MODELS = ("queueentry", "sourcechange", "sourcewordcount", "translationassignment")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="translation_queue", model=model).exists():
            ContentType.objects.filter(app_label="ngo_site", model=model).update(
                app_label="translation_queue"
            )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="translation_queue", model__in=MODELS).update(
        app_label="ngo_site"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("translation_queue", "0001_initial"),
        ("ngo_site", "0013_translation_queue_app"),
    ]

    operations = [
        migrations.AlterModelTable(name="queueentry", table=None),
        migrations.AlterModelTable(name="sourcechange", table=None),
        migrations.AlterModelTable(name="sourcewordcount", table=None),
        migrations.AlterModelTable(name="translationassignment", table=None),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
