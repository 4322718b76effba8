"""Finding the contact form and sending it as a visitor (issue 26): the header's menu, the footer
and every FAQ link to it, in English and French; an empty form sent at once is told which fields
to fill in, not that it was "sent faster than a person can fill it in"."""

import pytest
from django.test import Client

from partnerships import spam
from tests.partnerships.factories import FAQGroupFactory, faq_block
from tests.partnerships.helpers import contact_data, error_summary_text, soup_of
from tests.site.factories import FooterContentFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def translate(page, locale, **fields):
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


@pytest.fixture
def site(home_page, french, english):
    translate(home_page, french, slug="accueil")
    FooterContentFactory(locale=english, organisation_name="Harbour Workers Network")
    faq = FAQGroupFactory()
    help_page = StandardPageFactory(parent=home_page, title="Help", body=[faq_block(faq)])
    return {"help": help_page}


def contact_links(response, where):
    soup = soup_of(response)
    return [a["href"] for a in soup.select(f"{where} a[href]")]


@pytest.mark.parametrize(
    ("home", "contact", "label"),
    [("/en/", "/en/contact/", "Contact"), ("/fr/", "/fr/contact/", "Contact")],
)
def test_the_header_menu_and_the_footer_link_to_the_contact_form(
    client, site, home, contact, label
):
    response = client.get(home)
    assert response.status_code == 200
    soup = soup_of(response)
    menu = {a.get_text(strip=True): a["href"] for a in soup.select(".primary-nav a[href]")}
    assert menu[label] == contact
    assert contact in contact_links(response, ".site-footer")

    # Followed, the link shows the form, marked as the current page in the menu.
    form_page = client.get(contact)
    assert form_page.status_code == 200
    assert soup_of(form_page).select_one("form.site-form") is not None
    current = soup_of(form_page).select_one(".primary-nav a[aria-current='page']")
    assert current["href"] == contact


def test_the_footer_says_contact_us_in_the_visitors_language(client, site):
    english = soup_of(client.get("/en/")).select_one(".site-footer a[href='/en/contact/']")
    french = soup_of(client.get("/fr/")).select_one(".site-footer a[href='/fr/contact/']")
    assert english.get_text(strip=True) == "Contact us"
    assert french.get_text(strip=True) == "Nous contacter"


def test_an_faq_links_to_the_contact_form_for_questions_it_does_not_answer(client, site):
    response = client.get(site["help"].url)
    link = soup_of(response).select_one(".faq .faq__contact a")
    assert link["href"] == "/en/contact/"
    assert client.get(link["href"]).status_code == 200


def empty_form(**overrides):
    data = dict.fromkeys(("name", "email", "organisation", "topic", "message"), "")
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("url", "required", "too_fast"),
    [
        ("/en/contact/", "Enter your name.", "faster than a person"),
        ("/fr/contact/", "Indiquez votre nom.", "plus vite qu"),
    ],
)
def test_an_empty_form_sent_at_once_is_told_which_fields_to_fill_in(site, url, required, too_fast):
    """A visitor who presses "Send" as soon as the form shows: the start token says a second,
    which would be "too fast"; but what went wrong is the empty fields."""
    client = Client(enforce_csrf_checks=False)
    response = client.post(url, empty_form(started=spam.new_started_token()))

    assert response.status_code == 200
    summary = error_summary_text(response)
    assert required in summary
    assert too_fast not in summary


def test_a_filled_in_form_sent_at_once_is_still_refused_as_too_fast(site):
    client = Client()
    response = client.post("/en/contact/", contact_data(started=spam.new_started_token()))
    assert response.status_code == 400
    assert "faster than a person" in error_summary_text(response)
