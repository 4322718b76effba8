"""Backups of the site's state and their restore: `manage.py backup_site` and
`manage.py restore_site` (run by scripts/backup and scripts/restore; docs/deployment.md,
"Backups" and "Restore").

The state is the database (PostgreSQL, or the embedded SQLite file) and the media files (under
MEDIA_ROOT, or in an S3 bucket, which is backed up on the bucket's side).

- Everything written is private: the process runs with umask 077, the backup folder is made
  0700 and each file 0600, whatever the caller's umask.
- No secret in a process's arguments: pg_dump, pg_restore and psql get the connection's options
  from Django's own PostgreSQL client (`DatabaseClient.settings_to_cmd_args_env`, as for
  `manage.py dbshell`), which puts the password in the environment (PGPASSWORD), readable only by
  the same user, never in argv (visible to every user in `ps`).
- SQLite is copied with SQLite's online backup API (`sqlite3.Connection.backup`): a consistent
  copy of a live database, without stopping the site.
- The media archive is a tar.gz written file by file by Python's tarfile: a file deleted while
  the archive is written is left out, a file changed while it is read is archived as read
  (each file is copied first, then added with the size actually read), so the archive is always
  whole. Uploads never change a file in place: a new upload is a new file.
- Encryption with a standard tool when a recipient is configured (BACKUP_AGE_RECIPIENTS,
  BACKUP_GPG_RECIPIENT); without one, the backup says plainly that it is not encrypted.
"""

import gzip
import os
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db.backends.postgresql.client import DatabaseClient

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
NOT_ENCRYPTED = (
    "NOT ENCRYPTED: {path} holds {what} in clear; keep it on encrypted storage only, or set "
    "BACKUP_AGE_RECIPIENTS or BACKUP_GPG_RECIPIENT (docs/deployment.md, Backups)"
)
DATABASE_CONTENT = "personal data and password hashes"
MEDIA_CONTENT = "every uploaded file, private documents included"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def is_postgresql(database):
    return database["ENGINE"] == "django.db.backends.postgresql"


def is_sqlite(database):
    return database["ENGINE"] == "django.db.backends.sqlite3"


def postgres_command(program, database, parameters):
    """argv and environment for a PostgreSQL client program. The connection's options come
    from Django's own client for `dbshell`; the password goes in the environment only. The
    database name is passed as `--dbname NAME`, which pg_dump, pg_restore and psql all read."""
    args, env = DatabaseClient.settings_to_cmd_args_env(database, [*parameters, "--dbname"])
    return [program, *args[1:]], {**os.environ, **(env or {})}


def make_private_folder(folder):
    folder = Path(folder)
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    folder.chmod(PRIVATE_FOLDER)
    return folder


def finish(partial, final):
    os.chmod(partial, PRIVATE_FILE)
    os.replace(partial, final)
    return Path(final)


# --- Encryption -------------------------------------------------------------------------------


@dataclass
class Encryption:
    """age (BACKUP_AGE_RECIPIENTS: public keys, comma-separated, or a recipients file) or GnuPG
    (BACKUP_GPG_RECIPIENT: a key id of the keyring of the user who runs the backup)."""

    age_recipients: list = field(default_factory=list)
    gpg_recipient: str = ""

    @classmethod
    def from_environment(cls, environ=os.environ):
        recipients = [
            value.strip()
            for value in environ.get("BACKUP_AGE_RECIPIENTS", "").split(",")
            if value.strip()
        ]
        return cls(recipients, environ.get("BACKUP_GPG_RECIPIENT", "").strip())

    @property
    def suffix(self):
        if self.age_recipients:
            return ".age"
        if self.gpg_recipient:
            return ".gpg"
        return ""

    def command(self, source, target):
        if self.age_recipients:
            command = ["age", "--encrypt"]
            for recipient in self.age_recipients:
                option = "--recipients-file" if Path(recipient).is_file() else "--recipient"
                command += [option, recipient]
            return [*command, "--output", str(target), str(source)]
        return [
            "gpg", "--batch", "--yes", "--no-tty", "--trust-model", "always",
            "--encrypt", "--recipient", self.gpg_recipient,
            "--output", str(target), str(source),
        ]  # fmt: skip

    def encrypt(self, source, final, what):
        """Encrypt `source` into `final` + suffix, then delete `source`. Without a recipient,
        `source` becomes `final` and a warning is returned."""
        if not self.suffix:
            return finish(source, final), NOT_ENCRYPTED.format(path=final, what=what)
        target = Path(f"{final}{self.suffix}")
        partial = Path(f"{target}.partial")
        program = self.command(source, partial)[0]
        if shutil.which(program) is None:
            raise BackupError(f"{program} is not installed: apt-get install {program}")
        result = subprocess.run(
            self.command(source, partial), capture_output=True, text=True, check=False
        )
        Path(source).unlink()
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"{program} could not encrypt {final}: {result.stderr.strip()}")
        return finish(partial, target), None


