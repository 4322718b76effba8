"""Exchange with outside translators: the selected queue items as one PO or XLIFF 1.2 file,
and back.

wagtail-localize exports one PO file per translation (Translation.export_po); an outside
translator gets a single file for many items here. Each PO entry's msgctxt is
"<translation uuid> <segment path>"; in XLIFF each <file> is one translation (original=its
uuid) and each <trans-unit> one segment (id=its path). So an entry finds its translation and
segment on import. The file records when it was exported (a PO header, XLIFF's `date`
attribute): on import, a string whose French was changed in the admin after that time is never
overwritten (reported as a conflict instead). Both formats go through the same import.
"""

import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime

import polib
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_untrusted_xml
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail_localize.models import (
    String,
    StringSegment,
    StringTranslation,
    Translation,
)

from ngo_site.roles import can_change

EXPORTED_AT = "X-Translation-Queue-Exported-At"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
TOOL_NAME = "PO file"
XLIFF_TOOL_NAME = "XLIFF file"
XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_EXTENSIONS = (".xlf", ".xliff")


class InvalidPOFile(ValueError):
    """The upload is not a PO or XLIFF file exported by the queue; the message says why."""


def _segments_of(translation):
    return (
        StringSegment.objects.filter(source=translation.source)
        .order_by("order")
        .select_related("context", "string")
        .annotate_translation(translation.target_locale)
    )


def export_po(translations):
    """One POFile with every string of these wagtail-localize Translations (with the French
    already made, so the outside translator sees it and can correct it)."""
    po = polib.POFile(wrapwidth=200)
    locales = sorted({translation.target_locale.language_code for translation in translations})
    po.metadata = {
        "Project-Id-Version": "ngo-site translation queue",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": ", ".join(locales),
        EXPORTED_AT: timezone.now().isoformat(),
    }
    for translation in translations:
        segments = _segments_of(translation)
        title = str(translation.source.get_source_instance())
        for segment in segments:
            po.append(
                polib.POEntry(
                    msgid=segment.string.data,
                    msgstr=segment.translation or "",
                    msgctxt=f"{translation.uuid} {segment.context.path}",
                    tcomment=f"{title} ({translation.target_locale.language_code})",
                )
            )
    return po


def export_xliff(translations):
    """One XLIFF 1.2 document (bytes) with every string of these Translations, the French
    already made in <target>. Written with the standard library's ElementTree."""
    ET.register_namespace("", XLIFF_NAMESPACE)
    root = ET.Element(f"{{{XLIFF_NAMESPACE}}}xliff", version="1.2")
    exported_at = timezone.now().isoformat()
    for translation in translations:
        title = str(translation.source.get_source_instance())
        file = ET.SubElement(
            root,
            f"{{{XLIFF_NAMESPACE}}}file",
            {
                "original": str(translation.uuid),
                "source-language": translation.source.locale.language_code,
                "target-language": translation.target_locale.language_code,
                "datatype": "plaintext",
                "date": exported_at,
                "product-name": "ngo-site translation queue",
            },
        )
        header = ET.SubElement(file, f"{{{XLIFF_NAMESPACE}}}header")
        ET.SubElement(header, f"{{{XLIFF_NAMESPACE}}}note").text = title
        body = ET.SubElement(file, f"{{{XLIFF_NAMESPACE}}}body")
        for segment in _segments_of(translation):
            unit = ET.SubElement(body, f"{{{XLIFF_NAMESPACE}}}trans-unit", id=segment.context.path)
            ET.SubElement(unit, f"{{{XLIFF_NAMESPACE}}}source").text = segment.string.data
            target = ET.SubElement(unit, f"{{{XLIFF_NAMESPACE}}}target")
            target.text = segment.translation or ""
            if segment.translation:
                target.set("state", "translated")
            else:
                target.set("state", "needs-translation")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass
class ExchangeEntry:
    """One string of an uploaded file, whatever its format."""

    msgid: str
    msgstr: str
    msgctxt: str
    obsolete: bool = False


def _check_upload(upload, extensions):
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(extensions):
        raise InvalidPOFile("wrong-type")
    if upload.size > MAX_UPLOAD_BYTES:
        raise InvalidPOFile("too-large")
    content = upload.read()
    if b"\x00" in content:
        raise InvalidPOFile("broken")
    return content


def is_xliff(upload):
    return (getattr(upload, "name", "") or "").lower().endswith(XLIFF_EXTENSIONS)


