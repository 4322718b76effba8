"""`manage.py import_resources`: a CSV file of resources imported into the English library, run
the way an administrator runs it (call_command), checked through the pages, the documents, the
admin and the library search visitors use."""

import csv
import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ngo_site.models import CustomDocument
from resources.demo.library_content import pdf_bytes
from resources.models import Region, ResourcePage, ResourceType, Theme
from tests.programmes.factories import ProgrammeIndexPageFactory, ProgrammePageFactory
from tests.resources.factories import (
    LibraryPageFactory,
    RegionFactory,
    ResourceTypeFactory,
    ThemeFactory,
    make_resource,
)

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "resources" / "examples" / "resources-example.csv"
HEADER = [
    "external_id",
    "title",
    "summary",
    "publication_date",
    "resource_type",
    "programmes",
    "themes",
    "regions",
    "languages",
    "authors",
    "external_url",
    "documents",
]


@pytest.fixture
def library(home_page):
    library = LibraryPageFactory(parent=home_page)
    ResourceTypeFactory(name="Brief or working paper")
    ResourceTypeFactory(name="Publication")
    ThemeFactory(name="Waste pickers")
    ThemeFactory(name="Street vendors")
    RegionFactory(name="India")
    RegionFactory(name="Latin America and the Caribbean", kind=Region.Kind.REGION)
    index = ProgrammeIndexPageFactory(parent=home_page)
    ProgrammePageFactory(parent=index, title="Urban Policies", slug="urban-policies")
    ProgrammePageFactory(parent=index, title="Social Protection", slug="social-protection")
    return library


def row(external_id, title, **values):
    defaults = {
        "summary": f"About {title.lower()}.",
        "publication_date": "2024-03-12",
        "resource_type": "Brief or working paper",
        "programmes": "",
        "themes": "",
        "regions": "",
        "languages": "en",
        "authors": "",
        "external_url": "",
        "documents": "",
    }
    defaults.update(values)
    return [external_id, title, *(defaults[name] for name in HEADER[2:])]


def write_csv(path, rows, header=HEADER):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    return path


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_resources", *[str(arg) for arg in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def summary(out):
    return out.strip().splitlines()[-1]


def revision_count(page):
    return page.revisions.count()


def search_titles(client, library, query):
    soup = BeautifulSoup(client.get(library.url, {"q": query}).content, "html.parser")
    return [link.get_text(strip=True) for link in soup.select(".library-item h3 a")]


