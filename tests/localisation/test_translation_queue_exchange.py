"""XLIFF 1.2 exchange and the approval of translated snippets, through the queue's views."""

import re
import xml.etree.ElementTree as ET

import polib
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation

from ngo_site.models import FooterContent
from ngo_site.translation_queue.exchange import XLIFF_NAMESPACE
from tests.site.factories import FooterContentFactory, StandardPageFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/translation-queue/"
BULK = "/admin/bulk/translation_queue/queueentry/"
NS = {"x": XLIFF_NAMESPACE}


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("tina", "tina@example.org", "pw")
    client.force_login(user)
    return client


def body(*paragraphs):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def submit(client, url, french):
    assert client.post(url, {"locales": [french.pk]}).status_code == 302


def translated_page(client, parent, french, title):
    page = StandardPageFactory(
        parent=parent, title=title, body=body(f"{title} first.", f"{title} <b>second</b>.")
    )
    submit(client, reverse("wagtail_localize:submit_page_translation", args=[page.pk]), french)
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=french
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    translation.import_po(po)
    translation.save_target(publish=False)
    Page.objects.get(pk=page.get_translation(french).pk).specific.get_latest_revision().publish()
    return page, translation


def row(obj, locale):
    return f"{obj.translation_key}:{locale.pk}"


def status_of(client, obj, french):
    html = client.get(QUEUE + "?status=all&locale=all").content.decode()
    found = re.search(rf'data-queue-row="{row(obj, french)}" data-status="(\w+)"', html)
    assert found, f"{obj} not in the queue"
    return found.group(1)


def upload(client, content, name="translations.xlf"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(QUEUE + "import/", {"file": SimpleUploadedFile(name, data)})


def french_of(translation):
    return {entry.msgid: entry.msgstr for entry in translation.export_po()}


def test_export_as_xliff_and_import_it_back(admin_client, trees, french):
    (vendors, vendors_translation), (workers, workers_translation) = (
        translated_page(admin_client, trees["en_home"], french, title)
        for title in ("Street vendors", "Home workers")
    )
    response = admin_client.post(
        f"{BULK}export_xliff/?id={row(vendors, french)}&id={row(workers, french)}"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlf"')
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{XLIFF_NAMESPACE}}}xliff" and root.get("version") == "1.2"
    files = root.findall("x:file", NS)
    assert {file.get("original") for file in files} == {
        str(vendors_translation.uuid),
        str(workers_translation.uuid),
    }
    assert all(file.get("target-language") == "fr" and file.get("date") for file in files)
    units = {
        unit.find("x:source", NS).text: unit
        for unit in root.iter(f"{{{XLIFF_NAMESPACE}}}trans-unit")
    }
    # Inline markup travels as text, as in wagtail-localize's own PO files.
    assert units["Street vendors <b>second</b>."].find("x:target", NS).text == (
        "FR Street vendors <b>second</b>."
    )

    # The outside translator revises strings; meanwhile a colleague edits one in the admin.
    units["Street vendors first."].find("x:target", NS).text = "Les vendeurs, d'abord."
    units["Home workers first."].find("x:target", NS).text = "Révisé : travailleurs."
    StringTranslation.objects.filter(
        translation_of__data="Home workers first.", locale=french
    ).update(data="Corrigé dans l'admin.", updated_at=timezone.now())
    # A string whose source no longer exists.
    vendors_file = next(f for f in files if f.get("original") == str(vendors_translation.uuid))
    removed = ET.SubElement(
        vendors_file.find("x:body", NS), f"{{{XLIFF_NAMESPACE}}}trans-unit", id="body.gone"
    )
    ET.SubElement(removed, f"{{{XLIFF_NAMESPACE}}}source").text = "Removed paragraph."
    ET.SubElement(removed, f"{{{XLIFF_NAMESPACE}}}target").text = "Supprimé."

    response = upload(admin_client, ET.tostring(root, encoding="utf-8", xml_declaration=True))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 translation imported." in html
    assert re.search(r"<td>Home workers first\.</td><td>Corrigé dans l&#x27;admin\.</td>", html)
    assert "<li data-unmatched>Removed paragraph.</li>" in html
    assert french_of(vendors_translation)["Street vendors first."] == "Les vendeurs, d'abord."
    assert french_of(workers_translation)["Home workers first."] == "Corrigé dans l'admin."
    imported = StringTranslation.objects.get(data="Les vendeurs, d'abord.")
    assert imported.tool_name == "XLIFF file"
    # Imported French is a draft of the French page, for review; visitors still see the old.
    assert status_of(admin_client, vendors, french) == "ready_for_review"
    assert "Les vendeurs" not in str(vendors.get_translation(french).specific.body)


