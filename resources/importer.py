"""Bulk import of resources from a CSV file: `manage.py import_resources` (docs/import.md).

A row is a resource, matched by its `external_id` among the English resources: created when the
ID is new, updated (a new published revision) when a value differs, left alone otherwise. Pages
are written by `ngo_site.content_writer.ContentWriter.page()` (create or update, re-publish only
on a change, as the demo loader writes its pages) and PDFs go through `CustomDocument`'s own
save, whose signal extracts their text (resources/signals.py), so imported resources are
searched like those editors enter.

The whole file is read and parsed before anything is written: an unreadable file, a wrong
encoding or missing columns stop the import (`ImportAborted`). A bad row is reported with its
spreadsheet row number (the header being row 1; a cell over several lines of the file is still
one row) and its external ID, and skipped; each row is written in its own savepoint, so a row
that fails leaves no page, relation, term or document behind. A dry run does all of it in a
transaction rolled back at the end, and stores no file.

The practice_ columns are the fields of the resource's practice record, merged field by field
into the record it has (only the columns the file has change) and stored in the form the demo
writes too (`practice_record()` of resources/records.py).

The importer imports no demo module (tests/site/test_app_dependencies.py).
"""

import csv
import datetime
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Locale, Page
from wagtail.utils.file import hash_filelike

from ngo_site.content_writer import ContentWriter
from ngo_site.models import CustomDocument

from .extraction import extract_pdf_text
from .models import (
    PRACTICE_TYPES,
    RESOURCE_LANGUAGES,
    LibraryPage,
    Region,
    ResourcePage,
    ResourceType,
    Theme,
)
from .records import INNOVATION_FIELDS, PRACTICE_TEXT_FIELDS, practice_record

logger = logging.getLogger(__name__)

# Every column the importer knows, in the order docs/import.md lists them.
COLUMNS = (
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
    "publisher",
    "series",
    "doi",
    "isbn",
    "external_url",
    "documents",
    "body",
    # The practice record (ResourcePage.practice_record): one column per PracticeRecordBlock field.
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
)
PRACTICE_COLUMNS = tuple(name for name in COLUMNS if name.startswith("practice_"))
# The practice record's rich-text fields and the column of each (innovation answers included).
PRACTICE_TEXT_COLUMNS = {
    **{f"practice_{name}": name for name in PRACTICE_TEXT_FIELDS},
    **{f"practice_innovation_{name}": name for name in INNOVATION_FIELDS},
}
PRACTICE_DATE_COLUMNS = {"practice_start_date": "start_date", "practice_end_date": "end_date"}
REQUIRED_COLUMNS = ("external_id", "title")
LIST_SEPARATOR = ";"
# Plain text fields copied as they are; the model's validation checks their length.
TEXT_COLUMNS = ("summary", "publisher", "series", "doi", "isbn", "external_url")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
SLUG_LENGTH = 80


class ImportAborted(Exception):
    """The file as a whole cannot be imported (unreadable, not UTF-8, missing columns...)."""


class RowError(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class RowOutcome:
    line: int
    external_id: str
    title: str = ""
    message: str = ""
    # The row number a spreadsheet shows (the header is row 1).
    row: int = 0

    @property
    def label(self):
        """How the report names the row: "row 7 (external_id WP-3)"."""
        named = f"external_id {self.external_id}" if self.external_id else "no external_id"
        return f"row {self.row} ({named})"


@dataclass
class ImportReport:
    dry_run: bool = False
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    # (kind, name) of the taxonomy terms --create-terms added.
    created_terms: list = field(default_factory=list)
    # Rows imported with a remark, e.g. a PDF whose text could not be read.
    notes: list = field(default_factory=list)

    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed"
        )


@dataclass
class CsvRow:
    line: int
    values: dict
    problem: str = ""
    # The row number a spreadsheet shows (the header is row 1), whatever line of the file it is.
    row: int = 0


@dataclass
class DocumentFile:
    name: str
    content: bytes


@dataclass
class TermRef:
    """A taxonomy term of a row: an existing one, or one --create-terms will add."""

    model: type
    name: str
    term: object = None


@dataclass
class RowPlan:
    external_id: str
    title: str
    fields: dict
    # Child relation -> list of row dicts, with TermRef values still to resolve.
    children: dict
    documents: list = None


# --- reading the file ----------------------------------------------------------------------------


