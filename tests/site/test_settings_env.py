"""Settings read the environment as documented (docs/configuration.md).

Each case imports the settings in a fresh Python process, with a controlled environment, since
settings are read once per process.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.one_database

REPO = Path(__file__).resolve().parents[2]
PRODUCTION = "ngo_site.settings.production"
# Variables the settings read: the cases start from an environment without any of them, so that
# a DATABASE_URL (the PostgreSQL stage sets one) or a developer's own values cannot leak in.
SETTINGS_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_CONNECT_TIMEOUT",
    "REDIS_URL",
    "CACHE_SOCKET_TIMEOUT",
    "REDIS_PAGE_CACHE_URL",
    "PAGE_CACHE_MAX_ENTRIES",
    "PAGE_CACHE_SECONDS",
    "FRONTEND_CACHE_SECONDS",
    "AXES_IP_FAILURE_LIMIT",
    "CACHE_KEY_PREFIX",
    "CACHE_TIMEOUT",
    "OPENSEARCH_URL",
    "ELASTICSEARCH_URL",
    "SEARCH_INDEX_PREFIX",
    "VAR_DIR",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "MEDIA_URL",
    "SECURE_SSL_REDIRECT",
    "WAGTAIL_SITE_NAME",
    "WAGTAILADMIN_BASE_URL",
    "SITE_URL",
    # Set by test tooling at times; `check --deploy` rightly reports it as an error.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
READ_SETTINGS = """
import json, sys
from django.conf import settings
json.dump({name: getattr(settings, name) for name in sys.argv[1:]}, sys.stdout, default=str)
"""


def production_environment(**variables):
    """The least a production installation sets, plus `variables`."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "SITE_URL": "https://example.org",
        **variables,
    }


