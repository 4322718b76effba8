"""What must stay private: drafts, previews, private pages, form submissions and the
translation queue, for anonymous visitors and for roles without the permission.

Users are in the real groups of ngo_site.roles (tests/editorial/conftest.py); nothing here
grants a permission.
"""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.editorial import conftest as editorial
from tests.editorial.conftest import PASSWORD, standard_page_form
from tests.partnerships.factories import ContactSubmissionFactory, NewsletterSubscriberFactory
from tests.site.factories import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

# Fixtures of the editorial roles: users in the real groups, the English and French trees.
make_user, editor, moderator, translator, administrator, client_for, trees = (
    editorial.make_user,
    editorial.editor,
    editorial.moderator,
    editorial.translator,
    editorial.administrator,
    editorial.client_for,
    editorial.trees,
)

SECRET = "Minutes of the board meeting"


@pytest.fixture(params=[0, 300], ids=["page cache off", "page cache on"])
def page_cache(request, settings):
    """Private content must stay private whether or not anonymous pages are cached."""
    settings.PAGE_CACHE_SECONDS = request.param
    settings.WAGTAIL_CACHE = bool(request.param)
    return request.param


@pytest.fixture
def admin_only_user(django_user_model):
    """Can open the admin, belongs to no role."""
    user = django_user_model.objects.create_user("outsider", password=PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def refused(response):
    """Wagtail answers a missing permission with a redirect (and a message) or a 403."""
    return response.status_code in (302, 403)


def sent_to_login(response):
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


# --- Drafts and previews ---------------------------------------------------------------------


@pytest.fixture
def draft(trees, editor, client_for):
    """An English page with a saved, unpublished change, and a page never published."""
    client = client_for(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(trees["en_page"].pk,)),
        standard_page_form(SECRET, "about", **{"action-submit": ""}),
    )
    assert response.status_code == 302
    new_page = StandardPageFactory(
        parent=trees["en_home"], title=SECRET, slug="board", live=False, publish=False
    )
    new_page.save_revision()
    client.logout()
    return {"changed": trees["en_page"], "new": new_page}


def test_anonymous_visitors_never_see_drafts(client, draft, page_cache):
    for _attempt in range(2):  # the second time, from the cache when it is on
        live = client.get("/en/about/")
        assert live.status_code == 200 and SECRET.encode() not in live.content
        assert client.get("/en/board/").status_code == 404


@pytest.mark.parametrize("view", ["view_draft", "preview_on_edit"])
def test_anonymous_visitors_cannot_preview(client, draft, view):
    for page in draft.values():
        response = client.get(reverse(f"wagtailadmin_pages:{view}", args=(page.pk,)))
        assert sent_to_login(response)
        assert SECRET.encode() not in response.content


def test_roles_without_edit_permission_cannot_preview_drafts(
    client, draft, translator, admin_only_user, moderator
):
    url = reverse("wagtailadmin_pages:view_draft", args=(draft["new"].pk,))
    for user in (translator, admin_only_user):
        client.force_login(user)
        response = client.get(url)
        assert refused(response), user
        assert SECRET.encode() not in response.content
    # The moderator, who approves English pages, may.
    client.force_login(moderator)
    response = client.get(url)
    assert response.status_code == 200 and SECRET.encode() in response.content


# --- Private pages ---------------------------------------------------------------------------


@pytest.fixture
def private_pages(home_page):
    by_password = StandardPageFactory(
        parent=home_page, title="Members area", slug="members", summary=SECRET
    )
    PageViewRestriction.objects.create(
        page=by_password, restriction_type=PageViewRestriction.PASSWORD, password="open sesame"
    )
    by_login = StandardPageFactory(parent=home_page, title="Staff", slug="staff", summary=SECRET)
    PageViewRestriction.objects.create(page=by_login, restriction_type=PageViewRestriction.LOGIN)
    return {"password": by_password, "login": by_login}


