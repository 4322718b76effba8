"""French typography on the pages visitors read (issue 26): the first day of a month is "1er"
("1er juin 2024", not "1 juin 2024") wherever a date with its month's name is printed, and file
sizes are in "Ko", "Mo" (not Django's French "Kio", "Mio"); English keeps "June 1, 2024" and
"KB", "MB"."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.utils import translation

from ngo_site.models import CustomDocument
from tests.resources.factories import LibraryPageFactory, ResourceTypeFactory, make_resource
from tests.site.factories import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

NBSP = "\u00a0"


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def text_of(element):
    """The element's text, its white space collapsed (a non-breaking space is kept)."""
    return re.sub(r"[ \t\n]+", " ", element.get_text(" ")).strip()


def translate(page, locale, **fields):
    translation_ = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation_, name, value)
    translation_.save_revision().publish()
    translation_.refresh_from_db()
    return translation_


def document_of_size(size, title="Report"):
    """A document whose file is `size` bytes."""
    document = CustomDocument(title=title)
    document.file.save(f"{title.lower()}.pdf", ContentFile(b"%PDF" + b"0" * (size - 4)), save=False)
    document.save()
    assert document.file.size == size
    return document


def practice_record(start_date, end_date):
    value = {
        "practice_type": "programme",
        "start_date": start_date,
        "end_date": end_date,
        "summary": "<p>Kits and funds for migrant traders.</p>",
        "innovation": {"catalysed": "", "sustainable": "", "scalable": "", "adapted": ""},
        "related_practices": [],
    }
    return json.dumps([{"type": "practice_record", "value": value}])


@pytest.fixture
def libraries(home_page, french):
    english = LibraryPageFactory(parent=home_page)
    translate(home_page, french, slug="accueil")
    return english, translate(english, french, title="Ressources", slug="ressources")


@pytest.fixture
def resource(libraries, french):
    """Published on the 1st of June, with a 1.5 KB and a 3 MB download; in English and French."""
    english_library, _ = libraries
    small = document_of_size(1536, title="Summary")
    large = document_of_size(3 * 1024 * 1024, title="Report")
    english = make_resource(
        english_library,
        title="Street vendors and the city",
        publication_date=datetime.date(2024, 6, 1),
        documents=[small, large],
    )
    french_page = translate(english, french, title="Les vendeurs de rue et la ville")
    return english, french_page


def test_a_french_resource_published_on_the_first_reads_1er(client, resource):
    _, french_page = resource
    soup = soup_of(client, french_page.url)

    date = soup.select_one(".resource__date time")
    assert date["datetime"] == "2024-06-01"
    assert date.get_text() == "1er juin 2024"


def test_the_english_resource_keeps_its_date(client, resource):
    english, _ = resource
    soup = soup_of(client, english.url)

    assert soup.select_one(".resource__date time").get_text() == "June 1, 2024"


def test_other_days_of_the_month_have_no_ordinal(client, libraries, french):
    english_library, _ = libraries
    english = make_resource(
        english_library, title="Later", publication_date=datetime.date(2024, 6, 11)
    )
    french_page = translate(english, french, title="Plus tard")

    assert soup_of(client, french_page.url).select_one(".resource__date time").get_text() == (
        "11 juin 2024"
    )


def test_the_french_library_lists_the_date_with_1er(client, resource, libraries):
    _, french_library = libraries
    soup = soup_of(client, french_library.url)

    (item,) = soup.select(".library-item")
    assert item.select_one("time").get_text() == "1er juin 2024"


def test_french_download_sizes_are_in_ko_and_mo(client, resource):
    _, french_page = resource
    soup = soup_of(client, french_page.url)

    sizes = [
        text_of(item.select_one(".resource__filetype"))
        for item in soup.select(".resource__downloads li")
    ]
    assert sizes == [f"(PDF, 1,5{NBSP}Ko)", f"(PDF, 3,0{NBSP}Mo)"]
    assert "Kio" not in soup.get_text() and "Mio" not in soup.get_text()


def test_english_download_sizes_stay_in_kb_and_mb(client, resource):
    english, _ = resource
    soup = soup_of(client, english.url)

    sizes = [
        text_of(item.select_one(".resource__filetype"))
        for item in soup.select(".resource__downloads li")
    ]
    assert sizes == [f"(PDF, 1.5{NBSP}KB)", f"(PDF, 3.0{NBSP}MB)"]


def test_the_document_download_block_of_a_french_page_says_ko(client, home_page, french):
    document = document_of_size(2048, title="Leaflet")
    document.file_size = 2048
    document.save()
    body = json.dumps(
        [{"type": "document", "value": {"document": document.pk, "title": "", "description": ""}}]
    )
    about = StandardPageFactory(parent=home_page, title="About us", body=body)
    translate(home_page, french, slug="accueil")
    a_propos = translate(about, french, title="À propos", slug="a-propos")

    french_meta = soup_of(client, a_propos.url).select_one(".download__meta")
    assert text_of(french_meta) == f"(PDF, 2,0{NBSP}Ko)"
    english_meta = soup_of(client, about.url).select_one(".download__meta")
    assert text_of(english_meta) == f"(PDF, 2.0{NBSP}KB)"


def test_a_french_practice_record_starting_on_the_first_reads_1er(client, libraries, french):
    english_library, _ = libraries
    practice = ResourceTypeFactory(name="Practice record", is_practice_record=True)
    english = make_resource(
        english_library,
        title="Protecting migrants",
        resource_type=practice,
        practice_record=practice_record("2020-04-01", "2021-03-15"),
    )
    french_page = translate(english, french, title="Protéger les migrants")

    french_dates = soup_of(client, french_page.url).select(".practice-record__facts time")
    assert [time.get_text() for time in french_dates] == ["1er avril 2020", "15 mars 2021"]
    english_dates = soup_of(client, english.url).select(".practice-record__facts time")
    assert [time.get_text() for time in english_dates] == ["April 1, 2020", "March 15, 2021"]


@pytest.mark.parametrize(
    ("language", "value", "format_name", "expected"),
    [
        ("fr", datetime.date(2024, 6, 1), "DATE_FORMAT", "1er juin 2024"),
        ("fr", datetime.date(2024, 6, 1), "MONTH_DAY_FORMAT", "1er juin"),
        ("fr", datetime.datetime(2024, 6, 1, 9, 30), "DATETIME_FORMAT", "1er juin 2024 09:30"),
        # No month's name, no ordinal.
        ("fr", datetime.date(2024, 6, 1), "SHORT_DATE_FORMAT", "01/06/2024"),
        ("fr", datetime.date(2024, 6, 1), "j/n/Y", "1/6/2024"),
        # An escaped "j" is a letter, not the day.
        ("fr", datetime.date(2024, 6, 1), r"\j j F", "j 1er juin"),
        ("fr", datetime.date(2024, 6, 21), "DATE_FORMAT", "21 juin 2024"),
        ("en", datetime.date(2024, 6, 1), "DATE_FORMAT", "June 1, 2024"),
        ("en", None, "DATE_FORMAT", ""),
    ],
)
def test_local_date_filter(language, value, format_name, expected):
    template = Template("{% load typography %}{{ value|local_date:format_name }}")
    with translation.override(language):
        rendered = template.render(Context({"value": value, "format_name": format_name}))
    assert rendered == expected
