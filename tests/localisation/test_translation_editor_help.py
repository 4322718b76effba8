"""The "Help for this translation" panel of wagtail-localize's editor (issue 27), the glossary,
reviewers' comments on segments and the queue's words to translate, through the real admin
views as each role (users in the real groups: tests/editorial/conftest.py)."""

import html as html_module
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation

from ngo_site.translation_queue.models import GlossaryTerm, QueueEntry, SegmentComment
from tests.programmes.factories import ProgrammePageFactory
from tests.resources.factories import RegionFactory, ResourceTypeFactory, ThemeFactory
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/translation-queue/"
GLOSSARY = "/admin/glossary/"


def body(*paragraphs):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]


def logged_in(client, user):
    client.force_login(user)
    return client


def submit_translation(client, page, french):
    response = client.post(f"/admin/localize/submit/page/{page.pk}/", {"locales": [french.pk]})
    assert response.status_code == 302, response.content[:300]
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=french)


def translate_everything(translation, french_of):
    po = translation.export_po()
    for entry in po:
        entry.msgstr = french_of(entry.msgid)
    translation.import_po(po)
    translation.save_target(publish=False)
    target = translation.get_target_instance()
    Page.objects.get(pk=target.pk).specific.get_latest_revision().publish()


def republish(page, *paragraphs):
    """The English page published again with these paragraphs (the blocks keep their ids, as
    in Wagtail's editor; extra paragraphs are new blocks)."""
    english = Page.objects.get(pk=page.pk).specific
    blocks = [dict(block) for block in english.body.raw_data]
    for index, text in enumerate(paragraphs):
        if index < len(blocks):
            blocks[index]["value"] = f"<p>{text}</p>"
        else:
            blocks.append({"type": "paragraph", "value": f"<p>{text}</p>"})
    english.body = blocks
    english.save_revision().publish()


FRENCH = {
    "Street vendors need safe markets.": "Les vendeurs de rue ont besoin de marchés sûrs.",
    "Cities license them.": "Les villes leur donnent une licence.",
}


def french_of(text):
    return FRENCH.get(text, f"FR {text}")


@pytest.fixture
def outdated(client, trees, french, moderator):
    """An English page translated into French, whose second paragraph was then changed; and an
    earlier translated page with a similar sentence (the translation memory)."""
    client = logged_in(client, moderator)
    earlier = StandardPageFactory(
        parent=trees["en_home"],
        title="Markets",
        body=body("Street vendors need safe markets.", "Cities license them."),
    )
    translate_everything(submit_translation(client, earlier, french), french_of)
    page = StandardPageFactory(
        parent=trees["en_home"],
        title="Waste pickers",
        body=body("Pickers sort waste.", "Cities pay them for sorting."),
    )
    translation = submit_translation(client, page, french)
    translate_everything(translation, french_of)
    GlossaryTerm.objects.create(
        source_term="Street Vendors",
        locale=french,
        translation="vendeurs de rue",
        status=GlossaryTerm.Status.APPROVED,
    )
    GlossaryTerm.objects.create(
        source_term="street market", locale=french, translation="marché de rue"
    )  # proposed: not shown
    republish(page, "Pickers sort waste.", "Street vendors need safe public markets.")
    client.logout()
    return page, translation


def editor_of(page, french):
    return reverse("wagtailadmin_pages:edit", args=[page.get_translation(french).pk])


def help_panel(html):
    found = re.search(r"<section[^>]*data-translation-help.*?</section>", html, re.S)
    assert found, "no help panel in the editor"
    return found.group(0)


def test_translator_sees_previous_translation_diff_memory_and_glossary(
    client, outdated, french, translator
):
    page, _translation = outdated
    response = logged_in(client, translator).get(editor_of(page, french))
    assert response.status_code == 200
    panel = help_panel(response.content.decode())
    # One entry: the changed paragraph (the unchanged one needs no work).
    assert panel.count("data-help-segment=") == 1
    assert "Pickers sort waste." not in panel
    # Its previous translation.
    assert re.search(r"data-help-previous>FR Cities pay them for sorting\.</p>", panel), panel
    # The word diff, with text for screen readers.
    diff = re.search(r"<p [^>]*data-help-diff>(.*?)</p>", panel, re.S).group(1)
    assert diff == (
        '<del><span class="w-sr-only">removed: </span>Cities pay them for sorting.</del> '
        '<ins><span class="w-sr-only">added: </span>Street vendors need safe public markets.</ins>'
    ), diff
    # Translation memory: the earlier page's sentence, with its similarity.
    memory = re.search(r"<ul data-help-memory>(.*?)</ul>", panel, re.S).group(1)
    assert "Les vendeurs de rue ont besoin de marchés sûrs." in memory
    similarity = int(re.search(r'data-similarity="(\d+)"', memory).group(1))
    assert 70 <= similarity < 100
    assert f"{similarity}%" in memory
    # The approved glossary term, matched whatever its case; the proposed one is not shown.
    glossary = re.search(r"<ul data-help-glossary>(.*?)</ul>", panel, re.S).group(1)
    assert "vendeurs de rue" in glossary
    assert "marché de rue" not in panel


