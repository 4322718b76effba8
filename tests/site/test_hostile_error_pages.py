"""Issue 25: a request whose body cannot be read gets our 400 page, never gunicorn's bare 500;
every error page is ours; a client's error is logged on one line, without a traceback."""

import logging
import sys

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from ngo_site.request_logging import ClientErrorFilter

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

CSRF_SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


@pytest.fixture
def browser_client():
    """A client with the CSRF checks on, as a browser or a robot meets them."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def post_in_charset(client, url, charset):
    return client.post(
        url,
        data="a=1",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
        headers={"Cookie": f"csrftoken={CSRF_SECRET}", "Origin": "http://testserver"},
    )


def heading(response):
    return BeautifulSoup(response.content, "html.parser").h1.get_text(strip=True)


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "iso-8859-15"])
@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/admin/login/",
        "/health/",
        "/en/no-such-page/",
        "contact",
        "newsletter_signup",
    ],
)
def test_a_form_body_in_another_charset_gets_our_400_page(
    browser_client, home_page, footer, url, charset, capfd
):
    if not url.startswith("/"):
        url = reverse(url)

    response = post_in_charset(browser_client, url, charset)

    assert response.status_code == 400
    assert heading(response) == "Bad request"
    assert response["Content-Type"].startswith("text/html")
    assert "Traceback" not in capfd.readouterr().err


def test_a_form_body_in_utf_8_declared_as_such_still_works(browser_client, home_page):
    response = post_in_charset(browser_client, reverse("wagtailadmin_login"), "utf-8")

    # Past the body: refused by the CSRF check for its missing token, on our 403 page.
    assert response.status_code == 403
    assert heading(response) == "Access denied"


def test_a_form_refused_by_the_csrf_check_gets_our_403_page(browser_client, home_page, footer):
    response = browser_client.post(reverse("contact"), {"name": "x"})

    assert response.status_code == 403
    assert b"CSRF verification failed" not in response.content
    assert "Reload the page and send it again" in response.content.decode()


def test_the_error_pages_are_ours(client, home_page, footer):
    not_found = client.get("/en/no-such-page/")
    assert not_found.status_code == 404 and heading(not_found) == "Page not found"

    bad_host = client.get("/en/", headers={"host": "evil.example"})
    assert bad_host.status_code == 400
    assert heading(bad_host) == "Bad request"


def test_an_oversized_multipart_body_gets_our_400_page(browser_client, home_page, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{number}=x" for number in range(50))

    response = browser_client.post(
        reverse("wagtailadmin_login"),
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={"Cookie": f"csrftoken={CSRF_SECRET}"},
    )

    assert response.status_code == 400
    assert heading(response) == "Bad request"


def test_a_client_error_is_logged_on_one_line_without_its_traceback(client, home_page, monkeypatch):
    """Through the console handler of settings.LOGGING, as gunicorn's log receives it."""
    console = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(log_filter, ClientErrorFilter) for log_filter in handler.filters)
    )
    written = []
    monkeypatch.setattr(console, "emit", lambda record: written.append(console.format(record)))

    client.get("/en/%0Afake%20log%20line/", headers={"host": "evil.example"})

    assert len(written) == 1, written
    assert "\n" not in written[0]
    assert "DisallowedHost" in written[0] and "evil.example" in written[0]
    assert "Traceback" not in written[0]


def test_a_server_error_keeps_its_traceback_in_the_log():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x/",), None
    )
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    record.status_code = 500

    ClientErrorFilter().filter(record)

    assert record.exc_info is not None
    assert "Traceback" in logging.Formatter().format(record)


def test_the_400_page_speaks_the_language_of_the_url(browser_client, home_page, footer):
    response = post_in_charset(browser_client, "/fr/", "latin-1")

    assert response.status_code == 400
    assert heading(response) == "Requête incorrecte"


@pytest.mark.parametrize(
    "identifier", ["main", "xxxxxxxxxxxxxxxxxxxx", "1e3", "99999999999999999999999"]
)
def test_an_admin_url_with_an_identifier_of_the_wrong_type_gets_404(
    admin_client, home_page, identifier
):
    """Wagtail's chooser converts no identifier: the lookup of a word as a number failed."""
    from tests.resources.factories import ThemeFactory

    ThemeFactory()
    url = f"/admin/snippets/choose/resources/theme/chosen/{identifier}/"

    # LocaleMiddleware tries the path under a language prefix first, as for any 404.
    response = admin_client.get(url, follow=True)

    assert response.status_code == 404
    assert heading(response) == "Page not found"


def test_an_admin_url_with_a_real_identifier_still_works(admin_client, home_page):
    from tests.resources.factories import ThemeFactory

    theme = ThemeFactory()

    response = admin_client.get(f"/admin/snippets/choose/resources/theme/chosen/{theme.pk}/")

    assert response.status_code == 200


def editor_client(role):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username="editor", password="x")
    user.groups.add(Group.objects.get(name=role))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_post_to_a_chooser_without_creation_form_gets_404(home_page):
    """Wagtail registers create/ for the footer's chooser, which has no creation form."""
    from ngo_site import roles

    client = editor_client(roles.COMMUNICATIONS_EDITORS)

    response = client.post("/admin/snippets/choose/ngo_site/footercontent/create/", {}, follow=True)

    assert response.status_code == 404
    assert heading(response) == "Page not found"
    # The chooser itself still works.
    assert client.get("/admin/snippets/choose/ngo_site/footercontent/").status_code == 200


