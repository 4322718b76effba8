"""Issue 24: the featured resources of a programme and the related resources of a project are rows
of the library now (`resources.ProgrammeFeaturedResource`, `resources.ProjectRelatedResource`),
so that programmes depend on no other domain app.

Only the programmes' migration state forgets the two models here: their tables and rows are
untouched, and resources' migration 0015 (which runs after this one) takes them over, rows
included. No reference to the resources app: programmes do not depend on it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0004_alter_programmeindexpage_options"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ProgrammeFeaturedResource"),
                migrations.DeleteModel(name="ProjectRelatedResource"),
            ],
            database_operations=[],
        ),
    ]
