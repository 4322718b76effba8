"""The translators' queue, used the way a translator uses it: through the real admin views
(the queue, its assign form, and wagtail-localize's own create / sync views)."""

import re

import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource

from ngo_site.translation_queue.models import SourceChange, TranslationJob
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/translation-queue/"
# Every status and language: the queue shows only what needs work by default.
EVERYTHING = "?status=all&locale=all"
ADD_TO_JOB = reverse("wagtail_bulk_action", args=("translation_queue", "queueentry", "add_to_job"))


@pytest.fixture
def translator(client):
    user = get_user_model().objects.create_superuser("tina", "tina@example.org", "pw")
    client.force_login(user)
    return user


def body(*paragraphs):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def submit_translation(client, page, french):
    """wagtail-localize's own "Translate this page" view, as a translator submits it."""
    response = client.post(f"/admin/localize/submit/page/{page.pk}/", {"locales": [french.pk]})
    assert response.status_code == 302, response.content[:500]
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=french)


def translate_everything(translation, prefix="FR "):
    """Fill every string (as a PO upload would) and save the French page."""
    po = translation.export_po()
    for entry in po:
        entry.msgstr = prefix + entry.msgid
    translation.import_po(po)
    translation.save_target(publish=False)
    target = translation.get_target_instance()
    Page.objects.get(pk=target.pk).specific.get_latest_revision().publish()


def rows_of(client, query=""):
    response = client.get(QUEUE + query)
    assert response.status_code == 200
    return response


def row_of(response, page, french):
    html = response.content.decode()
    start = html.index(f'data-queue-row="{page.translation_key}:{french.pk}"')
    return html[start : html.index("</tr>", start)]


def status_of(response, page, french):
    marker = f'data-queue-row="{page.translation_key}:{french.pk}" data-status="'
    html = response.content.decode()
    start = html.find(marker)
    assert start != -1, f"{page.title} not in the queue"
    start += len(marker)
    return html[start : html.index('"', start)]


@pytest.fixture
def tree(home_page, french, translator, client):
    page = StandardPageFactory(
        parent=home_page, title="Street vendors", body=body("Vendors sell.", "Cities decide.")
    )
    submit_translation(client, home_page, french)
    return page


def test_a_new_page_is_missing_then_in_progress_then_ready_then_published(client, tree, french):
    page = tree
    assert status_of(rows_of(client), page, french) == "missing"
    assert "Create the translation" in rows_of(client, "?status=missing").content.decode()

    translation = submit_translation(client, page, french)
    # WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False: the new translation is a draft.
    assert not page.get_translation(french).live
    response = rows_of(client)
    assert status_of(response, page, french) == "in_progress"
    assert "In progress 0%" in response.content.decode()
    assert f"/admin/pages/{page.get_translation(french).pk}/edit/" in response.content.decode()

    po = translation.export_po()
    po[0].msgstr = "FR " + po[0].msgid
    translation.import_po(po)
    assert status_of(rows_of(client), page, french) == "in_progress"

    po = translation.export_po()
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    translation.import_po(po)
    translation.save_target(publish=False)
    assert status_of(rows_of(client), page, french) == "ready_for_review"

    target = page.get_translation(french)
    target.get_latest_revision().publish()
    assert status_of(rows_of(client, EVERYTHING), page, french) == "published"


