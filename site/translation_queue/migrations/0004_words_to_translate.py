"""Recount the words of the recorded source changes as words to translate (the words a changed
segment adds, all words of a new one) instead of whole changed segments. The queue's rows are
rebuilt after every `migrate` (post_migrate), so they follow."""

from django.db import migrations


def recount(apps, schema_editor):
    from ngo_site.translation_queue.word_diff import words_to_translate

    SourceChange = apps.get_model("translation_queue", "SourceChange")
    for change in SourceChange.objects.all():
        words = sum(
            words_to_translate(item.get("previous"), item.get("text"))
            for item in change.changed_segments
            if item.get("kind", "changed") == "changed"
        )
        if words != change.words_changed:
            change.words_changed = words
            change.save(update_fields=["words_changed"])


class Migration(migrations.Migration):
    dependencies = [("translation_queue", "0003_glossary_and_segment_comments")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
