"""Brute force against the admin login: django-axes locks a username from an address out."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "a long and correct password"


@pytest.fixture(autouse=True)
def axes_backend(settings):
    """The production authentication backends (test settings leave axes' out for login())."""
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        username="editor", password=PASSWORD, is_staff=False
    )


@pytest.fixture
def wagtail_editor(editor):
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return editor


def log_in(client, password, username="editor", address="203.0.113.7"):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def is_logged_in(client):
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def test_right_password_logs_in(client, wagtail_editor):
    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_wrong_passwords_lock_the_account_out_even_with_the_right_one(client, wagtail_editor):
    for _attempt in range(2):
        response = log_in(client, "guess")
        assert response.status_code == 200  # the form again, with its error
    locked = log_in(client, "guess")
    assert locked.status_code == 429
    assert "Too many failed login attempts" in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60

    refused = log_in(client, PASSWORD)

    assert refused.status_code == 429
    assert not is_logged_in(client)


def test_lockout_ends_after_the_cool_off(client, wagtail_editor):
    from axes.models import AccessAttempt

    for _attempt in range(3):
        log_in(client, "guess")
    assert log_in(client, PASSWORD).status_code == 429

    # Sixteen minutes later (the attempts are dated back rather than waiting).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert log_in(client, PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_lockout_is_by_username_and_address_together(client, wagtail_editor):
    for _attempt in range(3):
        log_in(client, "guess")

    # The same person from another address is not locked out by an attacker elsewhere...
    assert log_in(client, PASSWORD, address="198.51.100.20").status_code == 302
    client.logout()
    # ...and the attacker's address can still be used for other accounts' correct logins.
    assert log_in(client, "wrong", username="someone-else").status_code == 200


def test_french_lockout_message(client, wagtail_editor):
    for _attempt in range(3):
        client.post(
            reverse("wagtailadmin_login"),
            {"username": "editor", "password": "guess"},
            REMOTE_ADDR="203.0.113.7",
            headers={"Accept-Language": "fr"},
        )
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_an_address_trying_many_usernames_is_locked_out_for_every_username(
    client, wagtail_editor, settings
):
    settings.AXES_IP_FAILURE_LIMIT = 6
    # Password spraying: one guess each for many accounts, never the per-account limit (3).
    for number in range(5):
        response = log_in(client, "Summer2026!", username=f"user{number}")
        assert response.status_code == 200, number
    assert log_in(client, "Summer2026!", username="user5").status_code == 429

    # The address is now refused even for a real account with its right password...
    locked = log_in(client, PASSWORD)
    assert locked.status_code == 429
    assert not is_logged_in(client)
    # ...while the same account from another address logs in.
    assert log_in(client, PASSWORD, address="198.51.100.20").status_code == 302


def test_a_few_failures_from_an_address_do_not_lock_other_accounts(
    client, wagtail_editor, settings
):
    settings.AXES_IP_FAILURE_LIMIT = 6
    for number in range(5):
        log_in(client, "guess", username=f"user{number}")

    assert log_in(client, PASSWORD).status_code == 302


def test_guesses_spread_over_many_addresses_lock_the_account(client, wagtail_editor, settings):
    settings.AXES_USERNAME_FAILURE_LIMIT = 6
    # Five guesses from three addresses: never the per-address limit (3)...
    for number, address in enumerate(
        ["198.51.100.1"] * 2 + ["198.51.100.2"] * 2 + ["198.51.100.3"]
    ):
        assert log_in(client, "guess", address=address).status_code == 200, number
    # ...the sixth for the account, from yet another address, locks it...
    assert log_in(client, "guess", address="198.51.100.4").status_code == 429

    # ...from every address, even with its password.
    locked = log_in(client, PASSWORD, address="192.0.2.99")
    assert locked.status_code == 429
    assert not is_logged_in(client)
    # Other accounts are not affected.
    assert log_in(client, "wrong", username="someone-else", address="192.0.2.99").status_code == 200


def test_behind_the_documented_proxy_visitors_are_told_apart(client, wagtail_editor, settings):
    """nginx connects from 127.0.0.1 and appends the visitor's address to X-Forwarded-For: one
    visitor's wrong passwords lock that visitor out, not everyone behind the proxy."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1", "::1"]

    def through_proxy(password, visitor):
        return client.post(
            reverse("wagtailadmin_login"),
            {"username": "editor", "password": password},
            REMOTE_ADDR="127.0.0.1",
            # What the visitor sent itself comes first; nginx appends what it saw.
            HTTP_X_FORWARDED_FOR=f"10.9.8.7, {visitor}",
        )

    for _guess in range(3):
        through_proxy("guess", "203.0.113.7")
    assert through_proxy(PASSWORD, "203.0.113.7").status_code == 429

    assert through_proxy(PASSWORD, "198.51.100.20").status_code == 302
    assert is_logged_in(client)


def test_production_trusts_the_proxy_of_the_documented_deployment():
    """docs/deployment.md's nginx appends the visitor's address to X-Forwarded-For once; the
    production settings must count that proxy unless told otherwise."""
    import re
    from pathlib import Path

    from tests.site.test_settings_env import production_environment, read_settings

    guide = (Path(__file__).resolve().parents[2] / "docs" / "deployment.md").read_text()
    nginx = re.search(r"```nginx\n(.*?)```", guide, re.S)[1]
    appending = nginx.count("X-Forwarded-For $proxy_add_x_forwarded_for")

    values = read_settings(
        ["TRUSTED_PROXY_COUNT", "TRUSTED_PROXY_ADDRESSES"], **production_environment()
    )
    assert values["TRUSTED_PROXY_COUNT"] == appending == 1
    assert "127.0.0.1" in values["TRUSTED_PROXY_ADDRESSES"]  # where its proxy_pass connects from
    assert "proxy_pass http://127.0.0.1:" in nginx
    assert read_settings(
        ["TRUSTED_PROXY_COUNT"], **production_environment(TRUSTED_PROXY_COUNT="0")
    ) == {"TRUSTED_PROXY_COUNT": 0}


def test_a_proxy_left_unconfigured_is_named_in_the_log_once(
    client, wagtail_editor, settings, caplog, monkeypatch
):
    """X-Forwarded-For from the proxy's address while TRUSTED_PROXY_COUNT is 0: every visitor
    would share the proxy's address, so the first login attempt that shows it logs a warning
    saying which setting to change; later ones do not repeat it."""
    from ngo_site import security

    settings.TRUSTED_PROXY_COUNT = 0
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1", "::1"]
    monkeypatch.setattr(security, "_proxy_warning_logged", False)
    caplog.set_level("WARNING", logger="ngo_site.security")

    def through_proxy():
        return client.post(
            reverse("wagtailadmin_login"),
            {"username": "editor", "password": "guess"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    def warnings():
        return [r.getMessage() for r in caplog.records if r.name == "ngo_site.security"]

    log_in(client, "guess")  # reached directly: nothing to say
    assert not warnings()
    through_proxy()
    through_proxy()
    warnings = warnings()
    assert len(warnings) == 1
    assert "TRUSTED_PROXY_COUNT" in warnings[0] and "127.0.0.1" in warnings[0]


def test_the_deploy_check_names_a_proxy_left_unconfigured(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 0
    with pytest.raises(SystemCheckError, match=r"ngo_site\.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
    settings.TRUSTED_PROXY_COUNT = 1
    from ngo_site.security import check_proxy_configured

    assert check_proxy_configured(None) == []
