"""The practice record (seed 003) as structured fields: editors fill it in through Wagtail's own
create view, a practice-record resource without it is refused, visitors read its parts under
their headings, and the library's search finds words of any part."""

import datetime
import importlib
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from resources.models import ResourcePage
from tests.resources.factories import LibraryPageFactory, ResourceTypeFactory, make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(home_page):
    return LibraryPageFactory(parent=home_page)


@pytest.fixture
def practice_type():
    return ResourceTypeFactory(name="Practice record", is_practice_record=True)


def record_value(**parts):
    """A practice record in the JSON the block stores (every field given, empty unless in
    `parts`)."""
    value = {
        "practice_type": "programme",
        "start_date": None,
        "end_date": None,
        "objectives": "",
        "summary": "<p>Kits and funds for migrant traders.</p>",
        "organisations": "",
        "partners": "",
        "benefit_and_impact": "",
        "lessons": "",
        "challenges": "",
        "done_differently": "",
        "recommendations": "",
        "innovation": {"catalysed": "", "sustainable": "", "scalable": "", "adapted": ""},
        "additional_resources": "",
        "related_practices": [],
        "peer_review": "",
    }
    value.update(parts)
    return json.dumps([{"type": "practice_record", "value": value}])


def record_form(**parts):
    """The posted form of a practice record: what Wagtail's StreamField widget sends."""
    texts = {
        name: rich_text(parts.get(name, ""))
        for name in (
            "objectives",
            "summary",
            "organisations",
            "partners",
            "benefit_and_impact",
            "lessons",
            "challenges",
            "done_differently",
            "recommendations",
            "additional_resources",
            "peer_review",
        )
    }
    return {
        "practice_type": parts.get("practice_type", "programme"),
        "start_date": parts.get("start_date", ""),
        "end_date": parts.get("end_date", ""),
        **texts,
        "innovation": {
            name: rich_text(parts.get(name, ""))
            for name in ("catalysed", "sustainable", "scalable", "adapted")
        },
        "related_practices": {"count": "0"},
    }


def resource_form(resource_type, practice_record):
    """What the resource create form posts: a resource of `resource_type`, nothing else but its
    title, summary and `practice_record` (a list of posted records)."""
    return nested_form_data(
        {
            "title": "Protecting migrants from COVID-19 (Senegal)",
            "slug": "protecting-migrants",
            "summary": "A practice from an inventory of practices.",
            "resource_type": str(resource_type.pk),
            "publication_date": "2021-09-15",
            "authors": inline_formset([]),
            "languages": inline_formset([]),
            "programme_links": inline_formset([]),
            "theme_links": inline_formset([]),
            "region_links": inline_formset([]),
            "documents": inline_formset([]),
            "related_links": inline_formset([]),
            "comments": inline_formset([]),
            "body": streamfield([]),
            "sections": streamfield([]),
            "practice_record": streamfield(
                [("practice_record", record) for record in practice_record]
            ),
            "action-publish": "action-publish",
        }
    )


def add_url(library):
    return reverse("wagtailadmin_pages:add", args=["resources", "resourcepage", library.pk])


def test_an_editor_creates_a_practice_record_through_the_admin(
    admin_client, library, practice_type
):
    record = record_form(
        summary="<p>Kits and funds for migrant traders in Dakar.</p>",
        lessons="<p>Keep the revolving fund in a financial institution.</p>",
        start_date="2020-04-01",
        end_date="2021-06-30",
        sustainable="<p>Yes: the fund is lent out as loans.</p>",
    )

    response = admin_client.post(add_url(library), resource_form(practice_type, [record]))

    assert response.status_code == 302, response.content.decode()[:2000]
    page = ResourcePage.objects.get(slug="protecting-migrants")
    assert page.live
    (block,) = page.practice_record
    assert block.value["practice_type"] == "programme"
    assert block.value["start_date"] == datetime.date(2020, 4, 1)
    assert "revolving fund" in block.value["lessons"].source
    assert "loans" in block.value["innovation"]["sustainable"].source


def test_a_practice_record_resource_without_its_record_is_refused(
    admin_client, library, practice_type
):
    response = admin_client.post(add_url(library), resource_form(practice_type, []))

    assert response.status_code == 200
    assert "add its practice record" in response.content.decode()
    assert not ResourcePage.objects.filter(slug="protecting-migrants").exists()


def test_a_record_that_ends_before_it_starts_is_refused(admin_client, library, practice_type):
    record = record_form(start_date="2021-01-01", end_date="2020-01-01")

    response = admin_client.post(add_url(library), resource_form(practice_type, [record]))

    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert not ResourcePage.objects.filter(slug="protecting-migrants").exists()


