"""A GIN index on the library's tsvector column, on PostgreSQL only (SQLite has no tsvector:
it searches the normalised text column, see resources/search.py)."""

from django.db import migrations

INDEX = "resources_searchdoc_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON resources_resourcesearchdocument "
            "USING gin (vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("resources", "0003_resourcepage_doi_resourcepage_external_url_and_more")]

    operations = [migrations.RunPython(create_index, drop_index)]
