"""The contact form: stored, acknowledged by email, accessible errors, spam refused."""

from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from partnerships.models import ContactSubmission
from tests.partnerships.helpers import (
    contact_data,
    error_summary_text,
    soup_of,
    started_seconds_ago,
)

pytestmark = pytest.mark.django_db

URL = "/en/contact/"


def test_form_page_renders_with_its_spam_fields(client, home_page):
    response = client.get(URL)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"], "a page with a CSRF token must not be cached"
    soup = soup_of(response)
    form = soup.select_one("form.site-form")
    assert form["method"] == "post" and form.has_attr("novalidate")
    assert form.select_one('input[name="csrfmiddlewaretoken"]') is not None
    assert form.select_one('input[type="hidden"][name="started"]')["value"]
    trap = form.select_one(".form-trap")
    assert trap["aria-hidden"] == "true"
    assert trap.select_one('input[name="company_website"]')["tabindex"] == "-1"
    for name in ("name", "email", "organisation", "topic", "message"):
        field = form.select_one(f'[name="{name}"]')
        assert soup.select_one(f'label[for="{field["id"]}"]') is not None, f"{name} has no label"


def test_valid_message_is_stored_and_acknowledged(client, home_page, settings):
    settings.PARTNERSHIPS_CONTACT_RECIPIENTS = ["team@example.org"]

    response = client.post(URL, contact_data())

    assert response.status_code == 302
    assert response["Location"] == "/en/contact/thank-you/"
    submission = ContactSubmission.objects.get()
    assert (submission.name, submission.email, submission.topic) == (
        "Amina Diallo",
        "amina@example.org",
        "media",
    )
    assert submission.language == "en"
    acknowledgement, notification = mail.outbox
    assert acknowledgement.to == ["amina@example.org"]
    assert acknowledgement.subject == "We have received your message"
    # The acknowledgement never repeats the message: the address is not verified.
    assert "street vendors" not in acknowledgement.body
    assert notification.to == ["team@example.org"]
    assert notification.reply_to == ["amina@example.org"]
    assert "Could we interview someone about street vendors?" in notification.body
    assert client.get(response["Location"]).status_code == 200


def test_errors_are_shown_next_to_their_fields_with_the_input_kept(client, home_page):
    response = client.post(URL, contact_data(email="not-an-address", message=""))

    assert response.status_code == 200
    assert ContactSubmission.objects.count() == 0 and mail.outbox == []
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Error:")
    summary = soup.select_one(".error-summary")
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    links = {a["href"]: a.get_text(strip=True) for a in summary.select("a")}
    assert links == {
        "#id_email": "Enter an email address like name@example.org.",
        "#id_message": "Write your message.",
    }
    email = soup.select_one("#id_email")
    assert email["aria-invalid"] == "true"
    assert email["aria-describedby"].split() == ["id_email_helptext", "id_email_error"]
    assert "Enter an email address" in soup.select_one("#id_email_error").get_text()
    assert email["value"] == "not-an-address", "the visitor's input is kept"
    assert soup.select_one("#id_name")["value"] == "Amina Diallo"
    assert soup.select_one("#id_topic option[selected]")["value"] == "media"
    assert not soup.select_one("#id_name").has_attr("aria-invalid")


def test_honeypot_filled_is_refused_and_nothing_stored(client, home_page):
    response = client.post(URL, contact_data(company_website="https://spam.example/"))

    assert response.status_code == 400
    assert "looks as if a program filled it in" in error_summary_text(response)
    assert ContactSubmission.objects.count() == 0 and mail.outbox == []
    soup = soup_of(response)
    assert soup.select_one("#id_company_website").get("value", "") == ""
    assert soup.select_one("#id_message").get_text(strip=True).startswith("Could we interview")


