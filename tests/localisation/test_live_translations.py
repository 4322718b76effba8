"""Issue 23: a live translation only changes when someone allowed approves it, and nothing
translated is lost.

A French page is live with 20 translated segments; its English source changes. Every way new
French reaches the French page before review -- a sync from the source (wagtail-localize's
update view and the queue's bulk sync), a PO or XLIFF file from an outside translator (the
queue's export and import), machine translation (the queue's bulk pre-fill and
wagtail-localize's own view), the editor's string edits and the queue's "send for review" --
is run through the real admin views, and after each one what visitors get is compared with
what they got before: the public HTML byte for byte, and every column of the French page's row
but Wagtail's draft bookkeeping. Each path does change something (its draft revision or
wagtail-localize's strings, asserted too), so the comparisons are not vacuous: had
translation_queue.drafts written the translated content on the page's row (as
wagtail-localize's `save_target` does), the row's body and the public HTML would show the
"(NON RELU)" French of the import at once; had the middleware let `publish_translations`
through, or the hook let the editor's "publish" through with untranslated segments, the
English text of the changed paragraphs would be live (their on-commit publication is run in
these tests, see `run_on_commit`).

The users are the real roles (tests/editorial/conftest.py): nothing here grants a permission.

Each safeguard was broken in memory (a pytest plugin patching the code under test, no file
changed) to check that these tests catch it:
- save_translation_draft calling wagtail-localize's save_target(publish=False): the first
  test fails at the PO import (the live row's body shows "(NON RELU)" and the new English),
  the third at the import while in review;
- save_translation_draft publishing its revision: the same, with live_revision_id and
  last_published_at changed too;
- the guard letting `publish_translations` through: the first test fails at the update view
  (the new English of the 5 paragraphs live);
- the hook letting the editor's publish through with untranslated segments: it fails at the
  moderator's publish (the same);
- send_for_review not counting untranslated segments: it fails at the refusal message;
- the previous French left out of the suggestions: the second test fails;
- WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT off: the third test fails (the approval of the
  revision sent for review publishes the later "(NON RELU)" draft).
"""

import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from urllib.parse import urlencode

import polib
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page, WorkflowState
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from ngo_site import roles
from ngo_site.models import StandardPage
from ngo_site.translation_queue.drafts import untranslated_segments
from ngo_site.translation_queue.exchange import XLIFF_NAMESPACE
from ngo_site.translation_queue.suggestions import segment_suggestions
from tests.site.factories import StandardPageFactory

# The editorial roles' fixtures (users in the real groups, the English and French trees).

pytestmark = pytest.mark.django_db

QUEUE = "/admin/translation-queue/"
BULK = "/admin/bulk/translation_queue/queueentry/"
XLIFF = f"{{{XLIFF_NAMESPACE}}}"

# Title, slug, summary and 17 paragraphs: 20 text segments.
PARAGRAPHS = 17
CHANGED = (1, 4, 7, 10, 13)  # the English paragraphs rewritten after the French went live

# The columns Wagtail's save_revision() writes on the row for a draft: they are the admin's
# bookkeeping ("has a draft", its title in listings), never shown to visitors.
DRAFT_BOOKKEEPING = {
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "draft_title",
}


def english_text(n):
    return f"English paragraph {n:02d} about street vendors."


def rewritten_text(n):
    return f"Rewritten paragraph {n:02d} about covered city markets."


def french_text(n):
    return f"Paragraphe {n:02d} sur les vendeurs de rue."


def reviewed_text(n):
    return f"Paragraphe {n:02d} revu sur les marchés couverts."


FRENCH_TITLE = "Vendeurs de rue"
FRENCH_SLUG = "vendeurs-de-rue"
FRENCH_SUMMARY = "Ce que font les vendeurs de rue."


def earlier_french_of(source_text):
    """The French first published for each English text of the page."""
    by_source = {
        "Street vendors": FRENCH_TITLE,
        "street-vendors": FRENCH_SLUG,
        "What street vendors do.": FRENCH_SUMMARY,
    }
    by_source.update({english_text(n): french_text(n) for n in range(PARAGRAPHS)})
    return by_source[source_text]


