"""Newsletter sign-up with double opt-in, confirmation links that expire, and unsubscribing."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import resolve

from partnerships import newsletter
from partnerships.models import NewsletterSubscriber, SubscriptionStatus
from tests.partnerships.factories import NewsletterSubscriberFactory
from tests.partnerships.helpers import error_summary_text, newsletter_data, soup_of

pytestmark = pytest.mark.django_db

SIGNUP = "/en/newsletter/"
LINK = re.compile(r"https?://\S+")


def link_in(message):
    return LINK.search(message.body).group(0)


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def signed_up(client, home_page):
    response = client.post(SIGNUP, newsletter_data(email="Reader@Example.ORG", language="fr"))
    assert response.status_code == 302
    assert response["Location"] == "/en/newsletter/check-your-inbox/"
    return NewsletterSubscriber.objects.get()


def test_sign_up_waits_for_confirmation_and_emails_a_link(signed_up, client):
    assert signed_up.email == "Reader@example.org", "the domain is lower-cased"
    assert signed_up.status == SubscriptionStatus.PENDING
    assert signed_up.language == "fr"
    (message,) = mail.outbox
    assert message.to == ["Reader@example.org"]
    # Written in the language chosen for the newsletter, with a link in that language.
    assert "/fr/" in link_in(message)
    # The link does not give the address away (it ends up in server logs).
    assert "reader" not in link_in(message).lower()
    assert client.get("/en/newsletter/check-your-inbox/").status_code == 200


def test_valid_link_confirms_only_when_the_button_is_pressed(signed_up, client):
    confirm_path = path_of(link_in(mail.outbox[0]))

    page = client.get(confirm_path)

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    form = soup_of(page).select_one("main form")
    assert form["method"] == "post" and form["action"] == confirm_path
    signed_up.refresh_from_db()
    assert signed_up.status == SubscriptionStatus.PENDING, "opening the link is not enough"

    response = client.post(confirm_path)

    assert response.status_code == 200
    signed_up.refresh_from_db()
    assert signed_up.status == SubscriptionStatus.CONFIRMED
    assert signed_up.confirmed_at is not None
    welcome = mail.outbox[-1]
    assert resolve(path_of(link_in(welcome))).url_name == "newsletter_unsubscribe"


def test_expired_link_is_refused(signed_up, client, settings):
    confirm_path = path_of(link_in(mail.outbox[0]))
    later = time.time() + settings.PARTNERSHIPS_NEWSLETTER_CONFIRMATION_MAX_AGE + 1

    with mock.patch("django.core.signing.time.time", return_value=later):
        page = client.get(confirm_path)
        response = client.post(confirm_path)

    assert page.status_code == 400 and response.status_code == 400
    assert "partnerships/newsletter_link_invalid.html" in [t.name for t in response.templates]
    signed_up.refresh_from_db()
    assert signed_up.status == SubscriptionStatus.PENDING


@pytest.mark.parametrize(
    "make_token",
    [
        lambda subscriber: newsletter.confirmation_token(subscriber)[:-2] + "xx",
        # Signed with the key, but for unsubscribing: a token only works for its own purpose.
        lambda subscriber: newsletter.unsubscribe_token(subscriber),
        lambda subscriber: "eyJpZCI6MX0:1abcde:forged",
    ],
    ids=["altered", "other-purpose", "made-up"],
)
def test_forged_link_is_refused(signed_up, client, make_token):
    response = client.post(f"/en/newsletter/confirm/{make_token(signed_up)}/")

    assert response.status_code == 400
    signed_up.refresh_from_db()
    assert signed_up.status == SubscriptionStatus.PENDING


def test_link_stops_working_when_the_address_changes(signed_up, client):
    confirm_path = path_of(link_in(mail.outbox[0]))
    signed_up.email = "someone-else@example.org"
    signed_up.save()

    assert client.post(confirm_path).status_code == 400
    signed_up.refresh_from_db()
    assert signed_up.status == SubscriptionStatus.PENDING


def test_link_for_a_deleted_subscriber_is_refused(signed_up, client):
    confirm_path = path_of(link_in(mail.outbox[0]))
    signed_up.delete()

    assert client.post(confirm_path).status_code == 400
    assert NewsletterSubscriber.objects.count() == 0


def test_unsubscribe_link_works_and_a_forged_one_does_not(client, home_page):
    subscriber = NewsletterSubscriberFactory(status=SubscriptionStatus.CONFIRMED)
    token = newsletter.unsubscribe_token(subscriber)

    assert client.post(f"/en/newsletter/unsubscribe/{token[:-1]}x/").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriptionStatus.CONFIRMED

    page = client.get(f"/en/newsletter/unsubscribe/{token}/")
    assert page.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriptionStatus.CONFIRMED, "opening the link is not enough"

    response = client.post(f"/en/newsletter/unsubscribe/{token}/")

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriptionStatus.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    # Pressing it twice is harmless.
    assert client.post(f"/en/newsletter/unsubscribe/{token}/").status_code == 200


def test_signing_up_again_does_not_reveal_or_change_a_subscription(client, home_page):
    subscriber = NewsletterSubscriberFactory(
        email="reader@example.org", status=SubscriptionStatus.CONFIRMED
    )

    response = client.post(SIGNUP, newsletter_data(email="READER@example.org"))

    assert response.status_code == 302
    assert response["Location"] == "/en/newsletter/check-your-inbox/"
    assert NewsletterSubscriber.objects.count() == 1
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriptionStatus.CONFIRMED
    (message,) = mail.outbox
    assert message.subject == "You are already subscribed to our newsletter"


def test_unsubscribed_address_can_sign_up_again(client, home_page):
    subscriber = NewsletterSubscriberFactory(
        email="reader@example.org", status=SubscriptionStatus.UNSUBSCRIBED
    )

    client.post(SIGNUP, newsletter_data(email="reader@example.org"))

    subscriber.refresh_from_db()
    assert subscriber.status == SubscriptionStatus.PENDING
    assert "confirm" in mail.outbox[0].subject.lower()


def test_spam_sign_up_stores_nothing(client, home_page):
    response = client.post(SIGNUP, newsletter_data(company_website="x"))

    assert response.status_code == 400
    assert "looks as if a program filled it in" in error_summary_text(response)
    assert NewsletterSubscriber.objects.count() == 0 and mail.outbox == []


def test_invalid_address_is_shown_next_to_the_field(client, home_page):
    response = client.post(SIGNUP, newsletter_data(email="nobody"))

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select_one("#id_email")["aria-invalid"] == "true"
    assert soup.select_one("#id_email_error") is not None
    assert NewsletterSubscriber.objects.count() == 0


def test_call_to_action_brings_the_address_to_the_sign_up_form(client, home_page):
    response = client.get(SIGNUP, {"email": "reader@example.org", "started": "junk"})

    soup = soup_of(response)
    assert soup.select_one("#id_email")["value"] == "reader@example.org"
    # A damaged start time from the call to action is replaced by a fresh one.
    assert soup.select_one('input[name="started"]')["value"] != "junk"
    assert soup.select_one("#id_language option[selected]")["value"] == "en"
