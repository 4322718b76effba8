"""Editing a reviewer's comment on a segment (translation_queue.comments.edit_comment) through
the real admin views as each role: its author and the reviewers of its language edit it, the
edit is recorded, nobody else changes it, and a bad text gets the form again."""

import re

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment

from ngo_site import roles
from ngo_site.translation_queue.models import SegmentComment
from tests.site.factories import StandardPageFactory

from .test_translation_editor_help import (
    body,
    editor_of,
    help_panel,
    logged_in,
    submit_translation,
    translate_everything,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def commented(client, trees, french, moderator):
    """A French translation and a comment the moderator wrote on it through the help panel."""
    reviewer = logged_in(client, moderator)
    page = StandardPageFactory(
        parent=trees["en_home"], title="Waste pickers", body=body("Pickers sort waste.")
    )
    translation = submit_translation(reviewer, page, french)
    translate_everything(translation, lambda text: f"FR {text}")
    segment = StringSegment.objects.filter(source=translation.source).order_by("order").first()
    response = reviewer.post(
        reverse("translation_queue:comment_segment", args=[translation.pk]),
        {"segment": segment.pk, "text": "Use « trieurs ».", "next": editor_of(page, french)},
    )
    assert response.status_code == 302
    client.logout()
    return page, SegmentComment.objects.get()


def edit_url(comment):
    return reverse("translation_queue:edit_comment", args=[comment.pk])


def edit_links(panel):
    return re.findall(r'<a href="([^"]*)"[^>]*data-edit-comment', panel)


def test_the_author_edits_the_comment_and_the_edit_is_shown(
    client, commented, french, moderator, translator
):
    page, comment = commented
    editor_url = editor_of(page, french)
    author = logged_in(client, moderator)
    links = edit_links(help_panel(author.get(editor_url).content.decode()))
    assert len(links) == 1 and links[0].startswith(edit_url(comment) + "?next=")

    form = author.get(links[0].replace("&amp;", "&"))
    assert form.status_code == 200
    html = form.content.decode()
    assert re.search(r"<textarea[^>]*name=\"text\"[^>]*>\s*Use « trieurs ».</textarea>", html)
    assert f'name="next" value="{editor_url}"' in html

    response = author.post(
        edit_url(comment), {"text": "  Use « trieurs », not « pickers ».  ", "next": editor_url}
    )
    assert response.status_code == 302 and response.url == editor_url
    comment.refresh_from_db()
    assert comment.text == "Use « trieurs », not « pickers »."
    assert comment.edited_by == moderator and comment.edited_at is not None
    assert comment.author == moderator and comment.resolved_at is None

    # The translator sees the new text, marked as edited, and no "Edit" link.
    panel = help_panel(logged_in(client, translator).get(editor_url).content.decode())
    assert "Use « trieurs », not « pickers »." in panel
    assert "data-comment-edited" in panel
    assert not edit_links(panel)


def test_another_reviewer_of_the_language_edits_it(client, commented, french, administrator):
    page, comment = commented
    reviewer = logged_in(client, administrator)
    assert len(edit_links(help_panel(reviewer.get(editor_of(page, french)).content.decode()))) == 1
    assert reviewer.post(edit_url(comment), {"text": "Plural: « trieurs »."}).status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Plural: « trieurs »." and comment.edited_by == administrator


def test_who_may_not_edit_is_refused_and_nothing_changes(
    client, commented, translator, editor, moderator
):
    _page, comment = commented
    before = SegmentComment.objects.values().get()
    refused = logged_in(client, translator)
    assert refused.get(edit_url(comment)).status_code == 403
    assert (
        refused.post(edit_url(comment), {"text": "Changed by the translator."}).status_code == 403
    )
    # Editors do not use the queue at all: Wagtail's "no permission" redirect.
    for response in (
        logged_in(client, editor).get(edit_url(comment)),
        logged_in(client, editor).post(edit_url(comment), {"text": "Changed by an editor."}),
    ):
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert SegmentComment.objects.values().get() == before
    missing = reverse("translation_queue:edit_comment", args=[comment.pk + 1])
    # (The site's locale middleware first redirects an unknown address to its /en/ form.)
    response = logged_in(client, moderator).get(missing, follow=True)
    assert response.status_code == 404


def test_an_empty_or_too_long_text_gets_the_form_again(client, commented, moderator):
    _page, comment = commented
    before = SegmentComment.objects.values().get()
    author = logged_in(client, moderator)
    for text, message in (
        ("", "Write a comment for the translator."),
        ("   \n ", "Write a comment for the translator."),
        ("x" * 2001, "Ensure this value has at most 2000 characters"),
    ):
        response = author.post(edit_url(comment), {"text": text})
        assert response.status_code == 400, text
        html = response.content.decode()
        assert message in html and "<textarea" in html
    assert author.put(edit_url(comment), "text=x").status_code == 405
    assert SegmentComment.objects.values().get() == before


def test_an_author_who_now_translates_still_edits_their_own_comment_only(
    client, commented, french, make_user, moderator
):
    page, comment = commented
    # The comment's author lost the moderators' role: a translator of French now.
    moderator.groups.clear()
    moderator.groups.add(*roles_groups(roles.TRANSLATORS))
    other = make_user(roles.TRANSLATORS, username="other_translator")
    assert logged_in(client, other).post(edit_url(comment), {"text": "Theirs."}).status_code == 403
    author = logged_in(client, moderator)
    assert len(edit_links(help_panel(author.get(editor_of(page, french)).content.decode()))) == 1
    assert author.post(edit_url(comment), {"text": "Mine, still."}).status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Mine, still." and comment.edited_by == moderator


def test_the_edit_form_is_in_french_for_a_french_admin(client, commented, moderator):
    _page, comment = commented
    profile = UserProfile.get_for_user(moderator)
    profile.preferred_language = "fr"
    profile.save()
    author = logged_in(client, moderator)
    html = author.get(edit_url(comment)).content.decode()
    assert "Modifier un commentaire de relecture" in html
    assert "Enregistrer le commentaire" in html
    html = author.post(edit_url(comment), {"text": ""}).content.decode()
    assert "Écrivez un commentaire pour le traducteur ou la traductrice." in html


def roles_groups(*names):
    from django.contrib.auth.models import Group

    return Group.objects.filter(name__in=names)
