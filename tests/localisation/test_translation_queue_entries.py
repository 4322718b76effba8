"""The queue's stored rows (QueueEntry) never drift: after each kind of event a translation
goes through, driven through the admin views where there is one, the stored table equals a
recomputation from scratch (`compare_entries`), and the rows say what the event did.

Each event runs inside `django_capture_on_commit_callbacks(execute=True)`: the rows are
refreshed when the transaction commits, as in production.
"""

import io
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale, Page, WorkflowState
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from ngo_site.models import FooterContent
from ngo_site.translation_queue.entries import compare_entries, rebuild_entries, refresh_pending
from ngo_site.translation_queue.models import QueueEntry, SourceWordCount
from tests.programmes.factories import ProgrammePageFactory
from tests.site.factories import FooterContentFactory, StandardPageFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/translation-queue/"


@pytest.fixture
def event(django_capture_on_commit_callbacks):
    """`with event("what"):` runs an event, commits it (the on-commit refresh) and checks the
    stored rows against a recomputation."""
    refresh_pending()  # the fixtures' own changes

    class Event:
        def __init__(self, what):
            self.what = what

        def __enter__(self):
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.capture.__enter__()

        def __exit__(self, *exc_info):
            self.capture.__exit__(*exc_info)
            if exc_info[0] is None:
                assert compare_entries() == [], f"the queue's rows drifted after: {self.what}"

    return Event


def entry(obj, locale):
    return QueueEntry.objects.filter(
        translation_key=obj.translation_key, target_locale=locale
    ).first()


def edit_strings(client, translation, prefix="FR ", only=None):
    """wagtail-localize's editor API, as the translator's browser calls it."""
    segments = StringSegment.objects.filter(source=translation.source).select_related("string")
    for segment in segments[:only] if only else segments:
        url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
        response = client.put(
            url,
            urlencode({"value": prefix + segment.string.data}),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code in (200, 201), response.content  # updated or created


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_stored_rows_equal_a_recomputation_after_every_kind_of_event(
    trees, translator, moderator, french, event
):
    client = logged_in(translator)
    admin = get_user_model().objects.create_superuser("ada", "ada@example.org", "pw")
    admin_client = logged_in(admin)

    with event("a programme and an English page are published"):
        programme = ProgrammePageFactory(parent=trees["en_home"], title="Street vending")
        page = StandardPageFactory(
            parent=trees["en_home"],
            title="Markets",
            body=[
                {"type": "paragraph", "value": "<p>Markets open early.</p>"},
                {"type": "paragraph", "value": "<p>Vendors pay a fee.</p>"},
            ],
        )
    assert entry(page, french).status == "missing"
    assert entry(page, french).section_id is None
    # Never translated, so wagtail-localize has no segments of it yet: its words are counted
    # at publication (title, paragraphs and whatever else the page gives to translate).
    words_never_translated = entry(page, french).words
    assert words_never_translated >= 1 + 3 + 4

    with event("the page moves into the programme"):
        Page.objects.get(pk=page.pk).move(programme, pos="last-child")
    assert entry(page, french).section_id == programme.pk

    with event("the translation is created (wagtail-localize's submit view)"):
        submit = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
        assert client.post(submit, {"locales": [french.pk]}).status_code == 302
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=french
    )
    assert (entry(page, french).status, entry(page, french).progress) == ("in_progress", 0)
    words_before = entry(page, french).words
    assert words_before == words_never_translated  # the same count as wagtail-localize's

    with event("one segment is translated in the editor"):
        edit_strings(client, translation, only=1)
    assert 0 < entry(page, french).progress < 100
    assert 0 < entry(page, french).words < words_before

    with event("a translator claims it with a due date"):
        client.post(
            QUEUE + "assign/",
            {
                "translation_key": page.translation_key,
                "locale": "fr",
                "assignee": "me",
                "due_date": "2026-12-24",
            },
        )
    assert entry(page, french).assignee == translator

    with event("the other segments are translated"):
        edit_strings(client, translation)
    assert entry(page, french).status == "ready_for_review"

    with event("it is sent for review from the queue"):
        french_page = page.get_translation(french)
        client.post(reverse("translation_queue:send_for_review", args=[french_page.pk]))
    assert entry(page, french).in_workflow

    with event("a moderator approves it (Wagtail's workflow action)"):
        state = WorkflowState.objects.get(object_id=str(french_page.pk))
        approve = reverse(
            "wagtailadmin_pages:workflow_action",
            args=[french_page.pk, "approve", state.current_task_state_id],
        )
        assert logged_in(moderator).post(approve).status_code == 302
    assert entry(page, french).status == "published"
    assert not entry(page, french).in_workflow

    with event("the English page is republished with a changed paragraph"):
        english = Page.objects.get(pk=page.pk).specific
        blocks = [dict(block) for block in english.body.raw_data]
        blocks[1]["value"] = "<p>Vendors pay a daily fee.</p>"
        english.body = blocks
        english.save_revision().publish()
    assert entry(page, french).status == "outdated"
    assert entry(page, french).words == 1  # "daily", added to "Vendors pay a fee."

    with event("the translation is synced (wagtail-localize's update view)"):
        source = TranslationSource.objects.get(object_id=page.translation_key)
        assert admin_client.post(f"/admin/localize/update/{source.pk}/", {}).status_code == 302
    assert entry(page, french).status == "in_progress"

    with event("the French page is unpublished"):
        Page.objects.get(pk=french_page.pk).unpublish()
    with event("the English page is unpublished"):
        Page.objects.get(pk=page.pk).unpublish()
    assert entry(page, french) is None  # only published sources are in the queue
    with event("the English page is published again"):
        Page.objects.get(pk=page.pk).specific.save_revision().publish()
    assert entry(page, french).source_published_at is not None

    with event("the assignee's account is deleted"):
        get_user_model().objects.get(pk=translator.pk).delete()
    assert entry(page, french).assignee is None

    with event("the French page is deleted"):
        Page.objects.get(pk=french_page.pk).delete()
    assert entry(page, french).status == "missing"

    with event("a language is added"):
        spanish = Locale.objects.create(language_code="es")
    assert entry(page, spanish).status == "missing"

    with event("the language is removed"):
        spanish.delete()
    assert not QueueEntry.objects.filter(target_locale_id=spanish.pk).exists()

    with event("the English page is deleted"):
        Page.objects.get(pk=page.pk).delete()
    assert entry(page, french) is None


