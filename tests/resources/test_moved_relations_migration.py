"""Issue 24: the featured resources of a programme and the related resources of a project are the
library's models; resources' migration 0015 takes their tables over from the programmes app with
every row (programmes' 0005 only forgets them)."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.programmes.factories import (
    LibraryPageFactory,
    ProgrammeIndexPageFactory,
    ProgrammePageFactory,
    ProjectPageFactory,
    ResourcePageFactory,
)

BEFORE = [
    ("programmes", "0004_alter_programmeindexpage_options"),
    ("resources", "0014_text_vectors_out_of_line"),
]


def test_the_relations_belong_to_the_library_and_keep_their_related_names():
    from programmes.models import ProgrammePage, ProjectPage

    featured = apps.get_model("resources", "ProgrammeFeaturedResource")
    related = apps.get_model("resources", "ProjectRelatedResource")
    assert featured._meta.db_table == "resources_programmefeaturedresource"
    assert related._meta.db_table == "resources_projectrelatedresource"
    assert ProgrammePage._meta.get_field("featured_resources").related_model is featured
    assert ProjectPage._meta.get_field("related_resources").related_model is related
    assert not any(
        model.__name__ in ("ProgrammeFeaturedResource", "ProjectRelatedResource")
        for model in apps.get_app_config("programmes").get_models()
    )


# Migrating back and forth takes a minute: run on the production database only (the PostgreSQL
# stage); on SQLite the migration is a rename of two tables, checked by the test above.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the production database's run")
@pytest.mark.django_db(transaction=True)
def test_migrating_moves_the_tables_with_their_rows(home_page):
    index = ProgrammeIndexPageFactory(parent=home_page)
    library = LibraryPageFactory(parent=home_page)
    programme = ProgrammePageFactory(parent=index)
    project = ProjectPageFactory(parent=programme)
    resources = [ResourcePageFactory(parent=library) for _ in range(3)]

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    tables = connection.introspection.table_names()
    assert "programmes_programmefeaturedresource" in tables
    assert "resources_programmefeaturedresource" not in tables
    old_featured = old.get_model("programmes", "ProgrammeFeaturedResource")
    old_related = old.get_model("programmes", "ProjectRelatedResource")
    featured_rows = [
        old_featured.objects.create(
            programme_id=programme.pk, resource_id=resource.pk, sort_order=n
        ).pk
        for n, resource in enumerate(resources)
    ]
    related_row = old_related.objects.create(
        project_id=project.pk, resource_id=resources[1].pk, sort_order=0
    ).pk
    content_types = old.get_model("contenttypes", "ContentType").objects
    old_content_type = content_types.get_or_create(
        app_label="programmes", model="programmefeaturedresource"
    )[0]
    content_types.filter(app_label="resources", model="programmefeaturedresource").delete()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType

    from programmes.models import ProgrammePage, ProjectPage
    from resources.models import ProgrammeFeaturedResource, ProjectRelatedResource

    tables = connection.introspection.table_names()
    assert "programmes_programmefeaturedresource" not in tables
    assert "programmes_projectrelatedresource" not in tables
    assert list(
        ProgrammeFeaturedResource.objects.order_by("sort_order").values_list(
            "pk", "programme_id", "resource_id"
        )
    ) == [
        (pk, programme.pk, resource.pk)
        for pk, resource in zip(featured_rows, resources, strict=True)
    ]
    assert list(ProjectRelatedResource.objects.values_list("pk", "resource_id")) == [
        (related_row, resources[1].pk)
    ]
    # Through the pages' relations, as the editor and the page templates read them.
    programme = ProgrammePage.objects.get(pk=programme.pk)
    assert [row.resource_id for row in programme.featured_resources.all()] == [
        resource.pk for resource in resources
    ]
    assert ProjectPage.objects.get(pk=project.pk).related_resources.count() == 1
    # New rows after the old ones (the id sequence came along with the table).
    added = ProgrammeFeaturedResource.objects.create(programme=programme, resource=resources[0])
    assert added.pk > max(featured_rows)
    ContentType.objects.clear_cache()
    moved = ContentType.objects.get(pk=old_content_type.pk)
    assert (moved.app_label, moved.model) == ("resources", "programmefeaturedresource")
