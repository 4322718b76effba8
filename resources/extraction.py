"""Text of uploaded PDFs, for the library's full-text search.

Bounded so that a huge or hostile file cannot hold up the upload: at most MAX_PAGES pages,
MAX_CHARS characters and MAX_SECONDS seconds of work. A file that cannot be read (corrupt,
encrypted, or a scan with no text layer) is saved anyway, with a note the editor sees on the
document's edit page."""

import logging
import time

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_PAGES = 300
MAX_CHARS = 500_000
MAX_SECONDS = 15.0


def extract_pdf_text(fileobj):
    """(text, note): the text of the PDF in `fileobj`, and why it is missing or partial."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PdfStreamError

    started = time.monotonic()
    try:
        reader = PdfReader(fileobj)
        if reader.is_encrypted:
            return "", _("The PDF is encrypted: its text could not be read for the search.")
        parts, length = [], 0
        for number, page in enumerate(reader.pages):
            if number >= MAX_PAGES:
                return _joined(parts), _("Only the first %(count)d pages were read.") % {
                    "count": MAX_PAGES
                }
            if time.monotonic() - started > MAX_SECONDS:
                return _joined(parts), _("Reading the PDF took too long; its text is partial.")
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
            if length >= MAX_CHARS:
                return _joined(parts)[:MAX_CHARS], _(
                    "The text was cut at %(count)d characters."
                ) % {"count": MAX_CHARS}
    except (PdfReadError, PdfStreamError, ValueError, TypeError, KeyError, OSError) as error:
        logger.info("Unreadable PDF: %s", error)
        return "", _("The file could not be read as a PDF; it is not searchable by its text.")
    except Exception:  # pypdf raises many kinds of errors on broken files; never fail an upload
        logger.exception("PDF text extraction failed")
        return "", _("The file could not be read as a PDF; it is not searchable by its text.")
    text = _joined(parts)
    if not text.strip():
        return "", _(
            "No text was found in this PDF (perhaps a scan): it is not searchable by its text."
        )
    return text, ""


def _joined(parts):
    return "\n".join(parts).replace("\x00", "")


def is_pdf(document):
    name = (document.file.name or "").lower()
    return name.endswith(".pdf")
