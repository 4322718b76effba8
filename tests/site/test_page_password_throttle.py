"""Guessing the password of a page (Wagtail's "private, accessible with a password") or of a
collection of documents: throttled per restriction and address by django-axes
(ngo_site.security.PasswordRestrictionThrottleMiddleware)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

PASSWORD = "open sesame"
ATTACKER = "203.0.113.7"
LIMIT = 3


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def protected_page(parent, slug):
    page = StandardPageFactory(parent=parent, title=slug.title(), slug=slug)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    return page, restriction


@pytest.fixture
def members(home_page):
    return protected_page(home_page, "members")


def try_page_password(client, page, restriction, password, address=ATTACKER, **extra):
    return client.post(
        reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, page.pk)),
        {"password": password, "return_url": page.url},
        REMOTE_ADDR=address,
        **extra,
    )


def non_field_errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(item.get_text(" ", strip=True) for item in soup.select(".errorlist"))


def test_wrong_guesses_then_the_right_password_is_refused(client, members):
    page, restriction = members
    for _guess in range(LIMIT):
        response = try_page_password(client, page, restriction, "guess")
        assert response.status_code == 200  # the form again, with "incorrect password"

    locked = try_page_password(client, page, restriction, PASSWORD)

    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "Too many wrong passwords" in non_field_errors(locked)
    assert 'name="password"' in locked.content.decode()  # the form, not an error page
    # The right password was not checked: the page stays closed to this visitor.
    assert client.get(page.url, REMOTE_ADDR=ATTACKER).status_code == 200
    assert 'name="password"' in client.get(page.url, REMOTE_ADDR=ATTACKER).content.decode()


def test_the_throttle_is_per_address_and_per_restriction(client, home_page, members):
    page, restriction = members
    other_page, other_restriction = protected_page(home_page, "board")
    for _guess in range(LIMIT):
        try_page_password(client, page, restriction, "guess")

    # Another visitor of the same page...
    assert (
        try_page_password(client, page, restriction, PASSWORD, "198.51.100.20").status_code == 302
    )
    # ...and the attacker on another protected page are not affected.
    response = try_page_password(client, other_page, other_restriction, PASSWORD)
    assert response.status_code == 302


def test_the_child_pages_of_a_restriction_share_its_count(client, members):
    page, restriction = members
    child = StandardPageFactory(parent=page, title="Minutes", slug="minutes")
    for target in (page, child, page):
        try_page_password(client, target, restriction, "guess")

    assert try_page_password(client, child, restriction, PASSWORD).status_code == 429


def test_the_lock_ends_after_the_cool_off_and_the_right_password_clears_the_count(client, members):
    from axes.models import AccessAttempt

    page, restriction = members
    for _guess in range(LIMIT):
        try_page_password(client, page, restriction, "guess")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert try_page_password(client, page, restriction, PASSWORD).status_code == 302
    # A visitor who mistyped a few times and then got it right starts afresh.
    for _guess in range(LIMIT - 1):
        try_page_password(client, page, restriction, "typo")
    assert try_page_password(client, page, restriction, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(ip_address=ATTACKER).exists()


def test_many_addresses_cannot_lock_a_page_for_everyone(client, members, settings):
    """Page passwords are shared by many visitors: no cap across addresses, unlike accounts."""
    settings.AXES_USERNAME_FAILURE_LIMIT = LIMIT
    page, restriction = members
    for number in range(2 * LIMIT):
        try_page_password(client, page, restriction, "guess", f"198.51.100.{number}")

    assert try_page_password(client, page, restriction, PASSWORD).status_code == 302


def test_french_message(client, members):
    page, restriction = members
    for _guess in range(LIMIT):
        try_page_password(client, page, restriction, "guess")

    with translation.override("fr"):  # the form of a French page posts to a French URL
        url = reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, page.pk))

    locked = client.post(url, {"password": PASSWORD, "return_url": "/"}, REMOTE_ADDR=ATTACKER)

    assert locked.status_code == 429
    assert "Trop de mots de passe erronés" in non_field_errors(locked)


def test_a_collection_password_is_throttled_too(client):
    collection = Collection.get_first_root_node().add_child(name="Board papers")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password=PASSWORD,
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=(restriction.pk,))
    data = {"password": "guess", "return_url": "/"}
    for _guess in range(LIMIT):
        assert client.post(url, data, REMOTE_ADDR=ATTACKER).status_code == 200

    locked = client.post(url, {**data, "password": PASSWORD}, REMOTE_ADDR=ATTACKER)

    assert locked.status_code == 429
    assert "Too many wrong passwords" in non_field_errors(locked)
    assert (
        client.post(url, {**data, "password": PASSWORD}, REMOTE_ADDR="198.51.100.20").status_code
        == 302
    )