def test_snippet_events_keep_the_rows_exact(trees, french, event):
    admin = get_user_model().objects.create_superuser("ada", "ada@example.org", "pw")
    client = logged_in(admin)
    with event("an English footer is saved"):
        footer = FooterContentFactory()
    assert entry(footer, french).status == "missing"
    assert not entry(footer, french).is_page

    with event("its translation is created"):
        submit = reverse(
            "wagtail_localize:submit_snippet_translation",
            args=["ngo_site", "footercontent", footer.pk],
        )
        assert client.post(submit, {"locales": [french.pk]}).status_code == 302
    assert entry(footer, french).status == "in_progress"

    with event("every segment is translated"):
        translation = Translation.objects.get(
            source__object_id=footer.translation_key, target_locale=french
        )
        edit_strings(client, translation)
    assert entry(footer, french).status == "ready_for_review"

    with event("it is approved from the queue"):
        response = client.post(
            reverse("translation_queue:publish_snippet", args=[translation.pk]), {"next": QUEUE}
        )
        assert response.status_code == 302
    assert entry(footer, french).status == "published"

    with event("the English footer is edited (snippets without drafts: saving publishes)"):
        footer = FooterContent.objects.get(pk=footer.pk)
        footer.organisation_name = "Harbour and Dock Workers Network"
        footer.save()
    assert entry(footer, french).status == "outdated"

    with event("the French footer is deleted"):
        footer.get_translation(french).delete()
    assert entry(footer, french).status == "missing"


def test_the_rebuild_command_restores_rows_changed_behind_the_signals_back(trees, french):
    refresh_pending()
    QueueEntry.objects.filter(translation_key=trees["en_page"].translation_key).update(
        status="outdated", title="Tampered"
    )
    assert compare_entries()
    with pytest.raises(Exception, match="differ from a recomputation"):
        call_command("rebuild_translation_queue", "--check")
    call_command("rebuild_translation_queue")
    assert compare_entries() == []
    assert entry(trees["en_page"], french).title == "About us"
    assert rebuild_entries() == QueueEntry.objects.count() > 0


def test_the_rebuild_counts_the_words_of_items_never_counted(trees, french):
    """Items published before their words were counted (or written without signals) get them
    from `manage.py rebuild_translation_queue`, the same count as at publication."""
    page = StandardPageFactory(
        parent=trees["en_home"],
        title="Markets",
        body=[{"type": "paragraph", "value": "<p>Markets open early.</p>"}],
    )
    call_command("rebuild_translation_queue", stdout=io.StringIO())
    counted_at_publication = entry(page, french).words
    assert counted_at_publication >= 1 + 3

    SourceWordCount.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_translation_queue", stdout=out)
    assert "Counted the words of" in out.getvalue()
    assert entry(page, french).words == counted_at_publication