def _aware(text):
    """The moment written in a file, timezone-aware; None when it is not a date and time."""
    try:
        moment = parse_datetime(text or "")
    except ValueError:  # well formed but impossible, e.g. month 13
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def read_xliff(upload):
    """Parse an uploaded XLIFF 1.2 file exported by the queue: ([ExchangeEntry], exported at);
    InvalidPOFile when it is not one. defusedxml refuses DTDs and entities (no entity
    expansion, no external resources)."""
    content = _check_upload(upload, XLIFF_EXTENSIONS)
    try:
        root = parse_untrusted_xml(content, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as error:
        raise InvalidPOFile("broken") from error
    namespace = f"{{{XLIFF_NAMESPACE}}}"
    if root.tag != f"{namespace}xliff" or root.get("version") != "1.2":
        raise InvalidPOFile("broken")
    entries, dates = [], set()
    for file in root.findall(f"{namespace}file"):
        dates.add(file.get("date") or "")
        original = file.get("original") or ""
        for unit in file.iter(f"{namespace}trans-unit"):
            source = unit.find(f"{namespace}source")
            target = unit.find(f"{namespace}target")
            entries.append(
                ExchangeEntry(
                    msgid="".join(source.itertext()) if source is not None else "",
                    msgstr="".join(target.itertext()) if target is not None else "",
                    msgctxt=f"{original} {unit.get('id') or ''}",
                )
            )
    exported = [_aware(date) for date in dates if date]
    if not exported or len(exported) != len(dates) or None in exported:
        raise InvalidPOFile("not-ours")
    # Files merged from several exports: the oldest date protects every newer translation.
    return entries, min(exported)


def read_po(upload):
    """Parse an uploaded file; InvalidPOFile with a message for a person when it is not one."""
    content = _check_upload(upload, (".po",))
    # polib.pofile() takes a path or the text, and would read a path given as text: always
    # hand it a file of our own.
    handle, path = tempfile.mkstemp(suffix=".po")
    try:
        with os.fdopen(handle, "wb") as temporary:
            temporary.write(content)
        po = polib.pofile(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InvalidPOFile("broken") from error
    finally:
        os.unlink(path)
    exported_at = _aware(po.metadata.get(EXPORTED_AT, ""))
    if exported_at is None:
        raise InvalidPOFile("not-ours")
    return po, exported_at


@dataclass
class ImportReport:
    imported: int = 0
    unchanged: int = 0
    untranslated: int = 0
    # (msgid, reason) of the entries that matched no current string of an item
    unmatched: list = field(default_factory=list)
    # (msgid, French now in the admin) of the entries refused because that French is newer
    conflicts: list = field(default_factory=list)
    forbidden: int = 0
    translations: set = field(default_factory=set)
    # {translation uuid: {"imported": n, "unchanged": n, "untranslated": n, "unmatched": n,
    #  "conflicts": n}} of the items the file names, in the file's order
    per_item: dict = field(default_factory=dict)

    def count(self, uuid, what):
        counts = self.per_item.setdefault(
            uuid,
            {"imported": 0, "unchanged": 0, "untranslated": 0, "unmatched": 0, "conflicts": 0},
        )
        counts[what] += 1


def _split_context(msgctxt):
    uuid, _space, path = (msgctxt or "").partition(" ")
    return uuid, path


ITEM_DELETED = "item deleted"
NOT_IN_JOB = "not in this job"


def _live_translation(uuid):
    """The Translation of an exported item, with its target instance (`target_instance`);
    ITEM_DELETED when its English source or its translated object was deleted since the
    export (WAGTAILLOCALIZE_DISABLE_ON_DELETE only disables the Translation), None when no
    Translation has that uuid."""
    try:
        translation = (
            Translation.objects.select_related("source", "target_locale").filter(uuid=uuid).first()
        )
    except ValidationError:  # not a UUID: a hand-edited msgctxt
        return None
    if translation is None:
        return None
    if not translation.enabled:
        return ITEM_DELETED
    try:
        translation.source.get_source_instance()
        translation.target_instance = translation.get_target_instance()
    except ObjectDoesNotExist:
        return ITEM_DELETED
    return translation


def import_po(po, exported_at: datetime, user, tool_name=TOOL_NAME, only=None):
    """Apply the French of `po` (a POFile, or ExchangeEntry objects read from an XLIFF file),
    entry by entry; never overwrite a newer translation. `only` (translation uuids as text):
    the entries of other translations are unmatched (NOT_IN_JOB), nothing is written for them."""
    report = ImportReport()
    translations = {}
    allowed = {}
    with transaction.atomic():
        for entry in po:
            if entry.obsolete:
                continue
            uuid, path = _split_context(entry.msgctxt)
            if only is not None and uuid not in only:
                report.unmatched.append((entry.msgid, NOT_IN_JOB))
                continue
            if uuid not in translations:
                translations[uuid] = _live_translation(uuid)
            translation = translations[uuid]
            if translation is ITEM_DELETED:
                report.unmatched.append((entry.msgid, ITEM_DELETED))
                continue
            if translation is None or not path:
                report.unmatched.append((entry.msgid, "unknown item"))
                continue
            if uuid not in allowed:
                allowed[uuid] = can_change(user, translation.target_instance)
            if not allowed[uuid]:
                report.forbidden += 1
                continue
            if not entry.msgstr:
                report.untranslated += 1
                report.count(uuid, "untranslated")
                continue
            segment = (
                StringSegment.objects.filter(
                    source=translation.source,
                    context__path=path,
                    string__data_hash=String._get_data_hash(entry.msgid),
                    string__locale_id=translation.source.locale_id,
                )
                .select_related("string", "context")
                .first()
            )
            if segment is None:
                report.unmatched.append((entry.msgid, "source changed"))
                report.count(uuid, "unmatched")
                continue
            existing = StringTranslation.objects.filter(
                translation_of=segment.string,
                context=segment.context,
                locale=translation.target_locale,
            ).first()
            if existing is not None and existing.data == entry.msgstr:
                report.unchanged += 1
                report.count(uuid, "unchanged")
                continue
            if existing is not None and existing.updated_at > exported_at:
                report.conflicts.append((entry.msgid, existing.data))
                report.count(uuid, "conflicts")
                continue
            if existing is None:
                StringTranslation.objects.create(
                    translation_of=segment.string,
                    context=segment.context,
                    locale=translation.target_locale,
                    data=entry.msgstr,
                    translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                    tool_name=tool_name,
                    last_translated_by=user,
                )
            else:
                existing.data = entry.msgstr
                existing.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
                existing.tool_name = tool_name
                existing.last_translated_by = user
                existing.updated_at = timezone.now()
                existing.has_error = False
                existing.field_error = ""
                existing.save()
            report.imported += 1
            report.count(uuid, "imported")
            report.translations.add(translation)
    return report
