"""The queue's actions, as a translator uses them through the admin: bulk claim / assign /
sync / machine translation, PO export and import, the previous French offered for changed
segments, and the query count with many items."""

import re
import uuid
from urllib.parse import urlencode

import polib
import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail_localize.machine_translators.dummy import DummyTranslator
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from benchmarks.translation_queue_data import create_queue_items
from ngo_site.translation_queue import bulk_actions
from ngo_site.translation_queue.exchange import EXPORTED_AT
from ngo_site.translation_queue.models import TranslationAssignment
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/translation-queue/"
BULK = "/admin/bulk/translation_queue/queueentry/"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("tina", "tina@example.org", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def french_home(home_page, french):
    page = home_page.copy_for_translation(french)
    page.save_revision().publish()
    return page


def body(*paragraphs):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def submit_translation(client, page, french):
    response = client.post(f"/admin/localize/submit/page/{page.pk}/", {"locales": [french.pk]})
    assert response.status_code == 302
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=french)


def translate_and_publish(translation, prefix="FR "):
    po = translation.export_po()
    for entry in po:
        entry.msgstr = prefix + entry.msgid
    translation.import_po(po)
    # save_target(publish=True) publishes on commit, which a test transaction never reaches.
    translation.save_target(publish=False)
    target = translation.get_target_instance()
    Page.objects.get(pk=target.pk).specific.get_latest_revision().publish()


def french_of(translation):
    return {entry.msgid: entry.msgstr for entry in translation.export_po()}


def republish_with_second_paragraph(page, text):
    english = Page.objects.get(pk=page.pk).specific
    blocks = [dict(block) for block in english.body.raw_data]
    blocks[1]["value"] = f"<p>{text}</p>"
    english.body = blocks
    english.save_revision().publish()


def message_of(response):
    """The message the response added (earlier ones may still wait to be shown)."""
    return [str(message).strip() for message in get_messages(response.wsgi_request)][-1]


def status_of(client, page, french):
    html = client.get(QUEUE + "?status=all&locale=all").content.decode()
    found = re.search(
        rf'data-queue-row="{page.translation_key}:{french.pk}" data-status="(\w+)"', html
    )
    assert found, f"{page.title} not in the queue"
    return found.group(1)


def row(page, locale):
    return f"{page.translation_key}:{locale.pk}"


def bulk(client, action, rows, **form):
    """One of the queue's bulk actions, as Wagtail's bulk-action footer sends it."""
    query = urlencode([("id", row) for row in rows] + [("next", QUEUE)])
    return client.post(f"{BULK}{action}/?{query}", form)


@pytest.fixture
def translated(admin_client, home_page, french_home, french):
    """Two English pages, translated into French and published."""
    pages = [
        StandardPageFactory(
            parent=home_page, title=title, body=body(f"{title} first.", f"{title} second.")
        )
        for title in ("Street vendors", "Home workers")
    ]
    translations = [submit_translation(admin_client, page, french) for page in pages]
    for translation in translations:
        translate_and_publish(translation)
    return pages, translations


# --- nothing is lost: the previous French of a changed segment -------------------------------


def test_republishing_keeps_unchanged_french_and_offers_the_previous_french_as_suggestion(
    admin_client, home_page, french_home, french
):
    page = StandardPageFactory(
        parent=home_page,
        title="Street vendors",
        body=body("Vendors sell.", "Cities decide.", "Councils listen."),
    )
    translation = submit_translation(admin_client, page, french)
    translate_and_publish(translation)
    republish_with_second_paragraph(page, "City councils decide.")
    assert status_of(admin_client, page, french) == "outdated"

    # Before the sync, the changes view lists the changed segment with its previous French.
    changes_url = f"{QUEUE}changes/{page.translation_key}/?locale=fr"
    assert changes_url.replace("&", "&amp;") in admin_client.get(QUEUE).content.decode()
    changes = admin_client.get(changes_url).content.decode()
    expected = re.compile(
        r"<td>Cities decide\.</td>\s*<td>City councils decide\.</td>\s*"
        r'<td class="translation-queue__suggestion">FR Cities decide\.</td>'
    )
    assert expected.search(changes), changes
    assert "Vendors sell." not in changes  # unchanged segments are not listed

    # Sync from the source (wagtail-localize's view): unchanged segments keep their French.
    source = TranslationSource.objects.get(object_id=page.translation_key)
    assert admin_client.post(f"/admin/localize/update/{source.pk}/", {}).status_code == 302
    strings = french_of(Translation.objects.get(pk=translation.pk))
    assert strings["Vendors sell."] == "FR Vendors sell."
    assert strings["Councils listen."] == "FR Councils listen."
    assert strings["City councils decide."] == ""
    assert status_of(admin_client, page, french) == "in_progress"

    # After it, the segment waiting for French still gets the previous French as suggestion.
    changes = admin_client.get(changes_url).content.decode()
    assert expected.search(changes), changes
    assert "Councils listen." not in changes


