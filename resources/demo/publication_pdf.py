"""A multi-page publication PDF for the demo library, written by hand (no PDF library needed):
a title page, a table of contents with page numbers, chapters that start on a new page, sections,
paragraphs and lists wrapped to the page width, and a footer with the page number.

The text comes from a small text file next to this module (e.g. care-systems-paper.fr.txt; its
first lines say how it is marked up). Fonts are the PDF standard Helvetica and Helvetica-Bold in
WinAnsiEncoding (cp1252), which covers French: accents, œ, the median dot of inclusive writing,
typographic apostrophes and guillemets. Text extraction (resources/extraction.py, pypdf) reads
it back.
"""

from dataclasses import dataclass, field
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 72, 72, 80, 80
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

# Helvetica's advance widths (thousandths of the font size) for the characters the demo texts
# use; others count as an "n". Bold text is measured 6% wider, which is never narrower than
# Helvetica-Bold's real widths for these texts.
_WIDTHS = {
    char: width
    for width, chars in [
        (191, "'"),
        (222, "ijl’‘"),
        (278, " !,./:;ftI·îïí"),
        (333, "()-r"),
        (355, '"'),
        (389, "*"),
        (500, "cksvxyzJç"),
        (556, "abdeghnopquL?«»–éèêàâôùûáóúñ0123456789"),
        (584, "+"),
        (611, "FTZø"),
        (667, "&ABEKPSVXYÉÀ"),
        (722, "CDHNRUw"),
        (778, "GOQ"),
        (833, "Mm"),
        (889, "%æ"),
        (944, "Wœ"),
        (1000, "—…Œ"),
        (1015, "@"),
    ]
    for char in chars
}

BODY = ("F1", 10.5, 15)  # font, size, leading
CHAPTER = ("F2", 17, 24)
SECTION = ("F2", 12, 17)
TITLE = ("F2", 24, 32)
SUBTITLE = ("F1", 13, 19)
FOOTER = ("F1", 8.5, 10)


def text_width(text, font, size):
    scale = 1.06 if font == "F2" else 1.0
    return sum(_WIDTHS.get(char, 556) for char in text) * size * scale / 1000


