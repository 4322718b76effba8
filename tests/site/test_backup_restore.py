"""scripts/backup and scripts/restore, run for real against the throwaway PostgreSQL cluster:
a page's title and an uploaded file survive a backup restored into a new database and folder."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.site.factories import StandardPageFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

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


def tree_root():
    """Wagtail's root page; a transactional test run before this one may have emptied the
    tables (the rows of the migrations included)."""
    from wagtail.models import Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code="en")
    return Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )


def test_a_backup_restores_into_a_new_database_and_media_folder(restored_database, tmp_path):
    StandardPageFactory(parent=tree_root(), title="Minutes of the 2026 assembly", slug="minutes")
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

    with psycopg.connect(database_url(restored_database)) as restored:
        titles = [row[0] for row in restored.execute("SELECT title FROM wagtailcore_page")]
    assert "Minutes of the 2026 assembly" in titles
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
