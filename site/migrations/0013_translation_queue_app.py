"""The translation queue's models now belong to the `translation_queue` app
(translation_queue 0001): ngo_site lets go of them in Django's state; no table is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ngo_site", "0012_private_renditions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="sourcechange",
                    name="source_locale",
                ),
                migrations.RemoveField(
                    model_name="sourcewordcount",
                    name="source_locale",
                ),
                migrations.RemoveField(
                    model_name="translationassignment",
                    name="assignee",
                ),
                migrations.RemoveField(
                    model_name="translationassignment",
                    name="reviewer",
                ),
                migrations.RemoveField(
                    model_name="translationassignment",
                    name="target_locale",
                ),
                migrations.DeleteModel(
                    name="QueueEntry",
                ),
                migrations.DeleteModel(
                    name="SourceChange",
                ),
                migrations.DeleteModel(
                    name="SourceWordCount",
                ),
                migrations.DeleteModel(
                    name="TranslationAssignment",
                ),
            ],
            database_operations=[],
        ),
    ]
