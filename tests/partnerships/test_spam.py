"""The spam checks on their own: start-time tokens, client addresses and the rate-limit key."""

import time

import pytest
from django.test import RequestFactory

from partnerships import spam


@pytest.fixture
def request_from():
    def build(remote="192.0.2.10", forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().post("/en/contact/", **extra)

    return build


def test_start_time_token_verdicts(settings):
    settings.PARTNERSHIPS_FORM_MIN_SECONDS = 3
    settings.PARTNERSHIPS_FORM_MAX_AGE = 600
    now = time.time()

    assert spam.check_started_token(spam.new_started_token(now=now - 10), now=now) is None
    assert spam.check_started_token(spam.new_started_token(now=now - 1), now=now) is spam.TOO_FAST
    assert spam.check_started_token(spam.new_started_token(now=now + 60), now=now) is spam.TOO_FAST
    assert spam.check_started_token(spam.new_started_token(now=now - 601), now=now) is spam.EXPIRED
    for broken in (None, "", "x", spam.new_started_token(now=now)[:-1]):
        assert spam.check_started_token(broken, now=now) is spam.NO_VALID_TOKEN


def test_client_address_ignores_x_forwarded_for_by_default(request_from, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert spam.client_address(request_from(forwarded="203.0.113.5")) == "192.0.2.10"
    assert spam.client_address(request_from("127.0.0.1", forwarded="203.0.113.5")) == "127.0.0.1"


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.1, 203.0.113.5", "203.0.113.5"),  # the client wrote 10.0.0.1 itself
        (2, "10.0.0.1, 203.0.113.5, 198.51.100.2", "203.0.113.5"),  # CDN, then our proxy
        (2, "203.0.113.5", "203.0.113.5"),  # fewer entries than proxies: the farthest one
        (1, "not-an-address", "127.0.0.1"),
        (1, "", "127.0.0.1"),
    ],
)
def test_client_address_behind_trusted_proxies(
    request_from, settings, trusted, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = trusted

    assert spam.client_address(request_from("127.0.0.1", forwarded=forwarded)) == expected


@pytest.mark.parametrize(
    ("proxies", "remote", "believed"),
    [
        (["127.0.0.1", "::1"], "127.0.0.1", True),
        (["127.0.0.1", "::1"], "192.0.2.10", False),  # not our proxy: it wrote the header itself
        (["10.0.0.0/8"], "10.1.2.3", True),
        (["*"], "192.0.2.10", True),
        (["127.0.0.1"], "", True),  # gunicorn on a Unix socket: only local processes reach it
    ],
)
def test_x_forwarded_for_is_only_believed_from_the_proxies_addresses(
    request_from, settings, proxies, remote, believed
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = proxies

    address = spam.client_address(request_from(remote, forwarded="203.0.113.5"))

    assert address == ("203.0.113.5" if believed else remote)


@pytest.mark.django_db
def test_rate_limit_counts_an_ipv6_network_as_one_client(request_from, settings):
    settings.PARTNERSHIPS_FORM_RATE_LIMIT = 1
    spam.count_submission(request_from(remote="2001:db8:1:2::1"), "contact")

    assert spam.is_rate_limited(request_from(remote="2001:db8:1:2::abcd"), "contact")
    assert not spam.is_rate_limited(request_from(remote="2001:db8:1:3::1"), "contact")
    assert not spam.is_rate_limited(request_from(remote="2001:db8:1:2::1"), "newsletter")


def test_rate_limit_message_says_when_to_try_again(settings):
    settings.PARTNERSHIPS_FORM_RATE_WINDOW = 3600

    assert "60 minutes" in spam.rate_limit_message()
