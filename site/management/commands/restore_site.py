"""`manage.py restore_site DUMP [MEDIA_ARCHIVE]` (scripts/restore): a backup of backup_site
into the site's database and MEDIA_ROOT, which must both be empty (a new database or SQLite
file, a new folder): never over the live site. Encrypted files (.age, .gpg) are decrypted first
(BACKUP_AGE_IDENTITY: the age key file; GnuPG uses the keyring). docs/deployment.md, "Restore".
"""

import sqlite3
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ngo_site import backups


class Command(BaseCommand):
    help = "Restore a backup into an empty database and an empty media folder."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("dump", help="ngo-STAMP.dump (PostgreSQL) or ngo-STAMP.sqlite3")
        parser.add_argument("media", nargs="?", help="media-STAMP.tar.gz (none: media in S3)")

    def handle(self, *args, dump, media, **options):
        database = connections["default"].settings_dict
        media_root = settings.MEDIA_ROOT
        for path in (dump, media):
            if path and not Path(path).is_file():
                raise CommandError(f"restore: no such backup file: {path}")
        try:
            if not backups.database_is_empty(database):
                raise CommandError(
                    "restore: the target database is not empty; restore into a new one"
                )
            if media and not backups.folder_is_empty(media_root):
                raise CommandError(
                    f"restore: MEDIA_ROOT {media_root} is not empty; restore into a new folder"
                )
            # Decrypted copies live in a private scratch folder, deleted at the end.
            with tempfile.TemporaryDirectory(prefix="ngo-restore-") as scratch:
                backups.restore_database(database, backups.decrypt(dump, scratch))
                self.stdout.write(f"database restored from {dump}")
                if media:
                    backups.restore_media(backups.decrypt(media, scratch), media_root)
                    self.stdout.write(f"media restored into {media_root}")
        except (backups.BackupError, OSError, sqlite3.Error) as error:
            raise CommandError(f"restore failed: {error}") from error
        self.stdout.write(
            "next: manage.py migrate --check (or migrate with a newer release), "
            "empty the cache, restart"
        )
