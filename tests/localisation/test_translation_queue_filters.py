"""The queue's filters and sorts, each checked on the rows it lists (through the real queue view,
as a translator uses it): content type, programme section, language, and the title, source
publication, due date and words orders."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Locale, Page

from ngo_site.translation_queue.models import QueueEntry
from programmes.models import ProgrammePage, ProjectPage
from tests.localisation.test_translation_queue import QUEUE, body, submit_translation
from tests.programmes.factories import ProgrammePageFactory, ProjectPageFactory
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

ROW = re.compile(r'data-queue-row="([0-9a-f-]+):(\d+)"')


@pytest.fixture
def translator(client):
    user = get_user_model().objects.create_superuser("tina", "tina@example.org", "pw")
    client.force_login(user)
    return user


@pytest.fixture
def pages(home_page, french, translator, client):
    """Two programmes, one with a project, and two standard pages, with distinct titles, word
    counts and publication dates; the home page translated so that its children can be."""
    submit_translation(client, home_page, french)
    social = ProgrammePageFactory(parent=home_page, title="Social protection")
    statistics = ProgrammePageFactory(parent=home_page, title="Statistics")
    pensions = ProjectPageFactory(parent=social, title="Pensions for vendors")
    about = StandardPageFactory(
        parent=home_page, title="About us", body=body("We are a network of many organisations.")
    )
    contact = StandardPageFactory(parent=home_page, title="Contact", body=body("Write."))
    published = {
        "Social protection": 5,
        "Statistics": 1,
        "Pensions for vendors": 3,
        "About us": 4,
        "Contact": 2,
    }
    now = timezone.now()
    for page in (social, statistics, pensions, about, contact):
        Page.objects.filter(pk=page.pk).update(
            last_published_at=now - datetime.timedelta(days=published[page.title])
        )
    # The stored rows follow saves through signals; timestamps set behind their back need the
    # operator's rebuild.
    call_command("rebuild_translation_queue", verbosity=0)
    return {
        "social": social,
        "statistics": statistics,
        "pensions": pensions,
        "about": about,
        "contact": contact,
    }


def listed(client, query=""):
    """The titles of the rows the queue lists, in their order (the home page left out)."""
    response = client.get(QUEUE + query)
    assert response.status_code == 200
    keys = [key for key, _locale in ROW.findall(response.content.decode())]
    titles = {
        str(key): title
        for key, title in Page.objects.filter(
            translation_key__in=keys, locale=Locale.get_default()
        ).values_list("translation_key", "title")
    }
    return [titles[key] for key in keys if key in titles and titles[key] != "Home"]


def test_content_type_filter_lists_only_that_type(client, pages):
    programme_type = ContentType.objects.get_for_model(ProgrammePage)
    project_type = ContentType.objects.get_for_model(ProjectPage)

    assert listed(client, f"?content_type={programme_type.pk}&ordering=title") == [
        "Social protection",
        "Statistics",
    ]
    assert listed(client, f"?content_type={project_type.pk}") == ["Pensions for vendors"]


def test_programme_filter_lists_the_programme_and_what_is_inside_it(client, pages):
    social = pages["social"]

    assert listed(client, f"?section={social.pk}&ordering=title") == [
        "Pensions for vendors",
        "Social protection",
    ]
    assert listed(client, f"?section={pages['statistics'].pk}") == ["Statistics"]


def test_language_filter(client, pages, french):
    everything = listed(client)
    assert listed(client, "?locale=fr") == everything
    # A language the site does not translate into is dropped with a notice, not a 500, and
    # the other filters still apply.
    response = client.get(QUEUE + "?locale=xx&q=statistics")
    assert response.status_code == 200
    assert listed(client, "?locale=xx&q=statistics") == ["Statistics"]


def test_title_order_is_case_insensitive(client, pages):
    expected = ["About us", "Contact", "Pensions for vendors", "Social protection", "Statistics"]
    assert listed(client, "?ordering=title") == expected


def test_source_publication_order_newest_first(client, pages):
    assert listed(client, "?ordering=-source_published_at") == [
        "Statistics",
        "Contact",
        "Pensions for vendors",
        "About us",
        "Social protection",
    ]


def test_due_date_order_soonest_first_then_undated(client, pages):
    for page, due in ((pages["contact"], "2027-01-20"), (pages["statistics"], "2027-01-05")):
        response = client.post(
            QUEUE + "assign/",
            {
                "translation_key": page.translation_key,
                "locale": "fr",
                "assignee": "me",
                "due_date": due,
            },
        )
        assert response.status_code == 302

    order = listed(client, "?ordering=due_date")
    assert order[:2] == ["Statistics", "Contact"]
    assert sorted(order[2:]) == order[2:]  # the undated ones after, by title


def test_words_order_most_first(client, pages, french):
    """Words to translate, most first: of a translation in progress, what is left; of an item
    never translated, all its words (counted at publication). The page with the longer text
    comes before the one with a single word in its body, translated or not."""
    submit_translation(client, pages["about"], french)

    order = listed(client, "?ordering=-words")
    assert order.index("About us") < order.index("Contact")
    assert set(order) >= {"Pensions for vendors", "Social protection", "Statistics", "Contact"}
    never_translated = QueueEntry.objects.get(
        translation_key=pages["contact"].translation_key, target_locale=french
    )
    assert never_translated.status == "missing"
    assert never_translated.words >= 2  # "Contact", "Write."


def test_content_type_names_keep_their_capitals(client, pages):
    """Issue 27: "FAQ", not "Faq"."""
    from bs4 import BeautifulSoup

    from tests.partnerships.factories import FAQGroupFactory

    FAQGroupFactory()
    call_command("rebuild_translation_queue", verbosity=0)

    html = client.get(QUEUE).content.decode()
    select = BeautifulSoup(html, "html.parser").select_one("select[name=content_type]")
    options = [option.get_text(strip=True) for option in select.select("option")]
    assert "FAQ" in options and "Faq" not in options
