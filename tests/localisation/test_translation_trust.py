"""Issue 23's scenarios, through the real admin views as each role sends them: nobody publishes
outside their role or language through wagtail-localize's views, a live French page does not
change before review, and only published English enters the queue."""

from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.urls import get_resolver, reverse
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from ngo_site.translation_queue.localize_guard import NAMESPACE, RULES
from ngo_site.translation_queue.models import QueueEntry
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def page_state(page):
    page = Page.objects.get(pk=page.pk)
    return (page.live, page.live_revision_id, page.last_published_at, page.title)


@pytest.fixture
def translated_pair(trees, french, moderator, client_for, django_capture_on_commit_callbacks):
    def make(paragraphs=("Pickers sort waste.", "Cities pay.")):
        with django_capture_on_commit_callbacks(execute=True):
            english, french_page, translation = _translated_pair(
                trees, french, client_for(moderator), paragraphs
            )
        french_page = Page.objects.get(pk=french_page.pk).specific
        assert french_page.live
        return english, french_page, translation

    return make


def _translated_pair(trees, french, client, paragraphs):
    """A published English page and its French translation, fully translated and published
    (through the moderator's `client`)."""
    english = StandardPageFactory(
        parent=trees["en_home"],
        title="Waste pickers",
        body=[{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs],
    )
    submit = reverse("wagtail_localize:submit_page_translation", args=[english.pk])
    assert client.post(submit, {"locales": [french.pk]}).status_code == 302
    translation = Translation.objects.get(
        source__object_id=english.translation_key, target_locale=french
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    translation.import_po(po)
    french_page = english.get_translation(french)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[french_page.pk]), {"action": "publish"}
    )
    assert response.status_code == 302
    return english, french_page, translation


def test_every_wagtail_localize_view_has_a_rule_and_an_unknown_one_is_refused(translator, client):
    names = set()

    def walk(patterns, namespaces):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, [*namespaces, pattern.namespace])
            elif NAMESPACE in namespaces and pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns, [])
    assert names, "wagtail-localize's URLs were not found"
    assert names <= set(RULES), f"views without a rule: {sorted(names - set(RULES))}"


def test_a_translator_cannot_create_or_publish_english_from_a_french_page(
    trees, translator, moderator, client_for, english, french
):
    french_only = StandardPageFactory(parent=trees["fr_home"], title="Seulement en français")
    client = client_for(translator)
    submit = reverse("wagtail_localize:submit_page_translation", args=[french_only.pk])

    response = client.post(submit, {"locales": [english.pk]})

    assert response.status_code == 302
    assert any("cannot start translations into English" in m for m in messages_of(response))
    assert not Page.objects.filter(
        translation_key=french_only.translation_key, locale=english
    ).exists()

    # An English draft made by someone allowed: the translator still cannot publish it through
    # the sync view's "publish immediately".
    assert client_for(moderator).post(submit, {"locales": [english.pk]}).status_code == 302
    english_draft = Page.objects.get(translation_key=french_only.translation_key, locale=english)
    assert not english_draft.live
    source = TranslationSource.objects.get(object_id=french_only.translation_key)
    update = reverse("wagtail_localize:update_translations", args=[source.pk])
    response = client_for(translator).post(update, {"publish_translations": "on"})
    assert response.status_code in (302, 403)
    assert not Page.objects.get(pk=english_draft.pk).live


def test_an_editor_cannot_republish_the_french_site(editor, client_for, translated_pair):
    english, french_page, translation = translated_pair()
    before = page_state(french_page)
    english.body = [{"type": "paragraph", "value": "<p>Pickers sort plastic.</p>"}]
    english.save_revision().publish()
    update = reverse("wagtail_localize:update_translations", args=[translation.source.pk])

    response = client_for(editor).post(update, {"publish_translations": "on"})

    assert response.status_code in (302, 403)
    assert page_state(french_page) == before
    assert "Pickers sort plastic." not in client_for(editor).get(french_page.url).content.decode()


def test_sync_and_publish_is_refused_even_to_moderators(moderator, client_for, translated_pair):
    client = client_for(moderator)
    english, french_page, translation = translated_pair()
    before = page_state(french_page)
    english.body = [{"type": "paragraph", "value": "<p>Pickers sort plastic.</p>"}]
    english.save_revision().publish()
    update = reverse("wagtail_localize:update_translations", args=[translation.source.pk])

    response = client.post(update, {"publish_translations": "on"})

    assert response.status_code == 302
    assert any("not published by a sync" in m for m in messages_of(response))
    assert page_state(french_page) == before
    # A plain sync is allowed; publishing with the changed segment untranslated is refused, so
    # the English never replaces French on the live page.
    assert client.post(update, {}).status_code == 302
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[french_page.pk]), {"action": "publish"}
    )
    assert any("1 segment is not translated yet" in m for m in messages_of(response)), messages_of(
        response
    )
    assert page_state(french_page) == before
    html = client.get(french_page.url).content.decode()
    assert "FR Cities pay." in html and "Pickers sort plastic." not in html