def read_csv(path):
    """The rows of the CSV file at `path` as CsvRow objects: the first line of each in the file
    and its row number in a spreadsheet (the header is line and row 1). Raises ImportAborted
    when the file cannot be used at all."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportAborted(f"Cannot read {path}: {error.strerror or error}.") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportAborted(
            f"{path} is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}). "
            "Save it as “CSV UTF-8” from the spreadsheet."
        ) from error
    if not text.strip():
        raise ImportAborted(f"{path} is empty.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        columns = _check_header(path, header)
        rows, last_line = [], reader.line_num
        for row_number, record in enumerate(reader, start=2):
            first_line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                problem = (
                    f"expected {len(columns)} columns, found {len(record)} "
                    "(check the commas and quotes of this row)"
                )
                rows.append(CsvRow(first_line, {}, problem, row=row_number))
                continue
            values = dict(zip(columns, record, strict=True))
            rows.append(CsvRow(first_line, values, row=row_number))
    except csv.Error as error:
        raise ImportAborted(f"{path}, line {reader.line_num}: {error}.") from error
    return columns, rows


def _is_ignored(column):
    """Columns for people, not for the import: notes ("# checked by"), or the unnamed empty
    columns spreadsheets sometimes add at the end."""
    return column == "" or column.startswith("#")


def _check_header(path, header):
    columns = [name.strip().lower() for name in header]
    if len(columns) == 1 and LIST_SEPARATOR in columns[0]:
        raise ImportAborted(
            f"{path}: the columns must be separated by commas (the header has semicolons)."
        )
    used = [name for name in columns if not _is_ignored(name)]
    duplicates = sorted({name for name in used if used.count(name) > 1})
    if duplicates:
        raise ImportAborted(f"{path}: repeated columns: {', '.join(duplicates)}.")
    unknown = [name for name in used if name not in COLUMNS]
    if unknown:
        raise ImportAborted(
            f"{path}: unknown columns: {', '.join(unknown)}. The columns are: {', '.join(COLUMNS)}."
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportAborted(f"{path}: missing required columns: {', '.join(missing)}.")
    return columns


# --- looking up what rows refer to ---------------------------------------------------------------


def _term_key(value):
    return slugify(value) or value.strip().casefold()


class Vocabulary:
    """Taxonomy terms and programmes of the library's locale, found by name or slug of name
    ("Street vendors", "street vendors" and "street-vendors" are the same term)."""

    KINDS = {ResourceType: "resource type", Theme: "theme", Region: "region"}

    def __init__(self, locale):
        from programmes.models import ProgrammePage

        self.locale = locale
        self.terms = {model: {} for model in self.KINDS}
        for model in self.KINDS:
            for term in model.objects.filter(locale=locale):
                self.terms[model].setdefault(_term_key(term.name), term)
        self.programmes = {}
        for programme in ProgrammePage.objects.filter(locale=locale).only("slug", "title"):
            self.programmes.setdefault(programme.slug, programme)
            self.programmes.setdefault(_term_key(programme.title), programme)

    def term(self, model, value):
        return self.terms[model].get(_term_key(value))

    def add(self, term):
        self.terms[type(term)].setdefault(_term_key(term.name), term)

    def programme(self, value):
        return self.programmes.get(value.strip()) or self.programmes.get(_term_key(value))


def split_list(value):
    items = [item.strip() for item in (value or "").split(LIST_SEPARATOR)]
    return [item for item in items if item]


def unique(items):
    return list(dict.fromkeys(items))


def parse_date(value):
    """A date from YYYY-MM-DD, YYYY-MM or YYYY (the first day of the month or year)."""
    match = DATE_PATTERN.match(value)
    if not match:
        raise ValueError(value)
    year, month, day = (int(part) if part else 1 for part in match.groups())
    return datetime.date(year, month, day)


def paragraphs(text):
    """Plain text as HTML paragraphs ("<p>...</p>" strings, escaped): paragraphs are separated
    by blank lines, a single line break is a <br/>."""
    parts = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    found = []
    for paragraph in parts:
        lines = [escape(line.strip()) for line in paragraph.split("\n") if line.strip()]
        if lines:
            found.append(f"<p>{'<br/>'.join(lines)}</p>")
    return found


def body_blocks(text):
    """Plain text as paragraph blocks: paragraphs separated by blank lines."""
    return [{"type": "paragraph", "value": paragraph} for paragraph in paragraphs(text)]


def practice_text(text):
    """Plain text as the value of a practice record's rich-text field ("" when empty)."""
    return "".join(paragraphs(text))


