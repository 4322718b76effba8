"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Fixtures (other test modules rely on these names and behaviours):
    demo_server   the live server's URL, without a trailing slash, once `load_demo` has filled its
                  database (each test starts from the freshly loaded demo: see demo_server)
    browser_page  a Playwright Page of a headless Chromium started for the test (after the
                  database and demo_server are ready); `browser_page.console_errors` lists the
                  console messages of type "error" and the uncaught page errors
    axe           the `axe_violations` function below

    from tests.browser.conftest import axe_violations, format_violations
    violations = axe_violations(page)               # serious and critical ones
    assert not violations, format_violations(violations)

Every browser test module sets `pytestmark = pytest.mark.browser`; `make test-browser` runs them.
Chromium is Debian's (/usr/bin/chromium): Playwright's own browser download is never used, so
never run `playwright install`. axe-core comes from npm: `make browser-deps` installs it into
tests/browser/node_modules from package-lock.json.
"""

import io
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import database_snapshots

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
DEFAULT_IMPACTS = ("serious", "critical")


@pytest.fixture
def browser_page(request, monkeypatch):
    """A Playwright page of a fresh headless Chromium, with `console_errors` attached.

    Playwright's sync API keeps an asyncio event loop running in the main thread while it is
    started. Django then treats the main thread as async code: it refuses ORM calls (hence
    DJANGO_ALLOW_ASYNC_UNSAFE, set only for the duration of this fixture; `manage.py check
    --deploy` rightly rejects it elsewhere), and it hands out other database connection objects
    than in sync code, which breaks pytest-django's per-test database setup and teardown. So
    Playwright and Chromium are started for each test, after the database (and `demo_server`, if
    the test uses it) is ready, and stopped before the database is emptied.
    """
    if "demo_server" in request.fixturenames:
        request.getfixturevalue("demo_server")
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test-browser` (it installs Debian's chromium) or "
            "`apt-get install chromium`. Do not run `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.set_default_navigation_timeout(30_000)
        page.console_errors = []

        def on_console(message):
            if message.type == "error":
                location = message.location or {}
                where = location.get("url", "")
                if location.get("lineNumber") is not None:
                    where += f":{location['lineNumber']}"
                page.console_errors.append(f"console error on {page.url}: {message.text} ({where})")

        def on_page_error(error):
            page.console_errors.append(f"uncaught error on {page.url}: {error}")

        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        try:
            yield page
        finally:
            context.close()
            browser.close()


# The demo database as `load_demo` left it the first time, copied with SQLite's backup API.
_demo_snapshot = None


@pytest.fixture
def demo_server(live_server, django_db_serialized_rollback):
    """The live server's URL once the demo content is loaded into its database.

    live_server makes the test transactional: the database is emptied after each test, Wagtail's
    root page and default Site included, and the serialized rollback puts back what the
    migrations created. The first test runs `load_demo`; on SQLite (where `make test-browser`
    runs) the loaded database is then copied aside with SQLite's backup API, and later tests get
    that copy back in a fraction of a second instead of loading the demo again (a load takes
    tens of seconds). Each test still starts from exactly the demo `load_demo` builds.
    """
    global _demo_snapshot
    from django.core.cache import cache
    from django.db import connection

    connection.ensure_connection()
    on_sqlite = connection.vendor == "sqlite"
    if on_sqlite and _demo_snapshot is not None:
        _demo_snapshot.backup(connection.connection)
    else:
        # Under `make test`, the SQLite stage has left the demo it loaded, media files included
        # (tests/database_snapshots.py).
        restored = (
            database_snapshots.restore(
                database_snapshots.DEMO, connection, media_root=settings.MEDIA_ROOT
            )
            if on_sqlite
            else None
        )
        if restored is None:
            call_command("load_demo", stdout=io.StringIO())
        if on_sqlite:
            snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(snapshot)
            _demo_snapshot = snapshot
    # Caches hold rows of the database as it was (site root paths, page cache generation).
    cache.clear()
    return live_server.url.rstrip("/")


def axe_violations(page, impacts=DEFAULT_IMPACTS):
    """Run axe-core on the page as it is now; return its violations of the given impacts.

    Each violation is a dict with id, impact, help, help_url and nodes (each node's CSS target,
    HTML and axe's summary of what to fix)."""
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS} is missing: run `make browser-deps` (npm ci in tests/browser).",
            pytrace=False,
        )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: an injected <script> element would be
        # blocked by the site's Content-Security-Policy (no inline scripts).
        page.evaluate(AXE_JS.read_text())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "help_url": violation["helpUrl"],
            "nodes": [
                {
                    "target": node["target"],
                    "html": node["html"],
                    "summary": node.get("failureSummary", ""),
                }
                for node in violation["nodes"]
            ],
        }
        for violation in results["violations"]
        if violation["impact"] in impacts
    ]


def format_violations(violations):
    """A readable assertion message for axe_violations()' result."""
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['help_url']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:200]}")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """`axe_violations` as a fixture: `assert not axe(browser_page)`."""
    return axe_violations