def test_saving_unreviewed_french_twice_keeps_the_live_page(
    translator, moderator, client_for, translated_pair
):
    _english, french_page, translation = translated_pair()
    before = page_state(french_page)
    public = client_for(moderator).get(french_page.url).content.decode()
    client = client_for(translator)
    segment = StringSegment.objects.filter(source=translation.source).first()
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    queue = "/admin/translation-queue/"
    review = reverse("translation_queue:send_for_review", args=[french_page.pk])

    for attempt in (1, 2):
        response = client.put(
            url,
            urlencode({"value": f"(NON RELU) {attempt}"}),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code in (200, 201)
        from ngo_site.translation_queue.drafts import save_translation_draft

        assert save_translation_draft(translation, user=translator)
        assert page_state(french_page) == before, f"after save {attempt}"
    assert client.post(review, {"next": queue}).status_code == 302

    page = Page.objects.get(pk=french_page.pk)
    assert page_state(page) == before
    assert page.has_unpublished_changes and page.workflow_in_progress
    assert "(NON RELU) 2" in str(page.get_latest_revision().content)
    anonymous = client_for(moderator).get(french_page.url).content.decode()
    assert anonymous == public
    assert "NON RELU" not in anonymous


def test_the_translators_editor_offers_send_for_review_and_not_publish(
    trees, translator, moderator, client_for, french
):
    english = StandardPageFactory(parent=trees["en_home"], title="Street vendors")
    client = client_for(translator)
    submit = reverse("wagtail_localize:submit_page_translation", args=[english.pk])
    assert client.post(submit, {"locales": [french.pk]}).status_code == 302
    french_page = english.get_translation(french)
    editor_url = reverse("wagtailadmin_pages:edit", args=[french_page.pk])

    html = client.get(editor_url).content.decode()
    assert "data-send-for-review" in html
    assert "&quot;canPublish&quot;: false" in html or '"canPublish": false' in html
    moderator_html = client_for(moderator).get(editor_url).content.decode()
    assert "data-send-for-review" not in moderator_html
    # A translator's "publish" through the editor is refused by Wagtail's own permission.
    client.post(editor_url, {"action": "publish"})
    assert not Page.objects.get(pk=french_page.pk).live


def test_only_published_english_enters_the_queue(trees, editor, client_for, french):
    client = client_for(editor)
    add = reverse("wagtailadmin_pages:add", args=["ngo_site", "standardpage", trees["en_home"].pk])
    from tests.editorial.conftest import standard_page_form

    response = client.post(add, standard_page_form("Unapproved plan", "unapproved-plan"))
    assert response.status_code == 302
    draft = Page.objects.get(slug="unapproved-plan")
    assert not draft.live
    from ngo_site.translation_queue.entries import refresh_pending

    refresh_pending()
    assert not QueueEntry.objects.filter(translation_key=draft.translation_key).exists()

    draft.specific.get_latest_revision().publish()
    refresh_pending()
    entry = QueueEntry.objects.get(translation_key=draft.translation_key, target_locale=french)
    assert entry.status == "missing"


def test_the_queue_and_the_editor_name_the_reviewer(
    trees, translator, moderator, client_for, french
):
    english = StandardPageFactory(parent=trees["en_home"], title="Street vendors")
    client = client_for(translator)
    submit = reverse("wagtail_localize:submit_page_translation", args=[english.pk])
    assert client.post(submit, {"locales": [french.pk]}).status_code == 302
    moderator.first_name, moderator.last_name = "Maya", "Okafor"
    moderator.save()
    assign = reverse("translation_queue:assign")
    response = client.post(
        assign,
        {
            "translation_key": english.translation_key,
            "locale": "fr",
            "assignee": "me",
            "reviewer": moderator.pk,
        },
    )
    assert response.status_code == 302

    queue = client.get(reverse("translation_queue:index")).content.decode()
    assert "Reviewed by Maya Okafor" in queue
    french_page = english.get_translation(french)
    editor_html = client.get(reverse("wagtailadmin_pages:edit", args=[french_page.pk]))
    assert "Maya Okafor" not in editor_html.content.decode()  # not in review yet
    translation = Translation.objects.get(
        source__object_id=english.translation_key, target_locale=french
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    translation.import_po(po)
    review = reverse("translation_queue:send_for_review", args=[french_page.pk])
    assert client.post(review).status_code == 302
    html = client.get(reverse("wagtailadmin_pages:edit", args=[french_page.pk])).content.decode()
    assert "waiting for review by Maya Okafor" in html
    assert "data-send-for-review" not in html
