"""The translation queue is an app of its own (label `translation_queue`): its tables, which
were the `ngo_site` app's, move to it with every row."""

import uuid

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("ngo_site", "0012_private_renditions"), ("translation_queue", None)]


def test_the_queue_models_belong_to_their_own_app():
    config = apps.get_app_config("translation_queue")
    assert {model.__name__ for model in config.get_models()} == {
        "QueueEntry",
        "SourceChange",
        "SourceWordCount",
        "TranslationAssignment",
        "TranslationJob",
        "TranslationJobItem",
        "TranslationJobEvent",
        "GlossaryTerm",
        "SegmentComment",
    }
    assert all(
        model._meta.db_table.startswith("translation_queue_") for model in config.get_models()
    )


@pytest.mark.django_db(transaction=True)
def test_migrating_moves_the_tables_with_their_rows(english, french):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state([BEFORE[0]]).apps
    key = uuid.uuid4()
    old.get_model("ngo_site", "TranslationAssignment").objects.create(
        translation_key=key, target_locale_id=french.pk
    )
    old_content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="ngo_site", model="translationassignment"
    )[0]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType

    from ngo_site.translation_queue.models import TranslationAssignment

    assert TranslationAssignment.objects.filter(translation_key=key, target_locale=french).exists()
    assert "ngo_site_translationassignment" not in connection.introspection.table_names()
    ContentType.objects.clear_cache()
    moved = ContentType.objects.get(pk=old_content_type.pk)
    assert (moved.app_label, moved.model) == ("translation_queue", "translationassignment")
