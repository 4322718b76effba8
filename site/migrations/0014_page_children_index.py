"""An index on Wagtail's page tree by (depth, path): the children of a page (`get_children()`,
treebeard's `depth = parent depth + 1 AND path BETWEEN …`) are then read from the index.

Without it, the primary navigation (the home page's children in menus, every page view) reads
the whole page table: the home page's path range holds every page of the site, 100,000 resources
in the library's benchmark, and Wagtail indexes `path` alone. Wagtail's model declares no such
index and its own migrations cannot be extended, so the index is created here, by name, on both
databases."""

from django.db import migrations

INDEX = "ngo_site_page_depth_path"


class Migration(migrations.Migration):
    dependencies = [
        ("ngo_site", "0013_translation_queue_app"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON wagtailcore_page (depth, path)",
            f"DROP INDEX {INDEX}",
        ),
    ]
