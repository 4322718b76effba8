"""A visitor goes from the home page to a project and its map of cities.

Route: home → Programmes (primary navigation) → Social Protection (programme card) → Focal
Cities. Focal Cities belongs to the Urban Policies programme; the Social Protection page links
to it under "Related work" (see docs/programmes.md).
"""

import pytest

from tests.browser.conftest import axe_violations, format_violations

pytestmark = pytest.mark.browser

FOCAL_CITIES = ["Accra", "Lima", "Delhi", "Dakar", "Mexico City"]


def follow(page, locator):
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.ok, response and response.status


def test_visitor_reaches_the_focal_cities_map_from_the_home_page(demo_server, browser_page):
    page = browser_page
    page.goto(demo_server + "/en/")

    follow(page, page.locator("nav.primary-nav").get_by_role("link", name="Programmes"))
    assert page.url == demo_server + "/en/programmes/"

    follow(page, page.locator(".card").get_by_role("link", name="Social Protection"))
    assert page.url == demo_server + "/en/programmes/social-protection/"
    assert page.get_by_role("heading", level=1).inner_text() == "Social Protection"
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    follow(page, page.locator(".link-list a[href$='/focal-cities/']"))
    assert page.url == demo_server + "/en/programmes/urban-policies/focal-cities/"

    # The map: five labelled points, each a link with a name.
    map_group = page.get_by_role("group", name="Map of the 5 places listed here.")
    points = map_group.get_by_role("link")
    assert points.count() == 5
    # (SVG elements have no innerText: their text content is what is drawn.)
    labels = page.locator(".places-map__point text").all_text_contents()
    assert [label.strip() for label in labels] == FOCAL_CITIES
    for point in points.all():
        assert point.is_visible()
        box = point.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0

    # The list: the same five places, in the same order.
    entries = page.locator("ul.places-list .places-list__city")
    assert [text.strip() for text in entries.all_inner_texts()] == FOCAL_CITIES
    assert "since 2016" in page.locator("ul.places-list").inner_text()

    # Keyboard: Tab reaches each place's link on the map, in order.
    page.locator("#places-heading").evaluate("heading => heading.setAttribute('tabindex', '-1')")
    page.locator("#places-heading").focus()
    reached = []
    for _ in range(15):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => document.activeElement.closest('.places-map__point')"
            " ? document.activeElement.getAttribute('aria-label') : null"
        )
        if label:
            reached.append(label.split(",")[0])
        if len(reached) == len(FOCAL_CITIES):
            break
    assert reached == FOCAL_CITIES

    # Activating a point (Enter) leads to its entry in the list.
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#place-mexico-city'")
    assert page.locator("#place-mexico-city").is_visible()

    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert page.console_errors == [], "\n".join(page.console_errors)
