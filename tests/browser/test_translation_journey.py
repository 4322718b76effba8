"""A translator finds an outdated French page in the translation queue, translates the changed
paragraph in wagtail-localize's editor and sends it for review; a moderator approves and
publishes it; the queue and the French site follow (docs/localisation.md)."""

import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "a long demo password"
QUEUE = "/admin/translation-queue/"
# The demo's outdated item (site/demo/translate.py): this clause was added to the English
# privacy policy after its French was made.
ADDED_CLAUSE = "you can ask us to delete them at any time"
NEW_FRENCH = "vous pouvez à tout moment nous demander de les effacer"


def log_in(page, server, username):
    page.goto(server + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def settle_on(page, address):
    """Wait until the browser has finished arriving at `address`: a POST from a dropdown
    answers with a redirect, and the page may still be loading when the click returns."""
    page.wait_for_url(re.compile(re.escape(address)))
    page.wait_for_load_state("load")


def log_out(page):
    page.context.clear_cookies()


def queue_row(page, title):
    return page.locator("tr[data-queue-row]", has=page.get_by_role("rowheader", name=title))


def filter_queue(page, status, title):
    """Wagtail's filter panel and search box: each change refreshes the rows in place, then
    writes the filters into the page's address."""
    page.get_by_role("button", name="Show filters").click()
    # The toggle's name ends with the number of values chosen, if any.
    filters = page.locator("#filters-drilldown")
    filters.get_by_role("button", name=re.compile(r"^Status")).click()
    page.select_option("#id_status", status)
    page.fill("#id_q", title)

    def filtered(url):
        query = parse_qs(urlparse(url).query)
        return query.get("status", [""])[0] == status and query.get("q", [""])[0] == title

    page.wait_for_url(filtered)


def uncaught_errors(page):
    """The admin's page errors (uncaught exceptions); its console messages are Wagtail's own."""
    return [error for error in page.console_errors if error.startswith("uncaught")]


def test_translator_updates_an_outdated_page_and_a_moderator_publishes_it(
    demo_server, browser_page, settings, tmp_path
):
    from wagtail.models import Page

    # The demo's own accounts (`make demo`), with passwords known to the test.
    settings.VAR_DIR = str(tmp_path)
    (tmp_path / "demo-accounts.txt").write_text(f"translator:{PASSWORD}\nmoderator:{PASSWORD}\n")
    call_command("ensure_demo_accounts", stdout=io.StringIO())
    english = Page.objects.get(locale__language_code="en", depth=3, slug="privacy")
    french = Page.objects.get(translation_key=english.translation_key, locale__language_code="fr")
    title = english.title
    french_url = demo_server + french.url
    page = browser_page

    # The translator finds the outdated page in the queue.
    log_in(page, demo_server, "translator")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main menu").get_by_role(
            "link", name="Translation queue"
        ).click()
    assert page.url.startswith(demo_server + QUEUE)
    filter_queue(page, "outdated", "")
    row = queue_row(page, title)
    assert row.get_attribute("data-status") == "outdated"
    assert "1 segment changed" in row.inner_text()
    assert all(
        status == "outdated"
        for status in page.locator("tr[data-queue-row]").evaluate_all(
            "rows => rows.map(row => row.dataset.status)"
        )
    )

    # Syncs it from the English (in the row's "More" dropdown): wagtail-localize's sync comes
    # back to the queue as it was filtered. Then translates the new segment in the editor.
    row.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        row.get_by_role("link", name="Sync from the source").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit").click()
    assert page.url.startswith(demo_server + QUEUE)
    assert parse_qs(urlparse(page.url).query).get("status") == ["outdated"]
    page.goto(demo_server + QUEUE)
    filter_queue(page, "in_progress", title)
    row = queue_row(page, title)
    assert row.get_attribute("data-status") == "in_progress"
    with page.expect_navigation():
        row.get_by_role("link", name="Open in the editor").click()
    segment = page.locator("li.incomplete", has_text=ADDED_CLAUSE)
    segment.get_by_role("button", name="Translate").click()
    previous_french = french.specific.body[0].value.source
    earlier = re.sub(r"</?p>", "", previous_french).rstrip(".")
    segment.locator("textarea").fill(f"{earlier}, et {NEW_FRENCH}.")
    with page.expect_response(lambda response: "/strings/" in response.url) as saved:
        segment.get_by_role("button", name="Save").click()
    assert saved.value.ok
    page.locator("li.complete", has_text=NEW_FRENCH).wait_for()

    # The translator's editor offers no "Publish": its action is "Send for review", which puts
    # the page in review and returns to the queue.
    assert page.get_by_role("button", name=re.compile("^Publish")).count() == 0
    send = page.get_by_role("button", name="Send for review")
    assert send.is_visible()
    with page.expect_navigation():
        send.click()
    settle_on(page, demo_server + QUEUE)
    expect(page.locator(".messages")).to_contain_text("was sent for review")
    filter_queue(page, "ready_for_review", title)
    row = queue_row(page, title)
    assert row.get_attribute("data-status") == "ready_for_review"
    assert row.get_by_text("in review", exact=True).is_visible()
    assert row.get_by_role("link", name="Send for review").count() == 0
    assert row.get_by_role("button", name="Send for review").count() == 0
    assert uncaught_errors(page) == []

    # Visitors still see the published French until a moderator approves it.
    log_out(page)
    page.console_errors.clear()
    assert page.goto(french_url).status == 200
    assert earlier in page.get_by_role("main").inner_text()
    assert NEW_FRENCH not in page.content()
    assert page.console_errors == []

    # The moderator approves and publishes it from the queue.
    log_in(page, demo_server, "moderator")
    page.goto(demo_server + QUEUE)
    filter_queue(page, "ready_for_review", title)
    row = queue_row(page, title)
    row.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        row.get_by_role("link", name="Approve and publish").click()
    # Back on the queue, with a confirmation.
    settle_on(page, demo_server + QUEUE)
    expect(page.locator(".messages")).to_contain_text("was approved and published")
    filter_queue(page, "all", title)
    row = queue_row(page, title)
    assert row.get_attribute("data-status") == "published"
    assert row.get_by_text("in review", exact=True).count() == 0
    assert uncaught_errors(page) == []

    # Visitors see the new French.
    log_out(page)
    page.console_errors.clear()
    response = page.goto(french_url)
    assert response.status == 200
    assert NEW_FRENCH in page.get_by_role("main").inner_text()
    assert page.console_errors == []
