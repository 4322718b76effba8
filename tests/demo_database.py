"""The demo site loaded once per test process, for every module that uses `shared_demo`.

A `load_demo` takes half a minute on SQLite and a minute on PostgreSQL; loading it once per
module cost the suite several minutes. Instead each test process (each pytest-xdist worker) loads
it once, committed, and then hands that database to each module that asks for it:

- SQLite (the test database lives in memory): the empty, migrated database is copied aside with
  SQLite's backup API before the first load, and the loaded one after it. A module that wants the
  demo gets the loaded copy written back into the test database; once the module is over, the
  empty copy is written back, so the modules that build their own content never see the demo.
  A copy is a few milliseconds.
- PostgreSQL: a second database, `<test database>_demo`, is created from the migrated test
  database (CREATE DATABASE ... TEMPLATE) and the demo is loaded into it. A module that wants the
  demo runs with the connection pointed at that database, then the connection goes back to the
  test database, which the demo never touched. The demo database is dropped when the process
  ends.

Tests change nothing that lasts: every test runs in a transaction rolled back at its end (pytest's
`django_db`), so each module starts from exactly the demo `load_demo` builds. (A test that must
commit, a transactional test, cannot use the shared demo: `TRANSACTIONAL_TEST_REFUSED` below.)
"""

import sqlite3

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests import database_snapshots

TRANSACTIONAL_TEST_REFUSED = (
    "a transactional test commits, and would change the demo database every later module shares: "
    "it cannot use shared_demo"
)


class DemoDatabase:
    """The demo database of this process; `enter()` before a module, `leave()` after it."""

    def __init__(self, load):
        self._load = load  # loads the demo into the current database, returns what it printed
        self.output = None  # what the one `load_demo` of this process printed
        self._empty_copy = None  # SQLite: the migrated database before the demo
        self._demo_copy = None  # SQLite: the database after the demo
        self._test_name = None  # PostgreSQL: the test database's name
        self._demo_name = None  # PostgreSQL: the demo database's name

    @property
    def _on_sqlite(self):
        return connection.vendor == "sqlite"

    def enter(self):
        """Make the demo site what the test database holds; load it the first time."""
        cache.clear()
        if self._on_sqlite:
            self._enter_sqlite()
        else:
            self._enter_postgres()
        # Caches hold rows of the database that was there before (site root paths, fragments).
        cache.clear()
        return self.output

    def leave(self):
        """Give the following modules the database they had before `enter()`."""
        if self._on_sqlite:
            connection.ensure_connection()
            self._empty_copy.backup(connection.connection)
        else:
            self._use_database(self._test_name)
        cache.clear()

    def close(self):
        """At the end of the process: drop the PostgreSQL demo database."""
        if self._demo_name is None:
            return
        self._use_database(self._test_name)
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self._demo_name}"')
        self._demo_name = None

    def _enter_sqlite(self):
        connection.ensure_connection()
        if self._demo_copy is not None:
            self._demo_copy.backup(connection.connection)
            return
        self._empty_copy = self._copy_of_sqlite()
        restored = database_snapshots.restore(
            database_snapshots.DEMO, connection, media_root=settings.MEDIA_ROOT
        )
        if restored is not None:
            self.output = restored
        else:
            # On top of what the migrations built, whatever earlier tests of this process
            # committed (a transactional test empties every table).
            database_snapshots.migrated_copy().backup(connection.connection)
            self.output = self._load()
            database_snapshots.save(
                database_snapshots.DEMO,
                connection,
                media_root=settings.MEDIA_ROOT,
                text=self.output,
            )
        self._demo_copy = self._copy_of_sqlite()

    @staticmethod
    def _copy_of_sqlite():
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return copy

    def _enter_postgres(self):
        if self._demo_name is not None:
            self._use_database(self._demo_name)
            return
        self._test_name = connection.settings_dict["NAME"]
        demo_name = f"{self._test_name}_demo"
        # CREATE DATABASE ... TEMPLATE needs nobody connected to the template database.
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{demo_name}"')
            cursor.execute(f'CREATE DATABASE "{demo_name}" TEMPLATE "{self._test_name}"')
        self._demo_name = demo_name
        self._use_database(demo_name)
        self.output = self._load()

    @staticmethod
    def _use_database(name):
        """Point the default connection at another database of the same server."""
        if connection.settings_dict["NAME"] == name:
            return
        connection.close()
        # Django's own test set-up switches databases the same way (create_test_db).
        connection.settings_dict["NAME"] = name
        settings.DATABASES[connection.alias]["NAME"] = name
