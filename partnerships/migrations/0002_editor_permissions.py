"""Give Wagtail's Editors and Moderators groups what they need on this app's models:

- manage the funders, the funding policy and FAQs (add, change, delete);
- read and export the form submissions (view); Moderators may also delete them, e.g. when
  someone asks for their data to be erased. Nobody can add or change a submission (see
  partnerships.wagtail_hooks.ReadOnlyPermissionPolicy).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SNIPPETS = ("funder", "fundingpolicy", "faqgroup")
SUBMISSIONS = ("contactsubmission", "newslettersubscriber")
GRANTS = {
    "Editors": [
        *(f"{action}_{model}" for model in SNIPPETS for action in ("add", "change", "delete")),
        *(f"view_{model}" for model in SUBMISSIONS),
    ],
    "Moderators": [
        *(f"{action}_{model}" for model in SNIPPETS for action in ("add", "change", "delete")),
        *(f"{action}_{model}" for model in SUBMISSIONS for action in ("view", "delete")),
    ],
}


def permissions(apps, codenames):
    # Django creates permissions after all migrations have run; make them exist now. The
    # migration state's app config is a stub without models_module, which create_permissions
    # checks before doing anything.
    app_config = apps.get_app_config("partnerships")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="partnerships", codename__in=list(codenames)
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.add(*permissions(apps, GRANTS[group.name]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*permissions(apps, GRANTS[group.name]))


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        # Wagtail's Editors and Moderators groups exist from here on.
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