def practice_type_keys():
    """{slug: key} of the practice types, by key and by English label ("policy",
    "policy-or-strategy")."""
    keys = {}
    with translation.override("en"):
        for key, label in PRACTICE_TYPES:
            keys[slugify(key)] = key
            keys.setdefault(slugify(str(label)), key)
    return keys


def _stored_date(value):
    """A date of a stored practice record (an ISO string) as a date, else as it is."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def stored_practice_columns(page):
    """The practice record of `page` (None for a new resource) as {column: value}, in the form
    `_plan` gives the file's values: dates as dates, rich text as stored, related practices as
    page ids. All empty when the page has no record."""
    columns = dict.fromkeys(PRACTICE_COLUMNS, "")
    columns.update(dict.fromkeys(PRACTICE_DATE_COLUMNS), practice_related=[])
    raw = list(page.practice_record.raw_data) if page is not None else []
    value = next((item["value"] for item in raw if item.get("type") == "practice_record"), None)
    if not value:
        return columns
    innovation = value.get("innovation") or {}
    columns["practice_type"] = value.get("practice_type") or ""
    for column, name in PRACTICE_DATE_COLUMNS.items():
        columns[column] = _stored_date(value.get(name))
    for column, name in PRACTICE_TEXT_COLUMNS.items():
        source = innovation if column.startswith("practice_innovation_") else value
        columns[column] = source.get(name) or ""
    # List items are {type, value, id}; lists saved by older Wagtail versions hold bare values.
    columns["practice_related"] = [
        item["value"] if isinstance(item, dict) else item
        for item in value.get("related_practices") or []
    ]
    return columns


def _related_keys(page_ids):
    """{key: page id} for practice_record(), which takes related practices as keys (slugs in the
    demo, whose block ids it derives from them): the page's slug, made unique in the record."""
    slugs = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "slug"))
    keys = {}
    for page_id in page_ids:
        key = slugs.get(page_id) or f"page-{page_id}"
        if key in keys:
            key = f"{key}-{page_id}"
        keys[key] = page_id
    return keys


# --- the import ----------------------------------------------------------------------------------