def test_each_entry_is_a_disclosure_the_editor_script_can_place(
    client, outdated, french, translator
):
    """help_beside_segments.js (tests/browser/test_help_beside_segments.py) moves each entry
    beside the editor's segment whose source text equals the entry's data-help-source-text."""
    page, _translation = outdated
    html = logged_in(client, translator).get(editor_of(page, french)).content.decode()
    entry = re.search(
        r'<li [^>]*data-help-segment="[^"]+" data-help-source-text="([^"]*)">\s*'
        r"<details open [^>]*data-help-details>\s*"
        r"<summary>Help: previous translation, changes, memory, glossary, comments</summary>",
        help_panel(html),
    )
    assert entry, help_panel(html)
    # The segment's string as wagtail-localize's editor shows it: without the paragraph's <p>.
    assert html_module.unescape(entry.group(1)) == "Street vendors need safe public markets."
    assert re.search(
        r'<script src="[^"]*translation_queue/js/help_beside_segments\.js" defer>', html
    )


def test_entries_follow_the_editors_order_and_the_intro_holds_wherever_the_help_is(
    client, outdated, french, translator
):
    """wagtail-localize's editor lists the Content tab's segments before the Promote tab's,
    though a page's search description comes before its body among the source's segments.
    help_beside_segments.js pairs the n-th entry of a text with the n-th segment of that text
    in the editor, so the panel lists its entries in the editor's order."""
    page, _translation = outdated
    changed = "Street vendors need safe public markets."
    english = Page.objects.get(pk=page.pk).specific
    english.search_description = changed  # the same text as the changed paragraph
    english.save_revision().publish()

    panel = help_panel(logged_in(client, translator).get(editor_of(page, french)).content.decode())
    paths = re.findall(r'data-help-segment="([^"]+)"', panel)
    assert [path.split(".")[0] for path in paths] == ["body", "search_description"]
    texts = re.findall(r'data-help-source-text="([^"]*)"', panel)
    assert texts == [changed, changed]
    # The intro counts the segments that need work and says where their help is, either way:
    # beside the segment with JavaScript (tests/browser/test_help_beside_segments.py), or here.
    intro = re.search(r"<p data-help-intro>(.*?)</p>", panel, re.S).group(1)
    assert intro == (
        "2 segments need work. The help for each (its previous translation, what changed in "
        "the source, similar earlier translations and the glossary's terms) is under its "
        "source text in the editor above, or else in the list below."
    )


def test_exact_memory_matches_come_first(client, outdated, french, translator, moderator, trees):
    page, _translation = outdated
    # Another page has exactly the new sentence, translated.
    exact = StandardPageFactory(
        parent=trees["en_home"],
        title="Vendors",
        body=body("Street vendors need safe public markets."),
    )
    translate_everything(
        submit_translation(logged_in(client, moderator), exact, french),
        lambda text: "Les vendeurs ambulants ont besoin de marchés publics sûrs.",
    )
    panel = help_panel(logged_in(client, translator).get(editor_of(page, french)).content.decode())
    memory = re.search(r"<ul data-help-memory>(.*?)</ul>", panel, re.S).group(1)
    similarities = [int(value) for value in re.findall(r'data-similarity="(\d+)"', memory)]
    assert similarities[0] == 100 and "(exact)" in memory
    assert similarities == sorted(similarities, reverse=True)
    assert memory.index("ambulants") < memory.index("Les vendeurs de rue")


def test_reviewer_comments_and_translator_sees_it_in_the_editor_and_the_queue(
    client, outdated, french, translator, moderator
):
    page, translation = outdated
    segment = StringSegment.objects.filter(source=translation.source).order_by("order").first()
    editor_url = editor_of(page, french)
    url = reverse("translation_queue:comment_segment", args=[translation.pk])

    reviewer = logged_in(client, moderator)
    assert "data-comment-form" in reviewer.get(editor_url).content.decode()
    response = reviewer.post(
        url,
        {"segment": segment.pk, "text": "Use « trieurs », not « pickers ».", "next": editor_url},
    )
    assert response.status_code == 302 and response.url == editor_url
    comment = SegmentComment.objects.get()
    assert comment.author == moderator and comment.segment_path == segment.context.path

    translator_client = logged_in(client, translator)
    html = translator_client.get(editor_url).content.decode()
    panel = help_panel(html)
    assert "Use « trieurs », not « pickers »." in panel
    assert "data-comment-form" not in panel  # translators do not comment
    queue = translator_client.get(QUEUE).content.decode()
    row = re.search(
        rf'data-queue-row="{page.translation_key}:{french.pk}".*?</tr>', queue, re.S
    ).group(0)
    assert 'data-open-comments="1"' in row
    assert "1 review comment" in row

    # The translator marks it as resolved: the queue's marker goes.
    resolve = reverse("translation_queue:resolve_comment", args=[comment.pk])
    assert translator_client.post(resolve, {"next": editor_url}).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_by == translator and comment.resolved_at is not None
    assert "data-open-comments" not in translator_client.get(QUEUE).content.decode()


