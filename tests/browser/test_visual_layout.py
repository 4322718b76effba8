"""The visual design holds on every page kind at a phone's, a tablet's and a desktop's width
(issue 26): screenshots for people to look at, and the layout checks a person would make.

One live server, one browser, one page: each page kind is loaded once per width. The screenshots
go to test-results/screenshots/ (not committed; BROWSER_SCREENSHOTS_DIR to change), named
<width>-<page kind>.jpg. docs/design.md describes the grid and the type scale checked here.
"""

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import axe_violations, format_violations

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS_DIR", "test-results/screenshots"))
# A phone (the first screen is 667 px high), a tablet and a desktop.
VIEWPORTS = [(375, 667), (768, 1024), (1280, 900)]
# Page kinds at fixed addresses; the project and the resource are found by following links, so
# that the test does not depend on the demo's slugs.
FIXED_PAGES = {
    "home": "/en/",
    "home-fr": "/fr/",
    "programme-index": "/en/programmes/",
    "programme": "/en/programmes/social-protection/",
    "library": "/en/resources/",
    "partnerships": "/en/partnerships/",
    "standard": "/en/about/",
    "search": "/en/search/?q=workers",
    "error-404": "/en/this-page-does-not-exist/",
}

# Every row of a card grid: the cards whose tops are level share their width and their height.
GRID_ROWS = """() => {
  const problems = [];
  const grids = ".card-grid, .funders__list, .activity-list, .working-methods, .summary-list";
  document.querySelectorAll(grids).forEach((grid, g) => {
    const items = [...grid.children];
    const rows = new Map();
    items.forEach((item) => {
      const box = item.getBoundingClientRect();
      const top = Math.round(box.top + window.scrollY);
      if (!rows.has(top)) rows.set(top, []);
      rows.get(top).push({width: box.width, height: box.height});
    });
    rows.forEach((boxes, top) => {
      const widths = boxes.map((b) => b.width), heights = boxes.map((b) => b.height);
      if (Math.max(...widths) - Math.min(...widths) > 1)
        problems.push(`grid ${g} (${grid.className}) row at ${top}: widths ${widths}`);
      if (Math.max(...heights) - Math.min(...heights) > 1)
        problems.push(`grid ${g} (${grid.className}) row at ${top}: heights ${heights}`);
    });
    // No card alone on the last row of a grid of several columns (funders are grouped by type
    // by the editors: one group may hold any number).
    const columns = getComputedStyle(grid).gridTemplateColumns.split(" ").length;
    const tops = [...rows.keys()].sort((a, b) => a - b);
    if (!grid.classList.contains("funders__list") && columns > 1 && tops.length > 1
        && rows.get(tops[tops.length - 1]).length === 1)
      problems.push(`grid ${g} (${grid.className}): one card alone on its last row`);
  });
  return problems;
}"""

# The left edges of the page's parts: the header's, the breadcrumbs', the main title's and the
# footer's content start at the same x, the container's.
LEFT_EDGES = """() => {
  const left = (selector) => {
    const element = document.querySelector(selector);
    return element ? Math.round(element.getBoundingClientRect().left) : null;
  };
  return {
    header: left(".site-header__name"), nav: left(".primary-nav__list"),
    h1: left("main h1"), footer: left(".site-footer__inner"),
  };
}"""


LOAD_ALL_IMAGES = """() => Promise.all([...document.images].map((image) => {
  image.loading = "eager";
  return image.complete ? null : new Promise((done) => { image.onload = image.onerror = done; });
}))"""