def stored_document_files():
    folder = Path(settings.MEDIA_ROOT) / "documents"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def pdf_folder(tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    return folder


def test_rows_become_published_resources_with_their_classification(library, tmp_path, client):
    path = write_csv(
        tmp_path / "resources.csv",
        [
            row(
                "WP-1",
                "Waste pickers in Pune",
                programmes="urban-policies; social-protection",
                themes="waste-pickers",
                regions="India;latin america and the caribbean",
                languages="en;HI",
                authors="Deshmukh, R.;Pillai, S.;Another Org",
            ),
            row(
                "SV-1",
                "Street vendors in Lima",
                publication_date="2023",
                resource_type="publication",
            ),
        ],
    )

    out, err = run_import(path)

    assert err == ""
    assert summary(out) == "2 created, 0 updated, 0 unchanged, 0 failed."
    assert "row 2 (external_id WP-1): created “Waste pickers in Pune”" in out
    pune = ResourcePage.objects.get(external_id="WP-1")
    assert pune.live and pune.get_parent().pk == library.pk
    assert pune.locale.language_code == "en"
    assert pune.slug == "waste-pickers-in-pune"
    assert pune.summary == "About waste pickers in pune."
    assert str(pune.publication_date) == "2024-03-12"
    assert pune.resource_type.name == "Brief or working paper"
    assert [link.programme.title for link in pune.programme_links.all()] == [
        "Urban Policies",
        "Social Protection",
    ]
    assert [link.theme.name for link in pune.theme_links.all()] == ["Waste pickers"]
    assert [link.region.name for link in pune.region_links.all()] == [
        "India",
        "Latin America and the Caribbean",
    ]
    assert [row.language for row in pune.languages.all()] == ["en", "hi"]
    assert [author.name for author in pune.authors.all()] == [
        "Deshmukh, R.",
        "Pillai, S.",
        "Another Org",
    ]
    assert revision_count(pune) == 1
    # What an editor opening the page sees is what was imported.
    assert pune.get_latest_revision_as_object().authors.count() == 3
    lima = ResourcePage.objects.get(external_id="SV-1")
    assert str(lima.publication_date) == "2023-01-01"
    assert lima.resource_type.name == "Publication"
    # Published resources are indexed for the library's search and facets.
    assert search_titles(client, library, "pillai") == ["Waste pickers in Pune"]


def test_running_the_same_file_again_changes_nothing(library, tmp_path):
    rows = [
        row("WP-1", "Waste pickers in Pune", themes="Waste pickers", authors="Deshmukh, R."),
        row("SV-1", "Street vendors in Lima", themes="Street vendors"),
    ]
    path = write_csv(tmp_path / "resources.csv", rows)
    run_import(path)
    latest = {page.external_id: page.latest_revision_id for page in ResourcePage.objects.all()}

    out, err = run_import(path)

    assert err == ""
    assert summary(out) == "0 created, 0 updated, 2 unchanged, 0 failed."
    assert ResourcePage.objects.count() == 2
    for page in ResourcePage.objects.all():
        assert page.latest_revision_id == latest[page.external_id]
        assert revision_count(page) == 1


def test_a_changed_row_is_updated_with_a_new_published_revision(library, tmp_path, client):
    path = tmp_path / "resources.csv"
    write_csv(path, [row("WP-1", "Waste pickers in Pune"), row("SV-1", "Street vendors")])
    run_import(path)
    write_csv(
        path,
        [
            row("WP-1", "Waste pickers and recycling in Pune", themes="Waste pickers"),
            row("SV-1", "Street vendors"),
        ],
    )

    out, err = run_import(path)

    assert err == ""
    assert summary(out) == "0 created, 1 updated, 1 unchanged, 0 failed."
    assert "row 2 (external_id WP-1): updated “Waste pickers and recycling in Pune”" in out
    page = ResourcePage.objects.get(external_id="WP-1")
    assert page.title == "Waste pickers and recycling in Pune"
    assert page.slug == "waste-pickers-in-pune"  # the address does not change
    assert [link.theme.name for link in page.theme_links.all()] == ["Waste pickers"]
    assert revision_count(page) == 2
    assert not page.has_unpublished_changes
    assert search_titles(client, library, "recycling") == ["Waste pickers and recycling in Pune"]


def test_bad_rows_are_reported_by_spreadsheet_row_and_id_and_the_others_imported(
    library, tmp_path, pdf_folder
):
    path = tmp_path / "resources.csv"
    write_csv(
        path,
        [
            # Lines 2-4: a quoted summary over three lines.
            row("OK-1", "A good row", summary="First line\n\nthird line"),
            row("BAD-1", "Unknown type", resource_type="Comic strip"),
            row("BAD-2", "Unknown theme", themes="Waste pickers;Heat"),
            row("BAD-3", "Bad date", publication_date="2024-13-01"),
            row("BAD-4", ""),
            row("BAD-5", "Missing file", documents="missing.pdf"),
            row("OK-1", "The same ID again"),
            row("BAD-6", "Unknown programme and language", programmes="dance", languages="xx"),
            row("BAD-7", "Long summary", summary="x" * 450),
        ],
    )
    with path.open("a", encoding="utf-8") as handle:
        handle.write("BAD-8,One column too many,a,2024,,,,,,,,,extra\n")
        handle.write("OK-2,Another good row,,,,,,,,,,\n")

    out, err = run_import(path, "--documents", pdf_folder)

    assert err.splitlines() == [
        # Row 2 is lines 2-4 of the file: rows are counted as a spreadsheet shows them.
        "row 3 (external_id BAD-1): unknown resource type 'Comic strip'",
        "row 4 (external_id BAD-2): unknown theme 'Heat'",
        "row 5 (external_id BAD-3): bad publication_date '2024-13-01' (use YYYY-MM-DD or YYYY)",
        "row 6 (external_id BAD-4): missing title",
        f"row 7 (external_id BAD-5): document 'missing.pdf' not found in {pdf_folder}",
        "row 8 (external_id OK-1): external_id 'OK-1' is already on row 2",
        "row 9 (external_id BAD-6): unknown programme 'dance'; unknown language 'xx' "
        "(use en, fr, es, pt, ar, hi, sw, zh, ru, th)",
        "row 10 (external_id BAD-7): summary is longer than 400 characters (450)",
        "row 11 (no external_id): "
        "expected 12 columns, found 13 (check the commas and quotes of this row)",
    ]
    assert summary(out) == "2 created, 0 updated, 0 unchanged, 9 failed."
    assert sorted(ResourcePage.objects.values_list("external_id", flat=True)) == ["OK-1", "OK-2"]
    assert ResourcePage.objects.get(external_id="OK-1").title == "A good row"


def test_a_file_with_bad_rows_imported_twice_creates_once_and_reports_the_same_rows(
    library, tmp_path
):
    """The good rows are created and each bad row is reported with its line and reason; running
    the same file again creates nothing, leaves the good rows unchanged and reports the same bad
    rows, so an administrator can fix the file and re-run it safely."""
    path = write_csv(
        tmp_path / "resources.csv",
        [
            row("OK-1", "Waste pickers in Pune", themes="Waste pickers"),
            row("BAD-1", "Unknown type", resource_type="Comic strip"),
            row("OK-2", "Street vendors in Lima", programmes="urban-policies"),
            row("BAD-2", "Bad date", publication_date="2024-02-30"),
            row("BAD-3", "Unknown region", regions="Atlantis"),
            row("OK-3", "Domestic workers", languages="fr;es"),
        ],
    )
    bad_rows = [
        "row 3 (external_id BAD-1): unknown resource type 'Comic strip'",
        "row 5 (external_id BAD-2): bad publication_date '2024-02-30' (use YYYY-MM-DD or YYYY)",
        "row 6 (external_id BAD-3): unknown region 'Atlantis'",
    ]

    first_out, first_err = run_import(path)

    assert first_err.splitlines() == bad_rows
    assert summary(first_out) == "3 created, 0 updated, 0 unchanged, 3 failed."
    assert sorted(ResourcePage.objects.values_list("external_id", flat=True)) == [
        "OK-1",
        "OK-2",
        "OK-3",
    ]
    revisions = {page.external_id: page.latest_revision_id for page in ResourcePage.objects.all()}

    second_out, second_err = run_import(path)

    assert second_err.splitlines() == bad_rows
    assert summary(second_out) == "0 created, 0 updated, 3 unchanged, 3 failed."
    assert ResourcePage.objects.count() == 3
    for page in ResourcePage.objects.all():
        assert page.latest_revision_id == revisions[page.external_id]
        assert revision_count(page) == 1


def test_a_document_of_the_wrong_type_or_without_a_folder_fails_its_row(
    library, tmp_path, pdf_folder
):
    (pdf_folder / "notes.txt").write_text("Not a PDF")
    (pdf_folder / "fake.pdf").write_bytes(b"<html>not a pdf</html>")
    path = write_csv(
        tmp_path / "resources.csv",
        [
            row("D-1", "Text file", documents="notes.txt"),
            row("D-2", "Fake PDF", documents="fake.pdf"),
            row("D-3", "Outside the folder", documents="../resources.csv"),
        ],
    )

    _out, err = run_import(path, "--documents", pdf_folder)
    no_folder_out, no_folder_err = run_import(path)

    assert err.splitlines() == [
        "row 2 (external_id D-1): document 'notes.txt' is not a PDF",
        "row 3 (external_id D-2): document 'fake.pdf' is not a PDF",
        "row 4 (external_id D-3): "
        "document '../resources.csv' must be a file name, without a folder",
    ]
    assert no_folder_err.splitlines()[0] == (
        "row 2 (external_id D-1): document 'notes.txt' listed but no --documents folder given"
    )
    assert summary(no_folder_out) == "0 created, 0 updated, 0 unchanged, 3 failed."
    assert not ResourcePage.objects.exists()
    assert not CustomDocument.objects.exists()


def test_a_pdf_is_attached_and_its_text_found_by_the_library_search(
    library, tmp_path, pdf_folder, client
):
    (pdf_folder / "kumasi.pdf").write_bytes(
        pdf_bytes(["Market report", "Traders in Kumasi asked for shade and clean toilets."])
    )
    path = write_csv(
        tmp_path / "resources.csv",
        [row("PDF-1", "Market traders' demands", documents="kumasi.pdf")],
    )
    files_before = stored_document_files()

    out, err = run_import(path, "--documents", pdf_folder)

    assert err == ""
    assert summary(out) == "1 created, 0 updated, 0 unchanged, 0 failed."
    page = ResourcePage.objects.get(external_id="PDF-1")
    document = page.documents.get().document
    assert document.title == "Market traders' demands"
    assert "Kumasi" in document.extracted_text
    assert document.file.read() == (pdf_folder / "kumasi.pdf").read_bytes()
    assert len(stored_document_files()) == len(files_before) + 1
    # The word is only in the PDF.
    assert search_titles(client, library, "kumasi") == ["Market traders' demands"]
    resource_page = client.get(page.url)
    assert document.url in resource_page.content.decode()

    # The same file is not stored twice when the file is imported again.
    out, err = run_import(path, "--documents", pdf_folder)
    assert summary(out) == "0 created, 0 updated, 1 unchanged, 0 failed."
    assert CustomDocument.objects.count() == 1


def test_a_pdf_without_text_is_attached_with_a_note(library, tmp_path, pdf_folder):
    (pdf_folder / "scan.pdf").write_bytes(pdf_bytes([]))
    path = write_csv(tmp_path / "r.csv", [row("PDF-2", "A scan", documents="scan.pdf")])

    out, err = run_import(path, "--documents", pdf_folder)

    assert err == ""
    assert "row 2 (external_id PDF-2): note: scan.pdf: No text was found in this PDF" in out
    assert summary(out) == "1 created, 0 updated, 0 unchanged, 0 failed."


def test_a_row_failing_while_saved_leaves_nothing_behind(library, tmp_path, pdf_folder):
    (pdf_folder / "report.pdf").write_bytes(pdf_bytes(["Report", "Durban street traders"]))
    path = write_csv(
        tmp_path / "resources.csv",
        [
            # The page's own validation rejects the URL, after the document and the new theme
            # were created in the row's savepoint.
            row(
                "URL-1",
                "A bad link",
                external_url="not a link",
                themes="Brand new theme",
                documents="report.pdf",
            )
        ],
    )
    files_before = stored_document_files()

    out, err = run_import(path, "--documents", pdf_folder, "--create-terms")

    assert err.splitlines() == ["row 2 (external_id URL-1): external_url: Enter a valid URL."]
    assert summary(out) == "0 created, 0 updated, 0 unchanged, 1 failed."
    assert not ResourcePage.objects.exists()
    assert not CustomDocument.objects.exists()
    assert not Theme.objects.filter(name="Brand new theme").exists()
    assert stored_document_files() == files_before
    assert "new theme" not in out


def test_dry_run_reports_everything_and_writes_nothing(library, tmp_path, pdf_folder):
    existing = make_resource(library, title="Street vendors", external_id="SV-1")
    (pdf_folder / "report.pdf").write_bytes(pdf_bytes(["Report", "Durban street traders"]))
    path = write_csv(
        tmp_path / "resources.csv",
        [
            row("NEW-1", "New one", themes="Heat stress", documents="report.pdf"),
            row("SV-1", "Street vendors in Lima"),
            row("BAD-1", "Bad date", publication_date="soon"),
        ],
    )
    counts_before = {
        model: model.objects.count()
        for model in (ResourcePage, CustomDocument, Theme, ResourceType, Region)
    }
    files_before = stored_document_files()

    out, err = run_import(path, "--documents", pdf_folder, "--dry-run", "--create-terms")

    assert err.splitlines() == [
        "row 4 (external_id BAD-1): bad publication_date 'soon' (use YYYY-MM-DD or YYYY)"
    ]
    assert "[dry run] row 2 (external_id NEW-1): created “New one”" in out
    assert "[dry run] row 3 (external_id SV-1): updated “Street vendors in Lima”" in out
    assert "[dry run] new theme: Heat stress" in out
    assert summary(out) == "[dry run] 1 created, 1 updated, 0 unchanged, 1 failed."
    for model, count in counts_before.items():
        assert model.objects.count() == count, model
    assert stored_document_files() == files_before
    existing.refresh_from_db()
    assert existing.title == "Street vendors"
    assert revision_count(existing) == 1


def test_create_terms_adds_unknown_terms_in_english(library, tmp_path, english):
    path = write_csv(
        tmp_path / "resources.csv",
        [
            row("T-1", "Heat", resource_type="Podcast", themes="Heat stress", regions="Ghana"),
            # The same new term, written as a slug: found, not created twice.
            row("T-2", "More heat", themes="heat-stress"),
        ],
    )

    out, err = run_import(path, "--create-terms")

    assert err == ""
    assert summary(out) == "2 created, 0 updated, 0 unchanged, 0 failed."
    assert "new resource type: Podcast" in out
    assert "new theme: Heat stress" in out
    assert "new region: Ghana" in out
    theme = Theme.objects.get(name="Heat stress")
    assert theme.locale == english
    assert Region.objects.get(name="Ghana").locale == english
    assert ResourceType.objects.get(name="Podcast").locale == english
    for external_id in ("T-1", "T-2"):
        page = ResourcePage.objects.get(external_id=external_id)
        assert [link.theme for link in page.theme_links.all()] == [theme]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "external_id,title\nX-1,Caf\xe9 workers\n".encode("latin-1"),
            "is not UTF-8 text (byte 0xe9 on line 2)",
        ),
        (b"external_id,summary\nX-1,No title column\n", "missing required columns: title"),
        (b"external_id,title,colour\nX-1,A,red\n", "unknown columns: colour"),
        (b"external_id;title\nX-1;A\n", "must be separated by commas"),
        (b"", "is empty"),
    ],
)
def test_a_file_that_cannot_be_used_stops_the_import(library, tmp_path, content, message):
    path = tmp_path / "resources.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=re.escape(message)):
        run_import(path)
    assert not ResourcePage.objects.exists()