def test_who_may_not_comment_gets_403_and_nothing_is_saved(
    client, outdated, french, translator, editor
):
    _page, translation = outdated
    segment = StringSegment.objects.filter(source=translation.source).first()
    url = reverse("translation_queue:comment_segment", args=[translation.pk])
    response = logged_in(client, translator).post(url, {"segment": segment.pk, "text": "Hm."})
    assert response.status_code == 403
    # Editors do not use the queue at all: Wagtail's "no permission" redirect.
    response = logged_in(client, editor).post(url, {"segment": segment.pk, "text": "Hm."})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert not SegmentComment.objects.exists()


def test_a_bad_comment_gets_a_message_not_an_error(client, outdated, french, moderator):
    _page, translation = outdated
    url = reverse("translation_queue:comment_segment", args=[translation.pk])
    reviewer = logged_in(client, moderator)
    other_segment = StringSegment.objects.exclude(source=translation.source).first()
    for data in (
        {"segment": "x", "text": "Hm."},
        {"segment": other_segment.pk, "text": "Hm."},
        {"segment": StringSegment.objects.filter(source=translation.source).first().pk},
        {
            "segment": StringSegment.objects.filter(source=translation.source).first().pk,
            "text": "x" * 2001,
        },
    ):
        assert reviewer.post(url, data).status_code == 302
    assert not SegmentComment.objects.exists()
    assert reviewer.get(url).status_code == 405


def test_help_panel_queries_do_not_grow_with_segments(
    client, rf, trees, french, moderator, translator
):
    """The panel's own queries (wagtail-localize's editor around it makes some per segment)."""
    panel = Template(
        "{% load editor_help_tags %}{% translation_help_panel translation instance user %}"
    )

    def panel_queries(count):
        page = StandardPageFactory(
            parent=trees["en_home"],
            title=f"Page of {count}",
            body=body(*(f"Paragraph {n} about street markets." for n in range(count))),
        )
        translation = submit_translation(logged_in(client, moderator), page, french)
        translate_everything(translation, french_of)
        republish(page, *(f"Paragraph {n} about public street markets." for n in range(count)))
        request = rf.get(editor_of(page, french))
        request.user = translator
        context = Context(
            {
                "request": request,
                "translation": translation,
                "instance": page.get_translation(french),
                "user": translator,
            }
        )
        with CaptureQueriesContext(connection) as queries:
            html = panel.render(context)
        assert help_panel(html).count("data-help-segment=") == count
        assert html.count("data-help-memory") == count  # each matches the earlier paragraphs
        return len(queries)

    panel_queries(2)  # the user's permissions, cached on the user as in any request
    assert panel_queries(5) == panel_queries(20)


# --- the glossary ----------------------------------------------------------------------------


def glossary_form(french, **fields):
    return {
        "source_term": "waste picker",
        "locale": french.pk,
        "translation": "récupérateur",
        "note": "",
        "status": "proposed",
        **fields,
    }


