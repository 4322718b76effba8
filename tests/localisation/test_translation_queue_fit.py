"""Issue 27, "The queue fits and starts where the work is": what the queue shows by default and
in which order, the filter form showing it, "Show everything", the rows' actions (no form per
row, assignment as bulk actions), resources in their programme, the way back to the queue after
a sync, and the export's report of what it left out."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.utils import timezone
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from ngo_site import roles
from ngo_site.translation_queue.models import TranslationAssignment
from tests.localisation.test_translation_queue import (
    QUEUE,
    body,
    row_of,
    status_of,
    submit_translation,
    translate_everything,
)
from tests.localisation.test_translation_queue_filters import listed
from tests.localisation.test_translation_queue_filters import pages as pages  # fixture
from tests.localisation.test_translation_queue_filters import translator as translator  # fixture
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

BULK = "/admin/bulk/translation_queue/queueentry/"


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def selected(html, name):
    """The value the queue's filter form shows as chosen for a filter."""
    select = BeautifulSoup(html, "html.parser").select_one(f"select[name={name}]")
    return select.select_one("option[selected]")["value"]


def due(page, french, date):
    TranslationAssignment.objects.update_or_create(
        translation_key=page.translation_key, target_locale=french, defaults={"due_date": date}
    )


def test_the_queue_starts_on_what_needs_work_most_urgent_first(client, pages, french):
    translate_everything(submit_translation(client, pages["about"], french))  # published
    submit_translation(client, pages["contact"], french)  # in progress
    today = timezone.localdate()
    due(pages["statistics"], french, today - datetime.timedelta(days=3))  # overdue
    due(pages["pensions"], french, today + datetime.timedelta(days=10))

    # Overdue, then due soonest, then the undated by status (in progress before missing).
    assert listed(client) == ["Statistics", "Pensions for vendors", "Contact", "Social protection"]
    everything = listed(client, "?status=all&locale=all")
    assert sorted(everything) == [
        "About us",
        "Contact",
        "Pensions for vendors",
        "Social protection",
        "Statistics",
    ]
    assert listed(client, "?status=published") == ["About us"]


def test_the_filter_form_shows_the_default_and_show_everything_resets_it(client, pages, french):
    translate_everything(submit_translation(client, pages["about"], french))
    html = client.get(QUEUE).content.decode()
    assert selected(html, "status") == "needs_work"
    assert selected(html, "locale") == "mine"
    soup = BeautifulSoup(html, "html.parser")
    notice = soup.select_one("[data-queue-defaults]")
    assert "needs work in your languages" in notice.get_text()
    assert "Most urgent first." in notice.get_text()
    link = notice.select_one("a[data-show-everything]")
    assert link.get_text(strip=True) == "Show everything"
    assert parse_qs(urlparse(link["href"]).query) == {"status": ["all"], "locale": ["all"]}

    everything = client.get(link["href"]).content.decode()
    assert selected(everything, "status") == "all"
    assert selected(everything, "locale") == "all"
    assert status_of(client.get(link["href"]), pages["about"], french) == "published"
    assert "data-queue-defaults" not in everything

    # Other filters and the search survive "Show everything"; a sort keeps the notice but not
    # its "most urgent first".
    html = client.get(QUEUE + "?q=contact&ordering=title").content.decode()
    notice = BeautifulSoup(html, "html.parser").select_one("[data-queue-defaults]")
    assert "Most urgent first." not in notice.get_text()
    href = notice.select_one("a[data-show-everything]")["href"]
    assert parse_qs(urlparse(href).query) == {
        "q": ["contact"],
        "status": ["all"],
        "locale": ["all"],
    }


def test_an_empty_status_or_language_is_the_default(client, pages, french):
    translate_everything(submit_translation(client, pages["about"], french))
    assert "About us" not in listed(client, "?status=&locale=")
    assert "About us" in listed(client, "?status=all&locale=")


