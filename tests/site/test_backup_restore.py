"""scripts/backup and scripts/restore, run for real against the throwaway PostgreSQL cluster:
the test database's pages and groups (committed by the migrations) and an uploaded file survive
a backup restored into a new database and folder.

Not a transactional test: pytest-django empties every table after one, the rows of Wagtail's and
our migrations included (the root page, the default site, the roles), which broke the tests run
after it on the same worker. pg_dump reads what is committed, so the test compares that.
"""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def database_url(name):
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{name}"
    )


def run(script, *args, **env):
    result = subprocess.run(
        [str(SCRIPTS / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def restored_database():
    name = f"restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


COMMITTED_ROWS = (
    "SELECT title FROM wagtailcore_page ORDER BY path",
    "SELECT name FROM auth_group ORDER BY name",
    "SELECT language_code FROM wagtailcore_locale ORDER BY language_code",
)


def committed_rows(name):
    """What another connection (pg_dump's) sees of database `name`."""
    with psycopg.connect(database_url(name)) as database:
        return [[row[0] for row in database.execute(query)] for query in COMMITTED_ROWS]


def test_a_backup_restores_into_a_new_database_and_media_folder(restored_database, tmp_path):
    source = committed_rows(connection.settings_dict["NAME"])
    assert source[0] and source[1], "the migrations' rows are the data to back up"
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "minutes.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    backups = tmp_path / "backups"

    written = run(
        "backup",
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(media),
        BACKUP_DIR=str(backups),
        BACKUP_STAMP="drill",
    ).split()
    assert written == [str(backups / "ngo-drill.dump"), str(backups / "media-drill.tar.gz")]

    restored_media = tmp_path / "restored-media"
    run(
        "restore",
        *written,
        DATABASE_URL=database_url(restored_database),
        MEDIA_ROOT=str(restored_media),
    )

    assert committed_rows(restored_database) == source
    assert (restored_media / "documents" / "minutes.pdf").read_bytes() == b"%PDF-1.4\n%%EOF\n"


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    backups = tmp_path / "backups"
    written = run(
        "backup",
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(media),
        BACKUP_DIR=str(backups),
        BACKUP_STAMP="drill",
    ).split()

    result = subprocess.run(
        [str(SCRIPTS / "restore"), *written],
        env={
            **os.environ,
            "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
            "MEDIA_ROOT": str(tmp_path / "other-media"),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert "not empty" in result.stderr