def test_translator_proposes_terms_and_moderator_approves_them(
    client, trees, french, translator, moderator
):
    translator_client = logged_in(client, translator)
    assert translator_client.get(GLOSSARY).status_code == 200
    # Approving is refused, and nothing is saved.
    response = translator_client.post(f"{GLOSSARY}new/", glossary_form(french, status="approved"))
    assert response.status_code == 200
    assert "Only moderators and administrators approve terms." in response.content.decode()
    assert not GlossaryTerm.objects.exists()
    response = translator_client.post(f"{GLOSSARY}new/", glossary_form(french, source_term="— !"))
    assert "at least one letter or digit" in response.content.decode()
    assert not GlossaryTerm.objects.exists()
    # Proposing works.
    response = translator_client.post(f"{GLOSSARY}new/", glossary_form(french))
    assert response.status_code == 302
    term = GlossaryTerm.objects.get()
    assert term.status == "proposed" and term.normalised_term == "waste picker"
    # The same term again (case and accents aside) is refused.
    response = translator_client.post(
        f"{GLOSSARY}new/", glossary_form(french, source_term="Waste Pickér")
    )
    assert "already in the glossary" in response.content.decode()

    moderator_client = logged_in(client, moderator)
    response = moderator_client.post(
        f"{GLOSSARY}edit/{term.pk}/", glossary_form(french, status="approved")
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.status == "approved"

    # An approved term is the moderators': a translator can no longer change it.
    translator_client = logged_in(client, translator)
    response = translator_client.post(
        f"{GLOSSARY}edit/{term.pk}/", glossary_form(french, translation="ramasseur")
    )
    assert response.status_code in (302, 403)
    term.refresh_from_db()
    assert term.translation == "récupérateur"


def test_editors_have_no_glossary(client, trees, editor):
    response = logged_in(client, editor).get(GLOSSARY)
    assert response.status_code in (302, 403)


def test_glossary_starts_from_taxonomies_and_programmes(trees, french):
    def translated(instance, french_name, field="name"):
        copy = instance.copy_for_translation(french)
        setattr(copy, field, french_name)
        if hasattr(copy, "save_revision"):
            copy.save_revision().publish()
        else:
            copy.save()

    translated(ThemeFactory(name="Social protection"), "Protection sociale")
    translated(RegionFactory(name="West Africa"), "Afrique de l’Ouest")
    translated(ResourceTypeFactory(name="Policy brief"), "Note d’orientation")
    ThemeFactory(name="Not translated yet")
    programme = ProgrammePageFactory(parent=trees["en_home"], title="Focal Cities")
    fr_programme = programme.copy_for_translation(french)
    fr_programme.title = "Villes focales"
    fr_programme.save_revision().publish()

    call_command("seed_glossary", stdout=StringIO())
    terms = {
        term.source_term: (term.translation, term.status)
        for term in GlossaryTerm.objects.filter(locale=french)
    }
    assert terms["Social protection"] == ("Protection sociale", "approved")
    assert terms["West Africa"] == ("Afrique de l’Ouest", "approved")
    assert terms["Policy brief"] == ("Note d’orientation", "approved")
    assert terms["Focal Cities"] == ("Villes focales", "approved")
    assert "Not translated yet" not in terms
    assert GlossaryTerm.objects.get(source_term="Social protection").note == "Thème"
    # Running it again adds nothing and keeps translators' changes.
    GlossaryTerm.objects.filter(source_term="Focal Cities").update(translation="Villes-foyers")
    count = GlossaryTerm.objects.count()
    call_command("seed_glossary", stdout=StringIO())
    assert GlossaryTerm.objects.count() == count
    assert GlossaryTerm.objects.get(source_term="Focal Cities").translation == "Villes-foyers"


# --- words to translate ----------------------------------------------------------------------


def test_queue_counts_the_words_to_translate(client, trees, french, moderator):
    twenty = "one two three four five six seven eight nine ten " * 2
    page = StandardPageFactory(
        parent=trees["en_home"], title="Counted", body=body(twenty.strip(), "Unchanged here.")
    )
    translate_everything(submit_translation(logged_in(client, moderator), page, french), french_of)
    changed = twenty.strip().replace("seven", "SEVEN", 1)
    twelve = "a b c d e f g h i j k l"
    republish(page, changed, "Unchanged here.", twelve)

    queue = logged_in(client, moderator).get(QUEUE).content.decode()  # refreshes the rows
    entry = QueueEntry.objects.get(translation_key=page.translation_key, target_locale=french)
    assert entry.status == "outdated"
    assert entry.words == 1 + 12
    row = re.search(
        rf'data-queue-row="{page.translation_key}:{french.pk}".*?</tr>', queue, re.S
    ).group(0)
    assert re.search(r"<td[^>]*>\s*13\s*</td>", row), row


def test_migration_recounts_the_recorded_changes_as_words_to_translate(trees, english):
    from importlib import import_module

    from django.apps import apps
    from django.utils import timezone

    from ngo_site.translation_queue.models import SourceChange

    migration = import_module("ngo_site.translation_queue.migrations.0004_words_to_translate")
    change = SourceChange.objects.create(
        translation_key=trees["en_page"].translation_key,
        source_locale=english,
        source_updated_at=timezone.now(),
        detected_at=timezone.now(),
        changed_segments=[
            {"path": "body.a", "text": "Cities pay them well.", "previous": "Cities pay them."},
            {"kind": "changed", "path": "body.b", "text": "A new one.", "previous": None},
            {"kind": "removed", "path": "body.c", "text": None, "previous": "Gone now."},
        ],
        words_changed=7,  # whole changed segments, as counted before
    )
    migration.recount(apps, None)
    change.refresh_from_db()
    assert change.words_changed == 1 + 3  # "well", added to "Cities pay them.", and the new one