def test_password_page_shows_only_the_password_form(client, private_pages, page_cache):
    for _attempt in range(2):
        response = client.get("/en/members/")
        assert response.status_code == 200
        assert SECRET.encode() not in response.content
        assert b'name="password"' in response.content


def test_a_visitor_who_gave_the_password_does_not_open_the_page_for_others(
    client, private_pages, page_cache
):
    restriction = PageViewRestriction.objects.get(page=private_pages["password"])
    response = client.post(
        reverse(
            "wagtailcore_authenticate_with_password",
            args=(restriction.pk, private_pages["password"].pk),
        ),
        {"password": "open sesame", "return_url": "/en/members/"},
    )
    assert response.status_code == 302
    assert SECRET.encode() in client.get("/en/members/").content
    assert SECRET.encode() in client.get("/en/members/").content

    # Another visitor, without the password in their session.
    other = Client()
    response = other.get("/en/members/")
    assert SECRET.encode() not in response.content
    assert b'name="password"' in response.content


def test_wrong_password_is_refused(client, private_pages):
    restriction = PageViewRestriction.objects.get(page=private_pages["password"])
    response = client.post(
        reverse(
            "wagtailcore_authenticate_with_password",
            args=(restriction.pk, private_pages["password"].pk),
        ),
        {"password": "guess", "return_url": "/en/members/"},
    )
    assert response.status_code == 200
    assert SECRET.encode() not in client.get("/en/members/").content


def test_login_page_sends_anonymous_visitors_to_log_in(client, private_pages, page_cache):
    for _attempt in range(2):
        response = client.get("/en/staff/")
        assert response.status_code == 302
        assert "login" in response["Location"]
        assert SECRET.encode() not in response.content


def test_login_page_is_shown_to_logged_in_users_only(client, private_pages, editor, page_cache):
    client.force_login(editor)
    assert SECRET.encode() in client.get("/en/staff/").content
    client.logout()
    assert client.get("/en/staff/").status_code == 302


def test_privacy_set_in_the_admin_applies_on_the_next_request(
    client, trees, moderator, client_for, page_cache
):
    """Pages are kept in the page cache between requests: setting and lifting a restriction
    through the admin's privacy dialog must still apply at once."""
    page = trees["en_page"]
    visitor = Client()
    for _attempt in range(2):  # the second request is served from the caches
        assert visitor.get("/en/about/").status_code == 200
    privacy = reverse("wagtailadmin_pages:set_privacy", args=(page.pk,))
    editor_client = client_for(moderator)

    response = editor_client.post(privacy, {"restriction_type": "login", "password": ""})
    assert response.status_code == 200 and PageViewRestriction.objects.filter(page=page).exists()

    response = visitor.get("/en/about/")
    assert response.status_code == 302 and "login" in response["Location"]

    response = editor_client.post(privacy, {"restriction_type": "none", "password": ""})
    assert response.status_code == 200
    assert not PageViewRestriction.objects.filter(page=page).exists()
    assert visitor.get("/en/about/").status_code == 200


# --- Form submissions ------------------------------------------------------------------------

SUBMISSION_URLS = [
    "/admin/contact-messages/",
    "/admin/contact-messages/?export=csv",
    "/admin/newsletter-subscribers/",
    "/admin/newsletter-subscribers/?export=csv",
]


@pytest.fixture
def submissions(db):
    contact = ContactSubmissionFactory(name="Amina Private", email="amina@example.org")
    NewsletterSubscriberFactory(email="subscriber-private@example.org")
    return {"contact": contact}


@pytest.mark.parametrize("url", SUBMISSION_URLS)
def test_anonymous_visitors_cannot_read_form_submissions(client, submissions, url):
    response = client.get(url)

    assert sent_to_login(response)
    assert b"amina@example.org" not in response.content


def test_roles_without_the_permission_cannot_read_form_submissions(
    client, submissions, translator, admin_only_user
):
    inspect = reverse("contact_messages:inspect", args=(submissions["contact"].pk,))
    for user in (translator, admin_only_user):
        client.force_login(user)
        for url in [*SUBMISSION_URLS, inspect]:
            response = client.get(url)
            assert refused(response), (user, url)
            assert b"amina@example.org" not in response.content
            assert b"subscriber-private" not in response.content


