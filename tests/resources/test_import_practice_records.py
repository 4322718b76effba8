"""`manage.py import_resources` and the practice_ columns: a resource's structured practice record
imported from CSV, run the way an administrator runs it (call_command) and checked through the
page visitors read and the record's stored block values."""

import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from ngo_site.demo.loader import DemoLoader, read_yaml
from resources.demo import library_content
from resources.importer import _validation_messages
from resources.models import ResourcePage
from tests.programmes.factories import ProgrammeIndexPageFactory, ProgrammePageFactory
from tests.resources.factories import LibraryPageFactory, ResourceTypeFactory, make_resource
from tests.resources.test_import import library, run_import, summary, write_csv

pytestmark = pytest.mark.django_db

# Used as a fixture by the tests below (imported from test_import).
__all__ = ["library"]

EXAMPLE = Path(settings.BASE_DIR) / "resources" / "examples" / "practice-records-example.csv"
PRACTICE_HEADER = [
    "practice_type",
    "practice_start_date",
    "practice_end_date",
    "practice_objectives",
    "practice_summary",
    "practice_organisations",
    "practice_partners",
    "practice_benefit_and_impact",
    "practice_lessons",
    "practice_challenges",
    "practice_done_differently",
    "practice_recommendations",
    "practice_innovation_catalysed",
    "practice_innovation_sustainable",
    "practice_innovation_scalable",
    "practice_innovation_adapted",
    "practice_additional_resources",
    "practice_related",
    "practice_peer_review",
]
HEADER = ["external_id", "title", "resource_type", *PRACTICE_HEADER]
EMPTY_RECORD = dict.fromkeys(PRACTICE_HEADER, "")
FULL_RECORD = {
    "practice_type": "Service delivery",
    "practice_start_date": "2018-09",
    "practice_end_date": "2023",
    "practice_objectives": "Safe care for traders' children.",
    "practice_summary": "A child care centre inside the market.",
    "practice_organisations": "The traders' association.",
    "practice_partners": "The city assembly.",
    "practice_benefit_and_impact": "Eighty children a day.",
    "practice_lessons": "Follow the market's hours.",
    "practice_challenges": "The first room was too hot.",
    "practice_done_differently": "Ask the parents first.",
    "practice_recommendations": "Sign an agreement with the city.",
    "practice_innovation_catalysed": "Two other markets asked for one.",
    "practice_innovation_sustainable": "The salaries are in the city budget.",
    "practice_innovation_scalable": "Wherever a market has a building.",
    "practice_innovation_adapted": "Food parcels during the lockdowns.",
    "practice_additional_resources": "The first year's report.",
    "practice_related": "",
    "practice_peer_review": "Reviewers praised the fee rule.",
}


@pytest.fixture
def practice_library(library):
    ResourceTypeFactory(name="Practice record", is_practice_record=True)
    return library


def practice_row(external_id, title, header=HEADER, **values):
    cells = {"external_id": external_id, "title": title, "resource_type": "Practice record"}
    cells.update(FULL_RECORD)
    cells.update(values)
    return [cells[name] for name in header]


def import_rows(tmp_path, rows, header=HEADER, name="practices.csv"):
    return run_import(write_csv(tmp_path / name, rows, header=header))


def record_of(external_id):
    page = ResourcePage.objects.get(external_id=external_id)
    if not page.practice_record:
        return None
    return page.practice_record[0].value


def rendered_record(client, external_id):
    page = ResourcePage.objects.get(external_id=external_id)
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("section.practice-record")


def part(section, heading):
    """The text of the record's part under `heading`."""
    for h3 in section.select(".practice-record__part h3"):
        if h3.get_text(strip=True) == heading:
            return h3.parent.get_text(" ", strip=True).removeprefix(heading).strip()
    return None


@pytest.fixture
def two_practices(practice_library, tmp_path):
    """PR-1, then PR-2 with every column, related to PR-1 and to a resource by its slug."""
    make_resource(practice_library, title="Hand-made brief", slug="hand-made-brief")
    out, err = import_rows(
        tmp_path,
        [
            practice_row("PR-1", "Child care in Accra's market"),
            practice_row(
                "PR-2",
                "Safety committees in Ahmedabad",
                practice_type="organising",
                # Line breaks in a quoted cell: paragraphs, and lines within a paragraph.
                practice_summary=(
                    "A child care centre inside the market.\n\nOpen from 6 to 6 & free."
                ),
                practice_lessons="Follow the market's hours.\nCharge by the day.",
                practice_related="PR-1; hand-made-brief",
            ),
        ],
    )
    assert err == ""
    assert summary(out) == "2 created, 0 updated, 0 unchanged, 0 failed."
    return tmp_path / "practices.csv"