def test_form_sent_too_fast_is_refused_then_accepted_after_a_wait(client, home_page, settings):
    settings.PARTNERSHIPS_FORM_MIN_SECONDS = 5
    token = started_seconds_ago(1)

    response = client.post(URL, contact_data(started=token))

    assert response.status_code == 400
    assert "faster than a person" in error_summary_text(response)
    assert ContactSubmission.objects.count() == 0 and mail.outbox == []
    # The start time is kept, so sending again once enough time has passed works.
    assert soup_of(response).select_one('input[name="started"]')["value"] == token
    settings.PARTNERSHIPS_FORM_MIN_SECONDS = 0
    assert client.post(URL, contact_data(started=token)).status_code == 302


@pytest.mark.parametrize(
    "token", ["", "garbage", started_seconds_ago(60)[:-3] + "abc"], ids=["none", "junk", "forged"]
)
def test_form_without_a_valid_start_time_is_refused(client, home_page, token):
    response = client.post(URL, contact_data(started=token))

    assert response.status_code == 400
    assert "could not be checked" in error_summary_text(response)
    assert ContactSubmission.objects.count() == 0
    assert soup_of(response).select_one('input[name="started"]')["value"] != token


def test_form_left_open_too_long_must_be_sent_again(client, home_page, settings):
    settings.PARTNERSHIPS_FORM_MAX_AGE = 3600

    response = client.post(URL, contact_data(started=started_seconds_ago(3601)))

    assert response.status_code == 400
    assert "opened too long ago" in error_summary_text(response)
    assert ContactSubmission.objects.count() == 0


def test_rate_limit_per_client_address(client, home_page, settings):
    settings.PARTNERSHIPS_FORM_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(URL, contact_data()).status_code == 302

    response = client.post(URL, contact_data(message="One more"))

    assert response.status_code == 429
    assert "Too many forms have been sent from your network" in error_summary_text(response)
    assert ContactSubmission.objects.count() == 2
    assert soup_of(response).select_one("#id_message").get_text(strip=True) == "One more"
    # Another address is not affected.
    other = client.post(URL, contact_data(), REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


def test_spam_attempts_count_towards_the_rate_limit(client, home_page, settings):
    settings.PARTNERSHIPS_FORM_RATE_LIMIT = 2
    for _ in range(2):
        client.post(URL, contact_data(company_website="spam"))

    assert client.post(URL, contact_data()).status_code == 429
    assert ContactSubmission.objects.count() == 0


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(client, home_page, settings):
    settings.PARTNERSHIPS_FORM_RATE_LIMIT = 1
    assert client.post(URL, contact_data(), HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
    # Untrusted header: a robot cannot escape the limit by inventing addresses.
    assert client.post(URL, contact_data(), HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 429

    settings.TRUSTED_PROXY_COUNT = 1
    # Behind one proxy the client is the address it appended (the last one), whatever the
    # client itself put before it.
    first = contact_data()
    assert client.post(URL, first, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9").status_code == 302
    again = client.post(URL, contact_data(), HTTP_X_FORWARDED_FOR="7.7.7.7, 203.0.113.9")
    assert again.status_code == 429


def test_csrf_token_is_required(home_page):
    client = Client(enforce_csrf_checks=True)

    response = client.post(URL, contact_data())

    assert response.status_code == 403
    assert ContactSubmission.objects.count() == 0


def test_a_line_break_in_the_name_cannot_reach_email_headers(client, home_page, settings):
    settings.PARTNERSHIPS_CONTACT_RECIPIENTS = ["team@example.org"]

    response = client.post(URL, contact_data(name="Amina\r\nBcc: victim@example.org"))

    assert response.status_code == 302
    for message in mail.outbox:
        assert "victim@example.org" not in message.recipients()
        assert "\n" not in message.subject


def test_french_form_has_a_french_address(client, home_page, french):
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        url = reverse("contact")
    assert url.startswith("/fr/")
    assert client.get(url).status_code == 200


def test_a_mail_server_failure_does_not_lose_the_message(client, home_page, caplog):
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("SMTP down")
    ):
        response = client.post(URL, contact_data())

    assert response.status_code == 302
    assert ContactSubmission.objects.count() == 1
    assert "Could not send the contact_acknowledgement email" in caplog.text
