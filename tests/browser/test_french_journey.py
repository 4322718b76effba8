"""A visitor on an English page switches to French and lands on its French translation; the
French pages have no serious or critical accessibility issue (axe-core)."""

import pytest

from tests.browser.conftest import axe_violations, format_violations

pytestmark = pytest.mark.browser

FRENCH_PAGES = [
    "/fr/",
    "/fr/programmes/",
    "/fr/programmes/protection-sociale/",
    "/fr/programmes/politiques-urbaines/villes-focales/",
    "/fr/partenariats/",
    "/fr/qui-sommes-nous/",
]


def test_visitor_switches_a_project_page_to_french(demo_server, browser_page):
    page = browser_page
    page.goto(demo_server + "/en/programmes/urban-policies/focal-cities/")
    with page.expect_navigation():
        page.get_by_role("link", name="Français").click()
    assert page.url == demo_server + "/fr/programmes/politiques-urbaines/villes-focales/"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Villes focales"
    assert page.get_by_role("link", name="Aller au contenu").count() == 1
    # And back: the English link of the switcher leads to the English original.
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.url == demo_server + "/en/programmes/urban-policies/focal-cities/"
    assert not page.console_errors


def test_french_pages_have_no_serious_accessibility_issue(demo_server, browser_page):
    # One test for all pages: each browser test loads the demo anew.
    page = browser_page
    for path in FRENCH_PAGES:
        response = page.goto(demo_server + path)
        assert response is not None and response.ok, path
        violations = axe_violations(page)
        assert not violations, f"{path}: {format_violations(violations)}"
