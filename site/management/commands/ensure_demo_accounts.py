"""`manage.py ensure_demo_accounts`: one demo account per editorial role, and print the logins.

For `make demo` only (never in production: the passwords are printed). Idempotent: the
passwords are generated once and kept in var/demo-accounts.txt (readable by the owner only), so
running it again prints the same, still valid, credentials. Each account is put in its role's
group (see ngo_site.roles); the groups exist from the migrations.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from ngo_site import roles

DEMO_ACCOUNTS = (
    ("editor", roles.COMMUNICATIONS_EDITORS),
    ("moderator", roles.MODERATORS),
    ("translator", roles.TRANSLATORS),
)


def read_passwords(path):
    if not path.exists():
        return {}
    pairs = (line.partition(":") for line in path.read_text().splitlines() if ":" in line)
    return {username: password for username, _sep, password in pairs}


class Command(BaseCommand):
    help = "Create or update the demo editor, moderator and translator accounts and print them."

    def handle(self, *args, **options):
        password_file = Path(settings.VAR_DIR) / "demo-accounts.txt"
        passwords = read_passwords(password_file)
        roles.apply_roles()  # the page permissions on the home pages load_demo just created
        User = get_user_model()
        lines = []
        for username, group_name in DEMO_ACCOUNTS:
            password = passwords.get(username) or secrets.token_urlsafe(12)
            passwords[username] = password
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.org"},
            )
            # Wagtail's account page requires both names to save the account's settings.
            user.first_name = user.first_name or username.title()
            user.last_name = user.last_name or "Demo"
            user.is_active = True
            user.is_staff = user.is_superuser = False
            if created or not user.check_password(password):
                user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
            lines.append(f"{group_name}: username {username}, password {password}")
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text("".join(f"{name}:{pw}\n" for name, pw in passwords.items()))
        password_file.chmod(0o600)
        self.stdout.write(self.style.SUCCESS("Demo accounts (docs/editors.md explains the roles):"))
        for line in lines:
            self.stdout.write(f"  {line}")
