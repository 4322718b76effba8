"""Abuse of the public forms found by a hostile sweep (issue 25): limits that a per-process
cache did not hold, a replayed "form started" token, an inbox flooded through the forms, and a
sender-chosen text mailed to a stranger. The same limits across two real gunicorn workers:
test_limits_across_workers.py."""

import pytest
from django.core import mail
from django.core.cache import caches

from partnerships import limits
from partnerships.models import ContactSubmission, FormLimitCounter, NewsletterSubscriber
from tests.partnerships.helpers import (
    contact_data,
    error_summary_text,
    newsletter_data,
    soup_of,
    started_seconds_ago,
)

pytestmark = pytest.mark.django_db

CONTACT = "/en/contact/"
SIGNUP = "/en/newsletter/"


def test_the_rate_limit_is_kept_in_the_database_not_in_the_process(client, home_page, settings):
    settings.PARTNERSHIPS_FORM_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(CONTACT, contact_data()).status_code == 302

    # Another worker has its own memory and its own cache when there is no Redis: emptying
    # every cache of this process stands for "the next form reached another worker".
    for alias in settings.CACHES:
        caches[alias].clear()

    assert client.post(CONTACT, contact_data()).status_code == 429
    assert ContactSubmission.objects.count() == 2
    assert FormLimitCounter.objects.filter(count=2).exists()
    # No address is stored: the key is a hash.
    assert not FormLimitCounter.objects.filter(key__contains="127.0.0.1").exists()


def test_the_rate_limit_window_starts_again_once_over(client, home_page, settings):
    settings.PARTNERSHIPS_FORM_RATE_LIMIT = 1
    assert client.post(CONTACT, contact_data()).status_code == 302
    assert client.post(CONTACT, contact_data()).status_code == 429

    from django.utils import timezone

    FormLimitCounter.objects.update(expires_at=timezone.now())

    assert client.post(CONTACT, contact_data()).status_code == 302


def test_a_counter_never_goes_past_its_limit():
    results = [limits.take("test", "key", 3, 3600) for _ in range(5)]

    assert results == [True, True, True, False, False]
    assert FormLimitCounter.objects.get(scope="test", key="key").count == 3


# --- A form is accepted once -------------------------------------------------------------------


def test_a_replayed_contact_form_is_refused(client, home_page):
    data = contact_data()
    assert client.post(CONTACT, data).status_code == 302
    sent = len(mail.outbox)

    replayed = client.post(CONTACT, data)

    assert replayed.status_code == 400
    assert "already been sent" in error_summary_text(replayed)
    assert ContactSubmission.objects.count() == 1
    assert len(mail.outbox) == sent
    # The form comes back with the visitor's text and a new start time, to send another one.
    soup = soup_of(replayed)
    assert soup.select_one("#id_message").get_text(strip=True) == data["message"]
    assert soup.select_one('input[name="started"]')["value"] != data["started"]


def test_a_replayed_newsletter_form_is_refused_even_from_another_address(client, home_page):
    data = newsletter_data()
    assert client.post(SIGNUP, data).status_code == 302
    sent = len(mail.outbox)

    replayed = client.post(SIGNUP, data, REMOTE_ADDR="198.51.100.9")

    assert replayed.status_code == 400
    assert len(mail.outbox) == sent


def test_the_french_message_for_a_form_sent_twice(client, home_page):
    data = contact_data()
    client.post("/fr/contact/", data)

    replayed = client.post("/fr/contact/", data)

    assert "a déjà été envoyé" in error_summary_text(replayed)


def test_a_call_to_action_token_shared_by_a_cached_page_works_for_every_visitor(client, home_page):
    """The newsletter call to action on content pages carries the start time of a cached page,
    the same for every visitor: each visitor's sign-up page gets a token of its own."""
    shared = started_seconds_ago(60)
    accepted = []
    for number, address in enumerate(["203.0.113.1", "203.0.113.2"]):
        page = client.get(SIGNUP, {"email": f"reader{number}@example.org", "started": shared})
        token = soup_of(page).select_one('input[name="started"]')["value"]
        assert token != shared
        data = newsletter_data(email=f"reader{number}@example.org", started=token)
        accepted.append(client.post(SIGNUP, data, REMOTE_ADDR=address).status_code)

    assert accepted == [302, 302]


# --- Emails to an address that has confirmed nothing -------------------------------------------


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_one_address_gets_a_few_emails_whoever_signs_it_up(client, home_page, settings):
    settings.PARTNERSHIPS_RECIPIENT_MAIL_LIMIT = 2
    victim = "victim@example.org"
    for number in range(4):
        response = client.post(
            SIGNUP, newsletter_data(email=victim), REMOTE_ADDR=f"198.51.100.{number}"
        )
        # The answer does not change: it must not tell who receives what.
        assert response.status_code == 302
        assert response["Location"] == "/en/newsletter/check-your-inbox/"

    assert len(mails_to(victim)) == 2
    assert NewsletterSubscriber.objects.filter(email=victim).count() == 1
    # Other addresses still get theirs.
    client.post(SIGNUP, newsletter_data(email="someone@example.org"), REMOTE_ADDR="192.0.2.1")
    assert len(mails_to("someone@example.org")) == 1


def test_the_cap_counts_both_forms_and_ignores_the_case_of_the_address(client, home_page, settings):
    settings.PARTNERSHIPS_RECIPIENT_MAIL_LIMIT = 2
    settings.PARTNERSHIPS_CONTACT_RECIPIENTS = ["team@example.org"]
    client.post(SIGNUP, newsletter_data(email="victim@example.org"), REMOTE_ADDR="198.51.100.1")
    client.post(CONTACT, contact_data(email="Victim@example.org"), REMOTE_ADDR="198.51.100.2")

    response = client.post(
        CONTACT, contact_data(email="VICTIM@example.org"), REMOTE_ADDR="198.51.100.3"
    )

    # The message is stored and the team told; only the acknowledgement is left out.
    assert response.status_code == 302
    assert ContactSubmission.objects.count() == 2
    assert len(mails_to("team@example.org")) == 2
    to_victim = [m for m in mail.outbox if m.to[0].lower() == "victim@example.org"]
    assert len(to_victim) == 2


def test_the_contact_acknowledgement_repeats_nothing_the_sender_wrote(client, home_page):
    data = contact_data(
        name="Claim your prize at http://prize.example",
        organisation="Prize Committee",
        message="Send your bank details to http://prize.example",
    )

    assert client.post(CONTACT, data).status_code == 302

    (acknowledgement,) = mails_to(data["email"])
    text = acknowledgement.subject + acknowledgement.body
    assert "prize" not in text.lower()
    assert "Prize Committee" not in text
    assert acknowledgement.body.startswith("Hello,")


def test_the_french_acknowledgement_is_neutral_too(client, home_page):
    data = contact_data(name="Gagnez un prix sur http://prix.example")

    client.post("/fr/contact/", data)

    (acknowledgement,) = mails_to(data["email"])
    assert acknowledgement.body.startswith("Bonjour,")
    assert "prix" not in acknowledgement.body
