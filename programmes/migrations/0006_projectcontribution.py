import uuid

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0005_resource_rows_move_to_the_library"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectContribution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                (
                    "contribution",
                    models.CharField(
                        help_text=(
                            "One or two sentences on what the programme does in this project, "
                            "e.g. “Coordinates the research and statistics the organisations "
                            "need.”"
                        ),
                        max_length=400,
                        verbose_name="its part",
                    ),
                ),
                (
                    "locale",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="locale",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        help_text="A programme other than the project's own.",
                        limit_choices_to={
                            "content_type__app_label": "programmes",
                            "content_type__model": "programmepage",
                        },
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.page",
                        verbose_name="programme",
                    ),
                ),
                (
                    "project",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contributions",
                        to="programmes.projectpage",
                    ),
                ),
            ],
            options={
                "verbose_name": "contributing programme",
                "verbose_name_plural": "contributing programmes",
                "ordering": ["sort_order"],
                "abstract": False,
                "unique_together": {("translation_key", "locale")},
            },
        ),
    ]
