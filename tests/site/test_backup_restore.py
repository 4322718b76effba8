"""scripts/backup and scripts/restore (manage.py backup_site / restore_site, site/backups.py),
run for real as an operator would: the embedded SQLite database and the throwaway PostgreSQL
cluster, a backup restored into a new database and media folder, with the pages, groups and
users (password hashes included) and the uploaded files intact; private files whatever the
umask; no password in any program's arguments; GnuPG encryption when a recipient is set.

The scripts run with the development settings (the test settings pin MEDIA_ROOT to a temporary
folder of their own), pointed at the test's files by DATABASE_URL, VAR_DIR and MEDIA_ROOT.

The PostgreSQL tests are not transactional: pytest-django empties every table after one, the
rows of Wagtail's and our migrations included, which broke the tests run after it on the same
worker. pg_dump reads what is committed, so those tests compare that.
"""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from ngo_site import backups
from tests import database_snapshots

REPOSITORY = Path(__file__).resolve().parents[2]
SCRIPTS = REPOSITORY / "scripts"
UPLOAD = b"%PDF-1.4\n%%EOF\n"

COMMITTED_ROWS = (
    "SELECT title FROM wagtailcore_page ORDER BY path",
    "SELECT name FROM auth_group ORDER BY name",
    "SELECT language_code FROM wagtailcore_locale ORDER BY language_code",
    "SELECT username || ' ' || password FROM auth_user ORDER BY username",
)


def run(script, *args, expect=0, **env):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ngo_site.settings.dev",
        "PYTHON": sys.executable,
        **env,
    }
    for name, value in env.items():
        if value is None:
            del environment[name]
    result = subprocess.run(
        [str(SCRIPTS / script), *args],
        env=environment,
        # A permissive umask, as cron's often is: the backup must stay private all the same.
        umask=0o022,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == expect, result.stdout + result.stderr
    return result


def mode(path):
    return stat.S_IMODE(Path(path).stat().st_mode)


def media_folder(tmp_path):
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "minutes.pdf").write_bytes(UPLOAD)
    return media


def assert_private(backup_dir, files):
    assert mode(backup_dir) == 0o700
    assert sorted(path.name for path in backup_dir.iterdir()) == sorted(
        Path(path).name for path in files
    ), "only the backup files, no partial or plain copy left behind"
    for path in files:
        assert mode(path) == 0o600, path


# --- SQLite, the embedded default -----------------------------------------------------------


def sqlite_rows(path):
    with sqlite3.connect(path) as database:
        return [[row[0] for row in database.execute(query)] for query in COMMITTED_ROWS]


@pytest.fixture(scope="module")
def drill_database(django_db_setup, tmp_path_factory):
    """The site's SQLite file as migrated, with a real user added by `createsuperuser` (its
    password hashed by the site's hasher): made once for the module, copied for each test."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup is tested in the SQLite stage")
    var_dir = tmp_path_factory.mktemp("drill-var")
    migrated = database_snapshots.migrated_copy()
    assert migrated is not None, "this process migrated its SQLite test database"
    target = sqlite3.connect(var_dir / "db.sqlite3")
    migrated.backup(target)
    target.close()
    subprocess.run(
        [
            *(sys.executable, str(REPOSITORY / "manage.py")),
            *("createsuperuser", "--noinput", "--username", "drill", "--email", "d@example.org"),
        ],
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DJANGO_SETTINGS_MODULE": "ngo_site.settings.dev",
            "VAR_DIR": str(var_dir),
            "DJANGO_SUPERUSER_PASSWORD": "a-long-drill-password-9",
        },
        capture_output=True,
        timeout=120,
        check=True,
    )
    return var_dir / "db.sqlite3"


@pytest.fixture
def sqlite_site(drill_database, tmp_path):
    """A VAR_DIR of the test's own holding a copy of the drill database as its default SQLite
    file."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    shutil.copyfile(drill_database, var_dir / "db.sqlite3")
    return var_dir


