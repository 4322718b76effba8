"""A member of the "Translators" group, through the real admin views: wagtail-localize's
submit view and editor, the translation queue, and Wagtail's page and snippet views.

The users come from the editorial roles fixtures (tests/editorial/conftest.py): nothing here
grants a permission, so the tests check what the role really allows.
"""

from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from ngo_site.models import FooterContent
from ngo_site.translation_queue.models import TranslationAssignment
from tests.site.factories import FooterContentFactory, StandardPageFactory

# The editorial roles' fixtures (users in the real groups, the English and French trees).

pytestmark = pytest.mark.django_db

QUEUE = "/admin/translation-queue/"
BULK_CLAIM = "/admin/bulk/translation_queue/queueentry/claim/"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def refused_with(response, text):
    """Wagtail (and our hooks) refuse an admin action by redirecting to the dashboard with a
    message."""
    return (
        response.status_code == 302
        and response.url == reverse("wagtailadmin_home")
        and any(text in message for message in messages_of(response))
    )


@pytest.fixture
def english_page(trees):
    return StandardPageFactory(
        parent=trees["en_home"],
        title="Waste pickers",
        body=[
            {"type": "paragraph", "value": "<p>Pickers sort waste.</p>"},
            {"type": "paragraph", "value": "<p>Cities pay them.</p>"},
        ],
    )