def run_python(code, args=(), module=PRODUCTION, **variables):
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE=module, **variables)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def read_settings(names, module=PRODUCTION, **variables):
    result = run_python(READ_SETTINGS, names, module=module, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("secret_key", [None, "", "   "])
def test_production_refuses_to_start_without_secret_key(secret_key):
    variables = production_environment()
    if secret_key is None:
        del variables["SECRET_KEY"]
    else:
        variables["SECRET_KEY"] = secret_key

    result = run_python(READ_SETTINGS, ["DEBUG"], **variables)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured:"), result.stderr
    assert "SECRET_KEY" in last_line


def test_production_refuses_to_start_without_allowed_hosts():
    variables = production_environment()
    del variables["ALLOWED_HOSTS"]

    result = run_python(READ_SETTINGS, ["DEBUG"], **variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "ALLOWED_HOSTS" in result.stderr


def test_production_is_not_in_debug_mode():
    assert read_settings(["DEBUG"], **production_environment())["DEBUG"] is False


def test_database_url_selects_postgresql():
    values = read_settings(
        ["DATABASES", "INSTALLED_APPS"],
        **production_environment(DATABASE_URL="postgres://u:p@h:5432/db"),
    )
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"]) == ("db", "h", 5432)
    assert (database["USER"], database["PASSWORD"]) == ("u", "p")
    assert "django.contrib.postgres" in values["INSTALLED_APPS"]


def test_default_database_is_a_sqlite_file_under_var():
    values = read_settings(["DATABASES", "INSTALLED_APPS"], **production_environment())
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == REPO / "var" / "db.sqlite3"
    assert "django.contrib.postgres" not in values["INSTALLED_APPS"]


def test_var_dir_moves_the_default_database_and_media(tmp_path):
    values = read_settings(
        ["DATABASES", "MEDIA_ROOT", "STATIC_ROOT"], **production_environment(VAR_DIR=str(tmp_path))
    )
    assert Path(values["DATABASES"]["default"]["NAME"]) == tmp_path / "db.sqlite3"
    assert Path(values["MEDIA_ROOT"]) == tmp_path / "media"
    assert Path(values["STATIC_ROOT"]) == tmp_path / "static"


def test_redis_url_switches_the_cache_to_redis():
    url = "redis://cache.internal:6379/1"
    cache = read_settings(["CACHES"], **production_environment(REDIS_URL=url))["CACHES"]["default"]
    # django-redis, which answers as a miss while Redis is down.
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert cache["LOCATION"] == url


def test_redis_calls_time_out_so_a_hung_server_cannot_hang_the_workers():
    url = "redis://cache.internal:6379/1"
    default = read_settings(["CACHES"], **production_environment(REDIS_URL=url))
    chosen = read_settings(
        ["CACHES"], **production_environment(REDIS_URL=url, CACHE_SOCKET_TIMEOUT="0.5")
    )

    for alias in ("default", "pages", "template_fragments"):
        assert default["CACHES"][alias]["OPTIONS"]["SOCKET_TIMEOUT"] == 0.1
        assert default["CACHES"][alias]["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] == 0.1
        assert chosen["CACHES"][alias]["OPTIONS"]["SOCKET_TIMEOUT"] == 0.5


def test_postgresql_connections_time_out_well_within_gunicorns_timeout():
    url = "postgres://u:p@h:5432/db"
    default = read_settings(["DATABASES"], **production_environment(DATABASE_URL=url))
    chosen = read_settings(
        ["DATABASES"], **production_environment(DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT="2")
    )
    in_the_url = read_settings(
        ["DATABASES"], **production_environment(DATABASE_URL=url + "?connect_timeout=9")
    )
    gunicorn_timeout = 30  # gunicorn.conf.py's default GUNICORN_TIMEOUT

    assert 0 < default["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 5
    assert default["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] < gunicorn_timeout
    assert chosen["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 2
    assert int(in_the_url["DATABASES"]["default"]["OPTIONS"]["connect_timeout"]) == 9


def test_without_redis_url_the_cache_is_local_memory():
    cache = read_settings(["CACHES"], **production_environment())["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize(
    ("variable", "backend"),
    [
        ("OPENSEARCH_URL", "wagtail.search.backends.opensearch2"),
        ("ELASTICSEARCH_URL", "wagtail.search.backends.elasticsearch8"),
    ],
)
def test_search_url_switches_the_search_backend(variable, backend):
    url = "http://search.internal:9200"
    values = read_settings(["WAGTAILSEARCH_BACKENDS"], **production_environment(**{variable: url}))
    search = values["WAGTAILSEARCH_BACKENDS"]["default"]
    assert search["BACKEND"] == backend
    assert search["URLS"] == [url]


def test_without_search_url_the_search_backend_is_the_database():
    values = read_settings(["WAGTAILSEARCH_BACKENDS"], **production_environment())
    search = values["WAGTAILSEARCH_BACKENDS"]["default"]
    assert search["BACKEND"] == "wagtail.search.backends.database"


def test_host_lists_are_comma_separated():
    values = read_settings(
        ["ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"],
        **production_environment(
            ALLOWED_HOSTS="example.org, www.example.org,",
            CSRF_TRUSTED_ORIGINS="https://example.org,https://www.example.org",
        ),
    )
    assert values["ALLOWED_HOSTS"] == ["example.org", "www.example.org"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://example.org", "https://www.example.org"]


def test_media_root_is_honoured(tmp_path):
    media = tmp_path / "media"
    values = read_settings(["MEDIA_ROOT"], **production_environment(MEDIA_ROOT=str(media)))
    assert Path(values["MEDIA_ROOT"]) == media


def test_deploy_check_passes_with_the_documented_variables(tmp_path):
    """`manage.py check --deploy` finds nothing to warn about in a documented production setup."""
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE=PRODUCTION, VAR_DIR=str(tmp_path), **production_environment())
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output


def test_site_url_is_the_admins_address_too():
    values = read_settings(
        ["SITE_URL", "WAGTAILADMIN_BASE_URL"],
        **production_environment(SITE_URL="HTTPS://www.Example.org:443/"),
    )
    assert values == {
        "SITE_URL": "https://www.example.org",
        "WAGTAILADMIN_BASE_URL": "https://www.example.org",
    }


@pytest.mark.parametrize(
    "value",
    [
        "www.example.org",
        "https://www.example.org/en/",
        "ftp://www.example.org",
        "https://",
        "https://www.example.org:99999",
        "https://www.example.org?lang=en",
        "https://user@www.example.org",
        "not an address",
    ],
)
def test_a_site_url_that_is_no_origin_stops_start_up_with_a_message_naming_it(value, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from ngo_site.settings.env import env_origin

    monkeypatch.setenv("SITE_URL", value)
    with pytest.raises(ImproperlyConfigured, match=r"^SITE_URL must be the site's public address"):
        env_origin("SITE_URL")


def test_the_deploy_check_names_a_missing_site_url(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.SITE_URL = ""
    with pytest.raises(SystemCheckError, match=r"ngo_site\.W002"):
        call_command("check", "--deploy", "--fail-level", "WARNING")
