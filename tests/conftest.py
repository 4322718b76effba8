"""Fixtures shared by every test package.

Database fixtures build only what a test asks for:
    home_page     the minimal tree: an English HomePage as the default Site's root page
    footer        the English FooterContent snippet
    demo_content  the full demo site, as `manage.py load_demo` builds it (seconds: see below)
    shared_demo   opt-in for a module whose tests all use the demo site: it is loaded once per
                  test process and handed to each such module (tests/demo_database.py); each
                  test runs in its own transaction, rolled back, so what one test changes is
                  gone before the next. Use it with
                      pytestmark = SHARED_DEMO
                  and only in modules where every test wants the demo site (a module-scoped
                  fixture lives until the module ends). Not for transactional tests.
Factories for the site's models are in tests/site/factories.py.
"""

import io

import pytest
from django.core.management import call_command

SITE_NAME = "Harbour Workers Network"

# The marks of a module whose tests all use the demo site (shared_demo, below). Under
# `--dist loadgroup` (the Makefile's) all of them run on one pytest-xdist worker
# (tests/xdist_scheduling.py): the demo is then loaded once per pytest run, not once per worker.
SHARED_DEMO = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("shared_demo"),
    pytest.mark.xdist_group("shared_demo"),
]


@pytest.fixture
def english(db):
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def french(db):
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code="fr")[0]


@pytest.fixture
def home_page(english, french):
    """An English HomePage at the root of the default Site, replacing Wagtail's welcome page."""
    from wagtail.models import Page, Site

    from tests.site.factories import HomePageFactory

    # A transactional test empties every table when it ends, Wagtail's root page included.
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=english)
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="localhost", port=80, is_default_site=True
    )
    # Site.root_page cascades: point the site elsewhere before deleting the welcome page.
    site.root_page = root
    site.save()
    for welcome in root.get_children().filter(slug="home"):
        welcome.delete()
    root.refresh_from_db()
    home = HomePageFactory(parent=root, locale=english)
    site.root_page = home
    site.site_name = SITE_NAME
    site.save()
    return home


@pytest.fixture
def footer(english):
    from tests.site.factories import FooterContentFactory

    return FooterContentFactory(locale=english)


def run_load_demo():
    """Run `manage.py load_demo` and return what it printed."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """pytest-django's hook just before the test databases are created: on SQLite, a `make test`
    run migrates once and its later processes copy the result (tests/database_snapshots.py)."""
    from tests.database_snapshots import use_migrated_snapshots

    use_migrated_snapshots()


@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker):
    """This process's demo database (tests/demo_database.py), loaded when a module first asks."""
    from tests.demo_database import DemoDatabase

    database = DemoDatabase(load=run_load_demo)
    yield database
    with django_db_blocker.unblock():
        database.close()


@pytest.fixture(scope="module")
def shared_demo(demo_database, django_db_blocker):
    """The demo site for the requesting module (see the module docstring); its value is what
    `load_demo` printed."""
    with django_db_blocker.unblock():
        output = demo_database.enter()
    yield output
    with django_db_blocker.unblock():
        demo_database.leave()


@pytest.fixture
def demo_content(request, db):
    """The demo site from `manage.py load_demo` (once per module when the module uses
    `shared_demo`); returns the English home page."""
    from django.conf import settings
    from wagtail.models import Locale

    from ngo_site.demo.loader import home_page_for

    if "shared_demo" not in request.fixturenames:
        run_load_demo()
    elif "transactional_db" in request.fixturenames:
        from tests.demo_database import TRANSACTIONAL_TEST_REFUSED

        pytest.fail(TRANSACTIONAL_TEST_REFUSED, pytrace=False)
    return home_page_for(Locale.objects.get(language_code=settings.LANGUAGE_CODE)).specific


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a test that activates French (a request
    through the French site, translation.activate) must not leave the next test on the same
    worker, e.g. a management command's messages, in French."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the local-memory cache outlives a test's database
    rollback, and entries about rows that no longer exist (site root paths, rate-limit counts)
    must not leak into the next test."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


def pytest_collection_modifyitems(config, items):
    """A test that uses the shared demo must carry SHARED_DEMO's xdist group (see SHARED_DEMO)."""
    for item in items:
        uses_demo = "shared_demo" in getattr(item, "fixturenames", ())
        if uses_demo and item.get_closest_marker("xdist_group") is None:
            raise pytest.UsageError(
                f"{item.nodeid} uses shared_demo: mark its module `pytestmark = SHARED_DEMO` "
                "(tests/conftest.py)"
            )


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`: the demo modules on one worker, the other tests one by one."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.xdist_scheduling import DemoModulesTogetherScheduling

    return DemoModulesTogetherScheduling(config, log)
