"""A visitor searches the demo library, narrows it with two facets, removes one, pages on, and
comes back with the browser's back button to the same state (the URL holds it all)."""

import re

import pytest

from tests.browser.conftest import axe_violations, format_violations

pytestmark = pytest.mark.browser

# "Africa (n)", not "South Africa (n)".
AFRICA = re.compile(r"^Africa \(")


def navigate(page, action):
    with page.expect_navigation() as navigation:
        action()
    response = navigation.value
    assert response is not None and response.ok, response and response.status


def test_search_facets_chips_pages_and_back(demo_server, browser_page):
    page = browser_page
    page.goto(demo_server + "/en/resources/")

    page.get_by_label("Search the library").fill("workers")
    navigate(page, lambda: page.get_by_role("button", name="Search").click())
    status = page.get_by_role("status")
    assert status.inner_text().startswith("45 resources found")

    # Ticking a box applies it at once (library.js); focus comes back to it.
    navigate(page, lambda: page.locator("#facet-theme").get_by_label("Social protection").check())
    assert page.evaluate("document.activeElement.closest('#facet-theme') !== null")
    navigate(page, lambda: page.locator("#facet-region").get_by_label(AFRICA).check())
    chips = page.locator(".library__chips a.chip:not(.chip--clear)")
    assert chips.count() == 2

    navigate(page, lambda: chips.filter(has_text="Region or country: Africa").click())
    assert chips.count() == 1
    assert "Theme: Social protection" in chips.first.inner_text()
    first_page_status = status.inner_text()
    assert "page 1 of 2" in first_page_status

    navigate(page, lambda: page.get_by_role("link", name="Next page").click())
    assert "page=2" in page.url
    assert "page 2 of 2" in status.inner_text()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    navigate(page, page.go_back)
    assert status.inner_text() == first_page_status
    assert page.get_by_label("Search the library").input_value() == "workers"
    assert page.locator("#facet-theme").get_by_label("Social protection").is_checked()
    assert not page.locator("#facet-region").get_by_label(AFRICA).is_checked()
    assert page.locator('meta[name="robots"]').get_attribute("content").startswith("noindex")
    assert page.console_errors == []
