"""Uploaded documents are checked by what they contain, not only by the end of their name.

A file named report.pdf that is really a web page or a program would be served from the site's
own address, so each allowed type must start the way that type of file really starts (its
"magic bytes"), and no upload may exceed DOCUMENT_MAX_UPLOAD_SIZE. Wagtail's admin uses this
form (WAGTAILDOCS_DOCUMENT_FORM_BASE) for single and multiple uploads and for replacing a file.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

# How many bytes from the start of a file are read to recognise it.
SNIFF_BYTES = 8192
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Microsoft Office (.doc, .xls, .ppt)
ZIP = b"PK\x03\x04"
# Text that would make a browser or a viewer treat a "plain" file as a web page.
MARKUP_MARKERS = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body")


def _starts_with(prefix):
    return lambda head, file: head.startswith(prefix)


def _is_pdf(head, file):
    # The PDF header may follow a little junk, but must be within the first kilobyte.
    return b"%PDF-" in head[:1024]


def _zip_with(member, starting_with=None):
    """A ZIP archive (Office Open XML, OpenDocument, EPUB) that holds `member`, whose first
    bytes are `starting_with` if given (the "mimetype" entry of OpenDocument and EPUB)."""

    def check(head, file):
        if not head.startswith(ZIP):
            return False
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                if member not in archive.namelist():
                    return False
                if starting_with is None:
                    return True
                with archive.open(member) as entry:
                    return entry.read(len(starting_with)) == starting_with
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            return False
        finally:
            file.seek(0)

    return check


OPENDOCUMENT = b"application/vnd.oasis.opendocument."


def _is_plain_text(head, file):
    if b"\x00" in head:
        return False
    try:
        # A cut in the middle of a multi-byte character at the end of the sample is fine.
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    lowered = head.lstrip().lower()
    return not any(marker in lowered for marker in MARKUP_MARKERS)


CONTENT_CHECKS = {
    "pdf": _is_pdf,
    "doc": _starts_with(OLE2),
    "xls": _starts_with(OLE2),
    "ppt": _starts_with(OLE2),
    "docx": _zip_with("word/document.xml"),
    "xlsx": _zip_with("xl/workbook.xml"),
    "pptx": _zip_with("ppt/presentation.xml"),
    "odt": _zip_with("mimetype", OPENDOCUMENT + b"text"),
    "ods": _zip_with("mimetype", OPENDOCUMENT + b"spreadsheet"),
    "odp": _zip_with("mimetype", OPENDOCUMENT + b"presentation"),
    "epub": _zip_with("mimetype", b"application/epub+zip"),
    "rtf": _starts_with(b"{\\rtf"),
    "csv": _is_plain_text,
    "txt": _is_plain_text,
}

TYPE_NAMES = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "odt": "OpenDocument",
    "ods": "OpenDocument",
    "odp": "OpenDocument",
    "epub": "EPUB",
    "rtf": "RTF",
    "csv": "CSV",
    "txt": _("plain text"),
}


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_document_file(file):
    """Raise ValidationError unless `file` is small enough and really of an allowed type."""
    allowed = [ext for ext in settings.WAGTAILDOCS_EXTENSIONS if ext in CONTENT_CHECKS]
    limit = settings.DOCUMENT_MAX_UPLOAD_SIZE
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; documents may be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    extension = extension_of(file.name or "")
    if extension not in allowed:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed types: %(types)s."),
            code="invalid_extension",
            params={"types": ", ".join(allowed)},
        )
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if not head or not CONTENT_CHECKS[extension](head, file):
        raise ValidationError(
            _(
                "This file is named .%(extension)s but it is not a real %(type)s file. "
                "Save it again in that format, or upload it with the right extension."
            ),
            code="content_mismatch",
            params={"extension": extension, "type": TYPE_NAMES[extension]},
        )


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        # Unchanged on the edit form: the stored file was checked when it was uploaded.
        if file and "file" in self.changed_data:
            validate_document_file(file)
        return file
