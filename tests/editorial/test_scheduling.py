"""Scheduled publishing and expiry: set in the admin, carried out by `manage.py publish_scheduled`
(run from cron or a systemd timer, docs/editors.md)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from ngo_site.models import StandardPage

from .conftest import standard_page_form

pytestmark = pytest.mark.django_db


def admin_datetime(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_a_page_scheduled_in_the_admin_goes_live_when_the_command_runs(trees, moderator, client):
    client.force_login(moderator)
    go_live_at = timezone.now() + timedelta(hours=1)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("ngo_site", "standardpage", trees["en_home"].pk)),
        standard_page_form(
            "Launch", "launch", go_live_at=admin_datetime(go_live_at), **{"action-publish": "1"}
        ),
    )
    assert response.status_code == 302
    page = StandardPage.objects.get(slug="launch")
    assert not page.live
    client.logout()
    assert client.get("/en/launch/").status_code == 404

    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live  # not yet time

    # Time passes: move the schedule (the revision's and the page's within it) into the past.
    past = timezone.now() - timedelta(minutes=1)
    revision = Revision.page_revisions.get(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    )
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert client.get("/en/launch/").status_code == 200


def test_an_expired_page_is_unpublished_by_the_command(trees, client):
    page = trees["en_page"]
    page.expire_at = timezone.now() - timedelta(minutes=1)
    page.save()
    assert client.get("/en/about/").status_code == 200
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live and page.expired
    assert client.get("/en/about/").status_code == 404
