"""Review is enforced (docs/editors.md): translators no longer publish pages (they send them
for review) and editors no longer start translations. ngo_site.roles.apply_roles() takes back
the permissions the roles no longer have."""

from django.db import migrations

from ngo_site import roles


def revoke(apps, schema_editor):
    roles.apply_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("ngo_site", "0009_source_word_count")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
