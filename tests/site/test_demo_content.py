"""`manage.py load_demo` is idempotent: a second run creates, updates, re-publishes and
duplicates nothing. The demo is loaded once for the module (tests/conftest.py, shared_demo)."""

import io
import re

from wagtail.models import Page, Revision
from wagtail.snippets.models import get_snippet_models

from ngo_site.translation_queue.models import QueueEntry
from partnerships.models import FAQQuestion, Funder, FundingPolicy
from tests.conftest import SHARED_DEMO, run_load_demo

pytestmark = SHARED_DEMO

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
        "questions": list(FAQQuestion.objects.order_by("pk").values_list("pk", "answer")),
        "funders": list(Funder.objects.order_by("pk").values_list("pk", "sort_order", "name")),
        "policies": list(FundingPolicy.objects.order_by("pk").values_list("pk", "body")),
    }


def latest_revisions():
    return {page.url_path: page.latest_revision_id for page in Page.objects.all()}


def test_loading_the_demo_again_changes_nothing(shared_demo):
    first = summary(shared_demo)
    assert first["created"] > 0
    before, revisions = snapshot(), latest_revisions()
    assert before["pages"] > 2, "the demo content has no pages besides the root"

    output = run_load_demo()
    second = summary(output)

    changed = [
        line.strip()
        for line in output.splitlines()
        if line.strip().startswith(("created:", "updated:"))
    ]
    assert second["created"] == 0, changed
    assert second["updated"] == 0, changed
    assert second["unchanged"] == sum(first.values()), (first, second)
    after = latest_revisions()
    republished = sorted(path for path in after if after[path] != revisions.get(path))
    assert not republished, f"the second load_demo published these again: {republished}"
    assert snapshot() == before


def test_demo_home_page_is_the_default_site_root(demo_content, client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert response.context["page"].specific == demo_content


def reference_rows():
    from wagtail.models import ReferenceIndex

    return set(
        ReferenceIndex.objects.values_list(
            "content_type_id", "object_id", "to_content_type_id", "to_object_id", "content_path"
        )
    )


def test_demo_reference_index_is_what_a_full_rebuild_gives(demo_content):
    """load_demo indexes references once at the end (ngo_site.demo.reference_index): the result
    must be exactly Wagtail's own `rebuild_references_index`."""
    from django.core.management import call_command

    loaded = reference_rows()
    assert loaded, "the demo content recorded no references"
    call_command("rebuild_references_index", stdout=io.StringIO())
    assert reference_rows() == loaded


def test_a_theme_usage_lists_the_demo_resources_tagged_with_it(demo_content, admin_client):
    """What an editor sees under "Usage" of a theme before changing or deleting it."""
    from django.urls import reverse

    from resources.models import ResourcePage, Theme

    resource = ResourcePage.objects.live().filter(theme_links__isnull=False).first()
    assert resource is not None, "no demo resource has a theme"
    theme = Theme.objects.get(pk=resource.theme_links.first().theme_id)
    response = admin_client.get(reverse("wagtailsnippets_resources_theme:usage", args=[theme.pk]))
    assert response.status_code == 200
    assert resource.title in response.content.decode()


def test_every_missing_translation_in_the_demo_queue_shows_its_words(demo_content):
    """The translation queue of `make demo` gives the words of every item never translated,
    the generated library resources (bulk-created, without signals) included."""
    missing = QueueEntry.objects.filter(status="missing")
    assert missing.count() > 10
    assert list(missing.filter(words__isnull=True).values_list("title", flat=True)) == []
    assert not missing.filter(words=0).exists()