def test_outdated_comes_before_missing_when_nothing_is_due(client, home_page, french, translator):
    submit_translation(client, home_page, french)
    long_text = " ".join(["Many words here."] * 20)
    StandardPageFactory(parent=home_page, title="Missing and long", body=body(long_text))
    outdated = StandardPageFactory(parent=home_page, title="Outdated", body=body("Short.", "Two."))
    translate_everything(submit_translation(client, outdated, french))
    english = outdated.specific
    blocks = [dict(block) for block in english.body.raw_data]
    blocks[1]["value"] = "<p>Changed.</p>"
    english.body = blocks
    english.save_revision().publish()

    order = listed(client)
    assert order.index("Outdated") < order.index("Missing and long")
    # By words alone (the "words" sort), the long missing page would come first.
    by_words = listed(client, "?ordering=-words")
    assert by_words.index("Missing and long") < by_words.index("Outdated")


def test_a_translator_sees_their_languages_by_default(client, home_page, french):
    """A language the translator may not write in is left out by "My languages" and shown
    by "All languages"."""
    german = Locale.objects.create(language_code="de")
    user = get_user_model().objects.create_user("tess", "tess@example.org", "pw")
    user.groups.add(Group.objects.get(name=roles.TRANSLATORS))
    client.force_login(user)
    page = StandardPageFactory(parent=home_page, title="Street vendors")
    html = client.get(QUEUE).content.decode()
    assert f'data-queue-row="{page.translation_key}:{french.pk}"' in html
    assert f'data-queue-row="{page.translation_key}:{german.pk}"' not in html
    html = client.get(QUEUE + "?locale=all").content.decode()
    assert f'data-queue-row="{page.translation_key}:{german.pk}"' in html


def test_rows_carry_no_form_and_their_actions_are_a_link_and_a_dropdown(
    client, home_page, french, translator
):
    submit_translation(client, home_page, french)
    outdated = StandardPageFactory(parent=home_page, title="Outdated", body=body("One.", "Two."))
    translate_everything(submit_translation(client, outdated, french))
    english = outdated.specific
    blocks = [dict(block) for block in english.body.raw_data]
    blocks[1]["value"] = "<p>Changed.</p>"
    english.body = blocks
    english.save_revision().publish()

    response = client.get(QUEUE + "?status=outdated")
    row = BeautifulSoup(row_of(response, outdated, french) + "</tr>", "html.parser")
    assert row.select("form") == [] and row.select("select") == []
    actions = row.select_one("td.queue-actions")
    main = actions.select_one("ul.actions > li > a")  # the first action, outside the dropdown
    assert main.get_text(strip=True) == "Open in the editor"
    assert main["href"] == f"/admin/pages/{outdated.get_translation(french).pk}/edit/"
    toggle = actions.select_one("[data-controller~=w-dropdown] button")
    assert toggle["aria-label"] == "More actions for “Outdated”"
    (sync,) = [link for link in actions.select("a") if "Sync from the source" in link.get_text()]
    source = TranslationSource.objects.get(object_id=outdated.translation_key)
    assert sync["href"].startswith(f"/admin/localize/update/{source.pk}/?next=")

    # The sync is wagtail-localize's view: it carries `next` into its form and comes back to
    # the queue as filtered.
    next_url = parse_qs(urlparse(sync["href"]).query)["next"][0]
    assert next_url == QUEUE + "?status=outdated"
    form = client.get(sync["href"]).content.decode()
    assert f'name="next" value="{next_url}"' in form.replace("&amp;", "&")
    synced = client.post(sync["href"], {"next": next_url})
    assert synced.status_code == 302 and synced["Location"] == next_url
    assert status_of(client.get(QUEUE), outdated, french) == "in_progress"