def decrypt(path, folder, environ=os.environ):
    """A plain copy of an encrypted backup file in `folder` (private), or `path` itself."""
    path = Path(path)
    if path.suffix not in (".age", ".gpg"):
        return path
    target = Path(folder) / path.stem
    if path.suffix == ".age":
        identity = environ.get("BACKUP_AGE_IDENTITY", "")
        if not identity:
            raise BackupError(f"{path} is encrypted with age: set BACKUP_AGE_IDENTITY to the key")
        command = ["age", "--decrypt", "--identity", identity, "--output", str(target), str(path)]
    else:
        command = ["gpg", "--batch", "--no-tty", "--decrypt", "--output", str(target), str(path)]
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: apt-get install {command[0]}")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} could not decrypt {path}: {result.stderr.strip()}")
    return target


# --- Database -------------------------------------------------------------------------------


def dump_database(database, partial):
    """Write a consistent copy of the database to `partial`; returns the final file suffix."""
    if is_postgresql(database):
        command, env = postgres_command(
            "pg_dump",
            database,
            ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
        )
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return ".dump"
    if is_sqlite(database):
        source_path = Path(database["NAME"])
        if not source_path.is_file():
            raise BackupError(f"no SQLite database at {source_path}")
        # Read-only: the backup never creates or changes the live file.
        source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(partial)
        try:
            with source:
                source.backup(target)
            (check,) = target.execute("PRAGMA quick_check").fetchone()
        finally:
            target.close()
            source.close()
        if check != "ok":
            raise BackupError(f"the copy of {source_path} fails SQLite's check: {check}")
        return ".sqlite3"
    raise BackupError(f"no backup method for the database engine {database['ENGINE']}")