def test_editors_read_form_submissions(client, submissions, editor):
    client.force_login(editor)
    inspect = reverse("contact_messages:inspect", args=(submissions["contact"].pk,))

    assert b"amina@example.org" in client.get(inspect).content


# --- Translation queue -----------------------------------------------------------------------

QUEUE_VIEWS = ["translation_queue:index", "translation_queue:import_po"]


@pytest.mark.parametrize("name", QUEUE_VIEWS)
def test_anonymous_visitors_cannot_open_the_translation_queue(client, trees, name):
    assert sent_to_login(client.get(reverse(name)))


def test_users_without_a_role_cannot_open_the_translation_queue(client, trees, admin_only_user):
    client.force_login(admin_only_user)
    for name in QUEUE_VIEWS:
        response = client.get(reverse(name))
        assert refused(response), name
    bulk_assign = reverse("wagtail_bulk_action", args=("translation_queue", "queueentry", "assign"))
    assert refused(client.post(bulk_assign))


def test_translators_open_the_translation_queue(client, trees, translator):
    client.force_login(translator)

    assert client.get(reverse("translation_queue:index")).status_code == 200


def test_the_queue_is_in_the_admin_menu_only_for_those_it_lets_in(
    client, trees, translator, admin_only_user
):
    client.force_login(admin_only_user)
    assert reverse("translation_queue:index").encode() not in client.get("/admin/").content
    client.force_login(translator)
    assert reverse("translation_queue:index").encode() in client.get("/admin/").content


def queue_url_names():
    """Every URL of the translation queue, read from its URLconf (a new view is covered too)."""
    from ngo_site.translation_queue import urls

    return [f"{urls.app_name}:{pattern.name}" for pattern in urls.urlpatterns]


def queue_url(name, trees):
    """`name` reversed with arguments that point at real objects where the URL takes any."""
    from django.urls.converters import IntConverter, UUIDConverter

    from ngo_site.translation_queue import urls

    pattern = next(p for p in urls.urlpatterns if f"{urls.app_name}:{p.name}" == name)
    values = {IntConverter: trees["fr_page"].pk, UUIDConverter: trees["en_page"].translation_key}
    kwargs = {
        argument: values[type(converter)]
        for argument, converter in pattern.pattern.converters.items()
    }
    return reverse(name, kwargs=kwargs)


# Sent with every POST: enough for any of the queue's forms to act if the check were missing.
QUEUE_POST = {"action": "assign", "user": "1", "pages": ["1"]}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", queue_url_names())
def test_anonymous_visitors_are_sent_to_log_in_by_every_queue_url(client, trees, name, method):
    url = queue_url(name, trees)
    response = client.get(url) if method == "get" else client.post(url, QUEUE_POST)

    assert sent_to_login(response), (name, method, response.status_code)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", queue_url_names())
def test_users_without_a_role_are_refused_by_every_queue_url(
    client, trees, admin_only_user, name, method
):
    from wagtail.models import Page

    client.force_login(admin_only_user)
    url = queue_url(name, trees)
    before = [(page.pk, page.live, page.latest_revision_id) for page in Page.objects.order_by("pk")]

    response = client.get(url) if method == "get" else client.post(url, QUEUE_POST)

    # Wagtail turns the queue's PermissionDenied into a redirect to the dashboard (with a
    # message); a view that only takes POST refuses a GET first. The views' own redirects after
    # doing their work go to the queue, never to the dashboard.
    refused_to_dashboard = response.status_code == 302 and response["Location"] == "/admin/"
    post_only = method == "get" and response.status_code == 405
    assert refused_to_dashboard or post_only, (name, method, response.status_code)
    after = [(page.pk, page.live, page.latest_revision_id) for page in Page.objects.order_by("pk")]
    assert after == before  # nothing was published, submitted or changed
