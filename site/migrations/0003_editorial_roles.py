"""Create the editorial roles (see ngo_site.roles and docs/editors.md).

Wagtail's "Editors" group becomes "Communications editors" (so the partnerships permissions
granted to it by partnerships.0002 follow it) and loses Wagtail's add/change on the root page in
favour of the English home page; "Moderators" is Wagtail's own group, kept with its root-page
permissions; "Translators" and "Administrators" are new. Page permissions are granted on the
locale home pages that exist; ngo_site.roles grants them on home pages created later.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from ngo_site import roles


def create_roles(apps, schema_editor):
    # Django creates permissions after all migrations have run; make them exist now. The
    # migration state's app configs are stubs without models_module, which create_permissions
    # checks before doing anything.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module
    roles.apply_roles(apps)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[roles.TRANSLATORS, roles.ADMINISTRATORS]).delete()
    Group.objects.filter(name=roles.COMMUNICATIONS_EDITORS).update(name=roles.WAGTAIL_EDITORS)


class Migration(migrations.Migration):
    dependencies = [
        ("ngo_site", "0002_alter_standardpage_body"),
        # Grants to Wagtail's "Editors" group, which is renamed here.
        ("partnerships", "0002_editor_permissions"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
