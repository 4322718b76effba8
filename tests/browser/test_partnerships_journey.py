"""A visitor reads the partnerships FAQ with the keyboard, shares a question and writes to us."""

import re

import pytest

from partnerships.models import ContactSubmission
from tests.browser.conftest import axe_violations, format_violations

pytestmark = pytest.mark.browser


def assert_no_serious_violations(page):
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def is_open(locator):
    return locator.evaluate("details => details.open")


def test_visitor_uses_the_faq_and_the_contact_form(demo_server, browser_page, settings):
    # The live server runs in this process: no need to wait out the minimum time to submit.
    settings.PARTNERSHIPS_FORM_MIN_SECONDS = 0
    page = browser_page

    page.goto(demo_server + "/en/partnerships/")
    assert_no_serious_violations(page)

    # Open a question with the keyboard: focus its summary and press Enter.
    question = page.locator("details.faq__item").first
    summary = question.locator("summary")
    summary.focus()
    assert summary.evaluate("element => element === document.activeElement")
    assert not is_open(question)
    page.keyboard.press("Enter")
    assert is_open(question)

    # Follow its "link to this question": the address now points at it and it is targeted.
    question_id = question.get_attribute("id")
    link = question.locator(".faq__permalink a")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"#{question_id}$"))
    assert question.evaluate("element => element.matches(':target')")
    assert is_open(question)

    # A shared link to another question opens that one.
    page.goto(demo_server + "/en/partnerships/#short-deadlines")
    shared = page.locator("details#short-deadlines")
    page.wait_for_function("() => document.getElementById('short-deadlines').open")
    assert shared.evaluate("element => element.matches(':target')")
    assert_no_serious_violations(page)

    # Write to us: first with a mistake, then correctly.
    page.goto(demo_server + "/en/contact/")
    assert_no_serious_violations(page)
    page.get_by_label("Your name", exact=True).fill("Amina Diallo")
    page.get_by_label("Your email address", exact=True).fill("amina-at-example.org")
    page.get_by_label("What is your message about?").select_option("media")
    page.get_by_label("Your message", exact=True).fill(
        "Could we interview someone about street vendors?"
    )
    page.get_by_role("button", name="Send your message").click()

    summary_box = page.locator(".error-summary")
    summary_box.wait_for()
    assert summary_box.evaluate("element => element === document.activeElement"), (
        "the error summary is not focused"
    )
    email = page.get_by_label("Your email address", exact=True)
    assert email.get_attribute("aria-invalid") == "true"
    assert email.input_value() == "amina-at-example.org"
    assert (
        page.get_by_label("Your message", exact=True).input_value().startswith("Could we interview")
    )
    assert ContactSubmission.objects.count() == 0
    assert_no_serious_violations(page)
    # The summary's link takes the visitor to the field.
    summary_box.get_by_role("link").first.click()
    assert email.evaluate("element => element === document.activeElement")

    email.fill("amina@example.org")
    page.get_by_role("button", name="Send your message").click()

    page.wait_for_url(re.compile(r"/en/contact/thank-you/$"))
    assert page.locator("h1").inner_text() == "Thank you for your message"
    assert ContactSubmission.objects.filter(email="amina@example.org").count() == 1
    assert page.console_errors == [], "\n".join(page.console_errors)


@pytest.mark.parametrize(
    "path",
    ["/en/newsletter/", "/fr/partenariats/", "/fr/contact/"],
    ids=["newsletter", "french-partnerships", "french-contact"],
)
def test_other_partnerships_pages_have_no_serious_accessibility_issue(
    demo_server, browser_page, path
):
    response = browser_page.goto(demo_server + path)

    assert response is not None and response.ok, response and response.status
    assert_no_serious_violations(browser_page)
    assert browser_page.console_errors == [], "\n".join(browser_page.console_errors)