class ResourceImporter:
    def __init__(self, documents_dir=None, dry_run=False, create_terms=False):
        self.documents_dir = Path(documents_dir) if documents_dir else None
        self.dry_run = dry_run
        self.create_terms = create_terms
        self.report = ImportReport(dry_run=dry_run)
        self.writer = ContentWriter()

    def run(self, path):
        if self.documents_dir is not None and not self.documents_dir.is_dir():
            raise ImportAborted(f"The documents folder {self.documents_dir} does not exist.")
        columns, rows = read_csv(path)
        self.columns = set(columns)
        self.locale = Locale.get_default()
        library = LibraryPage.objects.filter(locale=self.locale).order_by("path").first()
        if library is None:
            raise ImportAborted(
                f"There is no resource library in {self.locale.get_display_name()}: "
                "create the library page first."
            )
        self.library_id = library.pk
        # Only its path is used (to find resources by slug), which does not go stale.
        self.library = library
        self.practice_types = practice_type_keys()
        self.vocabulary = Vocabulary(self.locale)
        if self.dry_run:
            with transaction.atomic():
                self._import_rows(rows)
                transaction.set_rollback(True)
        else:
            self._import_rows(rows)
        return self.report

    def _import_rows(self, rows):
        # The first row of each external ID, for related practices that refer to later rows.
        self.lines = {}
        for row in rows:
            external_id = row.values.get("external_id", "").strip()
            if external_id and not row.problem:
                self.lines.setdefault(external_id, row.row)
        seen = {}
        for row in rows:
            external_id = row.values.get("external_id", "").strip()
            if row.problem:
                self._fail(row, external_id, [row.problem])
                continue
            if external_id and external_id in seen:
                problem = f"external_id '{external_id}' is already on row {seen[external_id]}"
                self._fail(row, external_id, [problem])
                continue
            if external_id:
                seen[external_id] = row.row
            self._import_row(row, external_id)

    def _import_row(self, row, external_id):
        stored_files = []
        try:
            plan = self._plan(row)
            with transaction.atomic():
                outcome, page, new_terms, notes = self._write(plan, stored_files)
        except RowError as error:
            self._discard_files(stored_files)
            self._fail(row, external_id, error.problems)
            return
        except ValidationError as error:
            self._discard_files(stored_files)
            self._fail(row, external_id, _validation_messages(error))
            return
        except Exception as error:  # one broken row must not stop the others
            logger.exception("Importing row %s (line %s) failed", row.row, row.line)
            self._discard_files(stored_files)
            self._fail(row, external_id, [f"could not be saved ({type(error).__name__}: {error})"])
            return
        for term in new_terms:
            self.vocabulary.add(term)
            self.report.created_terms.append((Vocabulary.KINDS[type(term)], term.name))
        for note in notes:
            self.report.notes.append(
                RowOutcome(row.line, external_id, page.title, note, row=row.row)
            )
        getattr(self.report, outcome).append(
            RowOutcome(row.line, external_id, page.title, row=row.row)
        )

    def _fail(self, row, external_id, problems):
        self.report.failed.append(
            RowOutcome(row.line, external_id, "", "; ".join(problems), row=row.row)
        )

    # --- validating a row (no writes) ---------------------------------------------------------

    def _plan(self, row):
        values = {name: (value or "").strip() for name, value in row.values.items()}
        problems = []
        external_id = values["external_id"]
        if not external_id:
            problems.append("missing external_id")
        elif len(external_id) > ResourcePage._meta.get_field("external_id").max_length:
            problems.append(f"external_id is longer than 100 characters ({len(external_id)})")
        if not values["title"]:
            problems.append("missing title")
        fields = {"external_id": external_id, "title": values["title"]}
        children = {}
        for name in TEXT_COLUMNS:
            if name in self.columns:
                fields[name] = values[name]
        for name in ("title", *TEXT_COLUMNS):
            # The summary is a TextField: its limit is the admin form's, not the database's.
            limit = ResourcePage._meta.get_field(name).max_length
            if name in fields and limit and len(fields[name]) > limit:
                problems.append(f"{name} is longer than {limit} characters ({len(fields[name])})")
        if "publication_date" in self.columns:
            fields["publication_date"] = None
            if values["publication_date"]:
                try:
                    fields["publication_date"] = parse_date(values["publication_date"])
                except ValueError:
                    problems.append(
                        f"bad publication_date '{values['publication_date']}' "
                        "(use YYYY-MM-DD or YYYY)"
                    )
        if "resource_type" in self.columns:
            fields["resource_type"] = None
            if values["resource_type"]:
                fields["resource_type"] = self._term(
                    ResourceType, values["resource_type"], problems
                )
        if "themes" in self.columns:
            children["theme_links"] = [
                {"theme": self._term(Theme, name, problems)}
                for name in unique(split_list(values["themes"]))
            ]
        if "regions" in self.columns:
            children["region_links"] = [
                {"region": self._term(Region, name, problems)}
                for name in unique(split_list(values["regions"]))
            ]
        if "programmes" in self.columns:
            children["programme_links"] = []
            for name in unique(split_list(values["programmes"])):
                programme = self.vocabulary.programme(name)
                if programme is None:
                    problems.append(f"unknown programme '{name}'")
                else:
                    children["programme_links"].append({"programme": programme.pk})
        if "languages" in self.columns:
            known = dict(RESOURCE_LANGUAGES)
            codes = unique(code.lower() for code in split_list(values["languages"]))
            for code in codes:
                if code not in known:
                    problems.append(f"unknown language '{code}' (use {', '.join(known)})")
            children["languages"] = [{"language": code} for code in codes if code in known]
        if "authors" in self.columns:
            children["authors"] = [{"name": name} for name in split_list(values["authors"])]
        if "body" in self.columns:
            fields["body"] = body_blocks(values["body"])
        documents = None
        if "documents" in self.columns:
            documents = self._document_files(split_list(values["documents"]), problems)
        if any(name in self.columns for name in PRACTICE_COLUMNS):
            record = self._practice_record(row, values, problems)
            if record is not None:
                fields["practice_record"] = record
        if problems:
            raise RowError(problems)
        return RowPlan(external_id, values["title"], fields, children, documents)

    def _practice_record(self, row, values, problems):
        """The practice_record field of the row: the resource's current record with the file's
        practice_ columns put over it ([] when every field is then empty). None when a value is
        wrong (added to `problems`)."""
        given = {}
        before = len(problems)
        if "practice_type" in self.columns:
            given["practice_type"] = self._practice_type(values["practice_type"], problems)
        for column in PRACTICE_DATE_COLUMNS:
            if column in self.columns:
                given[column] = None
                if values[column]:
                    try:
                        given[column] = parse_date(values[column])
                    except ValueError:
                        problems.append(f"bad {column} '{values[column]}' (use YYYY-MM-DD or YYYY)")
        for column in PRACTICE_TEXT_COLUMNS:
            if column in self.columns:
                given[column] = practice_text(values[column])
        external_id = values["external_id"]
        existing = self._existing_page(external_id) if external_id else None
        if "practice_related" in self.columns:
            given["practice_related"] = self._related_practices(
                row, values["practice_related"], existing, problems
            )
        if len(problems) > before:
            return None
        merged = {**stored_practice_columns(existing), **given}
        if not any(merged.values()):
            return []
        if not merged["practice_type"] or not merged["practice_summary"]:
            problems.append("a practice record needs practice_type and practice_summary")
            return None
        start, end = merged["practice_start_date"], merged["practice_end_date"]
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            problems.append("practice_end_date is before practice_start_date")
            return None
        related = _related_keys(unique(merged["practice_related"]))
        value = practice_record(
            {
                "practice_type": merged["practice_type"],
                "start_date": merged["practice_start_date"],
                "end_date": merged["practice_end_date"],
                **{
                    name: merged[column]
                    for column, name in PRACTICE_TEXT_COLUMNS.items()
                    if not column.startswith("practice_innovation_")
                },
                "innovation": {
                    name: merged[f"practice_innovation_{name}"] for name in INNOVATION_FIELDS
                },
                "related_practices": list(related),
            },
            related,
        )
        # The block's own validation (what the editor's form checks), as a safety net.
        stream_block = ResourcePage._meta.get_field("practice_record").stream_block
        try:
            stream_block.clean(stream_block.to_python(value))
        except ValidationError as error:
            problems.extend(_validation_messages(error))
            return None
        return value

    def _practice_type(self, value, problems):
        if not value:
            return ""
        key = self.practice_types.get(slugify(value))
        if key is None:
            choices = ", ".join(key for key, _ in PRACTICE_TYPES)
            problems.append(f"unknown practice_type '{value}' (use {choices})")
            return ""
        return key

    def _related_practices(self, row, value, existing, problems):
        """The page ids of the related practices of the row: other resources by external ID
        (an earlier row of the file is saved already) or by slug in the library."""
        own_id = row.values.get("external_id", "").strip()
        page_ids = []
        for reference in unique(split_list(value)):
            itself = (
                f"practice_related '{reference}' is this resource: it cannot be related to itself"
            )
            if reference == own_id:
                problems.append(itself)
                continue
            line = self.lines.get(reference)
            if line is not None and line > row.row:
                problems.append(
                    f"practice_related '{reference}' is on row {line}, below this row: put it above"
                )
                continue
            page = self._existing_page(reference) or (
                ResourcePage.objects.child_of(self.library)
                .filter(slug=reference)
                .only("pk")
                .first()
            )
            if page is None:
                if line is not None:
                    problems.append(
                        f"practice_related '{reference}' is on row {line}, which was not imported"
                    )
                else:
                    problems.append(f"unknown practice_related '{reference}'")
                continue
            if existing is not None and page.pk == existing.pk:
                problems.append(itself)
                continue
            page_ids.append(page.pk)
        return unique(page_ids)

    def _existing_page(self, external_id):
        """The English resource with this external ID, if any."""
        return (
            ResourcePage.objects.filter(
                locale=self.locale, external_id=external_id, alias_of__isnull=True
            )
            .order_by("path")
            .first()
        )

    def _term(self, model, name, problems):
        term = self.vocabulary.term(model, name)
        if term is not None:
            return TermRef(model, name, term)
        if not self.create_terms:
            problems.append(f"unknown {Vocabulary.KINDS[model]} '{name}'")
        return TermRef(model, name)

    def _document_files(self, names, problems):
        files = []
        for name in unique(names):
            if self.documents_dir is None:
                problems.append(f"document '{name}' listed but no --documents folder given")
                continue
            if Path(name).name != name or name in (".", ".."):
                problems.append(f"document '{name}' must be a file name, without a folder")
                continue
            path = self.documents_dir / name
            try:
                content = path.read_bytes()
            except FileNotFoundError:
                problems.append(f"document '{name}' not found in {self.documents_dir}")
                continue
            except OSError as error:
                problems.append(f"document '{name}' cannot be read ({error.strerror or error})")
                continue
            if not name.lower().endswith(".pdf") or not content.startswith(b"%PDF-"):
                problems.append(f"document '{name}' is not a PDF")
                continue
            files.append(DocumentFile(name, content))
        return files

    # --- writing a row (inside its savepoint) -------------------------------------------------

    def _write(self, plan, stored_files):
        new_terms = []
        fields = {name: self._resolve(value, new_terms) for name, value in plan.fields.items()}
        children = {
            relation: [
                {name: self._resolve(value, new_terms) for name, value in row.items()}
                for row in rows
            ]
            for relation, rows in plan.children.items()
        }
        notes = []
        if plan.documents is not None:
            children["documents"] = [
                {"document": self._document(plan, file, stored_files, notes).pk}
                for file in plan.documents
            ]
        existing = self._existing_page(plan.external_id)
        if existing is not None:
            parent, slug = existing.get_parent(), existing.slug
        else:
            # A fresh copy each time: the tree data of a library object used for a row that
            # was rolled back would be stale.
            parent = LibraryPage.objects.get(pk=self.library_id)
            slug = self._free_slug(parent, plan.title)
        before = dict(self.writer.counts)
        page = self.writer.page(parent, ResourcePage, slug, fields, children)
        outcome = next(key for key in before if self.writer.counts[key] != before[key])
        return outcome, page, new_terms, notes

    def _resolve(self, value, new_terms):
        if not isinstance(value, TermRef):
            return value
        if value.term is None:
            # Through the writer, like the demo's terms: found by name, else created.
            value.term = self.writer.snippet(
                value.model, {"name": value.name, "locale": self.locale}, {}
            )
            new_terms.append(value.term)
        return value.term.pk

    @staticmethod
    def _free_slug(parent, title):
        base = slugify(title)[:SLUG_LENGTH].strip("-") or "resource"
        taken = set(
            parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True)
        )
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug

    def _document(self, plan, file, stored_files, notes):
        """The document with this file's content (the same file is never stored twice), else a
        new one, whose text the document's own save extracts."""
        # Wagtail's own hash of a document's file (what it compares to find duplicates).
        digest = hash_filelike(io.BytesIO(file.content))
        document = CustomDocument.objects.filter(file_hash=digest).order_by("pk").first()
        if document is not None:
            return document
        title = plan.title if len(plan.documents) == 1 else f"{plan.title} ({file.name})"
        document = CustomDocument(title=title[:255], file_size=len(file.content), file_hash=digest)
        if self.dry_run:
            # A name without content: saving stores no file; the text is read here instead.
            document.file.name = f"documents/{file.name}"
            document.extracted_text, document.text_extraction_note = extract_pdf_text(
                io.BytesIO(file.content)
            )
            document.save()
        else:
            document.file = ContentFile(file.content, name=file.name)
            document.save()
            stored_files.append((document.file.storage, document.file.name))
        if document.text_extraction_note:
            notes.append(f"{file.name}: {document.text_extraction_note}")
        return document

    @staticmethod
    def _discard_files(stored_files):
        for storage, name in stored_files:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Could not delete %s after a failed row", name)