def test_publishing_the_english_source_marks_the_translation_outdated_with_no_sync(
    client, tree, french
):
    page = tree
    translation = submit_translation(client, page, french)
    translate_everything(translation)
    assert status_of(rows_of(client, EVERYTHING), page, french) == "published"

    english = Page.objects.get(pk=page.pk).specific
    # An editor changes the second paragraph (the blocks keep their ids, as in the editor).
    blocks = [dict(block) for block in english.body.raw_data]
    blocks[1]["value"] = "<p>City councils decide.</p>"
    english.body = blocks
    english.save_revision().publish()

    response = rows_of(client, "?status=outdated")
    assert status_of(response, page, french) == "outdated"
    assert "1 segment changed" in response.content.decode()
    change = SourceChange.objects.get(translation_key=page.translation_key)
    assert change.changed_segments[0]["previous"] == "Cities decide."
    assert change.changed_segments[0]["text"] == "City councils decide."
    assert change.words_changed == 2  # "City councils" replaces "Cities": two words to translate
    changes = client.get(f"{QUEUE}changes/{page.translation_key}/")
    assert "City councils decide." in changes.content.decode()

    # "Sync from the source" is wagtail-localize's update view; after it the unchanged segment
    # keeps its French and only the changed one is left to translate.
    source = TranslationSource.objects.get(object_id=page.translation_key)
    assert f"/admin/localize/update/{source.pk}/" in response.content.decode()
    synced = client.post(f"/admin/localize/update/{source.pk}/", {})
    assert synced.status_code == 302
    response = rows_of(client)
    assert status_of(response, page, french) == "in_progress"
    po = Translation.objects.get(pk=translation.pk).export_po()
    french_strings = {entry.msgid: entry.msgstr for entry in po}
    assert french_strings["Vendors sell."] == "FR Vendors sell."
    assert french_strings["City councils decide."] == ""


def test_republishing_without_changes_does_not_mark_it_outdated(client, tree, french):
    page = tree
    translate_everything(submit_translation(client, page, french))
    Page.objects.get(pk=page.pk).specific.save_revision().publish()
    assert status_of(rows_of(client, EVERYTHING), page, french) == "published"


def test_claim_assign_and_due_date_through_the_queue(client, tree, french, translator):
    page = tree
    other = get_user_model().objects.create_superuser("omar", "omar@example.org", "pw")
    claimed = client.post(
        QUEUE + "assign/",
        {
            "translation_key": page.translation_key,
            "locale": "fr",
            "assignee": "me",
            "due_date": "2026-12-01",
            "next": QUEUE + "?assignee=me",
        },
    )
    assert claimed.status_code == 302 and claimed["Location"] == QUEUE + "?assignee=me"
    mine = rows_of(client, "?assignee=me")
    assert status_of(mine, page, french) == "missing"
    # The row shows the assignee and, the date being past, that it is overdue.
    assert "tina" in row_of(mine, page, french)
    assert "overdue since December 1" in row_of(mine, page, french)

    client.post(
        QUEUE + "assign/",
        {"translation_key": page.translation_key, "locale": "fr", "assignee": other.pk},
    )
    assert (
        f'data-queue-row="{page.translation_key}'
        not in rows_of(client, "?assignee=me").content.decode()
    )
    assert status_of(rows_of(client, f"?assignee={other.pk}"), page, french) == "missing"


