"""The library's PostgreSQL text search moves to Django's `SearchVectorField` on the documents'
rows, one vector weighted for `SearchRank` (title A, summary B, the rest C), with a GIN index
(PostgreSQL only: SQLite keeps its FTS5 table of migration 0008). The vectors table of
migrations 0013 and 0014 is dropped with its columns and indexes. Its vectors are copied, so the
library searches right after `migrate`; `manage.py rebuild_library_index` gives every resource
its exact weights. The documents' `text` is only read on SQLite: emptied on PostgreSQL.

`LibraryIndexVersion` changes with every change to the search tables (resources/index.py).
"""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models

GIN_INDEX = GinIndex(fields=["search_vector"], name="resources_searchdoc_vector_gin")


def copy_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE resources_resourcesearchdocument AS document "
        "SET search_vector = vectors.rank_vector || setweight(vectors.vector, 'C'), text = '' "
        "FROM resources_resourcetextvector AS vectors "
        "WHERE vectors.resource_id = document.resource_id"
    )
    # PostgreSQL builds no index on a table with deferred foreign-key checks pending.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
    schema_editor.add_index(apps.get_model("resources", "ResourceSearchDocument"), GIN_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("resources", "ResourceSearchDocument"), GIN_INDEX)


class Migration(migrations.Migration):
    dependencies = [("resources", "0015_programme_and_project_resources")]

    operations = [
        migrations.CreateModel(
            name="LibraryIndexVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.UUIDField()),
            ],
        ),
        migrations.AddField(
            model_name="resourcesearchdocument",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(copy_vectors, drop_index),
        migrations.DeleteModel(name="ResourceTextVector"),
    ]
