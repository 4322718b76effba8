"""A visitor searches the demo library, narrows it with two facets, removes one, pages on, and
comes back with the browser's back button to the same state (the URL holds it all)."""

import re

import pytest

from tests.browser.conftest import axe_violations, format_violations

pytestmark = pytest.mark.browser

# "Africa (n)", not "South Africa (n)".
AFRICA = re.compile(r"^Africa \(")


# Records each text the live region takes after the page starts loading (in window.statusTexts):
# library.js empties it and fills it again so that screen readers announce the new count.
RECORD_LIVE_REGION = """
window.statusTexts = [];
new MutationObserver(function (mutations) {
  mutations.forEach(function (mutation) {
    var node = mutation.target.nodeType === 1 ? mutation.target : mutation.target.parentElement;
    if (node && node.matches('[role=status]')) window.statusTexts.push(node.textContent);
  });
}).observe(document, { childList: true, subtree: true, characterData: true });
"""
LIVE_REGION_REFILLED = """() => {
  const texts = window.statusTexts, emptied = texts.lastIndexOf("");
  return emptied >= 0 && emptied < texts.length - 1 && texts[texts.length - 1] !== "";
}"""


def navigate(page, action):
    with page.expect_navigation() as navigation:
        action()
    response = navigation.value
    assert response is not None and response.ok, response and response.status


def test_search_facets_chips_pages_and_back(demo_server, browser_page):
    page = browser_page
    page.add_init_script(RECORD_LIVE_REGION)
    page.goto(demo_server + "/en/resources/")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    page.get_by_label("Search the library").fill("workers")
    navigate(page, lambda: page.get_by_role("button", name="Search").click())
    status = page.get_by_role("status")
    assert status.inner_text().startswith("46 resources found")

    # Ticking a box applies it at once (library.js); focus comes back to that same box, and the
    # live region is emptied and filled again, so that the new count is announced.
    assert page.evaluate("window.statusTexts.lastIndexOf('')") == -1
    social_protection = page.locator("#facet-theme").get_by_label("Social protection")
    navigate(page, social_protection.check)
    assert social_protection.is_checked()
    assert page.evaluate("document.activeElement.id") == social_protection.get_attribute("id")
    assert page.evaluate("document.activeElement.labels[0].textContent").startswith(
        "Social protection"
    )
    page.wait_for_function(LIVE_REGION_REFILLED, timeout=5000)
    assert page.evaluate("window.statusTexts.at(-1)") == status.text_content()
    assert re.match(r"\d+ resources? found", status.inner_text())
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


def test_a_citation_is_copied_with_its_button(demo_server, browser_page):
    page = browser_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo_server)
    page.goto(demo_server + "/en/resources/")
    navigate(page, lambda: page.locator(".library-item h3 a").first.click())
    apa = page.locator(".resource__cite p.citation")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    page.get_by_role("button", name="Copy the APA citation").click()

    status = page.locator("[data-citation-status]")
    status.filter(has_text="Citation copied to the clipboard.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == apa.inner_text().strip()
    assert page.console_errors == []
