"""SQLite databases migrated, or loaded with the demo, once per `make test` run.

Migrating an empty database takes about half a minute and `load_demo` another half minute, and
every pytest process did both: each worker of the SQLite stage, then each worker of the browser
stage. `make test` gives its stages one scratch directory (the NGO_TEST_SNAPSHOTS variable,
deleted when the run ends); the first process that migrates, or loads the demo, writes the result
there with SQLite's backup API, and later processes of the same run copy it in instead of doing
the work again. The code cannot change between the stages of one run, so a copy is exactly what
migrating or loading would have built. Without the variable (a plain `pytest`), every process
migrates and loads for itself, as before.

- "migrated": the test database right after `migrate`, taken inside Django's own
  `create_test_db` (the rest of it, serializing for rollbacks and the cache table, still runs).
- "demo": the migrated database with `load_demo` run on it, together with the media files the
  load wrote (MEDIA_ROOT is a temporary directory per process: tests/settings).

Each process also keeps the migrated database in memory (`migrated_copy()`), so the shared demo
is always loaded on top of exactly what the migrations built, whatever earlier tests committed.

PostgreSQL is untouched: its stage migrates its own databases (tests/demo_database.py).
"""

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from unittest import mock

SNAPSHOTS_ENV = "NGO_TEST_SNAPSHOTS"
MIGRATED = "migrated"
DEMO = "demo"

_migrated_in_memory = None


def directory():
    """The run's snapshot directory, or None outside `make test`."""
    value = os.environ.get(SNAPSHOTS_ENV, "").strip()
    return Path(value) if value else None


def _database_file(name):
    return directory() / f"{name}.sqlite3"


def _media_directory(name):
    return directory() / f"{name}-media"


def _text_file(name):
    return directory() / f"{name}.txt"


def save(name, connection, media_root=None, text=None):
    """Write the connection's database (and a copy of `media_root`, and `text`) as snapshot
    `name`. The database file is written under a temporary name and renamed last, so a process
    reading at the same time sees the whole snapshot or none."""
    if directory() is None:
        return
    directory().mkdir(parents=True, exist_ok=True)
    if text is not None:
        _text_file(name).write_text(text, encoding="utf-8")
    if media_root is not None:
        staging = Path(tempfile.mkdtemp(dir=directory(), prefix=f".{name}-media-"))
        shutil.copytree(media_root, staging, dirs_exist_ok=True)
        try:
            staging.rename(_media_directory(name))
        except OSError:  # another process of the run wrote it first: same content
            shutil.rmtree(staging, ignore_errors=True)
    handle, partial = tempfile.mkstemp(dir=directory(), prefix=f".{name}-", suffix=".sqlite3")
    os.close(handle)
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(partial, _database_file(name))


def restore(name, connection, media_root=None):
    """Copy snapshot `name` into the connection's database (and its media files into
    `media_root`). Returns the snapshot's text ("" when it has none), or None when this run has
    no such snapshot."""
    if directory() is None or not _database_file(name).exists():
        return None
    if media_root is not None:
        if not _media_directory(name).is_dir():
            return None
        shutil.copytree(_media_directory(name), media_root, dirs_exist_ok=True)
    connection.ensure_connection()
    source = sqlite3.connect(_database_file(name))
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    if _text_file(name).exists():
        return _text_file(name).read_text(encoding="utf-8")
    return ""


def migrated_copy():
    """This process's test database as the migrations left it (an in-memory SQLite database),
    or None before the test database exists."""
    return _migrated_in_memory


def _keep_migrated(connection):
    global _migrated_in_memory
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _migrated_in_memory = copy


def use_migrated_snapshots():
    """Make SQLite's `create_test_db` take the run's migrated snapshot instead of migrating when
    there is one, and write it when there is none. Idempotent."""
    from django.core import management
    from django.db.backends.sqlite3.creation import DatabaseCreation

    if getattr(DatabaseCreation.create_test_db, "uses_snapshots", False):
        return
    original = DatabaseCreation.create_test_db

    def create_test_db(self, *args, **kwargs):
        # create_test_db imports call_command when it runs: replacing the module's attribute for
        # the duration of the call replaces its one `migrate`.
        run_command = management.call_command

        def call_command(command, *command_args, **options):
            if command != "migrate":
                return run_command(command, *command_args, **options)
            if restore(MIGRATED, self.connection) is None:
                run_command(command, *command_args, **options)
                self.connection.ensure_connection()
                save(MIGRATED, self.connection)
            _keep_migrated(self.connection)

        with mock.patch.object(management, "call_command", call_command):
            return original(self, *args, **kwargs)

    create_test_db.uses_snapshots = True
    DatabaseCreation.create_test_db = create_test_db
