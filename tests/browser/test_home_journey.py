"""A visitor's first steps: the home page and every page of the primary navigation."""

import pytest

from tests.browser.conftest import axe_violations, format_violations

pytestmark = pytest.mark.browser


def test_visitor_opens_the_home_page_and_follows_the_primary_navigation(demo_server, browser_page):
    page = browser_page

    response = page.goto(demo_server + "/")

    assert response is not None and response.ok, response and response.status
    redirected_from = response.request.redirected_from
    assert redirected_from is not None and redirected_from.url == demo_server + "/", (
        "/ did not redirect"
    )
    assert page.url == demo_server + "/en/"
    assert page.locator("h1").count() >= 1, "the home page has no <h1>"

    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    nav_links = page.locator("nav.primary-nav a")
    labels = [label.strip() for label in nav_links.all_inner_texts()]
    assert labels, "the primary navigation has no link"

    visited = []
    for index, label in enumerate(labels):
        if index:
            page.goto(demo_server + "/en/")
        link = page.locator("nav.primary-nav a").nth(index)
        href = link.get_attribute("href")
        with page.expect_navigation() as navigation:
            link.click()
        answer = navigation.value
        assert answer is not None, f"following {label!r} ({href}) loaded nothing"
        assert answer.status < 400, f"{label!r} ({href}) answered {answer.status}"
        assert page.locator("h1").count() >= 1, f"{label!r} ({page.url}) has no <h1>"
        visited.append(page.url)

    assert len(visited) == len(labels)
    assert page.console_errors == [], "\n".join(page.console_errors)
