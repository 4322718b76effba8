import pytest
from django.core.cache import caches
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_command_empties_the_page_cache_and_the_fragments(client, home_page, settings):
    settings.WAGTAIL_CACHE = True
    client.get("/en/")
    assert client.get("/en/")["X-Wagtail-Cache"] == "hit"
    caches["template_fragments"].set("kept", 1)

    call_command("clear_published_caches")

    assert caches["template_fragments"].get("kept") is None
    assert client.get("/en/")["X-Wagtail-Cache"] == "miss"