def test_a_page_edit_form_sent_without_its_fields_gets_400(home_page):
    """Wagtail's page editor reads its StreamField's count without checking it is there."""
    from ngo_site import roles

    client = editor_client(roles.COMMUNICATIONS_EDITORS)

    response = client.post(
        f"/admin/pages/{home_page.pk}/edit/", data=b"", content_type="text/plain"
    )

    assert response.status_code == 400
    assert heading(response) == "Bad request"


@pytest.mark.parametrize("next_value", ["-1", "home", "%zz"])
def test_a_next_parameter_that_is_not_a_url_gets_400(admin_client, home_page, next_value):
    """Wagtail's login page redirects a logged-in user to `next` with redirect(), which looks a
    value without "/" or "." up as a view name."""
    response = admin_client.get(f"/admin/login/?next={next_value}")

    assert response.status_code == 400
    assert heading(response) == "Bad request"


def test_a_next_parameter_that_is_a_path_still_redirects(admin_client, home_page):
    response = admin_client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"


@pytest.mark.parametrize("page_number", ["abc", "x" * 2000])
def test_a_page_number_that_is_not_a_number_gets_400(admin_client, home_page, page_number):
    """Wagtail's workflow editor converts ?p= with int() unchecked."""
    from wagtail.models import Workflow

    workflow = Workflow.objects.first() or Workflow.objects.create(name="Review")

    response = admin_client.get(f"/admin/workflows/edit/{workflow.pk}/?p={page_number}")

    assert response.status_code == 400
    assert heading(response) == "Bad request"
    assert admin_client.get(f"/admin/workflows/edit/{workflow.pk}/?p=1").status_code == 200


@pytest.mark.parametrize("action", ["lock", "unlock"])
def test_locking_the_root_of_the_page_tree_gets_404(home_page, action):
    """Wagtail's lock views accept the tree's root from a role with the permission on it, then
    fail on the way back to its parent's listing (the root has none)."""
    from wagtail.models import Page

    from ngo_site import roles

    client = editor_client(roles.MODERATORS)
    root = Page.get_first_root_node()

    response = client.post(f"/admin/pages/{root.pk}/{action}/", follow=True)

    assert response.status_code == 404
    assert heading(response) == "Page not found"
    root.refresh_from_db()
    assert not root.locked


def test_a_moderator_still_locks_and_unlocks_a_page(home_page):
    from ngo_site import roles

    client = editor_client(roles.MODERATORS)

    assert client.post(f"/admin/pages/{home_page.pk}/lock/").status_code == 302
    home_page.refresh_from_db()
    assert home_page.locked
    assert client.post(f"/admin/pages/{home_page.pk}/unlock/").status_code == 302
    home_page.refresh_from_db()
    assert not home_page.locked


@pytest.mark.parametrize(
    "next_value", ["wagtailadmin_explore", "wagtailadmin_pages:edit", "no_such_app:edit"]
)
def test_a_next_parameter_naming_a_view_that_needs_arguments_gets_400(home_page, next_value):
    """A `next` without "/" or "." that names a view needing arguments, or a namespaced view
    (which Django reports by its last part), fails in redirect() as an unknown name does."""
    from ngo_site import roles

    client = editor_client(roles.MODERATORS)

    response = client.post(f"/admin/pages/{home_page.pk}/unlock/", {"next": next_value})

    assert response.status_code == 400
    assert heading(response) == "Bad request"


def test_a_list_of_identifiers_beyond_64_bits_is_not_a_server_error(home_page):
    """Wagtail's chooser for several snippets looks ?id= up with pk__in, which Django does not
    bound: SQLite's driver raised OverflowError (PostgreSQL finds nothing)."""
    from ngo_site import roles
    from tests.resources.factories import ThemeFactory

    theme = ThemeFactory()
    client = editor_client(roles.TRANSLATORS)
    url = "/admin/snippets/choose/resources/theme/chosen-multiple/"

    response = client.get(url, {"id": ["99999999999999999999", theme.pk]}, follow=True)

    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert heading(response) == "Page not found"
    assert str(theme) in client.get(url, {"id": theme.pk}).content.decode()


@pytest.mark.parametrize("link_kind", ["external", "email", "phone", "anchor"])
def test_a_link_chooser_form_sent_without_its_fields_is_not_a_server_error(home_page, link_kind):
    """Wagtail's external-link chooser validated a missing URL field by calling startswith on
    None (found by `make fuzz`): 400. The other link choosers answer their form again."""
    from ngo_site import roles

    client = editor_client(roles.TRANSLATORS)
    url = f"/admin/choose-{link_kind}-link/"

    response = client.post(url, {}, follow=True)

    assert response.status_code in (200, 400)
    if link_kind == "external":
        assert response.status_code == 400
        assert heading(response) == "Bad request"
    # The chooser still takes a link.
    sent = {
        "external": {"external-link-chooser-url": "https://example.org/"},
        "email": {"email-link-chooser-email_address": "team@example.org"},
        "phone": {"phone-link-chooser-phone_number": "+441234567890"},
        "anchor": {"anchor-link-chooser-url": "top"},
    }[link_kind]
    response = client.post(url, sent, follow=True)
    assert response.status_code == 200
    assert response.json()["step"] in ("external_link_chosen", f"{link_kind}_link_chosen")