# --- bulk actions ---------------------------------------------------------------------------


def test_bulk_claim_and_assign_say_what_was_done_and_skipped(
    admin_client, home_page, french_home, french
):
    create_queue_items(6, source_parent=home_page, target_parent=french_home)
    pages = list(Page.objects.filter(locale__language_code="en", title__startswith="Item"))
    first, second, third = pages[:3]
    omar = get_user_model().objects.create_superuser("omar", "omar@example.org", "pw")

    response = bulk(admin_client, "claim", [row(first, french), row(second, french), "junk"])
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert message_of(response) == "2 items claimed. 1 item skipped (1 not recognised)."
    mine = admin_client.get(QUEUE + "?assignee=me").context["paginator"].count
    assert mine == 2

    response = bulk(
        admin_client, "assign", [row(second, french), row(third, french)], assignee=omar.pk
    )
    assert message_of(response) == "2 items assigned."
    assert admin_client.get(f"{QUEUE}?assignee={omar.pk}").context["paginator"].count == 2
    response = bulk(admin_client, "claim", [row(first, french)])
    assert "1 already assigned to that person" in message_of(response)

    stranger = get_user_model().objects.create_user("stranger", "s@example.org", "pw")
    response = bulk(admin_client, "assign", [row(first, french)], assignee=stranger.pk)
    assert response.status_code == 200  # the form again, with its error
    assert "Select a valid choice." in response.content.decode()
    assert TranslationAssignment.objects.get(translation_key=first.translation_key).assignee_id == (
        admin_client.user.pk
    )

    for nothing in ([], ["junk", f"{uuid.uuid4()}:{french.pk}"]):
        response = bulk(admin_client, "claim", nothing)
        assert response.status_code == 302 and response["Location"] == QUEUE
        assert message_of(response) == "Select at least one item of the queue."
    # An action the queue does not have: Wagtail's "not found".
    assert 400 <= admin_client.post(f"{BULK}delete/", follow=True).status_code < 500
    # Wagtail's bulk-action footer under the listing, with a checkbox per row; the confirmation
    # page lists the items.
    html = admin_client.get(QUEUE).content.decode()
    assert 'data-bulk-action-footer="QUEUE_ENTRY"' in html
    assert f'data-object-id="{quote(row(first, french))}" data-bulk-action-checkbox' in html
    confirmation = admin_client.get(f"{BULK}claim/?id={quote(row(first, french))}&next={QUEUE}")
    assert confirmation.status_code == 200 and first.title in confirmation.content.decode()


def test_select_all_acts_on_the_rows_the_listing_filters_select(admin_client, translated, french):
    (vendors, _workers), _translations = translated
    republish_with_second_paragraph(vendors, "Vendors organise.")

    response = admin_client.post(f"{BULK}claim/?id=all&status=outdated&next={QUEUE}")
    assert message_of(response) == "1 item claimed."
    claimed = TranslationAssignment.objects.filter(assignee=admin_client.user)
    assert [assignment.translation_key for assignment in claimed] == [vendors.translation_key]


def test_bulk_sync_and_machine_translation(admin_client, translated, home_page, french):
    (vendors, workers), (vendors_translation, _workers_translation) = translated
    missing = StandardPageFactory(parent=home_page, title="Domestic workers", body=body("Hi."))
    republish_with_second_paragraph(vendors, "Vendors organise.")
    assert status_of(admin_client, vendors, french) == "outdated"

    response = bulk(
        admin_client, "sync", [row(vendors, french), row(workers, french), row(missing, french)]
    )
    assert message_of(response) == (
        "1 item synced from the source. 2 items skipped (1 already up to date, "
        "1 not translated yet)."
    )
    assert status_of(admin_client, vendors, french) == "in_progress"
    assert french_of(vendors_translation)["Street vendors first."] == "FR Street vendors first."

    response = bulk(admin_client, "machine_translate", [row(vendors, french), row(workers, french)])
    assert message_of(response) == (
        "1 item pre-filled with machine translation (Dummy translator). "
        "1 item skipped (1 nothing left to translate)."
    )
    machine = StringTranslation.objects.get(translation_of__data="Vendors organise.", locale=french)
    assert machine.translation_type == StringTranslation.TRANSLATION_TYPE_MACHINE
    assert machine.data == "organise. Vendors"  # the dummy translator reverses the words
    # The machine's French is a draft for review, never published by the pre-fill.
    assert status_of(admin_client, vendors, french) == "ready_for_review"
    french_page = Page.objects.get(pk=vendors.get_translation(french).pk).specific
    assert french_page.has_unpublished_changes
    assert "organise. Vendors" not in str(french_page.body)