def test_a_missing_file_or_documents_folder_stops_the_import(library, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nowhere\.csv"):
        run_import(tmp_path / "nowhere.csv")
    path = write_csv(tmp_path / "resources.csv", [row("X-1", "A")])
    with pytest.raises(CommandError, match=r"documents folder .* does not exist"):
        run_import(path, "--documents", tmp_path / "no-such-folder")


def test_a_utf8_file_with_a_byte_order_mark_is_read(library, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("external_id,title\nX-1,Café workers\n".encode("utf-8-sig"))

    out, err = run_import(path)

    assert err == ""
    assert summary(out) == "1 created, 0 updated, 0 unchanged, 0 failed."
    assert ResourcePage.objects.get(external_id="X-1").title == "Café workers"


def test_note_columns_and_unnamed_empty_columns_are_ignored(library, tmp_path):
    path = tmp_path / "resources.csv"
    path.write_text(
        "# checked by,external_id,title,\nAna,X-1,Street vendors,\nAna,X-2,Waste pickers,\n"
    )

    out, err = run_import(path)

    assert err == ""
    assert summary(out) == "2 created, 0 updated, 0 unchanged, 0 failed."


def test_the_example_file_imports_cleanly(home_page, tmp_path):
    LibraryPageFactory(parent=home_page)
    index = ProgrammeIndexPageFactory(parent=home_page)
    for slug in ("social-protection", "statistics", "urban-policies", "law"):
        ProgrammePageFactory(parent=index, slug=slug)
    ProgrammePageFactory(parent=index, slug="organisation-and-representation")

    out, err = run_import(EXAMPLE, "--create-terms")

    assert err == ""
    assert summary(out) == "5 created, 0 updated, 0 unchanged, 0 failed."
    pune = ResourcePage.objects.get(external_id="LIB-2024-001")
    assert [block.block_type for block in pune.body] == ["paragraph", "paragraph"]
    assert pune.series == "WIEGO Policy Brief"
    assert pune.external_url == "https://example.org/library/pune-waste-pickers"


def test_editors_see_the_external_id_and_cannot_reuse_one(library, admin_client):
    first = make_resource(library, title="First", external_id="EXT-1")
    second = make_resource(library, title="Second")

    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[first.pk]))
    assert 'name="external_id"' in edit.content.decode()
    second.external_id = "EXT-1"
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "external_id" in error.value.message_dict