def test_claiming_from_the_queue_posts_with_its_csrf_token(tree, french, translator):
    """Rows carry no form: claiming is a bulk action, confirmed on Wagtail's page, whose form
    posts with its CSRF token. Django's test client skips CSRF checks unless asked: this one
    checks them, as browsers do."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(translator)
    row = row_of(rows_of(browser), tree, french)
    assert "<form" not in row
    assert 'type="checkbox"' in row  # Wagtail's bulk-action checkbox
    row_id = f"{tree.translation_key}:{french.pk}"
    action = f"/admin/bulk/translation_queue/queueentry/claim/?id={row_id}&next={QUEUE}"
    confirmation = browser.get(action).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirmation).group(1)
    assert browser.post(action).status_code == 403
    response = browser.post(action, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert status_of(rows_of(browser, "?assignee=me"), tree, french) == "missing"


def test_bad_input_never_fails(client, tree):
    for query in (
        "?status=nope&locale=xx&p=999&ordering=evil&section=abc",
        "?p=99999999999999999999999999&assignee=abc&content_type=zzz&ordering=-",
        "?p=-1&q=" + "x" * 500,
    ):
        assert rows_of(client, query).status_code == 200
    assert client.get(QUEUE + "results/?p=abc&status=nope").status_code == 200
    response = client.post(QUEUE + "assign/", {"translation_key": "not-a-uuid", "locale": "fr"})
    assert response.status_code == 302
    response = client.post(
        QUEUE + "assign/",
        {"translation_key": tree.translation_key, "locale": "fr", "due_date": "2026-13-45"},
    )
    assert response.status_code == 302
    assert "could not be saved" in str(list(get_messages(response.wsgi_request))[-1])
    response = client.post(
        QUEUE + "assign/",
        {"translation_key": tree.translation_key, "locale": "en", "next": "https://evil.example"},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE


def test_text_search_and_content_type_filter(client, tree, french):
    StandardPageFactory(parent=tree.get_parent(), title="Waste pickers")
    response = rows_of(client, "?q=street")
    assert "Street vendors" in response.content.decode()
    assert "Waste pickers" not in response.content.decode()


def test_queue_is_listed_in_the_admin_menu(client, tree):
    # Wagtail's sidebar menu is rendered from JSON props.
    html = client.get("/admin/").content.decode()
    assert "Translation queue" in html
    assert "/admin/translation-queue/" in html


def queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        rows_of(client, "?ordering=-words")
        rows_of(client, "?status=in_progress&p=2")
    return len(queries)


def test_queue_runs_a_bounded_number_of_queries(client, tree, french, settings):
    # Pages of 10: the 65 items below fill several pages (and 30 in progress fill page 2).
    settings.TRANSLATION_QUEUE_PAGE_SIZE = 10
    home = tree.get_parent()
    few = [
        StandardPageFactory(parent=home, title=f"Few {n}", body=body("A", "B")) for n in range(3)
    ]
    for page in few:
        submit_translation(client, page, french)
    rows_of(client)  # warm Django's content type cache
    small = queue_queries(client)

    many = [
        StandardPageFactory(parent=home, title=f"Many {n}", body=body("C", "D"), publish=False)
        for n in range(60)
    ]
    for page in many[:30]:
        source, _ = TranslationSource.get_or_create_from_instance(page)
        Translation.objects.create(source=source, target_locale=french).save_target(publish=False)
    response = rows_of(client)
    assert "Many 59" in rows_of(client, "?q=many+59").content.decode()
    assert response.context["paginator"].count == 65  # 60 + 3 + street vendors + home
    assert queue_queries(client) == small


def test_my_translations_dashboard_panel_lists_what_is_assigned_to_me(client, tree, translator):
    assert "My translations" not in client.get("/admin/").content.decode()
    client.post(
        QUEUE + "assign/",
        {"translation_key": tree.translation_key, "locale": "fr", "assignee": "me"},
    )
    dashboard = client.get("/admin/").content.decode()
    assert "My translations" in dashboard
    assert "Street vendors" in dashboard
    assert f"/admin/localize/submit/page/{tree.pk}/" in dashboard


def words_of(response, page, french):
    """The "Words new or changed" cell of the item's row, as shown."""
    # The first of the two "queue-wrap-head" cells (words, then the publication date).
    return re.search(
        r'<td class="queue-wrap-head">\s*([^<\s]+)\s*</td>', row_of(response, page, french)
    )[1]


def test_after_a_sync_the_queue_counts_only_the_new_words_of_changed_segments(
    client, tree, french, make_user
):
    page = tree
    translate_everything(submit_translation(client, page, french))
    published = rows_of(client, EVERYTHING)
    assert words_of(published, page, french) == "0", row_of(published, page, french)

    # In English: one word of a paragraph changes and a paragraph is added (the blocks keep
    # their ids, as in the editor).
    english = Page.objects.get(pk=page.pk).specific
    blocks = [dict(block) for block in english.body.raw_data]
    blocks[1]["value"] = "<p>Cities vote.</p>"
    new_paragraph = "Markets open early on Sundays."
    blocks.append({"type": "paragraph", "value": f"<p>{new_paragraph}</p>"})
    english.body = blocks
    english.save_revision().publish()
    expected = 1 + len(new_paragraph.split())  # "vote.", and the new paragraph's 5 words

    response = rows_of(client, "?status=outdated")
    assert status_of(response, page, french) == "outdated"
    assert words_of(response, page, french) == str(expected)

    # The item in a job: the job's page counts the same words.
    selected = f"id={quote(f'{page.translation_key}:{french.pk}')}"
    added = client.post(f"{ADD_TO_JOB}?{selected}&next={QUEUE}", {"job": "", "name": "Sync"})
    assert added.status_code == 302
    job = TranslationJob.objects.get(name="Sync")
    inspect = reverse("translation_jobs:inspect", args=[job.pk])
    assert f"{expected} words new or changed" in client.get(inspect).content.decode()

    # A translator syncs the translation with wagtail-localize's own update view.
    translator = make_user("Translators", username="theo")
    client.force_login(translator)
    source = TranslationSource.objects.get(object_id=page.translation_key)
    synced = client.post(f"/admin/localize/update/{source.pk}/", {})
    assert synced.status_code == 302, synced.content.decode()[:500]
    assert TranslationSource.objects.get(pk=source.pk).last_updated_at > source.last_updated_at

    response = rows_of(client, EVERYTHING)
    assert status_of(response, page, french) == "in_progress"
    # Not the 2 words of the changed paragraph: the 1 word it adds, as before the sync.
    assert words_of(response, page, french) == str(expected)
    assert f"{expected} words new or changed" in client.get(inspect).content.decode()

    # The translator translates the changed segments: nothing left to translate.
    translation = Translation.objects.get(source=source, target_locale=french)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = entry.msgstr or "FR " + entry.msgid
    translation.import_po(po)
    response = rows_of(client, EVERYTHING)
    assert status_of(response, page, french) == "ready_for_review"
    assert words_of(response, page, french) == "0"
    assert "0 words new or changed" in client.get(inspect).content.decode()