def sqlite_backup(var_dir, media, backups_dir, **env):
    return run(
        "backup",
        DATABASE_URL=None,  # the embedded default: VAR_DIR/db.sqlite3
        VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(media),
        BACKUP_DIR=str(backups_dir),
        BACKUP_STAMP="drill",
        **env,
    )


def test_a_sqlite_backup_is_private_and_restores_pages_users_and_media(sqlite_site, tmp_path):
    source = sqlite_rows(sqlite_site / "db.sqlite3")
    assert source[0] and source[1] and source[3][0].startswith("drill pbkdf2_sha256$")
    # A backup folder left world-readable by an earlier release, with a world-readable dump.
    backups_dir = tmp_path / "backups"
    backups_dir.mkdir(mode=0o755)
    earlier = backups_dir / "ngo-20261101T0200Z.dump"
    earlier.write_bytes(b"an earlier dump")
    earlier.chmod(0o644)

    backup = sqlite_backup(sqlite_site, media_folder(tmp_path), backups_dir)

    written = backup.stdout.split()
    assert written == [
        str(backups_dir / "ngo-drill.sqlite3"),
        str(backups_dir / "media-drill.tar.gz"),
    ]
    assert_private(backups_dir, [*written, earlier])
    assert f"NOT ENCRYPTED: {written[0]} holds personal data and password hashes" in backup.stderr
    assert f"NOT ENCRYPTED: {written[1]}" in backup.stderr

    restored = tmp_path / "restored"
    run(
        "restore",
        *written,
        DATABASE_URL=f"sqlite:///{restored / 'db.sqlite3'}",
        MEDIA_ROOT=str(restored / "media"),
    )

    assert sqlite_rows(restored / "db.sqlite3") == source
    assert (restored / "media" / "documents" / "minutes.pdf").read_bytes() == UPLOAD


def test_a_live_sqlite_database_is_copied_as_committed(sqlite_site, tmp_path):
    """A writer in the middle of a transaction: the backup neither waits for it nor copies its
    half-done work. Then the expired backups are deleted."""
    backups_dir = tmp_path / "backups"
    backups_dir.mkdir()
    days = 24 * 60 * 60
    for name, age_in_days in (("ngo-expired.dump", 31), ("media-kept.tar.gz", 29)):
        (backups_dir / name).write_bytes(b"an earlier backup")
        os.utime(backups_dir / name, (time.time() - age_in_days * days,) * 2)
    writer = sqlite3.connect(sqlite_site / "db.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE wagtailcore_page SET title = 'half-done edit'")
    try:
        backup = sqlite_backup(sqlite_site, media_folder(tmp_path), backups_dir)
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    copy = Path(backup.stdout.split()[0])
    assert "half-done edit" not in sqlite_rows(copy)[0]
    assert sqlite_rows(copy) == sqlite_rows(sqlite_site / "db.sqlite3")
    # BACKUP_KEEP_DAYS (30) deletes the backups older than that, and only those.
    assert not (backups_dir / "ngo-expired.dump").exists()
    assert (backups_dir / "media-kept.tar.gz").exists()


def test_restore_refuses_a_target_that_is_not_empty_and_a_damaged_backup(sqlite_site, tmp_path):
    written = sqlite_backup(sqlite_site, media_folder(tmp_path), tmp_path / "backups").stdout
    live_database = sqlite_site / "db.sqlite3"
    before = live_database.read_bytes()

    refused = run(
        "restore",
        *written.split(),
        expect=1,
        DATABASE_URL=f"sqlite:///{live_database}",
        MEDIA_ROOT=str(tmp_path / "new-media"),
    )
    assert "the target database is not empty" in refused.stderr
    assert live_database.read_bytes() == before

    refused = run(
        "restore",
        *written.split(),
        expect=1,
        DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    assert "is not empty; restore into a new folder" in refused.stderr
    assert not (tmp_path / "new.sqlite3").exists()

    damaged = tmp_path / "ngo-damaged.sqlite3"
    damaged.write_bytes(b"not a database, e.g. a truncated copy" * 100)
    refused = run(
        "restore",
        str(damaged),
        expect=1,
        DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "new-media"),
    )
    assert "restore failed: file is not a database" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert list(tmp_path.glob("*new.sqlite3*")) == []


