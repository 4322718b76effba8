"""Demo section: the resource library page, its taxonomies, the resources written from the seeds,
generated resources that give every facet several options, and the documents they offer.

The documents are PDFs generated here (no binary files in the repository), registered with the
loader as "@document:<key>" for the sections that follow. Programmes do not exist yet when this
section runs (they point at resources), so `resources.demo.library_links`, after the programmes
section, links resources to their programmes and builds the search index.
"""

import datetime
import html
import json
import random
from pathlib import Path

from django.core.files.base import ContentFile

from ngo_site.demo.loader import home_page_for, read_yaml
from ngo_site.models import CustomDocument
from resources.demo import publication_pdf
from resources.models import (
    LibraryPage,
    Region,
    ResourceAuthor,
    ResourceLanguage,
    ResourcePage,
    ResourceRegionLink,
    ResourceThemeLink,
    ResourceType,
    Theme,
)
from resources.records import practice_record

DATA = Path(__file__).with_name("library.yaml")


def pdf_bytes(lines, lines_per_page=48):
    """A PDF showing `lines` in Helvetica, as many pages as needed, written by hand: PDF is text
    around a byte offset table, and pages of plain text need no library."""

    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    count = len(pages)
    # Objects: 1 catalog, 2 pages, 3 font, then a page and its content stream for each page.
    kids = " ".join(f"{4 + 2 * n} 0 R" for n in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for number, page_lines in enumerate(pages):
        text_ops = ["BT", "/F1 12 Tf", "72 770 Td", "15 TL"]
        if number == 0:
            text_ops = ["BT", "/F1 20 Tf", "72 770 Td", "24 TL"]
        for line_number, line in enumerate(page_lines):
            if number == 0 and line_number == 1:
                text_ops.append("/F1 12 Tf 15 TL")
            text_ops.append(f"({escape(line)}) Tj T*")
        text_ops.append("ET")
        stream = "\n".join(text_ops).encode("latin-1", "replace")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * number)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return publication_pdf.pdf_file(objects)


def document(loader, key, title, filename, lines=None, publication=None):
    """Create the generated PDF `title` (matched by title) and register it as `key`; a later
    run replaces its file when its text changed. The PDF shows `lines`, or is the multi-page
    `publication` (a text file next to this module, made into a PDF by publication_pdf)."""
    if publication is not None:
        paper = publication_pdf.read(Path(__file__).with_name(publication))
        text, make_pdf = publication_pdf.plain_text(paper), lambda: publication_pdf.render(paper)
    else:
        text, make_pdf = "\n".join(lines), lambda: pdf_bytes(lines)
    existing = CustomDocument.objects.filter(title=title).first()
    if existing is None or existing.extracted_text != text:
        outcome = "created" if existing is None else "updated"
        existing = existing or CustomDocument(title=title)
        # The loader wrote the text, so it is stored as the document's extracted text directly.
        existing.extracted_text = text
        existing.file.save(filename, ContentFile(make_pdf()), save=False)
        existing.save()
        loader._count(outcome, f"document {title}")
    else:
        loader._count("unchanged", f"document {title}")
    loader.documents[key] = existing
    return existing


GENERATED_COUNT = 64
# Plausible subjects for the generated resources: (title, theme keys).
SUBJECTS = [
    ("Street vendors and public space", ["street-vendors", "public-services"]),
    ("Waste pickers' inclusion in municipal waste management", ["waste-pickers"]),
    ("Domestic workers' access to social security", ["domestic-workers", "social-protection"]),
    ("Home-based workers in global supply chains", ["home-based-workers"]),
    ("Childcare for workers in markets", ["care-work", "street-vendors"]),
    ("Occupational health of market traders", ["occupational-health", "street-vendors"]),
    ("Income relief during the pandemic", ["covid-19", "social-protection"]),
    ("Migrant workers in the informal economy", ["migration"]),
    ("Heat stress and outdoor work", ["occupational-health"]),
    ("Public services for informal workers", ["public-services"]),
    ("Pensions for informal workers", ["social-protection"]),
    ("Recovery after COVID-19 for home-based workers", ["covid-19", "home-based-workers"]),
]
PLACES = [
    ("Accra", ["ghana", "africa"]),
    ("Dakar", ["senegal", "africa"]),
    ("Durban", ["south-africa", "africa"]),
    ("Delhi", ["india", "asia"]),
    ("Ahmedabad", ["india", "asia"]),
    ("Bangkok", ["thailand", "asia"]),
    ("Lima", ["peru", "latin-america"]),
    ("Mexico City", ["mexico", "latin-america"]),
    ("Bogota", ["colombia", "latin-america"]),
    ("five cities", ["global"]),
]
ANGLES = [
    "evidence from a survey",
    "lessons for policy",
    "what workers say",
    "a statistical picture",
]
TYPE_WEIGHTS = [
    ("brief", 5),
    ("publication", 3),
    ("practice-record", 2),
    ("podcast", 2),
    ("video", 2),
    ("dataset", 2),
]
LANGUAGE_SETS = [["en"], ["en"], ["en"], ["en", "fr"], ["en", "es"], ["fr"], ["es"], ["pt"], ["hi"]]
PROGRAMMES = [
    "social-protection",
    "statistics",
    "urban-policies",
    "organisation-and-representation",
    "law",
]
SURNAMES = [
    "Alfers",
    "Chen",
    "Roever",
    "Rogan",
    "Ogando",
    "Vanek",
    "Moussié",
    "Dias",
    "Reed",
    "Harvey",
    "Skinner",
    "Bonner",
    "Sinha",
    "Mensah",
    "Diop",
    "Quispe",
]


