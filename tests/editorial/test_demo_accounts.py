import io

import pytest
from django.core.management import call_command

from ngo_site import roles

pytestmark = pytest.mark.django_db


def run(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("ensure_demo_accounts", stdout=out)
    return out.getvalue()


def test_demo_accounts_log_in_with_the_printed_passwords_and_keep_them(
    settings, tmp_path, client, django_user_model
):
    first = run(settings, tmp_path)
    assert run(settings, tmp_path) == first
    for line in first.splitlines()[1:]:
        group_name, _sep, credentials = line.strip().partition(": ")
        username = credentials.split(",")[0].removeprefix("username ")
        password = credentials.rpartition("password ")[2]
        user = django_user_model.objects.get(username=username)
        assert [group.name for group in user.groups.all()] == [group_name]
        assert group_name in roles.ROLE_NAMES
        assert client.login(username=username, password=password)
        assert client.get("/admin/").status_code == 200
    assert {"editor", "moderator", "translator"} <= set(
        django_user_model.objects.values_list("username", flat=True)
    )
    assert (tmp_path / "demo-accounts.txt").stat().st_mode & 0o077 == 0


def form_values(html):
    """What a browser sends for the page's account form, unchanged."""
    from bs4 import BeautifulSoup

    form = (
        BeautifulSoup(html, "html.parser").select_one("input[name$=first_name]").find_parent("form")
    )
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[field["name"]] = chosen.get("value", "") if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[field["name"]] = field.get("value", "on")
        elif field.get("type") != "file":
            data[field["name"]] = field.get("value", field.get_text())
    return form, data


@pytest.mark.parametrize("command", ["ensure_demo_accounts", "ensure_admin"])
def test_the_demo_accounts_save_their_account_settings_unchanged(
    command, settings, tmp_path, client, django_user_model
):
    """Issue 27: Wagtail's account page requires a first and a last name; its time zones are
    names a browser accepts ("localtime" stopped the page's script)."""
    settings.VAR_DIR = tmp_path
    call_command(command, stdout=io.StringIO())
    for user in django_user_model.objects.all():
        client.force_login(user)
        page = client.get("/admin/account/", follow=True)
        assert page.status_code == 200
        form, data = form_values(page.content.decode())
        zones = [option.get("value") for option in form.select("select[name$=time_zone] option")]
        assert "Europe/Paris" in zones and "UTC" in zones
        assert not {"localtime", "Factory", "posixrules"} & set(zones)

        saved = client.post(page.wsgi_request.path, data)

        assert saved.status_code == 302, saved.content.decode()[:2000]
        user.refresh_from_db()
        assert user.first_name and user.last_name
