"""PostgreSQL: relevance ranks a small vector of its own, `rank_vector` (title A, summary B), and
`search_vector`, which is only matched, loses its positions and weights (`strip`): a search
then reads narrower rows for its matches and ranks each match on its title and summary alone,
not on its whole text (docs/benchmarks.md, "The library benchmark"). The existing vectors are
split in place, so the library searches right after `migrate`; a GIN index on `rank_vector`
finds the candidates of relevance. Migration 0008's `toast_tuple_target` on the table is reset:
the rows are narrow without it.
"""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

DOCUMENTS = "resources_resourcesearchdocument"
# The candidates of relevance: the matches whose title and summary have every word.
RANK_INDEX = GinIndex(fields=["rank_vector"], name="resources_searchdoc_rank_gin")


def split_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE {DOCUMENTS} SET rank_vector = ts_filter(search_vector, '{{a,b}}'), "
            "search_vector = strip(search_vector)"
        )
        schema_editor.execute(f"ALTER TABLE {DOCUMENTS} RESET (toast_tuple_target)")
        # PostgreSQL builds no index on a table with deferred foreign-key checks pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
        model = apps.get_model("resources", "ResourceSearchDocument")
        schema_editor.add_index(model, RANK_INDEX)


def join_vectors(apps, schema_editor):
    """Back to one weighted vector: the title and summary weighted, the rest as weight D
    (`manage.py rebuild_library_index` gives every resource its exact weights again)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(
            apps.get_model("resources", "ResourceSearchDocument"), RANK_INDEX
        )
        schema_editor.execute(
            f"UPDATE {DOCUMENTS} SET search_vector = search_vector || rank_vector"
        )
        schema_editor.execute(f"ALTER TABLE {DOCUMENTS} SET (toast_tuple_target = 128)")


class Migration(migrations.Migration):
    dependencies = [("resources", "0016_search_vector_on_documents")]

    operations = [
        migrations.AddField(
            model_name="resourcesearchdocument",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(split_vectors, join_vectors),
    ]