def generated_practice_record(item):
    """A generated practice record has a record of its own (required for the type): its summary,
    as a paragraph (the same string as the page summary, so its French is the summary's)."""
    if item["type"] != "practice-record":
        return []
    return practice_record(
        {
            "practice_type": "programme",
            "summary": f"<p>{html.escape(item['summary'], quote=False)}</p>",
        }
    )


def generated_resources():
    """The generated resources, always the same (a seeded random generator): dicts with the
    keys of the taxonomies they use, the programmes `library_links` attaches."""
    rng = random.Random(4)
    types = [key for key, weight in TYPE_WEIGHTS for _ in range(weight)]
    items = []
    for number in range(GENERATED_COUNT):
        subject, themes = SUBJECTS[number % len(SUBJECTS)]
        # Subjects repeat every 12 resources, places every 10, angles every 4: from the 61st on
        # the place is shifted by one, so that no two resources share a title.
        place, regions = PLACES[(number * 7 + number // 60) % len(PLACES)]
        angle = ANGLES[number % len(ANGLES)]
        resource_type = rng.choice(types)
        year = 2012 + int(rng.triangular(0, 13, 11))
        date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        authors = rng.sample(SURNAMES, rng.randint(1, 3))
        title = f"{subject} in {place}: {angle}"
        items.append(
            {
                "slug": f"demo-resource-{number + 1:03d}",
                "title": title,
                "summary": (
                    f"A {resource_type.replace('-', ' ')} on {subject.lower()} in {place}, "
                    f"with {angle}."
                ),
                "publication_date": date,
                "type": resource_type,
                "themes": themes,
                "regions": regions,
                "languages": rng.choice(LANGUAGE_SETS),
                "programmes": sorted(set(rng.sample(PROGRAMMES, rng.randint(1, 2)))),
                "authors": [f"{name}, {chr(65 + rng.randint(0, 25))}." for name in authors],
            }
        )
    return items


def taxonomy(loader, data, locale):
    """The taxonomy snippets of the default language, by key: {"types": {key: term}, ...}."""
    terms = {"types": {}, "themes": {}, "regions": {}}
    for key, kind in data["types"].items():
        terms["types"][key] = loader.snippet(
            ResourceType,
            {"name": kind["name"], "locale": locale},
            {
                "citation_type": kind["citation_type"],
                "is_practice_record": kind.get("is_practice_record", False),
            },
        )
    for key, name in data["themes"].items():
        terms["themes"][key] = loader.snippet(Theme, {"name": name, "locale": locale}, {})
    for key, region in data["regions"].items():
        terms["regions"][key] = loader.snippet(
            Region, {"name": region["name"], "locale": locale}, {"kind": region["kind"]}
        )
    return terms


def classification(item, terms):
    """The fields and child rows (for loader.page) of a resource's types, themes, regions,
    languages, authors and documents given by key in `item`."""
    fields = {"resource_type": terms["types"][item["type"]].pk} if item.get("type") else {}
    children = {
        "theme_links": [{"theme": terms["themes"][key].pk} for key in item.get("themes", [])],
        "region_links": [{"region": terms["regions"][key].pk} for key in item.get("regions", [])],
        "languages": [{"language": code} for code in item.get("languages", [])],
        "authors": [{"name": name} for name in item.get("authors", [])],
        "documents": [document_row(row) for row in item.get("documents", [])],
    }
    return fields, children


def document_row(row):
    """A document row of a resource from library.yaml: a document key, or {document, title}
    (its `translations` are for library_links)."""
    if isinstance(row, str):
        row = {"document": row}
    return {"document": f"@document:{row['document']}", "title": row.get("title", "")}


SEED_KEYS = ("type", "themes", "regions", "languages", "authors", "documents", "programmes")


def seed_fields(item, terms, programmes=None, related_pages=None):
    """The fields and child rows of a seed resource for loader.page; its programme links only
    when `programmes` ({slug: ProgrammePage}) is given, its related practices only when
    `related_pages` ({slug: page id}) is."""
    fields = {
        key: value
        for key, value in item.items()
        if key not in ("key", "slug", "sections", "practice_record", *SEED_KEYS)
    }
    fields["sections"] = [
        {"type": "section", "value": section} for section in item.get("sections", [])
    ]
    fields["practice_record"] = practice_record(item.get("practice_record"), related_pages)
    extra_fields, children = classification(item, terms)
    fields.update(extra_fields)
    if programmes is not None:
        children["programme_links"] = [
            {"programme": programmes[slug].pk} for slug in item.get("programmes", [])
        ]
    return fields, children


def load(loader):
    data = read_yaml(DATA)
    english = loader.locale("en")
    home = loader.pages.get("home") or home_page_for(english)
    for item in data["documents"]:
        document(
            loader,
            item["key"],
            item["title"],
            item["filename"],
            lines=item.get("lines"),
            publication=item.get("publication"),
        )
    terms = taxonomy(loader, data, english)
    # For library_links, which completes these objects without counting them a second time
    # (load_demo counts each object once per run).
    created_seeds = set()
    loader.library_terms, loader.library_seeds_created = terms, created_seeds
    library_fields = {key: value for key, value in data["library"].items() if key != "slug"}
    library = loader.page(home, LibraryPage, data["library"]["slug"], library_fields, key="library")
    for item in data["resources"]:
        # Created here without their programmes (not there yet) so that the programmes can point
        # at them; library_links completes and republishes them (an existing one is kept as is).
        existing = library.get_children().filter(slug=item["slug"]).first()
        if existing is None:
            fields, children = seed_fields(item, terms)
            loader.page(library, ResourcePage, item["slug"], fields, children, key=item["key"])
            created_seeds.add(item["key"])
        else:
            loader.remember_page(item["key"], existing.specific)
    load_generated(loader, library, terms)


def load_generated(loader, library, terms):
    """Create the generated resources that do not exist yet, fast: published pages saved once
    (no revision: the page is its own latest version) and indexed together by library_links."""
    # A fresh copy: the tree data of the object in hand is stale after the pages added above.
    library = LibraryPage.objects.get(pk=library.pk)
    existing = set(library.get_children().values_list("slug", flat=True))
    children = []
    for item in generated_resources():
        if item["slug"] in existing:
            loader._count("unchanged", f"page {item['slug']}")
            continue
        page = ResourcePage(
            title=item["title"],
            slug=item["slug"],
            summary=item["summary"],
            publication_date=item["publication_date"],
            resource_type=terms["types"][item["type"]],
            practice_record=json.dumps(generated_practice_record(item)),
            locale=library.locale,
            live=True,
            first_published_at=datetime.datetime.combine(
                item["publication_date"], datetime.time(12), tzinfo=datetime.UTC
            ),
        )
        library.add_child(instance=page)
        # Child rows in bulk: saving them one by one through the page costs a reference-index
        # update each, which made this section several times slower.
        children += [
            ResourceAuthor(resource=page, name=name, sort_order=n)
            for n, name in enumerate(item["authors"])
        ]
        children += [
            ResourceLanguage(resource=page, language=code, sort_order=n)
            for n, code in enumerate(item["languages"])
        ]
        children += [
            ResourceThemeLink(resource=page, theme=terms["themes"][key], sort_order=n)
            for n, key in enumerate(item["themes"])
        ]
        children += [
            ResourceRegionLink(resource=page, region=terms["regions"][key], sort_order=n)
            for n, key in enumerate(item["regions"])
        ]
        loader._count("created", f"page {page.url_path}")
    for model in (ResourceAuthor, ResourceLanguage, ResourceThemeLink, ResourceRegionLink):
        model.objects.bulk_create([child for child in children if isinstance(child, model)])