# --- helpers ------------------------------------------------------------------------------


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def refused_with(response, text):
    """(Whether the response is a refusal with `text`, the messages shown): the admin, our
    middleware and our hooks refuse by redirecting to the dashboard with a message."""
    return (
        response.status_code == 302
        and response.url == reverse("wagtailadmin_home")
        and any(text in message for message in messages_of(response)),
        messages_of(response),
    )


def row(page, locale):
    return f"{page.translation_key}:{locale.pk}"


def segments_of(translation):
    """{English text: StringSegment} of the translation's current source."""
    return {
        segment.string.data: segment
        for segment in StringSegment.objects.filter(source=translation.source).select_related(
            "string", "context"
        )
    }


def string_url(translation, segment):
    return reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])


def put_string(client, translation, segment, value):
    """What wagtail-localize's editor sends when a translator saves a segment."""
    response = client.put(
        string_url(translation, segment),
        urlencode({"value": value}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 201), response.content
    return response


def french_strings(translation):
    """{English text: French} of the translation's current segments ("" when untranslated)."""
    return {entry.msgid: entry.msgstr for entry in translation.export_po()}


def fresh(page):
    return StandardPage.objects.get(pk=page.pk)


def latest_draft(page):
    """The body of the page's latest revision, as text."""
    draft = fresh(page).get_latest_revision().as_object()
    return json.dumps(list(draft.body.raw_data), ensure_ascii=False)


def visitors_view(anonymous, french_page, url):
    """What visitors get: the public HTML of the French page (anonymous, no page cache in the
    test settings) and every column of its row but the draft bookkeeping."""
    page = fresh(french_page)
    fields = {}
    for field in StandardPage._meta.concrete_fields:
        if field.name in DRAFT_BOOKKEEPING:
            continue
        value = field.value_from_object(page)
        if isinstance(field, StreamField):
            value = json.dumps(list(value.raw_data), cls=DjangoJSONEncoder, sort_keys=True)
        fields[field.attname] = value
    response = anonymous.get(url)
    assert response.status_code == 200, url
    return {"html": response.content, "fields": fields}


def describe_change(before, after):
    """A short account of a changed column: for the body, the paragraphs that differ."""
    if isinstance(before, str) and before.startswith("[{"):
        pairs = zip(json.loads(before), json.loads(after), strict=False)
        return [(old["value"], new["value"]) for old, new in pairs if old != new]
    return (before, after)


class VisitorsView:
    """The French page as visitors see it, recorded once and compared after each path."""

    def __init__(self, french_page):
        self.page = french_page
        self.anonymous = Client()
        self.url = fresh(french_page).get_url()
        self.before = visitors_view(self.anonymous, french_page, self.url)

    def assert_unchanged(self, path):
        now = visitors_view(self.anonymous, self.page, self.url)
        changed = {
            name: describe_change(value, now["fields"][name])
            for name, value in self.before["fields"].items()
            if now["fields"][name] != value
        }
        assert not changed, f"{path} changed the live French page's row: {changed}"
        for name in ("live", "live_revision_id", "last_published_at", "title", "body"):
            assert now["fields"][name] == self.before["fields"][name], (path, name)
        html = now["html"].decode()
        assert "NON RELU" not in html, f"{path}: unreviewed French is public"
        for n in CHANGED:
            assert rewritten_text(n) not in html, f"{path}: new English text on the French page"
            assert rewritten_text(n) not in now["fields"]["body"], path
        assert now["html"] == self.before["html"], f"{path} changed the public HTML"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """wagtail-localize publishes (save_target(publish=True)) when the transaction commits,
    which a test's transaction never does: requests that could publish are run inside this,
    which runs the callbacks, so a publication that slipped through would be seen."""

    def run(request, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(*args, **kwargs)

    return run


def approve(moderator_client, page):
    state = WorkflowState.objects.get(
        object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state_id],
    )
    response = moderator_client.post(url, {"next": QUEUE})
    assert response.status_code == 302, response.content
    return state


def upload(client, name, content):
    data = content.encode() if isinstance(content, str) else content
    response = client.post(QUEUE + "import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200, response.content
    return response.content.decode()


def bulk(client, action, rows, **form):
    """One of the queue's bulk actions, as Wagtail's bulk-action footer sends it."""
    query = urlencode([("id", row) for row in rows] + [("next", QUEUE)])
    return client.post(f"{BULK}{action}/?{query}", form)


# --- the live French page ------------------------------------------------------------------


@pytest.fixture
def live_french(trees, translator, moderator, french, run_on_commit):
    """An English page of 20 text segments translated into French by a translator in
    wagtail-localize's editor and published by a moderator; then 5 of its English paragraphs
    are rewritten and the English page is published."""
    page = StandardPageFactory(
        parent=trees["en_home"],
        title="Street vendors",
        slug="street-vendors",
        summary="What street vendors do.",
        body=[
            {"type": "paragraph", "value": f"<p>{english_text(n)}</p>"} for n in range(PARAGRAPHS)
        ],
    )
    translator_client = client_of(translator)
    submit = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    assert translator_client.post(submit, {"locales": [french.pk]}).status_code == 302
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=french
    )
    segments = segments_of(translation)
    assert len(segments) == 20, list(segments)
    for text, segment in segments.items():
        put_string(translator_client, translation, segment, earlier_french_of(text))
    french_page = page.get_translation(french)
    assert not french_page.live

    # The moderator publishes from wagtail-localize's editor (every segment is translated).
    moderator_client = client_of(moderator)
    edit = reverse("wagtailadmin_pages:edit", args=[french_page.pk])
    response = run_on_commit(moderator_client.post, edit, {"action": "publish"})
    assert response.status_code == 302 and response.url == edit, messages_of(response)
    french_page = fresh(french_page)
    assert french_page.live and french_page.title == FRENCH_TITLE
    assert french_page.url_path.endswith(f"/{FRENCH_SLUG}/")
    earlier = french_strings(translation)
    assert earlier == {text: earlier_french_of(text) for text in segments}

    # The English page changes: 5 paragraphs rewritten, published by its editors.
    english_page = Page.objects.get(pk=page.pk).specific
    blocks = [dict(block) for block in english_page.body.raw_data]
    for n in CHANGED:
        blocks[n]["value"] = f"<p>{rewritten_text(n)}</p>"
    english_page.body = blocks
    english_page.save_revision().publish()

    return {
        "english_page": page,
        "french_page": french_page,
        "translation": translation,
        "earlier": earlier,
        "translator_client": translator_client,
        "moderator_client": moderator_client,
    }


def test_every_path_leaves_the_live_french_page_unchanged_until_a_moderator_approves(
    live_french, french, make_user, run_on_commit
):
    assert settings.PAGE_CACHE_SECONDS == 0  # the public HTML below comes from the database
    english_page = live_french["english_page"]
    french_page = live_french["french_page"]
    translation = live_french["translation"]
    translator_client = live_french["translator_client"]
    moderator_client = live_french["moderator_client"]
    visitors = VisitorsView(french_page)
    html = visitors.before["html"].decode()
    assert all(french_text(n) in html for n in range(PARAGRAPHS)) and FRENCH_TITLE in html
    assert visitors.url.startswith("/fr/") and visitors.url.endswith(f"/{FRENCH_SLUG}/")
    visitors.assert_unchanged("publishing the English page")
    source = TranslationSource.objects.get(object_id=english_page.translation_key)
    item = [row(english_page, french)]

    # (a) Sync from the source: the queue's bulk sync ...
    response = bulk(translator_client, "sync", item)
    assert messages_of(response)[-1] == "1 item synced from the source."
    assert untranslated_segments(fresh(french_page)) == 5
    assert {rewritten_text(n) for n in CHANGED} <= set(segments_of(translation))
    visitors.assert_unchanged("the queue's bulk sync")
    # ... and wagtail-localize's update view, without "publish".
    synced_at = TranslationSource.objects.get(pk=source.pk).last_updated_at
    update = reverse("wagtail_localize:update_translations", args=[source.pk])
    response = run_on_commit(translator_client.post, update, {})
    assert response.status_code == 302 and response.url != reverse("wagtailadmin_home")
    assert TranslationSource.objects.get(pk=source.pk).last_updated_at > synced_at  # it ran
    visitors.assert_unchanged("wagtail-localize's update view")

    # "Sync and publish" is refused to everyone, moderators and administrators included;
    # nothing is synced or published.
    synced_at = TranslationSource.objects.get(pk=source.pk).last_updated_at
    administrator = make_user(roles.ADMINISTRATORS)
    for client in (translator_client, moderator_client, client_of(administrator)):
        response = run_on_commit(client.post, update, {"publish_translations": "on"})
        visitors.assert_unchanged("the update view with publish_translations")
        ok, shown = refused_with(response, "Translations are not published by a sync")
        assert ok, shown
        assert TranslationSource.objects.get(pk=source.pk).last_updated_at == synced_at

    # The moderator cannot publish from wagtail-localize's editor while 5 segments wait.
    edit = reverse("wagtailadmin_pages:edit", args=[french_page.pk])
    response = run_on_commit(moderator_client.post, edit, {"action": "publish"})
    visitors.assert_unchanged("the moderator's publish with untranslated segments")
    ok, shown = refused_with(response, "was not published: 5 segments are not translated yet")
    assert ok, shown

    # (d) Sending for review is refused too while segments are untranslated.
    review = reverse("translation_queue:send_for_review", args=[french_page.pk])
    response = translator_client.post(review, {"next": QUEUE})
    visitors.assert_unchanged("send for review with untranslated segments")
    assert (
        "cannot be sent for review: 5 segments are not translated yet"
        in (messages_of(response)[-1])
    )
    assert not WorkflowState.objects.filter(object_id=str(french_page.pk)).exists()

    # (b) A PO file from an outside translator: two changed paragraphs, unreviewed French.
    response = bulk(translator_client, "export_po", item)
    assert response.status_code == 200
    po = polib.pofile(response.content.decode())
    for entry in po:
        if entry.msgid in (rewritten_text(CHANGED[0]), rewritten_text(CHANGED[1])):
            assert entry.msgstr == ""
            entry.msgstr = f"(NON RELU) {entry.msgid}"
    report = upload(translator_client, "translations.po", str(po))
    assert "2 translations imported." in report
    assert "(NON RELU)" in latest_draft(french_page)  # the import saved a draft with it
    visitors.assert_unchanged("the queue's PO import")

    # ... and an XLIFF file: one more changed paragraph.
    response = bulk(translator_client, "export_xliff", item)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    for unit in root.iter(f"{XLIFF}trans-unit"):
        if unit.find(f"{XLIFF}source").text == rewritten_text(CHANGED[2]):
            unit.find(f"{XLIFF}target").text = f"(NON RELU) XLIFF {rewritten_text(CHANGED[2])}"
    report = upload(
        translator_client,
        "translations.xlf",
        ET.tostring(root, encoding="utf-8", xml_declaration=True),
    )
    assert "1 translation imported." in report
    assert "(NON RELU) XLIFF" in latest_draft(french_page)
    visitors.assert_unchanged("the queue's XLIFF import")

    # (c) Machine translation: wagtail-localize's own view fills the last two paragraphs ...
    machine_url = reverse("wagtail_localize:machine_translate", args=[translation.pk])
    response = run_on_commit(translator_client.post, machine_url, {"next": QUEUE})
    assert response.status_code == 302
    strings = french_strings(translation)
    machine = {n: " ".join(reversed(rewritten_text(n).split())) for n in CHANGED[3:]}
    assert all(strings[rewritten_text(n)] == machine[n] for n in CHANGED[3:])  # the dummy's
    visitors.assert_unchanged("wagtail-localize's machine translation")
    # ... one is deleted in the editor, and the queue's bulk pre-fill translates it again and
    # saves a draft.
    segment = segments_of(translation)[rewritten_text(CHANGED[4])]
    assert translator_client.delete(string_url(translation, segment)).status_code == 200
    visitors.assert_unchanged("a string deleted in wagtail-localize's editor")
    response = bulk(translator_client, "machine_translate", item)
    assert messages_of(response)[-1] == (
        "1 item pre-filled with machine translation (Dummy translator)."
    )
    assert machine[CHANGED[4]] in latest_draft(french_page)
    for text in (*machine.values(), "(NON RELU)"):
        assert text not in visitors.before["html"].decode()
    visitors.assert_unchanged("the queue's machine translation")

    # (d) The translator reviews the five paragraphs in wagtail-localize's editor ...
    segments = segments_of(translation)
    for n in CHANGED:
        put_string(translator_client, translation, segments[rewritten_text(n)], reviewed_text(n))
    assert untranslated_segments(fresh(french_page)) == 0
    visitors.assert_unchanged("string edits in wagtail-localize's editor")
    # ... and sends the page for review: a draft, in the moderators' workflow.
    response = translator_client.post(review, {"next": QUEUE})
    assert "was sent for review" in messages_of(response)[-1], messages_of(response)
    state = WorkflowState.objects.get(object_id=str(french_page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    draft = latest_draft(french_page)
    assert all(reviewed_text(n) in draft for n in CHANGED)
    visitors.assert_unchanged("send for review")

    # The moderator approves: visitors now get the reviewed French, with the 15 unchanged
    # segments' French kept.
    approve(moderator_client, french_page)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    published = fresh(french_page)
    assert published.live
    assert published.live_revision_id != visitors.before["fields"]["live_revision_id"]
    assert published.title == FRENCH_TITLE and published.get_url() == visitors.url
    html = visitors.anonymous.get(visitors.url).content.decode()
    for n in range(PARAGRAPHS):
        if n in CHANGED:
            assert (
                reviewed_text(n) in html
                and french_text(n) not in html
                and rewritten_text(n) not in html
            )
        else:
            assert french_text(n) in html
    assert FRENCH_SUMMARY in html and "NON RELU" not in html and "English paragraph" not in html
    assert not any(text in html for text in machine.values())


# --- nothing translated is lost ------------------------------------------------------------

SUGGESTION_ROW = re.compile(
    r'<tr data-segment="[^"]+">\s*<td>(?P<before>.*?)</td>\s*<td>(?P<now>.*?)</td>\s*'
    r'<td class="translation-queue__suggestion">(?P<suggestion>.*?)</td>',
    re.S,
)


def offered_suggestions(client, english_page, french_locale):
    """{English text before the change: previous French offered} for the segments waiting
    for French, from `segment_suggestions` -- checked against the queue's changes page, which
    must show the same rows to the translator."""
    suggestions = segment_suggestions(
        english_page.translation_key, english_page.locale, french_locale
    )
    offered = {item.source_before: item.previous_translation for item in suggestions}
    changes_url = reverse("translation_queue:changes", args=[english_page.translation_key])
    html = client.get(changes_url, {"locale": "fr"}).content.decode()
    shown = {
        unescape(match["before"]): (unescape(match["now"]), unescape(match["suggestion"]))
        for match in SUGGESTION_ROW.finditer(html)
    }
    assert shown == {
        item.source_before: (item.source_now, item.previous_translation) for item in suggestions
    }
    return offered


def test_nothing_translated_is_lost(live_french, french):
    """After edit English -> sync -> import -> review -> publish, each of the 20 French strings
    published before is either still live (the 15 whose English did not change) or was offered
    to the translator as the suggestion for its segment until that segment got new French (the
    5 whose English changed), and stays in wagtail-localize's strings."""
    english_page = live_french["english_page"]
    french_page = live_french["french_page"]
    translation = live_french["translation"]
    translator_client = live_french["translator_client"]
    earlier = live_french["earlier"]  # {English text: French} as first published
    assert len(earlier) == 20
    changed = {english_text(n): rewritten_text(n) for n in CHANGED}
    offered_at = {}  # English text before the change: the stages its French was offered at

    def record(stage, expected_waiting):
        offered = offered_suggestions(translator_client, english_page, french)
        assert set(offered) == expected_waiting, stage
        for before, suggestion in offered.items():
            assert suggestion == earlier[before], (stage, before)
            offered_at.setdefault(before, []).append(stage)

    # Before the sync: the change recorded when the English page was published.
    record("before the sync", set(changed))
    # The sync keeps the French of the 15 unchanged segments and offers the 5 others'.
    source = TranslationSource.objects.get(object_id=english_page.translation_key)
    update = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert translator_client.post(update, {}).status_code == 302
    strings = french_strings(translation)
    for before, french_now in earlier.items():
        if before in changed:
            assert strings[changed[before]] == ""
        else:
            assert strings[before] == french_now, before
    record("after the sync", set(changed))

    # A PO file brings French for 3 of the 5: the last 2 still get their previous French.
    item = [row(english_page, french)]
    po = polib.pofile(bulk(translator_client, "export_po", item).content.decode())
    first, rest = CHANGED[:3], CHANGED[3:]
    for entry in po:
        for n in first:
            if entry.msgid == rewritten_text(n):
                entry.msgstr = reviewed_text(n)
    assert "3 translations imported." in upload(translator_client, "fr.po", str(po))
    record("after the PO import", {english_text(n) for n in rest})
    # An XLIFF file brings the last 2.
    root = ET.fromstring(bulk(translator_client, "export_xliff", item).content)
    for unit in root.iter(f"{XLIFF}trans-unit"):
        for n in rest:
            if unit.find(f"{XLIFF}source").text == rewritten_text(n):
                unit.find(f"{XLIFF}target").text = reviewed_text(n)
    xliff = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    assert "2 translations imported." in upload(translator_client, "fr.xlf", xliff)
    assert offered_suggestions(translator_client, english_page, french) == {}

    # Review and publication.
    review = reverse("translation_queue:send_for_review", args=[french_page.pk])
    response = translator_client.post(review, {"next": QUEUE})
    assert "was sent for review" in messages_of(response)[-1], messages_of(response)
    approve(live_french["moderator_client"], french_page)
    published = fresh(french_page)
    url = published.get_url()
    html = Client().get(url).content.decode()

    for before, french_before in earlier.items():
        live = french_before in html or (
            before == "street-vendors" and url.endswith(f"/{french_before}/")
        )
        if before in changed:
            # Replaced by reviewed French, after being offered at every stage it waited.
            assert not live, before
            stages = ["before the sync", "after the sync"]
            if before in {english_text(n) for n in rest}:
                stages.append("after the PO import")
            assert offered_at.get(before) == stages, before
        else:
            assert live, f"{french_before!r} is no longer live"
            assert before not in offered_at
        # And wagtail-localize keeps it (keyed by the English it translated).
        assert StringTranslation.objects.filter(
            translation_of__data=before, locale=french, data=french_before
        ).exists(), before
    for n in CHANGED:
        assert reviewed_text(n) in html


def test_a_draft_saved_during_review_needs_its_own_approval(live_french, french):
    """The moderator approves what was sent for review: French saved as a draft afterwards (an
    import while the page is in review) does not go live with that approval; Wagtail asks for
    the new revision to be approved (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT), and what
    goes live is always a revision a moderator approved."""
    english_page = live_french["english_page"]
    french_page = live_french["french_page"]
    translation = live_french["translation"]
    translator_client = live_french["translator_client"]
    moderator_client = live_french["moderator_client"]
    item = [row(english_page, french)]
    assert messages_of(bulk(translator_client, "sync", item))[-1] == (
        "1 item synced from the source."
    )
    segments = segments_of(translation)
    for n in CHANGED:
        put_string(translator_client, translation, segments[rewritten_text(n)], reviewed_text(n))
    review = reverse("translation_queue:send_for_review", args=[french_page.pk])
    assert "was sent for review" in messages_of(translator_client.post(review))[-1]
    state = WorkflowState.objects.get(object_id=str(french_page.pk))
    sent_revision = state.current_task_state.revision_id
    assert sent_revision == fresh(french_page).latest_revision_id
    visitors = VisitorsView(french_page)

    # While the page is in review, an outside translator's file changes a reviewed paragraph.
    po = polib.pofile(bulk(translator_client, "export_po", item).content.decode())
    for entry in po:
        if entry.msgid == rewritten_text(CHANGED[0]):
            entry.msgstr = f"(NON RELU) {reviewed_text(CHANGED[0])}"
    assert "1 translation imported." in upload(translator_client, "fr.po", str(po))
    assert fresh(french_page).latest_revision_id != sent_revision
    assert "(NON RELU)" in latest_draft(french_page)
    visitors.assert_unchanged("an import while in review")

    # The moderator approves the revision sent for review: the later draft is not published
    # with it.
    approve(moderator_client, french_page)
    visitors.assert_unchanged("the approval of the revision sent for review")
    state.refresh_from_db()
    task_state = state.current_task_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert task_state.revision_id == fresh(french_page).latest_revision_id != sent_revision

    # Approving the new revision publishes exactly that revision.
    approve(moderator_client, french_page)
    published = fresh(french_page)
    assert published.live_revision_id == task_state.revision_id
    assert "(NON RELU)" in Client().get(visitors.url).content.decode()
