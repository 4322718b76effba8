"""The translator opens the French footer in wagtail-localize's editor: the English pages its
legal links point to show with their titles (the editor fetches them from the admin API,
ngo_site.admin_api), never "Fetching page information..." for ever."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

PASSWORD = "a long demo password"


def log_in(page, server, username):
    page.goto(server + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_translator_sees_the_titles_of_the_pages_the_french_footer_links_to(
    demo_server, browser_page, settings, tmp_path
):
    from wagtail.models import Page

    from ngo_site.models import FooterContent

    settings.VAR_DIR = str(tmp_path)
    (tmp_path / "demo-accounts.txt").write_text(f"translator:{PASSWORD}\n")
    call_command("ensure_demo_accounts", stdout=io.StringIO())
    french_footer = FooterContent.objects.get(locale__language_code="fr")
    linked_ids = [link.value["page"].pk for link in french_footer.legal_links]
    # The footer's links are English pages: the translator holds no right on them.
    linked = Page.objects.filter(pk__in=linked_ids, locale__language_code="en")
    titles = sorted(linked.values_list("title", flat=True))
    assert len(titles) == 2
    page = browser_page

    log_in(page, demo_server, "translator")
    with page.expect_response(lambda response: "/admin/api/main/pages/" in response.url) as fetched:
        page.goto(f"{demo_server}/admin/snippets/ngo_site/footercontent/edit/{french_footer.pk}/")
    assert fetched.value.status == 200
    choosers = page.locator(".page-chooser .chosen .title")
    choosers.nth(len(titles) - 1).wait_for()
    assert sorted(choosers.all_inner_texts()) == titles
    assert page.get_by_text("Fetching page information").count() == 0
    assert [error for error in page.console_errors if error.startswith("uncaught")] == []