def test_every_practice_column_is_imported_and_shown_to_visitors(two_practices, client):
    record = record_of("PR-2")
    assert record["practice_type"] == "organising"
    assert record["start_date"] == datetime.date(2018, 9, 1)
    assert record["end_date"] == datetime.date(2023, 1, 1)
    assert record["summary"].source == (
        "<p>A child care centre inside the market.</p><p>Open from 6 to 6 &amp; free.</p>"
    )
    assert (
        record["lessons"].source == "<p>Follow the market&#x27;s hours.<br/>Charge by the day.</p>"
    )
    assert (
        record["innovation"]["sustainable"].source == "<p>The salaries are in the city budget.</p>"
    )
    assert record["peer_review"].source == "<p>Reviewers praised the fee rule.</p>"
    assert [page.title for page in record["related_practices"]] == [
        "Child care in Accra's market",
        "Hand-made brief",
    ]
    assert record_of("PR-1")["practice_type"] == "service"  # by its English label

    section = rendered_record(client, "PR-2")
    facts = section.select_one(".practice-record__facts").get_text(" ", strip=True)
    assert "Organising and representation" in facts
    assert part(section, "Summary") == (
        "A child care centre inside the market. Open from 6 to 6 & free."
    )
    assert part(section, "Lessons learned") == "Follow the market's hours. Charge by the day."
    innovation = part(section, "Innovation")
    assert "Are its impacts sustainable? The salaries are in the city budget." in innovation
    assert "Can it be scaled up? Wherever a market has a building." in innovation
    links = {
        link.get_text(strip=True): link["href"]
        for link in section.select(".practice-record__part ul a")
    }
    first = ResourcePage.objects.get(external_id="PR-1")
    assert links == {first.title: first.url, "Hand-made brief": "/en/resources/hand-made-brief/"}


def test_running_the_same_file_again_changes_nothing(two_practices):
    revisions = {page.pk: page.revisions.count() for page in ResourcePage.objects.all()}

    out, err = run_import(two_practices)

    assert err == ""
    assert summary(out) == "0 created, 0 updated, 2 unchanged, 0 failed."
    assert {page.pk: page.revisions.count() for page in ResourcePage.objects.all()} == revisions


def test_a_file_with_one_practice_column_changes_that_field_only(two_practices, tmp_path, client):
    before = record_of("PR-2")
    header = ["external_id", "title", "practice_lessons"]

    out, err = import_rows(
        tmp_path,
        [["PR-2", "Safety committees in Ahmedabad", "Keep a log of every agreement."]],
        header=header,
        name="lessons.csv",
    )

    assert err == ""
    assert summary(out) == "0 created, 1 updated, 0 unchanged, 0 failed."
    after = record_of("PR-2")
    assert after["lessons"].source == "<p>Keep a log of every agreement.</p>"
    for name in ("practice_type", "start_date", "end_date"):
        assert after[name] == before[name]
    for name in ("summary", "objectives", "partners", "peer_review"):
        assert after[name].source == before[name].source
    assert after["innovation"]["adapted"].source == before["innovation"]["adapted"].source
    assert [page.pk for page in after["related_practices"]] == [
        page.pk for page in before["related_practices"]
    ]
    section = rendered_record(client, "PR-2")
    assert part(section, "Lessons learned") == "Keep a log of every agreement."
    assert part(section, "Summary").startswith("A child care centre inside the market.")
    # The merged record is what is stored: the same file again changes nothing.
    out, _ = run_import(tmp_path / "lessons.csv")
    assert summary(out) == "0 created, 0 updated, 1 unchanged, 0 failed."


def test_clearing_every_practice_column_removes_the_record(two_practices, tmp_path, client):
    rows = [practice_row("PR-2", "Safety committees in Ahmedabad", **EMPTY_RECORD)]
    rows[0][2] = "Brief or working paper"  # a practice record type needs a record

    out, err = import_rows(tmp_path, rows, name="cleared.csv")

    assert err == ""
    assert summary(out) == "0 created, 1 updated, 0 unchanged, 0 failed."
    assert record_of("PR-2") is None
    assert rendered_record(client, "PR-2") is None
    out, _ = run_import(tmp_path / "cleared.csv")
    assert summary(out) == "0 created, 0 updated, 1 unchanged, 0 failed."


