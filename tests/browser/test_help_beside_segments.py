"""The help for a segment that needs work sits beside that segment in wagtail-localize's
editor (help_beside_segments.js), and stays in the panel under the editor without JavaScript
(docs/localisation.md)."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_translation_journey import (
    ADDED_CLAUSE,
    PASSWORD,
    QUEUE,
    filter_queue,
    log_in,
    queue_row,
    uncaught_errors,
)

pytestmark = pytest.mark.browser

SEGMENTS = ".js-translation-editor li.complete, .js-translation-editor li.incomplete"


def box(locator):
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not displayed"
    return found


def open_outdated_item_in_the_editor(page, server, title):
    """As the translator: sync the outdated item from the English, then open it."""
    log_in(page, server, "translator")
    page.goto(server + QUEUE)
    filter_queue(page, "outdated", "")
    row = queue_row(page, title)
    row.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        row.get_by_role("link", name="Sync from the source").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit").click()
    page.goto(server + QUEUE)
    filter_queue(page, "in_progress", title)
    with page.expect_navigation():
        queue_row(page, title).get_by_role("link", name="Open in the editor").click()
    return page.url


@pytest.fixture
def outdated_privacy_policy(demo_server, settings, tmp_path):
    from wagtail.models import Page

    settings.VAR_DIR = str(tmp_path)
    (tmp_path / "demo-accounts.txt").write_text(f"translator:{PASSWORD}\n")
    call_command("ensure_demo_accounts", stdout=io.StringIO())
    english = Page.objects.get(locale__language_code="en", depth=3, slug="privacy")
    french = Page.objects.get(translation_key=english.translation_key, locale__language_code="fr")
    return english, french


def test_help_sits_beside_the_changed_segment(demo_server, outdated_privacy_policy, browser_page):
    english, french = outdated_privacy_policy
    page = browser_page
    editor_url = open_outdated_item_in_the_editor(page, demo_server, english.title)
    previous_french = re.sub(r"</?p>", "", french.specific.body[0].value.source).strip()

    segment = page.locator("li.incomplete", has_text=ADDED_CLAUSE)
    segment.wait_for()
    help_beside = segment.locator("details[data-help-beside-segment]")
    help_beside.wait_for()
    assert help_beside.count() == 1
    assert help_beside.get_attribute("open") is not None
    assert help_beside.locator("[data-help-previous]").inner_text() == previous_french
    assert ADDED_CLAUSE in help_beside.locator("[data-help-diff] ins").all_inner_texts()[-1]
    # The segment shows its source: the help does not repeat it.
    assert not help_beside.locator("[data-help-source]").is_visible()

    source = segment.locator(":scope > p").first
    assert ADDED_CLAUSE in source.inner_text()
    # Below the segment's source and above its Translate button, inside the segment: after the
    # segment before it and before the segment after it, if any (the demo's changed paragraph
    # is the last one of its tab).
    boxes = page.locator(SEGMENTS).evaluate_all(
        """segments => segments
            .filter(segment => segment.getClientRects().length > 0)
            .map(segment => {
                const rect = segment.getBoundingClientRect();
                return {text: segment.textContent, top: rect.top, bottom: rect.bottom};
            })"""
    )
    index = next(i for i, found in enumerate(boxes) if ADDED_CLAUSE in found["text"])
    assert index > 0
    help_box, source_box = box(help_beside), box(source)
    translate_box = box(segment.get_by_role("button", name="Translate"))
    help_bottom = help_box["y"] + help_box["height"]
    assert help_box["y"] >= source_box["y"] + source_box["height"] - 1
    assert help_bottom <= translate_box["y"] + 1
    assert help_box["y"] >= boxes[index - 1]["bottom"] - 1
    assert help_bottom <= boxes[index]["bottom"] + 1
    if index + 1 < len(boxes):
        assert help_bottom <= boxes[index + 1]["top"] + 1
    # Horizontally within the segment.
    segment_box = box(segment)
    assert segment_box["x"] <= help_box["x"]
    assert help_box["x"] + help_box["width"] <= segment_box["x"] + segment_box["width"] + 1

    # No serious or critical accessibility problem in the help beside the segment (the editor
    # itself has wagtail-localize's: low-contrast field headings, an unlabelled file input).
    axe_violations(page)  # loads axe-core
    in_help = page.evaluate(
        """async () => (await axe.run("details[data-help-beside-segment]", {
                resultTypes: ["violations"],
            })).violations
            .filter(violation => ["serious", "critical"].includes(violation.impact))
            .map(violation => violation.id)"""
    )
    assert in_help == []
    # Its entry in the panel under the editor is not shown twice.
    panel_entry = page.locator("[data-translation-help] li[data-help-segment]")
    assert panel_entry.count() == 1
    assert panel_entry.is_hidden()

    # The disclosure closes and opens from the keyboard.
    summary = help_beside.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert help_beside.get_attribute("open") is None
    page.keyboard.press("Enter")
    assert help_beside.get_attribute("open") is not None

    # Translating the segment re-renders it: the help stays beside it.
    segment.get_by_role("button", name="Translate").click()
    segment.locator("textarea").wait_for()
    assert segment.locator("details[data-help-beside-segment]").count() == 1
    textarea_box = box(segment.locator("textarea"))
    help_box = box(help_beside)
    assert help_box["y"] + help_box["height"] <= textarea_box["y"] + 1
    assert uncaught_errors(page) == []

    # Without JavaScript the help is in the panel (the editor itself needs JavaScript).
    no_script = page.context.browser.new_context(
        java_script_enabled=False, storage_state=page.context.storage_state()
    )
    try:
        plain = no_script.new_page()
        plain.goto(editor_url)
        entry = plain.locator("[data-translation-help] li[data-help-segment]")
        assert entry.is_visible()
        assert entry.locator("details[open] summary").inner_text() == (
            "Help: previous translation, changes, memory, glossary, comments"
        )
        assert entry.locator("[data-help-previous]").inner_text() == previous_french
        assert ADDED_CLAUSE in entry.locator("[data-help-diff]").inner_text()
    finally:
        no_script.close()


def test_help_for_segments_with_the_same_text_goes_to_each_in_the_editors_order(
    demo_server, outdated_privacy_policy, browser_page
):
    """The changed paragraph's text also in a new paragraph and in the search description
    (Promote tab, before the body among the source's segments): three segments with one text,
    each with its own help, paired in the editor's order."""
    english, french = outdated_privacy_policy
    page = browser_page
    previous_french = re.sub(r"</?p>", "", french.specific.body[0].value.source).strip()
    source = english.specific
    paragraph = source.body.raw_data[0]["value"]
    text = re.sub(r"</?p>", "", paragraph).strip()
    source.body = [dict(block) for block in source.body.raw_data] + [
        {"type": "paragraph", "value": paragraph}
    ]
    source.search_description = text
    source.save_revision().publish()
    open_outdated_item_in_the_editor(page, demo_server, english.title)

    segments = page.locator(".js-translation-editor li.incomplete").filter(has_text=ADDED_CLAUSE)
    helps = page.locator(".js-translation-editor details[data-help-beside-segment]")
    helps.nth(2).wait_for(state="attached")
    assert segments.count() == helps.count() == 3
    changed, added, description = (segments.nth(n) for n in range(3))
    # The body's changed paragraph (Content tab): its previous French.
    assert changed.locator("[data-help-previous]").inner_text() == previous_french
    assert changed.locator("[data-help-new]").count() == 0
    # The new paragraph after it, then the search description: new segments.
    for segment in (added, description):
        assert segment.locator("details[data-help-beside-segment]").count() == 1
        assert segment.locator("[data-help-new]").count() == 1
        assert segment.locator("[data-help-previous]").count() == 0
    assert not description.is_visible()
    page.get_by_role("tab", name="Promote").click()
    expect(description.locator("details[data-help-beside-segment] summary")).to_be_visible()

    # Nothing is left in the panel; its intro still says what is true.
    panel = page.locator("[data-translation-help]")
    assert panel.locator("li[data-help-segment]").count() == 3
    assert all(entry.is_hidden() for entry in panel.locator("li[data-help-segment]").all())
    assert panel.locator("[data-help-intro]").inner_text() == (
        "3 segments need work. The help for each (its previous translation, what changed in "
        "the source, similar earlier translations and the glossary's terms) is under its "
        "source text in the editor above, or else in the list below."
    )
    assert uncaught_errors(page) == []
