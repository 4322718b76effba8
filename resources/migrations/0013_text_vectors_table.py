"""PostgreSQL's text-search vectors move to a narrow table of their own, `ResourceTextVector`
(docs/benchmarks.md, 2026-12-03): a common word matches most of the library, and PostgreSQL
reads the row of every match for its id. In `resources_resourcesearchdocument` that row also
held the title, the dates and the rank vector (about 500 bytes); in the new table it is about
60 bytes, the vectors being kept out of line. A third vector, the title's alone, lets relevance
list title matches first from an index instead of ranking every candidate with `ts_rank`.

The existing vectors are copied, so the library searches as before right after `migrate`; the
title vector is the title part (weight A) of the rank vector. SQLite has no vectors: its table
is created and stays empty.
"""

import django.db.models.deletion
from django.db import migrations, models

import resources.models

DOCUMENTS = "resources_resourcesearchdocument"
VECTORS = "resources_resourcetextvector"
GIN_INDEXES = {
    "resources_textvector_gin": "vector",
    "resources_textvector_rank_gin": "rank_vector",
    "resources_textvector_title_gin": "title_vector",
}
# The indexes of the old columns (migrations 0004 and 0008), for going back.
OLD_GIN_INDEXES = {
    "resources_searchdoc_vector_gin": "vector",
    "resources_searchdoc_rank_gin": "rank_vector",
}


def narrow_vector_rows(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Every vector out of line and uncompressed (tsvectors hardly compress), so a row holds
    # three TOAST pointers besides its ids.
    schema_editor.execute(f"ALTER TABLE {VECTORS} SET (toast_tuple_target = 128)")
    for column in GIN_INDEXES.values():
        schema_editor.execute(
            f"ALTER TABLE {VECTORS} ALTER COLUMN {column} SET STORAGE EXTERNAL"
        )
    schema_editor.execute(
        f"INSERT INTO {VECTORS} (resource_id, library_id, locale_id, vector, rank_vector, "
        "title_vector) SELECT resource_id, library_id, locale_id, vector, rank_vector, "
        f"ts_filter(rank_vector, '{{a}}') FROM {DOCUMENTS}"
    )
    for name, column in GIN_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {VECTORS} USING gin ({column})"
        )


def widen_document_rows(apps, schema_editor):
    """Back to the vectors on the documents (their columns are back by now)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"UPDATE {DOCUMENTS} AS document SET vector = vectors.vector, "
        f"rank_vector = vectors.rank_vector FROM {VECTORS} AS vectors "
        "WHERE vectors.resource_id = document.resource_id"
    )
    schema_editor.execute(f"ALTER TABLE {DOCUMENTS} ALTER COLUMN rank_vector SET STORAGE MAIN")
    for name, column in OLD_GIN_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {DOCUMENTS} USING gin ({column})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0012_alter_librarypage_options"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResourceTextVector",
            fields=[
                (
                    "resource",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="resources.resourcepage",
                    ),
                ),
                ("vector", resources.models.TsVectorField(editable=False, null=True)),
                ("rank_vector", resources.models.TsVectorField(editable=False, null=True)),
                ("title_vector", resources.models.TsVectorField(editable=False, null=True)),
                (
                    "library",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="resources.librarypage",
                    ),
                ),
                (
                    "locale",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.locale",
                    ),
                ),
            ],
        ),
        migrations.RunPython(narrow_vector_rows, widen_document_rows),
        # Their GIN indexes go with them.
        migrations.RemoveField(model_name="resourcesearchdocument", name="rank_vector"),
        migrations.RemoveField(model_name="resourcesearchdocument", name="vector"),
    ]
