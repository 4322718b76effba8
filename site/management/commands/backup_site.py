"""`manage.py backup_site` (scripts/backup): one backup of the database and the media files.

Environment (docs/deployment.md, "Backups"):
  BACKUP_DIR              where the files go (default /var/backups/ngo-site; made 0700)
  BACKUP_KEEP_DAYS        backups of BACKUP_DIR older than this many days are deleted (default
                          30; 0 keeps everything)
  BACKUP_STAMP            the names' time stamp (default: now, UTC, e.g. 20261202T0300Z)
  BACKUP_AGE_RECIPIENTS   encrypt with age to these public keys (comma-separated; a path is read
                          as a recipients file)
  BACKUP_GPG_RECIPIENT    or encrypt with GnuPG to this key of the keyring
The database and MEDIA_ROOT are the site's own (DATABASE_URL, or the SQLite file under VAR_DIR).
Prints the paths written, one a line; warnings (NOT ENCRYPTED, ...) go to stderr.
"""

import os
import sqlite3
from datetime import UTC, datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ngo_site import backups


class Command(BaseCommand):
    help = "Back up the database and the media files into BACKUP_DIR (private files)."
    requires_system_checks = []

    def handle(self, *args, **options):
        try:
            keep_days = int(os.environ.get("BACKUP_KEEP_DAYS") or 30)
        except ValueError as error:
            raise CommandError("BACKUP_KEEP_DAYS must be a whole number of days") from error
        try:
            result = backups.backup(
                connections["default"].settings_dict,
                settings.MEDIA_ROOT,
                os.environ.get("BACKUP_DIR") or "/var/backups/ngo-site",
                os.environ.get("BACKUP_STAMP") or datetime.now(UTC).strftime("%Y%m%dT%H%MZ"),
                keep_days=keep_days,
                bucket=getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""),
                encryption=backups.Encryption.from_environment(),
            )
        except (backups.BackupError, OSError, sqlite3.Error) as error:
            raise CommandError(f"backup failed: {error}") from error
        for warning in result.warnings:
            self.stderr.write(f"backup: {warning}")
        for path in result.files:
            self.stdout.write(str(path))
