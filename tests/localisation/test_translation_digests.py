"""`manage.py send_translation_digests`: what each translator is emailed (Django's locmem
outbox), and that nobody is emailed when there is nothing to report."""

import pytest
from django.core import mail
from django.core.management import call_command

from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/translation-queue/"


def digest(*args):
    mail.outbox.clear()
    call_command("send_translation_digests", *args)
    return list(mail.outbox)


def test_nothing_to_report_sends_nothing(trees, translator):
    # Both French pages exist: nothing missing, outdated or assigned.
    assert digest() == []


def test_a_translator_gets_their_items_and_the_queue_counts(
    trees, translator, make_user, client_for, french, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://cms.example.org"
    vendors = StandardPageFactory(parent=trees["en_home"], title="Street vendors")
    StandardPageFactory(parent=trees["en_home"], title="Home workers")
    make_user("Moderators", username="mona")  # not a translator, nothing assigned
    client = client_for(translator)
    response = client.post(
        QUEUE + "assign/",
        {
            "translation_key": vendors.translation_key,
            "locale": "fr",
            "assignee": "me",
            "due_date": "2030-05-01",
            "next": QUEUE,
        },
    )
    assert response.status_code == 302

    assert digest("--dry-run") == []

    messages = digest()
    assert [message.to for message in messages] == [[translator.email]]
    text = messages[0].body
    assert "Street vendors (French): Missing, due " in text
    assert "Home workers" not in text  # not assigned: only counted
    assert "2 missing" in text and "0 outdated" in text
    assert "https://cms.example.org/admin/translation-queue/?assignee=me&ordering=due_date" in text
    html, mimetype = messages[0].alternatives[0]
    assert mimetype == "text/html"
    assert (
        'href="https://cms.example.org/admin/translation-queue/?locale=fr&amp;status=missing"'
        in html
    )
    assert "<li>Street vendors (French): Missing" in html
