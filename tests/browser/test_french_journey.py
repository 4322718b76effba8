"""A visitor on an English page (a project, a library resource) switches to French and lands on
its French translation; the French pages, the French library with a facet selected included,
have no serious or critical accessibility issue (axe-core)."""

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
    "/fr/ressources/",
    "/fr/ressources/systemes-de-soins-inclusifs/",
]
# A seed resource translated by the demo (resources/demo/library.yaml, resources/demo/fr.po).
ENGLISH_RESOURCE = "/en/resources/inclusive-care-systems/"
FRENCH_RESOURCE = "/fr/ressources/systemes-de-soins-inclusifs/"


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

    # A library resource: its French translation, not the French library's home.
    page.goto(demo_server + ENGLISH_RESOURCE)
    with page.expect_navigation():
        page.get_by_role("link", name="Français").click()
    assert page.url == demo_server + FRENCH_RESOURCE
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Systèmes de soins inclusifs : des villes bienveillantes pour tou·te·s"
    )
    assert not page.console_errors


def test_french_pages_have_no_serious_accessibility_issue(demo_server, browser_page):
    # One test for all pages: each browser test loads the demo anew.
    page = browser_page
    for path in FRENCH_PAGES:
        response = page.goto(demo_server + path)
        assert response is not None and response.ok, path
        violations = axe_violations(page)
        assert not violations, f"{path}: {format_violations(violations)}"

    # The French library with a facet ticked (library.js applies it at once).
    page.goto(demo_server + "/fr/ressources/")
    with page.expect_navigation():
        page.locator("#facet-theme").get_by_label("Travail de soins").check()
    assert "theme=" in page.url
    assert page.locator(".library__chips a.chip:not(.chip--clear)").count() == 1
    violations = axe_violations(page)
    assert not violations, f"{page.url}: {format_violations(violations)}"
