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