def test_a_translation_keeps_the_external_id_and_the_import_updates_the_english_page(
    library, tmp_path, french
):
    from wagtail_localize.models import TranslationSource

    path = tmp_path / "resources.csv"
    write_csv(path, [row("WP-1", "Waste pickers in Pune")])
    run_import(path)
    english_page = ResourcePage.objects.get(external_id="WP-1")
    source, _ = TranslationSource.get_or_create_from_instance(english_page)
    source.create_or_update_translation(french, copy_parent_pages=True, fallback=True)
    french_page = ResourcePage.objects.get(locale=french)
    # Unique per language: the translation carries its source's ID, not offered for translation.
    assert french_page.external_id == "WP-1"
    french_page.full_clean()

    write_csv(path, [row("WP-1", "Waste pickers of Pune")])
    out, err = run_import(path)

    assert err == ""
    assert summary(out) == "0 created, 1 updated, 0 unchanged, 0 failed."
    english_page.refresh_from_db()
    french_page.refresh_from_db()
    assert english_page.title == "Waste pickers of Pune"
    assert french_page.title == "Waste pickers in Pune"


def test_copying_a_resource_in_its_language_does_not_copy_the_external_id(library):
    original = make_resource(library, title="Original", external_id="EXT-1")

    copy = original.copy(update_attrs={"slug": "original-copy", "title": "Copy"})

    assert copy.specific.external_id == ""
