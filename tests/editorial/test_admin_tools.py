"""The admin's dashboard panels and tools: pages awaiting moderation, the translation queue
summary, redirects, search promotions and the audit log, used through the real admin views."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from ngo_site.models import StandardPage
from tests.site.factories import StandardPageFactory

from .conftest import standard_page_form

pytestmark = pytest.mark.django_db


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def summary_cell(soup, status):
    """(count, link) of a status in the translation summary panel's French row."""
    panel = soup.select_one("#translation-summary-section")
    assert panel is not None, "no translation queue panel on the dashboard"
    link = panel.select_one(f'td[data-status="{status}"] a')
    return int(link.get_text(strip=True)), link["href"]


def body(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def submit_translation(client, page, french):
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [french.pk]},
    )
    assert response.status_code == 302


def test_the_dashboard_summarises_the_french_translation_queue(
    home_page, french, administrator, client
):
    StandardPageFactory(parent=home_page, title="Street vendors", body=body("Vendors sell."))
    StandardPageFactory(parent=home_page, title="Waste pickers", body=body("Pickers sort."))
    client.force_login(administrator)

    # The home page and both pages exist in English only.
    soup = dashboard(client)
    assert summary_cell(soup, "missing")[0] == 3
    assert summary_cell(soup, "in_progress")[0] == 0

    # Submitting translations creates French drafts whose text is not translated yet.
    submit_translation(client, home_page, french)
    submit_translation(client, StandardPage.objects.get(title="Street vendors"), french)
    soup = dashboard(client)
    missing, missing_url = summary_cell(soup, "missing")
    assert missing == 1
    assert summary_cell(soup, "in_progress")[0] == 2
    assert summary_cell(soup, "outdated")[0] == 0
    assert summary_cell(soup, "ready_for_review")[0] == 0

    # The number links to the queue filtered by that language and status.
    assert "locale=fr" in missing_url and "status=missing" in missing_url
    queue = client.get(missing_url)
    assert queue.status_code == 200
    html = queue.content.decode()
    assert "Waste pickers" in html and "Street vendors" not in html


def test_moderators_see_the_pages_awaiting_their_review(trees, editor, moderator, client):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("ngo_site", "standardpage", trees["en_home"].pk)),
        standard_page_form("Budget campaign", "budget", **{"action-submit": "Submit"}),
    )
    assert response.status_code == 302

    client.force_login(moderator)
    soup = dashboard(client)
    awaiting = soup.find(
        lambda tag: tag.name == "section" and "Awaiting your review" in tag.get_text()
    )
    assert awaiting is not None
    assert "Budget campaign" in awaiting.get_text()


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailredirects:index",
        "wagtailsearchpromotions:index",
        "wagtailadmin_reports:site_history",
    ],
)
def test_administrators_open_redirects_promotions_and_the_audit_log(
    url_name, administrator, client
):
    client.force_login(administrator)
    assert client.get(reverse(url_name)).status_code == 200


def test_a_redirect_added_in_the_admin_redirects_visitors(trees, administrator, client):
    client.force_login(administrator)
    response = client.post(
        reverse("wagtailredirects:add"),
        {
            "old_path": "/old-about-us/",
            "site": "",
            "is_permanent": "on",
            "redirect_page": trees["en_page"].pk,
            "redirect_link": "",
        },
    )
    assert response.status_code == 302
    assert Redirect.objects.filter(old_path="/old-about-us").exists()

    client.logout()
    response = client.get("/old-about-us/")
    assert response.status_code == 301
    assert response["Location"].endswith(trees["en_page"].url)
    assert client.get(response["Location"]).status_code == 200