def test_other_types_need_no_practice_record(admin_client, library):
    brief = ResourceTypeFactory(name="Brief")

    response = admin_client.post(add_url(library), resource_form(brief, []))

    assert response.status_code == 302


def test_the_page_shows_each_part_under_its_heading(client, library, practice_type):
    related = make_resource(library, title="Childcare in markets", resource_type=None)
    resource = make_resource(
        library,
        title="Protecting migrants",
        resource_type=practice_type,
        practice_record=record_value(
            start_date="2020-04-01",
            lessons="<p>Have a good partner.</p>",
            partners="<p>NEXUS</p>",
            innovation={
                "catalysed": "<p>Yes, with another funder.</p>",
                "sustainable": "",
                "scalable": "",
                "adapted": "",
            },
            related_practices=[{"type": "item", "value": related.pk, "id": "1"}],
        ),
    )

    soup = BeautifulSoup(client.get(resource.url).content, "html.parser")

    record = soup.select_one("section.practice-record")
    assert record.h2.get_text(strip=True) == "The practice"
    facts = record.select_one("dl.practice-record__facts")
    assert [dt.get_text(strip=True) for dt in facts.find_all("dt")] == ["Practice type", "Dates"]
    assert facts.find("dd").get_text(strip=True) == "Programme or project"
    assert facts.find("time")["datetime"] == "2020-04-01"
    headings = [h3.get_text(strip=True) for h3 in record.find_all("h3")]
    # Empty parts are left out; the others keep the record's order.
    assert headings == ["Summary", "Partners", "Lessons learned", "Innovation", "Related practices"]
    lessons = next(h3 for h3 in record.find_all("h3") if h3.get_text() == "Lessons learned")
    assert lessons.find_next_sibling("p").get_text() == "Have a good partner."
    question = record.select_one(".practice-record__questions dt")
    assert question.get_text(strip=True) == "Has it catalysed similar initiatives?"
    link = record.select_one("section:last-of-type ul a")
    assert link.get_text(strip=True) == "Childcare in markets" and link["href"] == related.url


def test_a_related_practice_that_is_unpublished_is_not_linked(client, library, practice_type):
    related = make_resource(library, title="Withdrawn practice")
    resource = make_resource(
        library,
        title="Protecting migrants",
        resource_type=practice_type,
        practice_record=record_value(
            related_practices=[{"type": "item", "value": related.pk, "id": "1"}]
        ),
    )
    related.unpublish()

    soup = BeautifulSoup(client.get(resource.url).content, "html.parser")

    assert "Withdrawn practice" not in soup.select_one("section.practice-record").get_text()
    assert "Related practices" not in soup.get_text()


def test_a_word_only_in_the_lessons_is_found_by_the_library_search(client, library, practice_type):
    make_resource(
        library,
        title="Protecting migrants",
        resource_type=practice_type,
        practice_record=record_value(lessons="<p>Lodge the fund with a tontine.</p>"),
    )
    make_resource(library, title="Another resource")

    soup = BeautifulSoup(client.get(library.url, {"q": "tontine"}).content, "html.parser")

    titles = [a.get_text(strip=True) for a in soup.select(".library-item h3 a")]
    assert titles == ["Protecting migrants"]


def test_the_migration_moves_practice_sections_into_the_record_and_keeps_the_rest():
    migration = importlib.import_module(
        "resources.migrations.0010_practice_records_and_document_rows_data"
    )
    sections = [
        {"type": "section", "value": {"kind": "summary", "heading": "", "text": "<p>S</p>"}},
        {"type": "section", "value": {"kind": "lessons", "heading": "", "text": "<p>L1</p>"}},
        {"type": "section", "value": {"kind": "lessons", "heading": "More", "text": "<p>L2</p>"}},
        {"type": "section", "value": {"kind": "dates", "heading": "", "text": "<p>2020</p>"}},
        {"type": "section", "value": {"kind": "annex", "heading": "Annex", "text": "<p>A</p>"}},
    ]

    kept, (record,) = migration.convert(sections, is_practice_record=True)

    assert record["value"]["summary"] == "<p>S</p>"
    assert record["value"]["lessons"] == "<p>L1</p><p><b>More</b></p><p>L2</p>"
    # Text with no structured field of its shape stays, as a chapter under its old name.
    assert [(block["value"]["kind"], block["value"]["heading"]) for block in kept] == [
        ("chapter", "Dates"),
        ("annex", "Annex"),
    ]
    assert kept[0]["value"]["text"] == "<p>2020</p>"
    # A resource of another type keeps every text, as chapters.
    kept, record = migration.convert(sections, is_practice_record=False)
    assert record == [] and len(kept) == 5
    assert migration.convert(sections[-1:], is_practice_record=True) is None
