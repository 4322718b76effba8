"""Dates in the French admin are written the French way (Django's French formats: no
WAGTAIL_DATE_FORMAT nor WAGTAIL_DATETIME_FORMAT overrides them), and the date pickers take
what they show and the French way of writing a date.

The users are in the real groups (tests/editorial/conftest.py), their admin language set to
French in their account (Wagtail's UserProfile).
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from tests.editorial import conftest as editorial_roles
from tests.localisation.test_french_admin_pages import ENGLISH_DATE, visible_text

standard_page_form = editorial_roles.standard_page_form

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

FRENCH_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)
FRENCH_DATE = re.compile(rf"\b(?:1er|\d{{1,2}}) (?:{FRENCH_MONTHS}) \d{{4}}")
FRENCH_DATE_TIME = re.compile(rf"\b(?:1er|\d{{1,2}}) (?:{FRENCH_MONTHS}) \d{{4}} \d{{2}}:\d{{2}}")
TOOLTIP = re.compile(r'data-w-tooltip-content-value="([^"]*)"')


def in_french(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    return user


def test_page_history_dates_are_french(trees, moderator, client_for):
    page = trees["fr_page"]
    page.save_revision(user=moderator)
    html = client_for(in_french(moderator)).get(
        reverse("wagtailadmin_pages:history", args=[page.pk])
    )
    assert html.status_code == 200
    content = html.content.decode()
    tooltips = TOOLTIP.findall(content)
    assert any(FRENCH_DATE_TIME.fullmatch(tip) for tip in tooltips), tooltips
    assert not ENGLISH_DATE.findall(" ".join(tooltips) + visible_text(content))


def test_a_due_date_set_in_the_queue_reads_french_on_the_translators_dashboard(
    trees, translator, moderator, client, french
):
    french_page = trees["fr_page"]
    client.force_login(in_french(moderator))
    response = client.post(
        reverse("translation_queue:assign"),
        {
            "translation_key": str(french_page.translation_key),
            "locale": "fr",
            "assignee": str(translator.pk),
            "reviewer": "",
            # What the queue's <input type="date"> sends, whatever the browser shows.
            "due_date": "2026-12-24",
        },
    )
    assert response.status_code == 302
    queue = client.get(reverse("translation_queue:index") + "?status=all&locale=all")
    # The row shows the due date in the admin language's month-and-day form.
    assert re.search(r"\b24 décembre\b", queue.content.decode())
    assert not ENGLISH_DATE.findall(visible_text(queue.content.decode()))

    client.force_login(in_french(translator))
    dashboard = visible_text(client.get(reverse("wagtailadmin_home")).content.decode())
    assert "24 décembre 2026" in dashboard
    assert not ENGLISH_DATE.findall(dashboard)


@pytest.mark.parametrize("written", ["24/12/2026 16:05", "2026-12-24 16:05"])
def test_the_go_live_picker_takes_the_french_way_of_writing_a_date(
    written, trees, moderator, client_for
):
    page = trees["en_page"]
    client = client_for(in_french(moderator))
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(edit, standard_page_form(page.title, page.slug, go_live_at=written))
    assert response.status_code == 302, response.context["form"].errors
    page.refresh_from_db()
    go_live = page.get_latest_revision().as_object().go_live_at
    assert go_live == timezone.make_aware(datetime.datetime(2026, 12, 24, 16, 5))
    # The picker shows the date in a format it reads back (Wagtail's default).
    assert 'value="2026-12-24 16:05"' in client.get(edit).content.decode()
