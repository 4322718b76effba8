"""`manage.py ensure_admin`: make sure an administrator account exists and print its login.

DJANGO_SUPERUSER_USERNAME / DJANGO_SUPERUSER_PASSWORD / DJANGO_SUPERUSER_EMAIL are used when
set. Otherwise the account is `admin` with a generated password, kept in var/admin-password.txt
(readable by the owner only) so that running `make demo` again prints the same, still valid,
credentials.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or update the administrator account and print how to log in."

    def handle(self, *args, **options):
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or ""
        password_file = Path(settings.VAR_DIR) / "admin-password.txt"
        from_environment = bool(password)
        if not password and password_file.exists():
            stored_user, _, stored_password = password_file.read_text().strip().partition(":")
            if stored_user == username:
                password = stored_password
        if not password:
            password = secrets.token_urlsafe(12)
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        user.email = (
            os.environ.get("DJANGO_SUPERUSER_EMAIL") or user.email or f"{username}@example.org"
        )
        # Wagtail's account page requires both names to save the account's settings.
        user.first_name = user.first_name or "Site"
        user.last_name = user.last_name or "Administrator"
        user.is_staff = user.is_superuser = user.is_active = True
        if created or not user.check_password(password):
            user.set_password(password)
        user.save()
        if not from_environment:
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(f"{username}:{password}\n")
            password_file.chmod(0o600)
        shown = "(from DJANGO_SUPERUSER_PASSWORD)" if from_environment else password
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator {'created' if created else 'ready'}: "
                f"username {username}, password {shown}"
            )
        )