def test_row_offers_machine_translation_through_wagtail_localize(
    admin_client, home_page, french_home, french
):
    page = StandardPageFactory(parent=home_page, title="Street vendors", body=body("Sell."))
    translation = submit_translation(admin_client, page, french)
    html = admin_client.get(QUEUE).content.decode()
    url = f"/admin/localize/translate/{translation.pk}/machine_translate/"
    # In the row's "More" dropdown, posted by Wagtail's w-action controller.
    assert f'data-w-action-url-value="{url}"' in html
    assert admin_client.post(url, {"next": QUEUE}).status_code == 302
    assert french_of(translation)["Sell."] == "Sell."  # one word: reversed, the same
    assert status_of(admin_client, page, french) == "ready_for_review"


# --- PO files for outside translators ------------------------------------------------------


def upload(client, content, name="translations.po"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(QUEUE + "import/", {"file": SimpleUploadedFile(name, data)})


def test_export_selected_items_as_one_po_file_and_import_it_back(admin_client, translated, french):
    (vendors, workers), (vendors_translation, workers_translation) = translated
    response = bulk(admin_client, "export_po", [row(vendors, french), row(workers, french)])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="translations-')
    po = polib.pofile(response.content.decode())
    assert EXPORTED_AT in po.metadata
    assert {entry.msgid for entry in po} >= {
        "Street vendors first.",
        "Street vendors second.",
        "Home workers first.",
        "Home workers second.",
    }

    # The outside translator revises two strings; meanwhile a colleague edits another one in
    # the admin: that newer French must not be overwritten by the file.
    for entry in po:
        if entry.msgid == "Street vendors second.":
            entry.msgstr = "Les vendeurs, deuxième."
        if entry.msgid in ("Home workers first.", "Home workers second."):
            entry.msgstr = "Révisé : " + entry.msgid
    StringTranslation.objects.filter(
        translation_of__data="Home workers second.", locale=french
    ).update(data="Corrigé dans l'admin.", updated_at=timezone.now())
    po.append(polib.POEntry(msgid="Removed paragraph.", msgstr="Supprimé.", msgctxt=po[0].msgctxt))

    response = upload(admin_client, str(po))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 translations imported." in html
    assert "translations unchanged." in html  # the strings that came back as they were
    assert re.search(r"<td>Home workers second\.</td><td>Corrigé dans l&#x27;admin\.</td>", html)
    assert "<li data-unmatched>Removed paragraph.</li>" in html
    vendors_strings = french_of(vendors_translation)
    assert vendors_strings["Street vendors second."] == "Les vendeurs, deuxième."
    workers_strings = french_of(workers_translation)
    assert workers_strings["Home workers first."] == "Révisé : Home workers first."
    assert workers_strings["Home workers second."] == "Corrigé dans l'admin."
    # Imported French becomes a draft of the French page, for review.
    assert status_of(admin_client, vendors, french) == "ready_for_review"


def test_po_import_rejects_bad_files_with_a_clear_message(admin_client, translated, french):
    assert admin_client.get(QUEUE + "import/").status_code == 200
    cases = [
        (upload(admin_client, "hello", name="notes.txt"), "This is not a PO file"),
        (upload(admin_client, b"\x00\x01binary", name="x.po"), "could not be read"),
        (upload(admin_client, 'msgid "a"\nmsgstr "b"\nmsgid', name="x.po"), "could not be read"),
        (upload(admin_client, 'msgid "a"\nmsgstr "b"\n', name="x.po"), "was not exported from"),
        (admin_client.post(QUEUE + "import/", {}), "Choose a PO file"),
    ]
    for response, message in cases:
        assert response.status_code == 400
        assert message in response.content.decode()
    # An export entry pointing at no known translation is reported, not applied.
    po = polib.POFile()
    po.metadata = {EXPORTED_AT: timezone.now().isoformat()}
    po.append(polib.POEntry(msgid="Street vendors first.", msgstr="X", msgctxt="not-a-uuid body"))
    response = upload(admin_client, str(po))
    assert response.status_code == 200
    assert "<li data-unmatched>Street vendors first.</li>" in response.content.decode()


# --- scale ----------------------------------------------------------------------------------


def queue_queries(client):
    counts = []
    # Each page shows rows of the same kinds (assigned, outdated) at both sizes: the rows shown
    # cost up to three more queries, whatever their number.
    for query in (
        "",
        "?status=in_progress&ordering=-words",
        "?status=outdated",
        "?assignee=me&ordering=due_date",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE + query).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_queue_runs_the_same_queries_for_20_and_200_items(
    admin_client, home_page, french_home, settings
):
    settings.TRANSLATION_QUEUE_PAGE_SIZE = 10
    create_queue_items(
        20, source_parent=home_page, target_parent=french_home, assignee=admin_client.user
    )
    admin_client.get(QUEUE)  # warm Django's content type cache
    small = queue_queries(admin_client)
    create_queue_items(
        180,
        source_parent=home_page,
        target_parent=french_home,
        assignee=admin_client.user,
        prefix="More",
    )
    response = admin_client.get(QUEUE + "?status=all&locale=all")
    assert response.context["paginator"].count == 201  # 200 items and the home page
    statuses = re.findall(
        r'data-status="(\w+)"', admin_client.get(QUEUE + "?ordering=status").content.decode()
    )
    assert statuses and statuses[0] == "missing"
    outdated = admin_client.get(QUEUE + "?status=outdated").context["paginator"].count
    assert outdated == 40
    assert queue_queries(admin_client) == small


# --- a file exported before an item was deleted ---------------------------------------------


def revised_export(client, pages, french):
    """The PO export of these items, every string revised by the outside translator."""
    response = bulk(client, "export_po", [row(page, french) for page in pages])
    po = polib.pofile(response.content.decode())
    for entry in po:
        entry.msgstr = "Révisé : " + entry.msgid
    return po


def delete_through_the_admin(client, page):
    response = client.post(f"/admin/pages/{page.pk}/delete/")
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()


@pytest.mark.parametrize("deleted", ["french", "english"])
def test_importing_a_file_exported_before_an_item_was_deleted(
    admin_client, translated, french, deleted
):
    (vendors, workers), (_vendors_translation, workers_translation) = translated
    po = revised_export(admin_client, [vendors, workers], french)
    french_vendors = vendors.get_translation(french)
    vendors_strings_before = StringTranslation.objects.filter(
        context__object_id=vendors.translation_key
    ).values_list("pk", "data", "updated_at")
    before = set(vendors_strings_before)
    delete_through_the_admin(admin_client, french_vendors if deleted == "french" else vendors)

    response = upload(admin_client, str(po))

    assert response.status_code == 200
    html = response.content.decode()
    # Title, slug, summary and two paragraphs of each page.
    assert "5 translations imported." in html  # all of the item still there
    assert html.count("<li data-unmatched data-deleted>") == 5
    assert "Street vendors first. (item deleted since the export)" in html
    assert "could not be saved" not in html
    # Nothing was written for the deleted item; the other one became a draft for review.
    assert set(vendors_strings_before.all()) <= before
    assert french_of(workers_translation)["Home workers first."] == "Révisé : Home workers first."
    assert status_of(admin_client, workers, french) == "ready_for_review"


# --- a translator's correction of a published French page ----------------------------------


def test_a_string_corrected_after_publication_makes_the_page_ready_for_review(
    admin_client, translated, french
):
    (vendors, _workers), (vendors_translation, _workers_translation) = translated
    assert status_of(admin_client, vendors, french) == "published"
    segment = StringSegment.objects.get(
        source=vendors_translation.source, string__data="Street vendors first."
    )
    url = reverse(
        "wagtail_localize:edit_string_translation", args=[vendors_translation.pk, segment.pk]
    )
    response = admin_client.put(
        url,
        urlencode({"value": "Les vendeurs de rue, d'abord."}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200

    assert status_of(admin_client, vendors, french) == "ready_for_review"
    html = admin_client.get(QUEUE).content.decode()
    french_vendors = vendors.get_translation(french)
    assert f'data-w-action-url-value="/admin/translation-queue/review/{french_vendors.pk}/"' in html


# --- machine translation: a failing service, bounded batches --------------------------------


class FailingTranslator(DummyTranslator):
    """A translation service that is down for one text (as DeepL is on a network error or an
    exhausted quota) and works for the others."""

    display_name = "Failing translator"

    def translate(self, source_locale, target_locale, strings):
        if any("Vendors" in string.data for string in strings):
            raise ConnectionError("the service is unreachable")
        return super().translate(source_locale, target_locale, strings)


FAILING_TRANSLATOR = {
    "CLASS": "tests.localisation.test_translation_queue_actions.FailingTranslator"
}


def test_bulk_machine_translation_skips_the_items_the_service_fails_on(
    admin_client, translated, french, settings
):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = FAILING_TRANSLATOR
    (vendors, workers), _translations = translated
    republish_with_second_paragraph(vendors, "Vendors organise.")
    republish_with_second_paragraph(workers, "Workers organise.")
    bulk(admin_client, "sync", [row(vendors, french), row(workers, french)])

    response = bulk(admin_client, "machine_translate", [row(vendors, french), row(workers, french)])

    assert response.status_code == 302
    assert message_of(response) == (
        "1 item pre-filled with machine translation (Failing translator). "
        "1 item skipped (1 the translation service failed)."
    )
    assert not StringTranslation.objects.filter(translation_of__data="Vendors organise.").exists()
    assert StringTranslation.objects.get(translation_of__data="Workers organise.").data == (
        "organise. Workers"
    )


def test_bulk_machine_translation_handles_a_bounded_batch_per_request(
    admin_client, home_page, french_home, french, monkeypatch
):
    monkeypatch.setattr(bulk_actions, "MAX_MACHINE_TRANSLATE_ITEMS", 2)
    pages = [
        StandardPageFactory(parent=home_page, title=f"Item {number}", body=body("Sell well."))
        for number in range(3)
    ]
    for page in pages:
        submit_translation(admin_client, page, french)

    response = bulk(admin_client, "machine_translate", [row(page, french) for page in pages])

    assert message_of(response) == (
        "2 items pre-filled with machine translation (Dummy translator). "
        "1 item skipped (1 left for another run: select them again)."
    )
    statuses = [status_of(admin_client, page, french) for page in pages]
    assert statuses.count("ready_for_review") == 2


# --- filters: one bad value does not discard the others --------------------------------------


def test_a_bad_filter_value_is_dropped_and_the_other_filters_kept(admin_client, translated, french):
    (vendors, workers), _translations = translated
    republish_with_second_paragraph(vendors, "Vendors organise.")
    response = admin_client.get(QUEUE + "?status=outdated&section=abc")
    assert response.status_code == 200
    assert response.context["paginator"].count == 1
    html = response.content.decode()
    assert f'data-queue-row="{row(vendors, french)}"' in html
    assert f'data-queue-row="{row(workers, french)}"' not in html
    assert "Not applied, the value is not one of the choices: Programme." in html


# --- outdated: removed paragraphs and moved blocks -----------------------------------------


def republish_with_blocks(page, blocks_of):
    english = Page.objects.get(pk=page.pk).specific
    english.body = blocks_of([dict(block) for block in english.body.raw_data])
    english.save_revision().publish()


def test_removing_a_paragraph_from_the_english_makes_the_translation_outdated(
    admin_client, translated, french
):
    (vendors, _workers), _translations = translated
    republish_with_blocks(vendors, lambda blocks: blocks[:1])

    assert status_of(admin_client, vendors, french) == "outdated"
    html = admin_client.get(f"{QUEUE}changes/{vendors.translation_key}/").content.decode()
    assert '<li data-change="removed">Removed: Street vendors second.</li>' in html


def test_moving_blocks_of_the_english_makes_the_translation_outdated(
    admin_client, translated, french
):
    (vendors, workers), _translations = translated
    republish_with_blocks(vendors, lambda blocks: blocks[::-1])
    republish_with_blocks(workers, lambda blocks: blocks)  # published again, unchanged

    assert status_of(admin_client, vendors, french) == "outdated"
    assert status_of(admin_client, workers, french) == "published"
    html = admin_client.get(f"{QUEUE}changes/{vendors.translation_key}/").content.decode()
    assert 'data-change="reordered"' in html