def translated_paragraphs_changed_to(client, home_page, french, paragraphs):
    """A page whose rich-text block "<p>Vendors sell fruit.</p><p>Cities decide.</p>" is
    translated into French, then published in English with `paragraphs` in that block."""
    page = StandardPageFactory(
        parent=home_page,
        title="Markets",
        body=[{"type": "paragraph", "value": "<p>Vendors sell fruit.</p><p>Cities decide.</p>"}],
    )
    submit_translation(client, home_page, french)
    translate_everything(submit_translation(client, page, french))
    english = Page.objects.get(pk=page.pk).specific
    blocks = [dict(block) for block in english.body.raw_data]
    blocks[0]["value"] = paragraphs
    english.body = blocks
    english.save_revision().publish()
    return page


def test_after_a_sync_a_rich_text_block_counts_the_new_words_of_its_changed_paragraph(
    client, home_page, french, translator
):
    """The paragraphs of one rich-text block share their place (wagtail-localize's context):
    each new paragraph is compared with the closest one translated before."""
    page = translated_paragraphs_changed_to(
        client,
        home_page,
        french,
        "<p>Vendors sell fruit.</p><p>Cities vote.</p><p>Markets open early.</p>",
    )
    assert words_of(rows_of(client, EVERYTHING), page, french) == "4"  # "vote." + 3 new words

    source = TranslationSource.objects.get(object_id=page.translation_key)
    assert client.post(f"/admin/localize/update/{source.pk}/", {}).status_code == 302
    response = rows_of(client, EVERYTHING)
    assert status_of(response, page, french) == "in_progress"
    assert words_of(response, page, french) == "4"


def test_paragraphs_moved_within_their_block_are_not_words_to_translate(
    client, home_page, french, translator
):
    """wagtail-localize keeps a paragraph's translation by its text and block: one inserted at
    the top of a rich-text block, the others moved, leaves only the inserted one's 3 words,
    before the sync as after it (not each paragraph against the one that was in its place)."""
    page = translated_paragraphs_changed_to(
        client,
        home_page,
        french,
        "<p>Markets open early.</p><p>Cities decide.</p><p>Vendors sell fruit.</p>",
    )
    response = rows_of(client, EVERYTHING)
    assert status_of(response, page, french) == "outdated"
    assert words_of(response, page, french) == "3"
    # Shown as one new segment (the paragraphs below it are aligned, not compared by place).
    assert "1 segment changed" in response.content.decode()
    changes = client.get(f"/admin/translation-queue/changes/{page.translation_key}/")
    assert changes.status_code == 200
    assert "Markets open early." in changes.content.decode()
    assert changes.content.decode().count("Vendors sell fruit.") == 0

    source = TranslationSource.objects.get(object_id=page.translation_key)
    assert client.post(f"/admin/localize/update/{source.pk}/", {}).status_code == 302
    response = rows_of(client, EVERYTHING)
    assert status_of(response, page, french) == "in_progress"
    assert words_of(response, page, french) == "3"