def check_page(page, name, width, height):
    """The checks every page kind gets at every width; returns the problems found."""
    problems = []
    page.wait_for_function("document.fonts.status === 'loaded'")
    scroll = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll[0] > scroll[1]:
        problems.append(f"{name} at {width}px scrolls sideways: {scroll[0]} > {scroll[1]}")
    problems += [f"{name} at {width}px: {problem}" for problem in page.evaluate(GRID_ROWS)]
    edges = {key: value for key, value in page.evaluate(LEFT_EDGES).items() if value is not None}
    if len(set(edges.values())) > 1:
        problems.append(f"{name} at {width}px: the left edges differ: {edges}")
    if not page.evaluate("() => document.fonts.check('700 16px \"Source Sans 3\"')"):
        problems.append(f"{name} at {width}px: the site's typeface did not load")
    # Pictures below the fold load lazily, which a full-page screenshot does not trigger.
    page.evaluate(LOAD_ALL_IMAGES)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # JPEG: a full page encodes several times faster than PNG, and is enough to look at.
    page.screenshot(
        path=str(SCREENSHOTS / f"{width}-{name}.jpg"), full_page=True, type="jpeg", quality=70
    )
    return problems


def first_link(page, selector):
    href = page.locator(selector).first.get_attribute("href")
    assert href, f"no link at {selector} on {page.url}"
    return href


def test_every_page_kind_at_three_widths_the_wordmark_and_the_library_filters(
    demo_server, browser_page
):
    """One browser for all of it: the browser stage stays short."""
    page = browser_page
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(demo_server + FIXED_PAGES["programme"])
    pages = dict(FIXED_PAGES)
    pages["project"] = first_link(page, "#projects-heading ~ .card-grid .card__title a")
    page.goto(demo_server + FIXED_PAGES["library"])
    pages["resource"] = first_link(page, ".library-item__title a")

    problems = []
    started = time.monotonic()
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            response = page.goto(demo_server + path)
            assert response is not None
            assert response.status == (404 if name.startswith("error") else 200), (name, path)
            problems += check_page(page, name, width, height)
            if width == 375:
                # The phone layout is this design's own: axe checks it on every page kind (the
                # journeys check the desktop layout).
                violations = axe_violations(page)
                assert not violations, f"{name}: " + format_violations(violations)
    print(
        f"{len(pages)} page kinds at {len(VIEWPORTS)} widths in {time.monotonic() - started:.1f} s"
    )
    assert not problems, "\n".join(problems)

    # No third-party request: fonts, pictures and styles come from the site itself.
    site = urlsplit(demo_server).netloc
    foreign = {url for url in requests if urlsplit(url).netloc not in (site, "")}
    assert not foreign, foreign
    assert any(url.endswith(".woff2") for url in requests), "no web font was requested"

    check_wordmark(page, demo_server)
    check_library_filters(page, demo_server)


def check_wordmark(page, demo_server):
    """The SVG wordmark, named by the site's name, links home from the header and the footer."""
    page.goto(demo_server + "/en/")
    for region in ("banner", "contentinfo"):
        link = page.get_by_role(region).get_by_role("link", name="WIEGO", exact=True)
        assert link.count() == 1, region
        assert link.locator("svg.wordmark").is_visible()


def check_library_filters(page, demo_server):
    """On a phone the filters are a closed disclosure above the results and the first result is
    on the first screen (375 × 667); on a desktop they stand open beside the results."""
    page.set_viewport_size({"width": 375, "height": 667})
    # The first result is on the first screen, in both languages (French headings and the
    # filters' summary are longer); the filters wait behind their summary.
    for path in ("/fr/ressources/", "/en/resources/"):
        page.goto(demo_server + path)
        first = page.locator(".library-item__title").first.bounding_box()
        assert first is not None and first["y"] + first["height"] <= 667, (path, first)
    filters = page.locator("details.library__filters")
    assert filters.get_attribute("open") is None
    assert not page.locator("#facet-type").is_visible()
    summary = page.locator("summary.library__filters-toggle")
    assert summary.bounding_box()["height"] >= 44
    summary.click()
    assert page.locator("#facet-type").is_visible()
    # The disclosure sits above the results.
    assert summary.bounding_box()["y"] < page.locator(".library__results").bounding_box()["y"]

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(demo_server + "/en/resources/")
    assert not summary.is_visible()
    facets = page.locator("#facet-type").bounding_box()
    results = page.locator(".library__results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"], (facets, results)
    assert abs(facets["y"] - results["y"]) < 40, (facets, results)
