"""Documents uploaded through the admin are checked by content and size, and reading a hostile
PDF's text is bounded in pages, time and memory."""

import io
import time
import zipfile
import zlib

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

from ngo_site.models import CustomDocument
from resources import extraction
from resources.demo.library_content import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

GOOD_PDF = pdf_bytes(["Annual report", "Street vendors in Accra."])


def upload(client, filename, content, title="Upload"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "file": SimpleUploadedFile(filename, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def form_errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(error.get_text(" ", strip=True) for error in soup.select(".error-message"))


def office_file(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("report.pdf", GOOD_PDF),
        (
            "budget.xlsx",
            office_file({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>"}),
        ),
        ("letter.docx", office_file({"[Content_Types].xml": "<T/>", "word/document.xml": "<d/>"})),
        ("minutes.odt", office_file({"mimetype": "application/vnd.oasis.opendocument.text"})),
        ("figures.csv", "year,workers\n2024,1200\nÉté,3\n".encode()),
        ("notes.txt", b"Plain notes about the meeting.\n"),
    ],
)
def test_documents_of_allowed_types_are_accepted(admin_client, filename, content):
    response = upload(admin_client, filename, content, title=filename)

    assert response.status_code == 302, form_errors(response)
    document = CustomDocument.objects.get(title=filename)
    assert document.file.read() == content


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "invoice.pdf",
            b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
            "it is not a real PDF file",
        ),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "cannot be uploaded"),
        ("page.html", b"<html><body>hi</body></html>", "cannot be uploaded"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "cannot be uploaded"),
        ("noextension", GOOD_PDF, "cannot be uploaded"),
        ("budget.xlsx", b"PK\x03\x04 not really a workbook", "not a real Excel file"),
        ("notes.txt", b"  <html><script>alert(1)</script>", "not a real plain text file"),
        ("report.docx", GOOD_PDF, "not a real Word file"),
        (
            "sheet.odt",
            office_file({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
            "not a real OpenDocument file",
        ),
    ],
)
def test_documents_whose_type_or_content_is_wrong_are_refused(
    admin_client, filename, content, message
):
    response = upload(admin_client, filename, content)

    assert response.status_code == 200
    errors = form_errors(response)
    assert message in errors
    assert "is not allowed" not in errors  # one clear message, not Wagtail's as well
    assert not CustomDocument.objects.exists()


def test_documents_over_the_size_limit_are_refused(admin_client, settings):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = len(GOOD_PDF) - 1

    response = upload(admin_client, "report.pdf", GOOD_PDF)

    assert response.status_code == 200
    assert "documents may be at most" in form_errors(response)
    assert not CustomDocument.objects.exists()


def test_the_multiple_uploader_refuses_a_disguised_file(admin_client):
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("invoice.pdf", b"<html><script>x</script></html>")},
    )

    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "not a real PDF file" in response.json()["error_message"]
    assert not CustomDocument.objects.exists()


def test_replacing_a_file_is_checked_too(admin_client):
    assert upload(admin_client, "report.pdf", GOOD_PDF, title="Report").status_code == 302
    document = CustomDocument.objects.get(title="Report")

    response = admin_client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": "Report",
            "file": SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>"),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 200
    assert "not a real PDF file" in form_errors(response)
    document.refresh_from_db()
    assert document.file.read() == GOOD_PDF


# --- Text extraction of hostile PDFs ---------------------------------------------------------


