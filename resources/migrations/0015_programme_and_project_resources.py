"""Issue 24: the featured resources of a programme and the related resources of a project move
from the programmes app to the library, with every row.

Programmes' migration 0005 removed the two models from the programmes' state without touching
the database. Here the resources' state gets them with their old tables
(`programmes_programmefeaturedresource`, `programmes_projectrelatedresource`), then the tables
are renamed to the library's names (`ALTER TABLE … RENAME`: the rows, their ids, the foreign keys
and the id sequence stay as they are). Django's content types of the two models, and so their
permissions, are moved to the library's app label rather than left stale and made anew.
Backwards, the tables get their old names and the content types their old app label.
tests/resources/test_moved_relations_migration.py migrates a database with rows through it.
"""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models

MOVED = ("programmefeaturedresource", "projectrelatedresource")


def move_content_types(from_label, to_label):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in MOVED:
            if ContentType.objects.using(db).filter(app_label=to_label, model=model).exists():
                continue
            ContentType.objects.using(db).filter(app_label=from_label, model=model).update(
                app_label=to_label
            )
        # Django keeps content types in memory; the old ones must not be served from there.
        from django.contrib.contenttypes.models import ContentType as CurrentContentType

        CurrentContentType.objects.clear_cache()

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("programmes", "0005_resource_rows_move_to_the_library"),
        ("resources", "0014_text_vectors_out_of_line"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProgrammeFeaturedResource",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                        (
                            "programme",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="featured_resources",
                                to="programmes.programmepage",
                            ),
                        ),
                        (
                            "resource",
                            models.ForeignKey(
                                help_text=(
                                    "A resource of the library, shown as a card on the programme "
                                    "page."
                                ),
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="resources.resourcepage",
                                verbose_name="resource",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "featured resource",
                        "verbose_name_plural": "featured resources",
                        "ordering": ["sort_order"],
                        "abstract": False,
                        "db_table": "programmes_programmefeaturedresource",
                    },
                ),
                migrations.CreateModel(
                    name="ProjectRelatedResource",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                        (
                            "project",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="related_resources",
                                to="programmes.projectpage",
                            ),
                        ),
                        (
                            "resource",
                            models.ForeignKey(
                                help_text="A resource of the library, listed on the project page.",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="resources.resourcepage",
                                verbose_name="resource",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "related resource",
                        "verbose_name_plural": "related resources",
                        "ordering": ["sort_order"],
                        "abstract": False,
                        "db_table": "programmes_projectrelatedresource",
                    },
                ),
            ],
            database_operations=[],
        ),
        # The library's own table names, by a rename.
        migrations.AlterModelTable(name="programmefeaturedresource", table=None),
        migrations.AlterModelTable(name="projectrelatedresource", table=None),
        migrations.RunPython(
            move_content_types("programmes", "resources"),
            move_content_types("resources", "programmes"),
        ),
    ]
