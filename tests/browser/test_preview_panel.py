"""An editor opens the preview side panel of a page's editor and sees the draft in it (issue 23,
point 6: the panel was blank, the preview carrying the public site's frame-ancestors 'none')."""

import pytest

from ngo_site import roles

pytestmark = pytest.mark.browser

PASSWORD = "a long demo password"
DRAFT_TITLE = "Draft title only the preview shows"
DRAFT_PARAGRAPH = "A paragraph written in the draft and not yet published."


def test_the_preview_panel_shows_the_draft(demo_server, browser_page):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from playwright.sync_api import expect

    from ngo_site.models import StandardPage

    editor = get_user_model().objects.create_user("preview_editor", "pe@example.org", PASSWORD)
    editor.groups.add(Group.objects.get(name=roles.COMMUNICATIONS_EDITORS))
    page = StandardPage.objects.filter(locale__language_code="en", live=True).first()
    draft = page.get_latest_revision_as_object()
    draft.title = DRAFT_TITLE
    draft.body = [
        *[dict(block) for block in draft.body.raw_data],
        {"type": "paragraph", "value": f"<p>{DRAFT_PARAGRAPH}</p>"},
    ]
    draft.save_revision(user=editor)
    browser = browser_page

    browser.goto(demo_server + "/admin/login/")
    browser.fill("#id_username", "preview_editor")
    browser.fill("#id_password", PASSWORD)
    with browser.expect_navigation():
        browser.get_by_role("button", name="Sign in").click()
    browser.goto(f"{demo_server}/admin/pages/{page.pk}/edit/")
    browser.get_by_role("button", name="Toggle preview").click()

    # The panel's frame holds the page as visitors will see it once published, from the draft.
    preview = browser.frame_locator("#w-preview-iframe")
    try:
        expect(preview.get_by_role("heading", level=1)).to_have_text(DRAFT_TITLE, timeout=10_000)
    except AssertionError as error:
        raise AssertionError(f"{error}\nConsole: {browser.console_errors}") from None
    assert DRAFT_PARAGRAPH in preview.locator("body").inner_text()
    # Neither a refused frame ("Framing ... violates ... frame-ancestors") nor anything else.
    assert browser.console_errors == []