def test_xliff_import_rejects_bad_and_dangerous_files(admin_client, trees, french):
    billion_laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        f'<xliff version="1.2" xmlns="{XLIFF_NAMESPACE}"><file original="x" date="2026-01-01">'
        "<body><trans-unit id='a'><source>&lol2;</source></trans-unit></body></file></xliff>"
    )
    external = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f'<xliff version="1.2" xmlns="{XLIFF_NAMESPACE}"><file original="x" date="2026-01-01">'
        "<body><trans-unit id='a'><source>&e;</source></trans-unit></body></file></xliff>"
    )
    undated = f'<xliff version="1.2" xmlns="{XLIFF_NAMESPACE}"><file original="x"/></xliff>'
    impossible = (
        f'<xliff version="1.2" xmlns="{XLIFF_NAMESPACE}">'
        '<file original="x" date="2026-13-45T10:00:00"/></xliff>'
    )
    cases = [
        (billion_laughs, "could not be read"),
        (external, "could not be read"),
        ("<xliff version='1.2'", "could not be read"),
        ("<html><body>hello</body></html>", "could not be read"),
        (undated, "was not exported from"),
        (impossible, "was not exported from"),
    ]
    for content, message in cases:
        response = upload(admin_client, content)
        assert response.status_code == 400, content
        assert message in response.content.decode()
    # An entry naming no known translation is reported, not applied.
    unknown = (
        f'<xliff version="1.2" xmlns="{XLIFF_NAMESPACE}">'
        f'<file original="not-a-uuid" date="{timezone.now().isoformat()}"><body>'
        "<trans-unit id='body.x'><source>Hello.</source><target>Bonjour.</target></trans-unit>"
        "</body></file></xliff>"
    )
    response = upload(admin_client, unknown)
    assert response.status_code == 200
    assert "<li data-unmatched>Hello.</li>" in response.content.decode()


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def translate_footer(client, footer, french):
    submit(
        client,
        reverse(
            "wagtail_localize:submit_snippet_translation",
            args=["ngo_site", "footercontent", footer.pk],
        ),
        french,
    )
    translation = Translation.objects.get(
        source__object_id=footer.translation_key, target_locale=french
    )
    return translation


def test_a_translated_snippet_is_approved_and_published_from_the_queue(admin_client, trees, french):
    footer = FooterContentFactory(organisation_name="Harbour Workers Network")
    translation = translate_footer(admin_client, footer, french)
    publish = reverse("translation_queue:publish_snippet", args=[translation.pk])
    assert status_of(admin_client, footer, french) == "in_progress"
    # Not every segment translated yet: refused with a message.
    response = admin_client.post(publish, {"next": QUEUE})
    assert response.status_code == 302
    assert any("not ready for review" in message for message in messages_of(response))

    # An outside translator's file: the French waits for approval, visitors see no change.
    exported = admin_client.post(f"{BULK}export_po/?id={row(footer, french)}")
    po = polib.pofile(exported.content.decode())
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    response = admin_client.post(
        QUEUE + "import/", {"file": SimpleUploadedFile("footer.po", str(po).encode())}
    )
    assert response.status_code == 200
    french_footer = FooterContent.objects.get(translation_key=footer.translation_key, locale=french)
    assert french_footer.organisation_name == "Harbour Workers Network"
    assert status_of(admin_client, footer, french) == "ready_for_review"
    html = admin_client.get(QUEUE + "?status=ready_for_review").content.decode()
    assert publish in html

    response = admin_client.post(publish, {"next": QUEUE + "?status=published"})
    assert response.status_code == 302 and response["Location"] == QUEUE + "?status=published"
    assert any("approved and published" in message for message in messages_of(response))
    french_footer.refresh_from_db()
    assert french_footer.organisation_name == "FR Harbour Workers Network"
    assert status_of(admin_client, footer, french) == "published"


def test_snippet_approval_is_refused_to_users_who_cannot_edit_it(admin_client, trees, french):
    footer = FooterContentFactory()
    translation = translate_footer(admin_client, footer, french)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    translation.import_po(po)
    publish = reverse("translation_queue:publish_snippet", args=[translation.pk])
    assert status_of(admin_client, footer, french) == "ready_for_review"

    # Someone who may use the queue but not edit footers sees no button and is refused.
    queue_only = get_user_model().objects.create_user("olga", "olga@example.org", "pw")
    queue_only.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="submit_translation"),
    )
    other = Client()
    other.force_login(queue_only)
    html = other.get(QUEUE + "?status=ready_for_review").content.decode()
    assert row(footer, french) in html and publish not in html
    refused = other.post(publish)
    # Wagtail's admin answers a PermissionDenied with a redirect to the dashboard.
    assert refused.status_code == 403 or refused["Location"] == "/admin/"
    assert Client().post(publish).status_code == 302  # anonymous: to the login page
    french_footer = FooterContent.objects.get(translation_key=footer.translation_key, locale=french)
    assert not french_footer.organisation_name.startswith("FR ")

    # Bad requests: a GET, an unknown translation, a page's translation.
    assert admin_client.get(publish).status_code == 405
    missing = reverse("translation_queue:publish_snippet", args=[999999])
    # (the locale middleware sends an admin 404 to its /en/ address, which is a 404 too)
    assert admin_client.post(missing).status_code in (302, 404)
    page = StandardPageFactory(parent=trees["en_home"], title="Markets")
    submit(
        admin_client, reverse("wagtail_localize:submit_page_translation", args=[page.pk]), french
    )
    page_translation = Translation.objects.get(source__object_id=page.translation_key)
    response = admin_client.post(
        reverse("translation_queue:publish_snippet", args=[page_translation.pk])
    )
    assert response.status_code == 302
    assert any("approved through their review" in m for m in messages_of(response))


def test_a_french_page_made_without_wagtail_localize_is_shown_as_not_managed(
    admin_client, trees, french
):
    # The fixture copies "About us" into French by hand: no wagtail-localize Translation.
    assert status_of(admin_client, trees["en_page"], french) == "unmanaged"
    html = admin_client.get(QUEUE + "?status=unmanaged").content.decode()
    assert "Not managed by translation" in html
    assert f'href="/admin/pages/{trees["fr_page"].pk}/edit/"' in html
    assert f'data-queue-row="{row(trees["en_page"], french)}"' in html
