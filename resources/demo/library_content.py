"""Demo section: the resource library page, its first resources and the documents they offer.

The documents are PDFs generated here (no binary files in the repository), registered with the
loader as "@document:<key>" for the sections that follow.
"""

from pathlib import Path

from django.core.files.base import ContentFile

from ngo_site.demo.loader import home_page_for, read_yaml
from ngo_site.models import CustomDocument
from resources.models import LibraryPage, ResourcePage

DATA = Path(__file__).with_name("library.yaml")


def pdf_bytes(lines):
    """A one-page PDF showing `lines` in Helvetica, written by hand: PDF is text around a byte
    offset table, and one page of text needs no library."""

    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text_ops = ["BT", "/F1 20 Tf", "72 760 Td", "24 TL"]
    for number, line in enumerate(lines):
        if number == 1:
            text_ops.append("/F1 12 Tf 16 TL")
        text_ops.append(f"({escape(line)}) Tj T*")
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        output += b"%010d 00000 n \n" % offset
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(output)


def document(loader, key, title, filename, lines):
    """Create the generated PDF `title` once (matched by title) and register it as `key`."""
    existing = CustomDocument.objects.filter(title=title).first()
    if existing is None:
        existing = CustomDocument(title=title)
        existing.file.save(filename, ContentFile(pdf_bytes(lines)), save=False)
        existing.save()
        loader._count("created", f"document {title}")
    else:
        loader._count("unchanged", f"document {title}")
    loader.documents[key] = existing
    return existing


def load(loader):
    data = read_yaml(DATA)
    home = loader.pages.get("home") or home_page_for(loader.locale("en"))
    for item in data["documents"]:
        document(loader, item["key"], item["title"], item["filename"], item["lines"])
    library_fields = {key: value for key, value in data["library"].items() if key != "slug"}
    library = loader.page(home, LibraryPage, data["library"]["slug"], library_fields, key="library")
    for item in data["resources"]:
        fields = {key: value for key, value in item.items() if key not in ("key", "slug")}
        loader.page(library, ResourcePage, item["slug"], fields, key=item["key"])
