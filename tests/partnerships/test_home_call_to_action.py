"""The newsletter call to action is a block editors place themselves, on the home page too."""

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from ngo_site import roles
from ngo_site.models import HomePage

pytestmark = pytest.mark.django_db


def home_form(home, sections, action="action-publish"):
    """What Wagtail's edit view posts for the home page with these body sections."""
    return nested_form_data(
        {
            "title": home.title,
            "slug": home.slug,
            "hero_heading": home.hero_heading,
            "introduction": rich_text(home.introduction or "<p></p>"),
            "featured_programmes": inline_formset([]),
            "latest_resources_count": str(home.latest_resources_count),
            "body": streamfield(sections),
            "summary": home.summary,
            "comments": inline_formset([]),
        }
    ) | ({action: action.removeprefix("action-")} if action else {})


def newsletter_section(heading):
    return ("newsletter", {"heading": heading, "text": rich_text("<p>News by email.</p>")})


def call_to_action(client):
    soup = BeautifulSoup(client.get("/en/").content, "html.parser")
    return soup.select_one(".newsletter-cta")


def member_of(group_name, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(group_name[:20], password="x-pass-word-1")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_editors_place_and_remove_the_newsletter_sign_up_on_the_home_page(
    client, home_page, django_user_model
):
    editor = member_of(roles.COMMUNICATIONS_EDITORS, django_user_model)
    moderator = member_of(roles.MODERATORS, django_user_model)
    edit_url = f"/admin/pages/{home_page.pk}/edit/"
    assert call_to_action(client) is None, "the home page has no call to action until placed"

    # A communications editor places the block in a draft: visitors do not see it yet...
    client.force_login(editor)
    draft = home_form(home_page, [newsletter_section("Join us")], action=None)
    assert client.post(edit_url, draft).status_code == 302
    client.logout()
    assert call_to_action(client) is None

    # ...until a moderator publishes it.
    client.force_login(moderator)
    assert (
        client.post(edit_url, home_form(home_page, [newsletter_section("Join us")])).status_code
        == 302
    )
    client.logout()
    block = call_to_action(client)
    assert block is not None
    assert "Join us" in block.get_text()
    form = block.select_one("form")
    assert form["action"] == "/en/newsletter/" and form["method"] == "get"

    client.force_login(moderator)
    home = HomePage.objects.get(pk=home_page.pk)
    assert client.post(edit_url, home_form(home, [])).status_code == 302
    client.logout()
    assert call_to_action(client) is None
