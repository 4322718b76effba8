"""PostgreSQL: the rows of `ResourceTextVector` really narrow, their vectors really out of line.

Migration 0013 set `toast_tuple_target = 128` and EXTERNAL storage on the vectors, expecting every
vector in TOAST and rows of about 100 bytes. PostgreSQL only starts toasting a row once it is
longer than TOAST_TUPLE_THRESHOLD (about 2 kB, fixed when PostgreSQL is compiled);
`toast_tuple_target` is then how far it shrinks it. A resource whose three vectors come to less
than that kept them inline: at 100,000 generated resources about half the rows were 1.5 kB, the
table had 12,200 pages instead of 1,200, and a common word's match, which reads the row of every
match, took 55 ms instead of 16 (docs/benchmarks.md, 2026-12-06).

So every row gets one more column, `out_of_line_filler`: 2,100 spaces by default, which puts
every new row over the threshold. PostgreSQL then compresses the filler to a few dozen bytes and
moves the vectors out of line, down to the 128-byte target. Nothing reads the column; it is not
on the Django model (SQLite has no vectors), and every INSERT gets it from the default. The
existing rows are written again here, into an emptied table, so that they are toasted too and
the table does not keep the old rows' pages; their GIN indexes are built again after the rows,
the most compact way.
"""

from django.db import migrations

VECTORS = "resources_resourcetextvector"
FILLER = "out_of_line_filler"
# Over TOAST_TUPLE_THRESHOLD (2,032 bytes with 8 kB pages) on its own.
FILLER_LENGTH = 2100
# Migration 0013's.
GIN_INDEXES = {
    "resources_textvector_gin": "vector",
    "resources_textvector_rank_gin": "rank_vector",
    "resources_textvector_title_gin": "title_vector",
}


def add_filler(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {VECTORS} ADD COLUMN IF NOT EXISTS {FILLER} text NOT NULL "
        f"DEFAULT repeat(' ', {FILLER_LENGTH})"
    )
    # Filler stored compressed (EXTENDED, text's default), vectors EXTERNAL (migration 0013).
    schema_editor.execute(f"ALTER TABLE {VECTORS} ALTER COLUMN {FILLER} SET STORAGE EXTENDED")
    columns = "resource_id, library_id, locale_id, vector, rank_vector, title_vector"
    for name in GIN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE TEMPORARY TABLE vectors_before ON COMMIT DROP AS SELECT {columns} FROM {VECTORS}"
    )
    schema_editor.execute(f"TRUNCATE {VECTORS}")
    schema_editor.execute(f"INSERT INTO {VECTORS} ({columns}) SELECT {columns} FROM vectors_before")
    # The rows' foreign keys are checked at the end of the transaction (Django's deferred
    # constraints), and PostgreSQL builds no index on a table with checks pending: check now.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
    for name, column in GIN_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {VECTORS} USING gin ({column})")


def drop_filler(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {VECTORS} DROP COLUMN IF EXISTS {FILLER}")


class Migration(migrations.Migration):
    dependencies = [("resources", "0013_text_vectors_table")]

    operations = [migrations.RunPython(add_filler, drop_filler)]