def database_is_empty(database):
    """True when the restore target has no table (a SQLite file that does not exist yet, or is
    empty, counts as empty)."""
    if is_sqlite(database):
        path = Path(database["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
            (tables,) = connection.execute(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
            ).fetchone()
        return tables == 0
    command, env = postgres_command(
        "psql",
        database,
        [
            "--no-psqlrc", "--tuples-only", "--no-align", "--command",
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
        ],
    )  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"psql could not read the target database: {result.stderr.strip()}")
    return result.stdout.strip() == "0"


def restore_database(database, dump):
    dump = Path(dump)
    if is_postgresql(database):
        if dump.suffix != ".dump":
            raise BackupError(f"{dump} is not a PostgreSQL dump (ngo-STAMP.dump)")
        command, env = postgres_command(
            "pg_restore", database, ["--no-owner", "--no-privileges", "--exit-on-error"]
        )
        result = subprocess.run(
            [*command, str(dump)], env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    if is_sqlite(database):
        if dump.suffix != ".sqlite3":
            raise BackupError(f"{dump} is not a SQLite backup (ngo-STAMP.sqlite3)")
        target_path = Path(database["NAME"])
        target_path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed when whole and checked: a failed restore leaves
        # no half-restored database behind.
        partial = target_path.with_name(f".{target_path.name}.partial")
        source = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            (check,) = target.execute("PRAGMA integrity_check").fetchone()
            if check != "ok":
                raise BackupError(f"the restored {target_path} fails SQLite's check: {check}")
        except BaseException:
            target.close()
            partial.unlink(missing_ok=True)
            raise
        finally:
            target.close()
            source.close()
        os.replace(partial, target_path)
        return
    raise BackupError(f"no restore method for the database engine {database['ENGINE']}")


# --- Media ----------------------------------------------------------------------------------


def archive_media(media_root, partial, scratch):
    """A tar.gz of `media_root` that stays whole while the site runs. Returns the names of the
    files that vanished before they could be read."""
    media_root = Path(media_root)
    vanished = []
    with (
        gzip.open(partial, "wb") as compressed,
        tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for folder, folders, files in os.walk(media_root):
            folders.sort()
            for name in sorted(files):
                path = Path(folder) / name
                relative = path.relative_to(media_root).as_posix()
                if path.exists() and not path.is_file():
                    continue  # a FIFO or socket: opening it could block; never an upload
                try:
                    source = open(path, "rb")  # noqa: SIM115 - closed just below
                except (FileNotFoundError, IsADirectoryError):
                    vanished.append(relative)
                    continue
                with source, tempfile.TemporaryFile(dir=scratch) as copy:
                    status = os.fstat(source.fileno())
                    if not stat.S_ISREG(status.st_mode):
                        continue
                    shutil.copyfileobj(source, copy)
                    info = tarfile.TarInfo(relative)
                    info.size = copy.tell()
                    info.mtime = status.st_mtime
                    info.mode = stat.S_IMODE(status.st_mode)
                    copy.seek(0)
                    archive.addfile(info, copy)
    return vanished


def folder_is_empty(folder):
    folder = Path(folder)
    return not folder.exists() or not any(folder.iterdir())


def restore_media(archive_path, media_root):
    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
        archive.extractall(media_root, filter="data")


# --- The whole backup -------------------------------------------------------------------------


@dataclass
class BackupResult:
    files: list
    warnings: list


def backup(database, media_root, backup_dir, stamp, keep_days=30, bucket="", encryption=None):
    """The database, then the media files (an archive taken afterwards holds every file the
    dump refers to). Returns the files written and the warnings for the operator."""
    encryption = encryption or Encryption()
    umask = os.umask(0o077)
    try:
        return _backup(database, media_root, backup_dir, stamp, keep_days, bucket, encryption)
    finally:
        os.umask(umask)


def _backup(database, media_root, backup_dir, stamp, keep_days, bucket, encryption):
    backup_dir = make_private_folder(backup_dir)
    files, warnings = [], []
    with tempfile.TemporaryDirectory(dir=backup_dir, prefix=".partial-") as scratch:
        partial = Path(scratch) / "database"
        suffix = dump_database(database, partial)
        written, warning = encryption.encrypt(
            partial, backup_dir / f"ngo-{stamp}{suffix}", DATABASE_CONTENT
        )
        files.append(written)
        warnings += [warning] if warning else []

        if bucket:
            warnings.append(
                f"media are in the bucket {bucket}: not archived here; keep them with the "
                "bucket's versioning and a copy of it (docs/deployment.md, Backups)"
            )
        else:
            partial = Path(scratch) / "media"
            vanished = archive_media(media_root, partial, scratch)
            written, warning = encryption.encrypt(
                partial, backup_dir / f"media-{stamp}.tar.gz", MEDIA_CONTENT
            )
            files.append(written)
            warnings += [warning] if warning else []
            if vanished:
                warnings.append(
                    f"{len(vanished)} media files were deleted while the archive was written "
                    f"and are not in it: {', '.join(vanished[:5])}"
                )
    tidy_older_backups(backup_dir, keep_days)
    return BackupResult(files, warnings)


def tidy_older_backups(backup_dir, keep_days):
    """Delete the backups older than `keep_days` (0: none), and make the others private: a
    folder kept from an earlier release may hold world-readable ones."""
    limit = time.time() - keep_days * 24 * 60 * 60
    for pattern in ("ngo-*", "media-*"):
        for path in Path(backup_dir).glob(pattern):
            if not path.is_file() or path.is_symlink():
                continue
            if keep_days > 0 and path.stat().st_mtime < limit:
                path.unlink()
            elif stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE:
                path.chmod(PRIVATE_FILE)
