"""The editor's previews may be framed by the admin (its preview panel), public pages by nobody.

Wagtail renders a preview by sending a dummy request for the page's public URL through the whole
middleware chain again (make_preview_request), so the preview response gets the public site's
policy; ngo_site.security lets the admin frame it: frame-ancestors 'self', the rest of the public
policy unchanged (issue 23, point 6)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from ngo_site import roles
from tests.site.factories import StandardPageFactory
from tests.site.test_security_headers import policy

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

DRAFT_TITLE = "Draft-only title of the preview"


@pytest.fixture
def moderator(client):
    user = get_user_model().objects.create_user("maria", "maria@example.org", "pw")
    user.groups.add(Group.objects.get(name=roles.MODERATORS))
    client.force_login(user)
    return user


@pytest.fixture
def about(home_page):
    return StandardPageFactory(parent=home_page, title="About us", slug="about")


def form_data(title):
    return {"title": title, "slug": "about", "summary": "A summary.", "body-count": "0"}


def preview_on_edit(client, page):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert client.post(url, form_data(DRAFT_TITLE)).json()["is_valid"] is True
    return client.get(url, {"in_preview_panel": "true"})


def preview_on_add(client, page):
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["ngo_site", "standardpage", page.get_parent().pk]
    )
    data = {**form_data(DRAFT_TITLE), "slug": "new-page"}
    assert client.post(url, data).json()["is_valid"] is True
    return client.get(url, {"in_preview_panel": "true"})


def preview_revision(client, page):
    page.title = DRAFT_TITLE
    revision = page.save_revision()
    return client.get(reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]))


def view_draft(client, page):
    page.title = DRAFT_TITLE
    page.save_revision()
    return client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))


def preview_translation(client, page):
    """wagtail-localize's preview in its translation editor (untranslated strings fall back to
    the source's, so the English title shows)."""
    from wagtail_localize.models import Translation, TranslationSource

    from ngo_site.models import HomePage

    french = page.locale.__class__.objects.get(language_code="fr")
    HomePage.objects.get(pk=page.get_parent().pk).copy_for_translation(french)
    page.title = DRAFT_TITLE
    page.save_revision().publish()
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=french)
    translation.save_target(publish=False)
    return client.get(reverse("wagtail_localize:preview_translation", args=[translation.pk]))


# Previews shown in the admin's frames (preview panel, translation editor), then those opened in
# a tab of their own (revision in the history, "View draft"), which only the policy concerns.
FRAMED = {
    "preview on edit": preview_on_edit,
    "preview on add": preview_on_add,
    "translation preview": preview_translation,
}
IN_A_TAB = {"revision preview": preview_revision, "view draft": view_draft}


def public_directives(client):
    anonymous = client.__class__()
    response = anonymous.get("/en/about/")
    assert response.status_code == 200
    return policy(response)


@pytest.mark.parametrize("kind", [*FRAMED, *IN_A_TAB])
def test_a_preview_may_be_framed_by_the_admin_and_keeps_the_public_policy(
    client, moderator, about, kind
):
    response = {**FRAMED, **IN_A_TAB}[kind](client, about)

    assert response.status_code == 200, response.content[:500]
    assert DRAFT_TITLE in response.content.decode()
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'self'"]
    assert "*" not in response["Content-Security-Policy"]
    # Everything else is the public site's policy: no inline script or style in the preview.
    expected = {**public_directives(client), "frame-ancestors": ["'self'"]}
    assert directives == expected
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    if kind in FRAMED:
        assert response["X-Frame-Options"] == "SAMEORIGIN"
    else:
        assert response["X-Frame-Options"] in ("SAMEORIGIN", "DENY")


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "moderator"])
def test_public_pages_still_forbid_framing_after_a_preview(client, about, logged_in, request):
    if logged_in:
        request.getfixturevalue("moderator")
        preview_on_edit(client, about)

    response = client.get("/en/about/")

    assert response.status_code == 200
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
