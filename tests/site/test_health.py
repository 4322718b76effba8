"""/health/ for load balancers: 200 JSON when the database answers ("degraded" without the
cache), 503 when the database does not."""

import pytest
from django.db.utils import OperationalError

from ngo_site import health

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_database_and_cache_answer(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
    }


def test_health_is_never_cached_and_needs_no_login(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_health_answers_503_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    # Every cursor the check opens fails as it does when the server is unreachable.
    monkeypatch.setattr(health.connection, "cursor", refuse)

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == "error"
    assert body["checks"]["cache"]["status"] == "ok"


def test_health_stays_up_but_degraded_when_the_cache_is_down(client, settings):
    # A Redis cache at an address where nothing listens: the real client, a real failure.
    # Pages are still served without the cache, so a load balancer must keep the server.
    from tests.site.test_redis_outage import dead_redis

    settings.CACHES = dead_redis()

    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"] == {
        "database": {"status": "ok", "milliseconds": body["checks"]["database"]["milliseconds"]},
        "cache": {"status": "error", "milliseconds": body["checks"]["cache"]["milliseconds"]},
    }


def test_health_refuses_posts(client):
    assert client.post("/health/").status_code == 405


def test_gunicorn_configuration_reads_the_environment(monkeypatch):
    import runpy
    from pathlib import Path

    config_file = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "45")
    monkeypatch.delenv("GUNICORN_BIND", raising=False)

    config = runpy.run_path(str(config_file))

    assert config["wsgi_app"] == "ngo_site.wsgi:application"
    assert config["bind"].endswith(":8123")
    assert config["workers"] == 3
    assert config["timeout"] == 45