def _validation_messages(error):
    """The messages of a page's ValidationError or of the practice record block's, each naming
    the column it is about (block errors are nested: their own message is only "Validation
    error in StreamBlock")."""
    if hasattr(error, "error_dict"):
        messages = []
        for name, errors in error.error_dict.items():
            if name == "practice_record":
                # No column has this name: the page's message about it says enough.
                messages += _block_messages(errors)
                continue
            for message in ValidationError(errors).messages:
                messages.append(f"{name}: {message}" if name != "__all__" else message)
        return messages
    return _block_messages([error])


def _block_messages(errors, path=()):
    """Flat messages of ValidationErrors, walking into block errors: a practice record block's
    field errors come out as "practice_summary: This field is required."."""
    messages = []
    for error in errors:
        if not hasattr(error, "block_errors"):
            for message in error.messages:
                name = _practice_column(path)
                messages.append(f"{name}: {message}" if name else message)
            continue
        messages += _block_messages(error.non_block_errors.as_data(), path)
        for key, child in error.block_errors.items():
            messages += _block_messages([child], (*path, key))
    return messages


def _practice_column(path):
    """The column of a practice record block's field, from its path in the block errors
    ((0, "innovation", "catalysed") -> practice_innovation_catalysed)."""
    names = [str(part) for part in path if isinstance(part, str)]
    if not names:
        return ""
    if names[0] == "related_practices":
        return "practice_related"
    if names[0] == "practice_type":
        return names[0]
    return "practice_" + "_".join(names)


def import_resources(path, documents_dir=None, dry_run=False, create_terms=False):
    """Import the CSV file at `path`; returns an ImportReport. Raises ImportAborted when the
    file as a whole cannot be imported (nothing is written then)."""
    importer = ResourceImporter(documents_dir, dry_run=dry_run, create_terms=create_terms)
    return importer.run(path)
