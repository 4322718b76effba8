"""Selected only in the PostgreSQL stage of `make test` (marker `postgres`): proves that stage
really runs on PostgreSQL. On SQLite these tests fail, as they should."""

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.postgres


def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql", f"running on {connection.vendor}, not PostgreSQL"
    assert "django.contrib.postgres" in settings.INSTALLED_APPS


@pytest.mark.django_db
def test_queries_reach_the_postgresql_server():
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    assert version.startswith("PostgreSQL "), version
    assert connection.settings_dict["NAME"].startswith("test_")