def test_a_practice_record_type_without_a_record_fails_with_the_pages_message(
    two_practices, tmp_path
):
    rows = [practice_row("PR-2", "Safety committees in Ahmedabad", **EMPTY_RECORD)]

    out, err = import_rows(tmp_path, rows, name="cleared.csv")

    assert summary(out) == "0 created, 0 updated, 0 unchanged, 1 failed."
    assert err.strip() == (
        "row 2 (external_id PR-2): "
        "This resource's type is a practice record: add its practice record "
        "(at least the practice type and the summary), or choose another type."
    )
    assert record_of("PR-2")["summary"].source.startswith("<p>A child care centre")


def test_a_record_without_its_summary_or_type_fails(practice_library, tmp_path):
    out, err = import_rows(
        tmp_path,
        [
            practice_row("PR-1", "No summary", practice_summary=""),
            practice_row("PR-2", "No type", practice_type=""),
        ],
    )

    assert summary(out) == "0 created, 0 updated, 0 unchanged, 2 failed."
    assert err.splitlines() == [
        "row 2 (external_id PR-1): a practice record needs practice_type and practice_summary",
        "row 3 (external_id PR-2): a practice record needs practice_type and practice_summary",
    ]
    assert not ResourcePage.objects.filter(external_id__in=["PR-1", "PR-2"]).exists()


def test_clearing_the_summary_of_a_stored_record_fails_and_keeps_it(two_practices, tmp_path):
    out, err = import_rows(
        tmp_path,
        [["PR-1", "Child care in Accra's market", ""]],
        header=["external_id", "title", "practice_summary"],
        name="summary.csv",
    )

    assert summary(out) == "0 created, 0 updated, 0 unchanged, 1 failed."
    assert (
        err.strip()
        == "row 2 (external_id PR-1): a practice record needs practice_type and practice_summary"
    )
    assert record_of("PR-1")["summary"].source.startswith("<p>A child care centre")


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("policy", "policy"),
        ("POLICY OR STRATEGY", "policy"),
        ("research-or-data-collection", "research"),
    ],
)
def test_the_practice_type_is_a_key_or_an_english_label(practice_library, tmp_path, value, key):
    out, err = import_rows(tmp_path, [practice_row("PR-1", "A practice", practice_type=value)])

    assert err == ""
    assert summary(out) == "1 created, 0 updated, 0 unchanged, 0 failed."
    assert record_of("PR-1")["practice_type"] == key


def test_an_unknown_practice_type_fails_its_row(practice_library, tmp_path):
    out, err = import_rows(
        tmp_path, [practice_row("PR-1", "A practice", practice_type="Cooperative")]
    )

    assert summary(out) == "0 created, 0 updated, 0 unchanged, 1 failed."
    assert err.strip() == (
        "row 2 (external_id PR-1): "
        "unknown practice_type 'Cooperative' (use programme, policy, law, service, "
        "organising, advocacy, research, tool, other)"
    )


def test_bad_practice_dates_fail_their_row(practice_library, tmp_path):
    out, err = import_rows(
        tmp_path,
        [
            practice_row("PR-1", "Bad start", practice_start_date="September 2018"),
            practice_row("PR-2", "Bad end", practice_end_date="2023-13-01"),
            practice_row(
                "PR-3", "Ends first", practice_start_date="2020-03", practice_end_date="2019-12-31"
            ),
        ],
    )

    assert summary(out) == "0 created, 0 updated, 0 unchanged, 3 failed."
    assert err.splitlines() == [
        "row 2 (external_id PR-1): "
        "bad practice_start_date 'September 2018' (use YYYY-MM-DD or YYYY)",
        "row 3 (external_id PR-2): bad practice_end_date '2023-13-01' (use YYYY-MM-DD or YYYY)",
        "row 4 (external_id PR-3): practice_end_date is before practice_start_date",
    ]


def test_an_end_date_before_the_stored_start_date_fails(two_practices, tmp_path):
    # PR-1 started in September 2018.
    out, err = import_rows(
        tmp_path,
        [["PR-1", "Child care in Accra's market", "2017"]],
        header=["external_id", "title", "practice_end_date"],
        name="end.csv",
    )

    assert summary(out) == "0 created, 0 updated, 0 unchanged, 1 failed."
    assert (
        err.strip() == "row 2 (external_id PR-1): practice_end_date is before practice_start_date"
    )
    assert record_of("PR-1")["end_date"] == datetime.date(2023, 1, 1)


def test_an_unknown_related_practice_fails_its_row(practice_library, tmp_path):
    out, err = import_rows(
        tmp_path, [practice_row("PR-1", "A practice", practice_related="LIB-404;no-such-slug")]
    )

    assert summary(out) == "0 created, 0 updated, 0 unchanged, 1 failed."
    assert err.strip() == (
        "row 2 (external_id PR-1): "
        "unknown practice_related 'LIB-404'; unknown practice_related 'no-such-slug'"
    )


