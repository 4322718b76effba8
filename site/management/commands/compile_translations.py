"""`manage.py compile_translations`: compile every .po catalogue of the project into .mo.

Django's own `compilemessages` needs GNU gettext's `msgfmt`, a system package; this uses polib
(already installed with wagtail-localize), so a fresh machine needs nothing more. Only the
project's own catalogues are compiled: the apps' `locale/` folders and settings.LOCALE_PATHS.
A .mo newer than its .po is left alone.
"""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def project_locale_dirs():
    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(path) for path in settings.LOCALE_PATHS]
    for app_config in apps.get_app_configs():
        app_path = Path(app_config.path).resolve()
        if app_path.is_relative_to(base) and ".venv" not in app_path.parts:
            dirs.append(app_path / "locale")
    return [path for path in dirs if path.is_dir()]


class Command(BaseCommand):
    help = "Compile the project's .po translation catalogues into .mo files (no gettext needed)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in project_locale_dirs():
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                try:
                    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{po_path}: {exc}") from exc
                compiled += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"compiled {po_path}")
        self.stdout.write(f"Translation catalogues compiled: {compiled} (others up to date).")