def wrap(text, font, size, width):
    """The lines of `text` that fit in `width` points."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


@dataclass
class Publication:
    language: str = "fr"
    # A short text: chapters follow one another on the page, and there is no table of contents.
    compact: bool = False
    title_lines: list = field(default_factory=list)
    blocks: list = field(default_factory=list)  # (kind, text): chapter, section, paragraph, item


def parse(source, language="fr"):
    """A Publication from the marked-up text (see care-systems-paper.fr.txt)."""
    publication = Publication(language=language)
    paragraph = []

    def flush():
        if paragraph:
            text = " ".join(paragraph)
            kind = "item" if text.startswith("- ") else "paragraph"
            publication.blocks.append((kind, text.removeprefix("- ")))
            paragraph.clear()

    for raw in source.splitlines():
        line = raw.strip()
        if line == "%! compact":
            publication.compact = True
            continue
        if line.startswith("% "):
            continue
        if not line:
            flush()
        elif line.startswith("= "):
            flush()
            publication.title_lines.append(line[2:])
        elif line.startswith("# "):
            flush()
            publication.blocks.append(("chapter", line[2:]))
        elif line.startswith("## "):
            flush()
            publication.blocks.append(("section", line[3:]))
        elif line.startswith("- "):
            flush()
            paragraph.append(line)
        else:
            paragraph.append(line)
    flush()
    return publication


def read(path):
    """The publication in the text file `path`, named <name>.<language code>.txt."""
    path = Path(path)
    return parse(path.read_text(encoding="utf-8"), language=path.suffixes[-2].lstrip("."))


def plain_text(publication):
    """The publication's words, as the PDF shows them (for the document's stored text)."""
    return "\n".join([*publication.title_lines, *(text for _kind, text in publication.blocks)])


class _Layout:
    """Places lines on pages: [(font, size, x, y, text), ...] per page."""

    def __init__(self):
        self.pages = []
        self.y = 0

    def new_page(self):
        self.pages.append([])
        self.y = PAGE_HEIGHT - MARGIN_TOP

    def room_for(self, height):
        if self.y - height < MARGIN_BOTTOM:
            self.new_page()

    def lines(self, text, style, indent=0, bullet=None, space_after=0):
        font, size, leading = style
        wrapped = wrap(text, font, size, TEXT_WIDTH - indent)
        for number, line in enumerate(wrapped):
            self.room_for(leading)
            self.y -= leading
            if number == 0 and bullet:
                self.pages[-1].append((font, size, MARGIN_LEFT + indent - 12, self.y, bullet))
            self.pages[-1].append((font, size, MARGIN_LEFT + indent, self.y, line))
        self.y -= space_after


def layout(publication, contents_pages=1):
    """The pages, and the table of contents [(heading, level, page number)]."""
    pages = _Layout()
    pages.new_page()  # the title page
    pages.y = PAGE_HEIGHT - 260
    for number, line in enumerate(publication.title_lines):
        style = TITLE if number == 0 else SUBTITLE
        if number == len(publication.title_lines) - 1 and number > 1:
            pages.y = MARGIN_BOTTOM + 60
            style = BODY
        pages.lines(line, style, space_after=10)
    for _ in range(0 if publication.compact else contents_pages):
        pages.new_page()
    contents = []
    for number, (kind, text) in enumerate(publication.blocks):
        if kind == "chapter":
            if not publication.compact or number == 0:
                pages.new_page()
            else:
                pages.room_for(CHAPTER[2] + 3 * BODY[2])
                pages.y -= 14
            contents.append((text, 1, len(pages.pages)))
            pages.lines(text, CHAPTER, space_after=10)
        elif kind == "section":
            pages.room_for(SECTION[2] + 3 * BODY[2])
            pages.y -= 6
            contents.append((text, 2, len(pages.pages)))
            pages.lines(text, SECTION, space_after=4)
        elif kind == "item":
            pages.lines(text, BODY, indent=16, bullet="•", space_after=3)
        else:
            pages.lines(text, BODY, space_after=8)
    return pages.pages, contents


def contents_page(contents, heading="Sommaire"):
    """The table of contents: headings with dotted leaders to their page numbers."""
    items = [("F2", 17, MARGIN_LEFT, PAGE_HEIGHT - MARGIN_TOP - 24, heading)]
    y = PAGE_HEIGHT - MARGIN_TOP - 56
    for text, level, page in contents:
        font, size = ("F2", 10.5) if level == 1 else ("F1", 9.5)
        indent = 0 if level == 1 else 14
        number = str(page)
        room = TEXT_WIDTH - indent - text_width(number, font, size) - 12
        shown = text
        while text_width(shown, font, size) > room:
            shown = shown[:-2].rstrip() + "…"
        y -= 15 if level == 1 else 12.5
        items.append((font, size, MARGIN_LEFT + indent, y, shown))
        dots_from = MARGIN_LEFT + indent + text_width(shown, font, size) + 4
        dots_to = PAGE_WIDTH - MARGIN_RIGHT - text_width(number, font, size) - 4
        dots = "." * max(0, int((dots_to - dots_from) / text_width(".", "F1", 9.5)))
        items.append(("F1", 9.5, dots_from, y, dots))
        items.append(
            (font, size, PAGE_WIDTH - MARGIN_RIGHT - text_width(number, font, size), y, number)
        )
    return items


CONTENTS_HEADINGS = {"fr": "Sommaire", "en": "Contents"}


def render(publication):
    """The PDF (bytes) of `publication`."""
    pages, contents = layout(publication)
    if not publication.compact:
        pages[1] = contents_page(contents, CONTENTS_HEADINGS.get(publication.language, "Contents"))
    short_title = publication.title_lines[0] if publication.title_lines else ""
    for number, page in enumerate(pages[1:], start=2):
        page.append(("F1", FOOTER[1], MARGIN_LEFT, MARGIN_BOTTOM - 36, short_title))
        label = str(number)
        x = PAGE_WIDTH - MARGIN_RIGHT - text_width(label, "F1", FOOTER[1])
        page.append(("F1", FOOTER[1], x, MARGIN_BOTTOM - 36, label))
    title = publication.title_lines[0] if publication.title_lines else ""
    return _pdf(pages, title, publication.language)


def _escape(text):
    data = text.encode("cp1252", "replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _pdf(pages, title, language):
    count = len(pages)
    # Objects: 1 catalog, 2 pages, 3 and 4 fonts, 5 info, then a page and its contents per page.
    kids = " ".join(f"{6 + 2 * n} 0 R" for n in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang (%s) >>" % language.encode(),
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + _escape(title) + b") /Producer (ngo-site demo) >>",
    ]
    for number, items in enumerate(pages):
        stream = bytearray()
        for font, size, x, y, text in items:
            stream += b"BT /%s %.1f Tf %.2f %.2f Td (" % (font.encode(), size, x, y)
            stream += _escape(text) + b") Tj ET\n"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, 7 + 2 * number)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + bytes(stream) + b"endstream")
    return pdf_file(objects, header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", info=5)


def pdf_file(objects, header=b"%PDF-1.4\n", info=None):
    """The bytes of a PDF of `objects` (numbered from 1, the catalog first): each object, the
    cross-reference table and the trailer (with the document information object `info`)."""
    output = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        output += b"%010d 00000 n \n" % offset
    info_entry = b" /Info %d 0 R" % info if info else b""
    output += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info_entry,
        xref,
    )
    return bytes(output)
