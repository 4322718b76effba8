"""Each bulk action, the export and the import run once by a member of the Translators group
(not a superuser), through the queue's views: the role's permissions are enough."""

import html
import re
from urllib.parse import urlencode

import polib
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringTranslation

from ngo_site import roles
from ngo_site.translation_queue.models import TranslationAssignment
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/translation-queue/"
BULK = "/admin/bulk/translation_queue/queueentry/"


def message_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)][-1]


def bulk(client, action, rows, **form):
    """One of the queue's bulk actions, as Wagtail's bulk-action footer sends it."""
    query = urlencode([("id", row) for row in rows] + [("next", QUEUE)])
    return client.post(f"{BULK}{action}/?{query}", form)


def status_of(client, page, french):
    html = client.get(QUEUE + "?status=all&locale=all").content.decode()
    found = re.search(
        rf'data-queue-row="{page.translation_key}:{french.pk}" data-status="(\w+)"', html
    )
    return found.group(1)


def test_a_translator_runs_every_bulk_action_the_export_and_the_import(
    trees, translator, make_user, client_for, french
):
    colleague = make_user(roles.TRANSLATORS, username="colleague")
    english = StandardPageFactory(
        parent=trees["en_home"],
        title="Street vendors",
        body=[{"type": "paragraph", "value": "<p>Vendors sell.</p>"}],
    )
    client = client_for(translator)
    submit = reverse("wagtail_localize:submit_page_translation", args=[english.pk])
    assert client.post(submit, {"locales": [french.pk]}).status_code == 302
    rows = [f"{english.translation_key}:{french.pk}"]

    assert message_of(bulk(client, "claim", rows)) == "1 item claimed."
    response = bulk(client, "assign", rows, assignee=colleague.pk)
    assert message_of(response) == "1 item assigned."
    assert TranslationAssignment.objects.get().assignee == colleague

    response = bulk(client, "machine_translate", rows)
    assert message_of(response).startswith("1 item pre-filled with machine translation")
    assert StringTranslation.objects.get(translation_of__data="Vendors sell.").data == (
        "sell. Vendors"
    )
    # Machine output is marked as such in the translator's editor, and waits for review.
    french_page = english.get_translation(french)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[french_page.pk]), follow=True)
    assert editor.status_code == 200
    assert "Translated with Dummy translator on " in html.unescape(editor.content.decode())
    assert status_of(client, english, french) == "ready_for_review"
    assert not Page.objects.get(pk=french_page.pk).live

    response = bulk(client, "export_po", rows)
    assert response.status_code == 200
    po = polib.pofile(response.content.decode())
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    upload = SimpleUploadedFile("translations.po", str(po).encode())
    response = client.post(QUEUE + "import/", {"file": upload})
    assert response.status_code == 200
    assert f"{len(po)} translations imported." in response.content.decode()
    assert StringTranslation.objects.get(translation_of__data="Vendors sell.").data == (
        "FR Vendors sell."
    )

    source = Page.objects.get(pk=english.pk).specific
    source.body = [{"type": "paragraph", "value": "<p>Vendors organise.</p>"}]
    source.save_revision().publish()
    assert status_of(client, english, french) == "outdated"
    assert message_of(bulk(client, "sync", rows)) == "1 item synced from the source."
    assert status_of(client, english, french) == "in_progress"
