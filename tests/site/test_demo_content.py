"""`manage.py load_demo` is idempotent: a second run creates, updates and duplicates nothing."""

import re

import pytest
from wagtail.models import Page, Revision
from wagtail.snippets.models import get_snippet_models

from tests.conftest import run_load_demo

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(r"(\d+) created, (\d+) updated, (\d+) unchanged")


def summary(output):
    match = SUMMARY.search(output)
    assert match, f"load_demo printed no summary:\n{output}"
    created, updated, unchanged = (int(number) for number in match.groups())
    return {"created": created, "updated": updated, "unchanged": unchanged}


def snapshot():
    return {
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        **{
            f"snippets {model._meta.label}": model.objects.count() for model in get_snippet_models()
        },
    }


def test_load_demo_twice_gives_the_same_content():
    first = summary(run_load_demo())
    after_first = snapshot()
    assert first["created"] > 0
    assert after_first["pages"] > 2, "the demo content has no pages besides the root"

    second = summary(run_load_demo())

    assert second["created"] == 0, second
    assert second["updated"] == 0, second
    assert second["unchanged"] == sum(first.values()), (first, second)
    assert snapshot() == after_first


def test_demo_home_page_is_the_default_site_root(demo_content, client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert response.context["page"].specific == demo_content