def test_reviewer_and_due_date_are_set_for_the_selected_rows(client, home_page, french, translator):
    submit_translation(client, home_page, french)
    first = StandardPageFactory(parent=home_page, title="First")
    second = StandardPageFactory(parent=home_page, title="Second")
    reviewer = get_user_model().objects.create_user("maya", "maya@example.org", "pw")
    reviewer.first_name, reviewer.last_name = "Maya", "Okafor"
    reviewer.save()
    reviewer.groups.add(Group.objects.get(name=roles.MODERATORS))
    ids = f"id={first.translation_key}:{french.pk}&id={second.translation_key}:{french.pk}"
    url = f"{BULK}review_and_due_date/?{ids}&next={QUEUE}"
    confirmation = client.get(url).content.decode()
    assert "Maya Okafor" in confirmation and 'name="due_date"' in confirmation
    response = client.post(url, {"reviewer": reviewer.pk, "due_date": "2030-05-04"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert "2 items updated." in messages_of(response)
    for page in (first, second):
        assignment = TranslationAssignment.objects.get(translation_key=page.translation_key)
        assert (assignment.reviewer, assignment.due_date) == (reviewer, datetime.date(2030, 5, 4))
        row = row_of(client.get(QUEUE), page, french)
        assert "Reviewed by Maya Okafor" in row and "due May 4" in row

    # A bad date is the form's error, nothing changes.
    response = client.post(url, {"reviewer": "", "due_date": "2030-13-45"})
    assert response.status_code == 200
    assert TranslationAssignment.objects.filter(reviewer=reviewer).count() == 2


def test_a_resource_shows_its_programme_and_the_programme_filter_finds_it(
    client, home_page, french, translator
):
    from tests.programmes.factories import ProgrammePageFactory
    from tests.resources.factories import LibraryPageFactory, make_resource

    submit_translation(client, home_page, french)
    social = ProgrammePageFactory(parent=home_page, title="Social protection")
    cities = ProgrammePageFactory(parent=home_page, title="Cities")
    library = LibraryPageFactory(parent=home_page)
    both = make_resource(library, title="Pensions brief", programmes=[social, cities])
    alone = make_resource(library, title="Unrelated note")

    response = client.get(QUEUE + "?status=all")
    programme_cell = BeautifulSoup(row_of(response, both, french), "html.parser").select("td")
    assert "Social protection" in [cell.get_text(strip=True) for cell in programme_cell]
    alone_cells = BeautifulSoup(row_of(response, alone, french), "html.parser").select("td")
    assert "Social protection" not in [cell.get_text(strip=True) for cell in alone_cells]
    assert listed(client, f"?section={social.pk}&ordering=title") == [
        "Pensions brief",
        "Social protection",
    ]
    assert "Unrelated note" not in listed(client, f"?section={social.pk}")

    # The editor moves it to the other programme: the row follows when it is published.
    both = type(both).objects.get(pk=both.pk)
    from resources.models import ResourceProgrammeLink

    both.programme_links = [ResourceProgrammeLink(programme=cities)]
    both.save_revision().publish()
    assert "Pensions brief" not in listed(client, f"?section={social.pk}")
    assert "Pensions brief" in listed(client, f"?section={cities.pk}")


def test_the_export_says_what_it_left_out_and_why(client, home_page, french, translator):
    submit_translation(client, home_page, french)
    translated = StandardPageFactory(parent=home_page, title="Translated", body=body("One."))
    submit_translation(client, translated, french)
    untranslated = StandardPageFactory(parent=home_page, title="Not yet", body=body("Two."))
    ids = (
        f"id={translated.translation_key}:{french.pk}&id={untranslated.translation_key}:{french.pk}"
    )
    for action in ("export_po", "export_xliff"):
        response = client.post(f"{BULK}{action}/?{ids}&next={QUEUE}")
        assert response.status_code == 200
        assert response["X-Translation-Queue-Left-Out"] == "1"
        report = messages_of(response)[-1]
        assert report == (
            "1 item exported. 1 item left out, not translated yet (create its translation "
            "first, then export it): Not yet (French)."
        )
        content = response.content.decode()
        assert "One." in content and "Two." not in content
        if action == "export_po":
            assert content.startswith("# 1 item exported. 1 item left out")

    # Everything exported: the report says so and leaves nothing out.
    response = client.post(f"{BULK}export_po/?id={translated.translation_key}:{french.pk}")
    assert response["X-Translation-Queue-Left-Out"] == "0"
    assert messages_of(response)[-1] == "1 item exported."