def pdf_with_compressed_page(content):
    """A one-page PDF whose content stream is `content`, Flate-compressed: a few kilobytes on
    disk that inflate to as much as `content` is (a decompression bomb when that is large)."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# About 40 MB of text-showing operators once inflated, from a file of some 100 kB.
SLOW_PAGE = pdf_with_compressed_page(b"BT /F1 12 Tf 72 700 Td (informal) Tj ET\n" * 1_000_000)


def test_a_page_that_takes_too_long_is_abandoned_at_the_deadline(monkeypatch):
    assert len(SLOW_PAGE) < 500_000
    monkeypatch.setattr(extraction, "MAX_SECONDS", 1.0)
    monkeypatch.setattr(extraction, "GRACE_SECONDS", 0.5)

    started = time.monotonic()
    text, note = extraction.extract_pdf_text(io.BytesIO(SLOW_PAGE))
    elapsed = time.monotonic() - started

    assert elapsed < 5, elapsed
    assert text == ""
    assert "took too long" in note


def test_a_page_that_needs_too_much_memory_is_abandoned(monkeypatch):
    """With 16 MB to spare the reading child runs out of memory. Where it does decides the note:
    an allocation of Python's fails (MemoryError: "too large or complex"), or zlib's does, and
    pypdf then falls back to decompressing the page byte by byte until the deadline ("took too
    long"; seen under load in CI). Either way the page is abandoned, in bounded time, and the
    server process never held the memory."""
    monkeypatch.setattr(extraction, "MAX_MEMORY_BYTES", 16 * 1024 * 1024)
    monkeypatch.setattr(extraction, "MAX_SECONDS", 5.0)
    monkeypatch.setattr(extraction, "GRACE_SECONDS", 0.5)

    started = time.monotonic()
    text, note = extraction.extract_pdf_text(io.BytesIO(SLOW_PAGE))

    assert time.monotonic() - started < 5.0 + 0.5 + 5
    assert text == ""
    assert "too large or complex" in note or "took too long" in note, note


def test_only_the_first_pages_of_a_very_long_pdf_are_read(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_PAGES", 5)
    many_pages = pdf_bytes([f"Page {number} text" for number in range(1, 41)], lines_per_page=1)

    text, note = extraction.extract_pdf_text(io.BytesIO(many_pages))

    assert "Page 5 text" in text and "Page 6 text" not in text
    assert "Only the first 5 pages were read" in note


def test_hostile_pdf_upload_is_saved_with_a_note_and_the_server_carries_on(
    admin_client, monkeypatch
):
    usual_limits = extraction.MAX_SECONDS, extraction.GRACE_SECONDS
    monkeypatch.setattr(extraction, "MAX_SECONDS", 1.0)
    monkeypatch.setattr(extraction, "GRACE_SECONDS", 0.5)

    response = upload(admin_client, "bomb.pdf", SLOW_PAGE, title="Bomb")

    assert response.status_code == 302
    document = CustomDocument.objects.get(title="Bomb")
    assert "took too long" in document.text_extraction_note
    # The next upload under the usual limits: one second is not always enough on a loaded CI
    # machine even for a good PDF (the reading child has to start first).
    monkeypatch.setattr(extraction, "MAX_SECONDS", usual_limits[0])
    monkeypatch.setattr(extraction, "GRACE_SECONDS", usual_limits[1])
    assert upload(admin_client, "report.pdf", GOOD_PDF, title="Next").status_code == 302
    assert "Accra" in CustomDocument.objects.get(title="Next").extracted_text


# --- Where media go -------------------------------------------------------------------------


def test_a_bucket_name_moves_media_to_s3_compatible_storage():
    from tests.site.test_settings_env import production_environment, read_settings

    on_disk = read_settings(["STORAGES"], **production_environment())["STORAGES"]
    in_bucket = read_settings(
        ["STORAGES", "CONTENT_SECURITY_POLICY"],
        **production_environment(
            AWS_STORAGE_BUCKET_NAME="ngo-media",
            AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
            AWS_S3_REGION_NAME="fr-par",
        ),
    )

    assert on_disk["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    storage = in_bucket["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "ngo-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.fr-par.scw.cloud"
    assert storage["OPTIONS"]["region_name"] == "fr-par"
    assert storage["OPTIONS"]["file_overwrite"] is False
    # Static files stay with whitenoise; images from the bucket are allowed by the policy.
    assert in_bucket["STORAGES"]["staticfiles"] == on_disk["staticfiles"]
    img_src = in_bucket["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    assert "https://s3.fr-par.scw.cloud" in img_src
