"""Each role's allowed and forbidden actions, through the real Wagtail admin views."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page

from ngo_site import roles
from ngo_site.models import FooterContent, StandardPage

from .conftest import standard_page_form

pytestmark = pytest.mark.django_db


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("ngo_site", "standardpage", parent.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def refused(response):
    """Wagtail answers a forbidden admin action by redirecting to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_the_migration_creates_the_four_roles_and_renames_wagtails_editors():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLE_NAMES) <= names
    assert roles.WAGTAIL_EDITORS not in names


def test_partnerships_permissions_follow_the_renamed_editors_group():
    editors = Group.objects.get(name=roles.COMMUNICATIONS_EDITORS)
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"change_funder", "view_contactsubmission"} <= codenames
    assert "delete_contactsubmission" not in codenames


def test_applying_the_roles_again_changes_nothing(trees):
    from wagtail.models import GroupPagePermission

    before = (GroupPagePermission.objects.count(), Group.objects.count())
    roles.apply_roles()
    assert (GroupPagePermission.objects.count(), Group.objects.count()) == before


# --- Communications editors -------------------------------------------------------------------


def test_editor_creates_and_submits_an_english_page_which_is_not_published(
    trees, editor, client_for
):
    client = client_for(editor)
    assert client.get(add_url(trees["en_home"])).status_code == 200
    response = client.post(
        add_url(trees["en_home"]),
        standard_page_form("Our campaign", "our-campaign", **{"action-submit": "Submit"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = StandardPage.objects.get(slug="our-campaign")
    assert not page.live
    assert page.workflow_in_progress
    assert client.get("/en/our-campaign/").status_code == 404


def test_editor_asking_to_publish_only_saves_a_draft(trees, editor, client_for):
    client = client_for(editor)
    client.post(
        add_url(trees["en_home"]),
        standard_page_form("Press release", "press-release", **{"action-publish": "Publish"}),
    )
    page = StandardPage.objects.get(slug="press-release")
    assert not page.live
    response = client.post(
        edit_url(trees["en_page"]),
        standard_page_form("About us (new)", "about", **{"action-publish": "Publish"}),
    )
    assert response.status_code == 302
    trees["en_page"].refresh_from_db()
    assert trees["en_page"].title == "About us"  # the live title is unchanged
    assert trees["en_page"].has_unpublished_changes


def test_editor_cannot_edit_the_french_tree_or_unpublish(trees, editor, client_for):
    client = client_for(editor)
    assert refused(client.get(edit_url(trees["fr_page"])))
    assert refused(client.get(add_url(trees["fr_home"])))
    unpublish = reverse("wagtailadmin_pages:unpublish", args=(trees["en_page"].pk,))
    assert refused(client.post(unpublish))
    trees["en_page"].refresh_from_db()
    assert trees["en_page"].live


def test_editor_manages_images_and_snippets(trees, editor, client_for):
    client = client_for(editor)
    assert client.get(reverse("wagtailimages:add")).status_code == 200
    assert client.get(reverse("wagtaildocs:add")).status_code == 200
    footer_add = reverse("wagtailsnippets_ngo_site_footercontent:add")
    assert client.get(footer_add).status_code == 200


def test_editor_cannot_manage_users_or_groups(editor, client_for):
    client = client_for(editor)
    assert refused(client.get(reverse("wagtailusers_users:index")))
    assert refused(client.get(reverse("wagtailusers_groups:index")))


# --- Moderators -------------------------------------------------------------------------------


def test_moderator_publishes_and_unpublishes(trees, moderator, client_for):
    client = client_for(moderator)
    response = client.post(
        edit_url(trees["en_page"]),
        standard_page_form("About the network", "about", **{"action-publish": "Publish"}),
    )
    assert response.status_code == 302
    trees["en_page"].refresh_from_db()
    assert trees["en_page"].title == "About the network"
    assert trees["en_page"].live
    unpublish = reverse("wagtailadmin_pages:unpublish", args=(trees["en_page"].pk,))
    assert client.post(unpublish).status_code == 302
    trees["en_page"].refresh_from_db()
    assert not trees["en_page"].live


def test_moderator_sees_redirects_search_promotions_and_site_history(moderator, client_for):
    client = client_for(moderator)
    assert client.get(reverse("wagtailredirects:index")).status_code == 200
    assert client.get(reverse("wagtailsearchpromotions:index")).status_code == 200
    assert client.get(reverse("wagtailadmin_reports:site_history")).status_code == 200


# --- Translators ------------------------------------------------------------------------------


def test_translator_edits_a_french_page_but_publishing_only_saves_a_draft(
    trees, translator, client_for
):
    client = client_for(translator)
    assert client.get(edit_url(trees["fr_page"])).status_code == 200
    response = client.post(
        edit_url(trees["fr_page"]),
        standard_page_form("À propos du réseau", "a-propos", **{"action-publish": "Publier"}),
    )
    assert response.status_code == 302
    page = Page.objects.get(pk=trees["fr_page"].pk)
    assert page.title == "À propos"  # what visitors see is unchanged
    assert page.live and page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == "À propos du réseau"
    # Sending it for review is what a translator does instead.
    response = client.post(
        edit_url(trees["fr_page"]),
        standard_page_form("À propos du réseau", "a-propos", **{"action-submit": "Soumettre"}),
    )
    assert response.status_code == 302
    page = Page.objects.get(pk=trees["fr_page"].pk)
    assert page.workflow_in_progress and page.title == "À propos"


def test_translator_cannot_edit_or_publish_english(trees, translator, client_for):
    client = client_for(translator)
    assert refused(client.get(edit_url(trees["en_page"])))
    response = client.post(
        edit_url(trees["en_page"]),
        standard_page_form("Changed", "about", **{"action-publish": "Publish"}),
    )
    assert refused(response)
    trees["en_page"].refresh_from_db()
    assert trees["en_page"].title == "About us"
    assert refused(client.get(add_url(trees["en_home"])))


def test_translator_cannot_delete_pages(trees, translator, client_for):
    client = client_for(translator)
    delete = reverse("wagtailadmin_pages:delete", args=(trees["fr_page"].pk,))
    assert refused(client.post(delete))
    assert Page.objects.filter(pk=trees["fr_page"].pk).exists()


def test_moderator_can_delete_a_page_the_translator_could_not(trees, moderator, client_for):
    delete = reverse("wagtailadmin_pages:delete", args=(trees["fr_page"].pk,))
    client_for(moderator).post(delete)
    assert not Page.objects.filter(pk=trees["fr_page"].pk).exists()


def test_translator_edits_french_snippets_only(trees, translator, client_for, english, french):
    from tests.site.factories import FooterContentFactory

    english_footer = FooterContentFactory(locale=english)
    french_footer = english_footer.copy_for_translation(french)
    french_footer.save()
    client = client_for(translator)

    def edit(footer):
        return reverse("wagtailsnippets_ngo_site_footercontent:edit", args=(footer.pk,))

    # Not a synced translation: a moderator changes it (saving a snippet publishes it).
    assert refused(client.get(edit(french_footer)))
    assert refused(client.get(edit(english_footer)))
    delete = reverse("wagtailsnippets_ngo_site_footercontent:delete", args=(french_footer.pk,))
    assert refused(client.post(delete))
    assert FooterContent.objects.filter(pk=french_footer.pk).exists()


def test_translators_start_translations_and_editors_do_not(translator, editor):
    assert translator.has_perm("wagtail_localize.submit_translation")
    assert not editor.has_perm("wagtail_localize.submit_translation")


# --- Administrators ---------------------------------------------------------------------------


def test_administrators_do_everything(trees, administrator, client_for):
    client = client_for(administrator)
    assert client.get(reverse("wagtailusers_groups:index")).status_code == 200
    assert client.get(edit_url(trees["fr_page"])).status_code == 200
    delete = reverse("wagtailadmin_pages:delete", args=(trees["en_page"].pk,))
    client.post(delete)
    assert not Page.objects.filter(pk=trees["en_page"].pk).exists()