def test_translator_translates_a_page_from_creation_to_review(
    english_page, trees, translator, moderator, client_for, french
):
    client = client_for(translator)
    # wagtail-localize's "Translate this page" view.
    submit = reverse("wagtail_localize:submit_page_translation", args=[english_page.pk])
    assert client.get(submit).status_code == 200
    response = client.post(submit, {"locales": [french.pk]})
    assert response.status_code == 302
    french_page = english_page.get_translation(french)
    assert not french_page.live  # a draft until reviewed
    translation = Translation.objects.get(
        source__object_id=english_page.translation_key, target_locale=french
    )

    # The translation editor (Wagtail's edit view, taken over by wagtail-localize) and the
    # API its segments are saved through.
    edit = reverse("wagtailadmin_pages:edit", args=[french_page.pk])
    editor = client.get(edit)
    assert editor.status_code == 200
    assert "Pickers sort waste." in editor.content.decode()
    french_strings = {
        "Pickers sort waste.": "Les récupérateurs trient les déchets.",
        "Cities pay them.": "Les villes les paient.",
    }
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
        response = client.put(
            url,
            urlencode({"value": french_strings.get(segment.string.data, segment.string.data)}),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 201, response.content
    assert StringTranslation.objects.filter(
        locale=french, data="Les villes les paient.", last_translated_by=translator
    ).exists()

    # Send for review from the queue: the French page goes into the moderation workflow.
    queue = client.get(QUEUE + "?status=ready_for_review")
    assert queue.status_code == 200
    assert "Send for review" in queue.content.decode()
    response = client.post(
        reverse("translation_queue:send_for_review", args=[french_page.pk]), {"next": QUEUE}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE  # back to the queue
    assert any("was sent for review" in message for message in messages_of(response))
    state = WorkflowState.objects.get(object_id=str(french_page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == translator
    french_page = Page.objects.get(pk=french_page.pk).specific
    assert "Les villes les paient." in str(french_page.get_latest_revision().content)
    assert not french_page.live

    # The translator sees it in review but cannot approve it; a moderator can, and publishes.
    queue = client.get(QUEUE).content.decode()
    assert "in review" in queue and "Approve and publish" not in queue
    moderator_client = client_for(moderator)
    queue = moderator_client.get(QUEUE).content.decode()
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[french_page.pk, "approve", state.current_task_state_id],
    )
    assert approve in queue
    approved = moderator_client.post(approve, {"next": QUEUE})
    # Back on the queue, with a confirmation (Wagtail's view gives none of its own).
    assert approved.status_code == 302 and approved["Location"] == QUEUE
    assert any(
        message.strip() == f"“{french_page.title}” was approved and published."
        for message in messages_of(approved)
    )
    french_page = Page.objects.get(pk=french_page.pk).specific
    assert french_page.live
    assert "Les villes les paient." in str(french_page.body)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_translator_cannot_send_an_english_page_for_review(english_page, translator, client_for):
    client = client_for(translator)
    response = client.post(reverse("translation_queue:send_for_review", args=[english_page.pk]))
    assert response.status_code == 302
    assert not WorkflowState.objects.filter(object_id=str(english_page.pk)).exists()
    assert any("Only translations" in message for message in messages_of(response))


def test_translator_cannot_edit_or_publish_an_english_page(english_page, translator, client_for):
    client = client_for(translator)
    edit = reverse("wagtailadmin_pages:edit", args=[english_page.pk])
    assert refused_with(client.get(edit), "permission")
    response = client.post(edit, {"title": "Changed", "slug": "x", "action-publish": "1"})
    assert refused_with(response, "permission")
    english_page.refresh_from_db()
    assert english_page.title == "Waste pickers"


def test_translator_cannot_delete_pages(trees, translator, client_for):
    client = client_for(translator)
    for page in (trees["fr_page"], trees["en_page"]):
        delete = reverse("wagtailadmin_pages:delete", args=[page.pk])
        assert client.get(delete).status_code == 302
        response = client.post(delete)
        assert response.status_code == 302
        assert Page.objects.filter(pk=page.pk).exists()
    # The French page is live and translators do not publish: Wagtail refuses first; an
    # unpublished French page is refused by our hook.
    french_draft = trees["fr_page"].copy(
        update_attrs={"slug": "brouillon", "title": "Brouillon", "live": False}
    )
    french_delete = reverse("wagtailadmin_pages:delete", args=[french_draft.pk])
    assert refused_with(client.post(french_delete), "Translators cannot delete pages.")
    assert Page.objects.filter(pk=french_draft.pk).exists()


def test_translator_cannot_edit_english_snippets(trees, translator, client_for, english, french):
    english_footer = FooterContentFactory(locale=english)
    french_footer = english_footer.copy_for_translation(french)
    french_footer.save()
    client = client_for(translator)

    def edit(footer):
        return reverse("wagtailsnippets_ngo_site_footercontent:edit", args=[footer.pk])

    assert refused_with(client.get(edit(english_footer)), "cannot edit the English source")
    response = client.post(edit(english_footer), {"name": "Changed"})
    assert refused_with(response, "cannot edit the English source")
    assert FooterContent.objects.get(pk=english_footer.pk).name == english_footer.name
    # A French footer that is not a synced translation: saving it would publish it unreviewed.
    assert refused_with(client.get(edit(french_footer)), "Only a moderator can change")


def test_the_queue_is_closed_to_anonymous_users_and_users_without_the_permission(
    client, trees, translator
):
    for url in (QUEUE, QUEUE + "import/", f"{QUEUE}changes/{trees['en_page'].translation_key}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url
    assert client.post(BULK_CLAIM).status_code == 302

    # Admin access but not wagtail-localize's "submit translation": no queue (Wagtail's admin
    # turns the refusal into its "no permission" redirect).
    clerk = get_user_model().objects.create_user("clerk", "clerk@example.org", "pw")
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(clerk)
    assert client.get("/admin/").status_code == 200
    for url in (QUEUE, QUEUE + "import/", f"{QUEUE}changes/{trees['en_page'].translation_key}/"):
        assert refused_with(client.get(url), "permission")
    for url in (BULK_CLAIM, QUEUE + "assign/", f"{QUEUE}review/{trees['fr_page'].pk}/"):
        assert refused_with(client.post(url), "permission")
    assert not TranslationAssignment.objects.exists()

    client.force_login(translator)
    assert client.get(QUEUE).status_code == 200


def test_translator_cannot_publish_a_french_snippet_by_saving_it(
    trees, translator, client_for, english, french
):
    """A snippet has no drafts: saving it publishes it. A French term that is not a synced
    translation is corrected by a moderator; a translator's edit of a synced one stays in the
    translation editor's strings until a moderator approves it in the queue."""
    from resources.models import Theme

    english_theme = Theme.objects.create(name="Social protection", locale=english)
    french_theme = english_theme.copy_for_translation(french)
    french_theme.name = "Protection social"
    french_theme.save()
    client = client_for(translator)
    edit = reverse("wagtailsnippets_resources_theme:edit", args=[french_theme.pk])

    assert refused_with(client.get(edit), "Only a moderator can change")
    assert refused_with(client.post(edit, {"name": "Protection sociale"}), "not a synced")
    assert Theme.objects.get(pk=french_theme.pk).name == "Protection social"
    assert Theme.objects.get(pk=english_theme.pk).name == "Social protection"
    # And the English term stays closed to them through the same view.
    english_edit = reverse("wagtailsnippets_resources_theme:edit", args=[english_theme.pk])
    assert refused_with(client.post(english_edit, {"name": "Changed"}), "English source")
    assert Theme.objects.get(pk=english_theme.pk).name == "Social protection"


def test_an_approval_from_the_dashboard_is_confirmed(
    english_page, trees, translator, moderator, client_for, french
):
    """The dashboard's "Awaiting your review" panel posts to Wagtail's workflow action view with
    the dashboard as `next`: the moderator gets a confirmation there. Approving again (a second
    click, a stale page) confirms nothing."""
    client = client_for(translator)
    submit = reverse("wagtail_localize:submit_page_translation", args=[english_page.pk])
    assert client.post(submit, {"locales": [french.pk]}).status_code == 302
    translation = Translation.objects.get(
        source__object_id=english_page.translation_key, target_locale=french
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    translation.import_po(po)
    french_page = english_page.get_translation(french)
    review = reverse("translation_queue:send_for_review", args=[french_page.pk])
    assert client.post(review).status_code == 302
    state = WorkflowState.objects.get(object_id=str(french_page.pk))

    moderator_client = client_for(moderator)
    dashboard = moderator_client.get(reverse("wagtailadmin_home")).content.decode()
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[french_page.pk, "approve", state.current_task_state_id],
    )
    assert approve in dashboard
    home = reverse("wagtailadmin_home")
    approved = moderator_client.post(approve, {"next": home})
    assert approved.status_code == 302 and approved["Location"] == home
    title = Page.objects.get(pk=french_page.pk).title
    assert [m.strip() for m in messages_of(approved)] == [f"“{title}” was approved and published."]
    assert Page.objects.get(pk=french_page.pk).live

    moderator_client.get(home)  # shows, and so uses up, the confirmation above
    again = moderator_client.post(approve, {"next": home})
    assert not any("was approved" in message for message in messages_of(again))
