"""Indexes for the library at scale (docs/benchmarks.md, "After the search-table indexes").

- `ResourceFacet.library`: the resource's library, copied from its search document, with an
  index (library, facet, value, resource), so a library's facet rows are one index range.
- An index (library, resource) on `ResourceSearchDocument`.
- On SQLite, an FTS5 table over the documents' normalised text (`resources_search_fts`, external
  content, kept in step with the documents by triggers, so every insert, update and delete of a
  document, cascades included, reaches it). PostgreSQL keeps its tsvector and GIN index (0004).
- `ResourceSearchDocument.rank_vector` (title and summary, weighted; PostgreSQL only, GIN
  index) for relevance, and narrow rows on PostgreSQL (`toast_tuple_target`).

Note for later migrations: on SQLite, altering `resources_resourcesearchdocument` in a way that
makes Django rebuild the table (most field changes) drops the triggers above; such a migration
must create them again (SQLITE_FTS[1:4]).
"""

import django.db.models.deletion
from django.db import migrations, models

import resources.models

FTS_TABLE = "resources_search_fts"
DOCUMENTS = "resources_resourcesearchdocument"
RANK_INDEX = "resources_searchdoc_rank_gin"

SQLITE_FTS = [
    # unicode61 splits words as resources.index.normalise does (which keeps "_" in words); the
    # prefix indexes serve the "word*" queries of short words.
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        text, content='{DOCUMENTS}', content_rowid='resource_id',
        tokenize="unicode61 remove_diacritics 2 tokenchars '_'", prefix='2 3'
    )""",
    f"""CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON {DOCUMENTS} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.resource_id, new.text);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON {DOCUMENTS} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text)
        VALUES ('delete', old.resource_id, old.text);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE ON {DOCUMENTS} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text)
        VALUES ('delete', old.resource_id, old.text);
        INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.resource_id, new.text);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_FTS_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def fill_facet_libraries(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Check the foreign key now: a deferred check would leave "pending trigger events"
        # that forbid the ALTER TABLE below in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(
        "UPDATE resources_resourcefacet SET library_id = (SELECT library_id FROM "
        f"{DOCUMENTS} WHERE {DOCUMENTS}.resource_id = resources_resourcefacet.resource_id)"
    )
    # Facet rows without a document cannot be shown anywhere; the next indexing rebuilds them.
    schema_editor.execute("DELETE FROM resources_resourcefacet WHERE library_id IS NULL")


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FTS:
            schema_editor.execute(statement)


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FTS_DROP:
            schema_editor.execute(statement)


def narrow_postgresql_rows(apps, schema_editor):
    """PostgreSQL: keep the documents' rows narrow (their text and vector in TOAST, the small
    rank vector inline), so a match of a common word reads a few MB of rows, not the texts; and
    fill the rank vectors of existing documents (titles not yet stripped of accents as
    resources.index does: the next indexing of each resource does it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {DOCUMENTS} SET (toast_tuple_target = 128)")
    schema_editor.execute(f"ALTER TABLE {DOCUMENTS} ALTER COLUMN rank_vector SET STORAGE MAIN")
    # The candidates of relevance ranking: the matches whose title or summary has every word.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {RANK_INDEX} ON {DOCUMENTS} USING gin (rank_vector)"
    )
    schema_editor.execute(
        f"UPDATE {DOCUMENTS} AS document SET rank_vector = "
        "setweight(to_tsvector(configs.config, lower(page.title)), 'A') "
        "|| setweight(to_tsvector(configs.config, lower(resource.summary)), 'B') "
        "FROM wagtailcore_page AS page, resources_resourcepage AS resource, ("
        "SELECT locale.id, CASE split_part(locale.language_code, '-', 1) "
        "WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish' "
        "WHEN 'pt' THEN 'portuguese' ELSE 'simple' END::regconfig AS config "
        "FROM wagtailcore_locale AS locale) AS configs "
        "WHERE page.id = document.resource_id AND resource.page_ptr_id = page.id "
        "AND configs.id = document.locale_id"
    )


def widen_postgresql_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {RANK_INDEX}")
        schema_editor.execute(f"ALTER TABLE {DOCUMENTS} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0007_admin_help_texts"),
    ]

    operations = [
        migrations.AddField(
            model_name="resourcefacet",
            name="library",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="resources.librarypage",
            ),
        ),
        migrations.RunPython(fill_facet_libraries, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="resourcefacet",
            name="library",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="resources.librarypage",
            ),
        ),
        migrations.AddIndex(
            model_name="resourcefacet",
            index=models.Index(
                fields=["library", "facet", "value", "resource"], name="resources_facet_library"
            ),
        ),
        migrations.AddIndex(
            model_name="resourcesearchdocument",
            index=models.Index(fields=["library", "resource"], name="resources_searchdoc_lib_res"),
        ),
        migrations.AddField(
            model_name="resourcesearchdocument",
            name="rank_vector",
            field=resources.models.TsVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_fts, drop_fts),
        migrations.RunPython(narrow_postgresql_rows, widen_postgresql_rows),
    ]