@pytest.fixture
def gnupg_home(tmp_path):
    if shutil.which("gpg") is None:
        pytest.skip("GnuPG (Debian's gpg) is not installed")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    subprocess.run(
        [
            *("gpg", "--homedir", str(home), "--batch", "--passphrase", "", "--quick-gen-key"),
            *("Backups <backups@example.org>", "default", "default", "never"),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return home


def test_with_a_gpg_recipient_only_encrypted_files_are_written(sqlite_site, tmp_path, gnupg_home):
    backups_dir = tmp_path / "backups"

    backup = sqlite_backup(
        sqlite_site,
        media_folder(tmp_path),
        backups_dir,
        GNUPGHOME=str(gnupg_home),
        BACKUP_GPG_RECIPIENT="backups@example.org",
    )

    written = backup.stdout.split()
    assert written == [
        str(backups_dir / "ngo-drill.sqlite3.gpg"),
        str(backups_dir / "media-drill.tar.gz.gpg"),
    ]
    assert_private(backups_dir, written)
    assert "NOT ENCRYPTED" not in backup.stderr
    assert b"SQLite format 3" not in Path(written[0]).read_bytes()
    assert b"drill" not in Path(written[0]).read_bytes()

    restored = tmp_path / "restored"
    run(
        "restore",
        *written,
        GNUPGHOME=str(gnupg_home),
        DATABASE_URL=f"sqlite:///{restored / 'db.sqlite3'}",
        MEDIA_ROOT=str(restored / "media"),
    )
    assert sqlite_rows(restored / "db.sqlite3") == sqlite_rows(sqlite_site / "db.sqlite3")
    assert (restored / "media" / "documents" / "minutes.pdf").read_bytes() == UPLOAD


def test_with_age_recipients_the_backup_restores_with_the_identity_only(sqlite_site, tmp_path):
    if shutil.which("age-keygen") is None:
        pytest.skip("age (Debian's age) is not installed")
    identity = tmp_path / "backup-key.txt"
    subprocess.run(["age-keygen", "-o", str(identity)], capture_output=True, check=True)
    public_key = subprocess.run(
        ["age-keygen", "-y", str(identity)], capture_output=True, text=True, check=True
    ).stdout.strip()
    backups_dir = tmp_path / "backups"

    backup = sqlite_backup(
        sqlite_site, media_folder(tmp_path), backups_dir, BACKUP_AGE_RECIPIENTS=public_key
    )

    written = backup.stdout.split()
    assert written == [
        str(backups_dir / "ngo-drill.sqlite3.age"),
        str(backups_dir / "media-drill.tar.gz.age"),
    ]
    assert_private(backups_dir, written)
    assert "NOT ENCRYPTED" not in backup.stderr
    assert b"SQLite format 3" not in Path(written[0]).read_bytes()

    restored = tmp_path / "restored"
    target = {
        "DATABASE_URL": f"sqlite:///{restored / 'db.sqlite3'}",
        "MEDIA_ROOT": str(restored / "media"),
    }
    refused = run("restore", *written, expect=1, **target)
    assert "set BACKUP_AGE_IDENTITY" in refused.stderr
    assert not (restored / "db.sqlite3").exists()

    run("restore", *written, BACKUP_AGE_IDENTITY=str(identity), **target)
    assert sqlite_rows(restored / "db.sqlite3") == sqlite_rows(sqlite_site / "db.sqlite3")
    assert (restored / "media" / "documents" / "minutes.pdf").read_bytes() == UPLOAD


def test_the_media_archive_stays_whole_when_a_file_vanishes(tmp_path):
    """os.walk lists a file that is gone when it is opened (a dangling link stands for a file
    deleted in between): the archive is written all the same, without it, and says so."""
    media = media_folder(tmp_path)
    (media / "documents" / "deleted.pdf").symlink_to(media / "documents" / "gone.pdf")
    archive = tmp_path / "media.tar.gz"

    vanished = backups.archive_media(media, archive, tmp_path)

    assert vanished == ["documents/deleted.pdf"]
    with tarfile.open(archive) as opened:
        assert opened.getnames() == ["documents/minutes.pdf"]
        assert opened.extractfile("documents/minutes.pdf").read() == UPLOAD


# --- PostgreSQL -----------------------------------------------------------------------------


def test_the_postgresql_programs_get_the_password_from_the_environment_only():
    database = {
        "NAME": "ngo",
        "USER": "ngo",
        "PASSWORD": "s3cret-Pa55:word",
        "HOST": "db.internal",
        "PORT": 5432,
        "OPTIONS": {"sslmode": "require"},
    }
    for program in ("pg_dump", "pg_restore", "psql"):
        argv, env = backups.postgres_command(program, database, ["--no-owner"])

        assert argv[0] == program
        assert not any("s3cret" in argument for argument in argv), argv
        assert argv[-2:] == ["--dbname", "ngo"]
        assert env["PGPASSWORD"] == "s3cret-Pa55:word"
        assert env["PGSSLMODE"] == "require"


def database_url(name):
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{name}"
    )


@pytest.fixture
def restored_database():
    name = f"restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def committed_user():
    """A user committed in the test database (what pg_dump sees), removed afterwards."""
    with psycopg.connect(database_url(connection.settings_dict["NAME"]), autocommit=True) as db:
        db.execute(
            "INSERT INTO auth_user (username, password, is_superuser, first_name, last_name,"
            " email, is_staff, is_active, date_joined) VALUES ('drill', 'md5$salt$hash', true,"
            " '', '', 'd@example.org', true, true, now())"
        )
    yield "drill"
    with psycopg.connect(database_url(connection.settings_dict["NAME"]), autocommit=True) as db:
        db.execute("DELETE FROM auth_user WHERE username = 'drill'")


def committed_rows(name):
    """What another connection (pg_dump's) sees of database `name`."""
    with psycopg.connect(database_url(name)) as database:
        return [[row[0] for row in database.execute(query)] for query in COMMITTED_ROWS]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_postgresql_backup_restores_into_a_new_database_and_media_folder(
    restored_database, committed_user, tmp_path
):
    source = committed_rows(connection.settings_dict["NAME"])
    assert source[0] and source[1], "the migrations' rows are the data to back up"
    assert source[3] == ["drill md5$salt$hash"]
    backups_dir = tmp_path / "backups"

    backup = run(
        "backup",
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(media_folder(tmp_path)),
        BACKUP_DIR=str(backups_dir),
        BACKUP_STAMP="drill",
    )
    written = backup.stdout.split()
    assert written == [str(backups_dir / "ngo-drill.dump"), str(backups_dir / "media-drill.tar.gz")]
    assert_private(backups_dir, written)
    assert "NOT ENCRYPTED" in backup.stderr

    restored_media = tmp_path / "restored-media"
    run(
        "restore",
        *written,
        DATABASE_URL=database_url(restored_database),
        MEDIA_ROOT=str(restored_media),
    )

    assert committed_rows(restored_database) == source
    assert (restored_media / "documents" / "minutes.pdf").read_bytes() == UPLOAD


@pytest.mark.postgres
@pytest.mark.django_db
def test_restore_refuses_a_postgresql_database_that_is_not_empty(tmp_path):
    written = run(
        "backup",
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(media_folder(tmp_path)),
        BACKUP_DIR=str(tmp_path / "backups"),
        BACKUP_STAMP="drill",
    ).stdout.split()

    refused = run(
        "restore",
        *written,
        expect=1,
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(tmp_path / "other-media"),
    )

    assert "not empty" in refused.stderr