def test_a_related_practice_below_its_row_is_refused_with_its_line(practice_library, tmp_path):
    out, err = import_rows(
        tmp_path,
        [
            practice_row("PR-1", "Refers down", practice_related="PR-9"),
            practice_row("PR-9", "Below"),
        ],
    )

    assert summary(out) == "1 created, 0 updated, 0 unchanged, 1 failed."
    assert err.strip() == (
        "row 2 (external_id PR-1): "
        "practice_related 'PR-9' is on row 3, below this row: put it above"
    )
    assert ResourcePage.objects.filter(external_id="PR-9").exists()
    # Order matters, not what is already saved: the same file fails the same way again.
    out, err = run_import(tmp_path / "practices.csv")
    assert err.strip() == (
        "row 2 (external_id PR-1): "
        "practice_related 'PR-9' is on row 3, below this row: put it above"
    )


def test_a_related_practice_on_a_failed_line_above_is_reported(practice_library, tmp_path):
    out, err = import_rows(
        tmp_path,
        [
            practice_row("PR-1", "Fails", practice_type="Cooperative"),
            practice_row("PR-2", "Refers up", practice_related="PR-1"),
        ],
    )

    assert summary(out) == "0 created, 0 updated, 0 unchanged, 2 failed."
    assert (
        err.splitlines()[1]
        == "row 3 (external_id PR-2): practice_related 'PR-1' is on row 2, which was not imported"
    )


def test_a_practice_cannot_be_related_to_itself(two_practices, tmp_path):
    slug = ResourcePage.objects.get(external_id="PR-1").slug
    out, err = import_rows(
        tmp_path,
        [
            practice_row("PR-1", "Child care in Accra's market", practice_related=slug),
            practice_row("PR-3", "Itself", practice_related="PR-3"),
        ],
        name="itself.csv",
    )

    assert summary(out) == "0 created, 0 updated, 0 unchanged, 2 failed."
    assert err.splitlines() == [
        "row 2 (external_id PR-1): "
        f"practice_related '{slug}' is this resource: it cannot be related to itself",
        "row 3 (external_id PR-3): "
        "practice_related 'PR-3' is this resource: it cannot be related to itself",
    ]


def test_a_file_without_practice_columns_leaves_the_record_alone(two_practices, tmp_path):
    before = ResourcePage.objects.get(external_id="PR-2").practice_record.raw_data[0]["value"]

    out, err = import_rows(
        tmp_path,
        [["PR-2", "Safety committees in Ahmedabad (renamed)"]],
        header=["external_id", "title"],
        name="titles.csv",
    )

    assert err == ""
    assert summary(out) == "0 created, 1 updated, 0 unchanged, 0 failed."
    page = ResourcePage.objects.get(external_id="PR-2")
    assert page.title == "Safety committees in Ahmedabad (renamed)"
    assert page.practice_record.raw_data[0]["value"] == before


def test_block_errors_are_reported_by_column():
    from django.core.exceptions import ValidationError

    stream_block = ResourcePage._meta.get_field("practice_record").stream_block
    value = stream_block.to_python(
        library_content.practice_record({"practice_type": "", "summary": ""})
    )
    with pytest.raises(ValidationError) as error:
        stream_block.clean(value)

    assert _validation_messages(error.value) == [
        "practice_type: This field is required.",
        "practice_summary: This field is required.",
    ]


def test_the_example_file_imports_cleanly(home_page, english, client):
    library = LibraryPageFactory(parent=home_page)
    # The demo's resource types, themes and regions, as `load_demo` creates them.
    library_content.taxonomy(DemoLoader(), read_yaml(library_content.DATA), english)
    index = ProgrammeIndexPageFactory(parent=home_page)
    for slug in ("social-protection", "urban-policies", "organisation-and-representation"):
        ProgrammePageFactory(parent=index, slug=slug)

    out, err = run_import(EXAMPLE)

    assert err == ""
    assert summary(out) == "2 created, 0 updated, 0 unchanged, 0 failed."
    accra = ResourcePage.objects.get(external_id="PR-2024-001")
    assert accra.get_parent().pk == library.pk
    assert accra.resource_type.is_practice_record
    section = rendered_record(client, "PR-2024-002")
    links = [link.get_text(strip=True) for link in section.select(".practice-record__part ul a")]
    assert links == [accra.title]
    out, err = run_import(EXAMPLE)
    assert summary(out) == "0 created, 0 updated, 2 unchanged, 0 failed."
