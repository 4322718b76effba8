"""Text of uploaded PDFs, for the library's full-text search.

Bounded so that a huge or hostile file cannot hold up the upload or the server: at most
MAX_PAGES pages and MAX_CHARS characters are read. Where the system allows it (Linux, macOS),
the reading happens in a forked child process that is stopped after MAX_SECONDS and may use
at most MAX_MEMORY_BYTES more memory than the server process, so that a single page built to
take forever or to inflate into gigabytes (a "decompression bomb") costs seconds, not the
worker. A file that cannot be read (corrupt, encrypted, a scan with no text layer, too slow or
too big) is saved anyway, with a note the editor sees on the document's edit page.
"""

import io
import logging
import multiprocessing
import os
import time

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_PAGES = 300
MAX_CHARS = 500_000
MAX_SECONDS = 15.0
MAX_MEMORY_BYTES = 512 * 1024 * 1024
# How long past MAX_SECONDS the child may take to notice its deadline before it is killed.
GRACE_SECONDS = 2.0


def extract_pdf_text(fileobj):
    """(text, note): the text of the PDF in `fileobj`, and why it is missing or partial."""
    data = fileobj.read()
    if _can_fork():
        text, note, problem = _extract_in_child(data)
    else:
        text, note, problem = _extract(data)
    if problem:
        logger.info("PDF text extraction: %s", problem)
    return text, note


def _can_fork():
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def _extract_in_child(data):
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(sender, data), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(MAX_SECONDS + GRACE_SECONDS):
            return receiver.recv()
        return (
            "",
            _("Reading the PDF took too long; it is not searchable by its text."),
            "stopped after the time limit",
        )
    except (EOFError, OSError):
        # The child died without an answer: out of memory, or killed by a resource limit.
        return (
            "",
            _("The PDF is too large or complex to read; it is not searchable by its text."),
            f"child process ended with code {child.exitcode}",
        )
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(timeout=5)


def _child_main(sender, data):
    """Runs in the forked child: limit memory and CPU, read, send the answer back."""
    _limit_resources()
    try:
        result = _extract(data)
    except MemoryError:
        result = (
            "",
            _("The PDF is too large or complex to read; it is not searchable by its text."),
            "out of memory",
        )
    sender.send(result)
    sender.close()


def _limit_resources():
    try:
        import resource
    except ImportError:  # not on this system: the parent's deadline still applies
        return
    try:
        with open("/proc/self/statm") as statm:
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        in_use = None
    limits = [(resource.RLIMIT_CPU, int(MAX_SECONDS + GRACE_SECONDS) + 1)]
    if in_use is not None:
        limits.append((resource.RLIMIT_AS, in_use + MAX_MEMORY_BYTES))
    for kind, soft in limits:
        try:
            _, hard = resource.getrlimit(kind)
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.setrlimit(kind, (soft, hard))
        except (ValueError, OSError):
            pass


def _opens_without_password(reader):
    """Whether an encrypted PDF opens without a password: most are locked only against editing,
    copying or printing (an owner password), and any PDF viewer shows their text. Decrypting
    it here is reading what every visitor can read; one locked with a user password stays
    unread."""
    from pypdf import PasswordType
    from pypdf.errors import DependencyError, PdfReadError

    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except (DependencyError, PdfReadError, NotImplementedError, ValueError):
        return False


def _extract(data):
    """(text, note, problem to log). The page, character and time limits apply here too."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PdfStreamError

    started = time.monotonic()
    unreadable = _("The file could not be read as a PDF; it is not searchable by its text.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            return "", _("The PDF is encrypted: its text could not be read for the search."), ""
        parts, length = [], 0
        for number, page in enumerate(reader.pages):
            if number >= MAX_PAGES:
                note = _("Only the first %(count)d pages were read.") % {"count": MAX_PAGES}
                return _joined(parts), note, ""
            if time.monotonic() - started > MAX_SECONDS:
                note = _("Reading the PDF took too long; its text is partial.")
                return _joined(parts), note, "time limit reached between pages"
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
            if length >= MAX_CHARS:
                note = _("The text was cut at %(count)d characters.") % {"count": MAX_CHARS}
                return _joined(parts)[:MAX_CHARS], note, ""
    except MemoryError:
        raise
    except (PdfReadError, PdfStreamError, ValueError, TypeError, KeyError, OSError) as error:
        return "", unreadable, f"unreadable PDF: {error}"
    except Exception as error:  # pypdf raises many kinds of errors on broken files
        return "", unreadable, f"extraction failed: {error!r}"
    text = _joined(parts)
    if not text.strip():
        note = _(
            "No text was found in this PDF (perhaps a scan): it is not searchable by its text."
        )
        return "", note, ""
    return text, "", ""


def _joined(parts):
    return "\n".join(parts).replace("\x00", "")


def is_pdf(document):
    name = (document.file.name or "").lower()
    return name.endswith(".pdf")
