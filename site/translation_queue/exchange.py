"""Exchange with outside translators: the selected queue items as one PO file, and back.

wagtail-localize exports one PO file per translation (Translation.export_po); an outside
translator gets a single file for many items here. Each entry's msgctxt is
"<translation uuid> <segment path>", so an entry finds its translation and segment on import.
The header records when the file was exported: on import, a string whose French was changed
in the admin after that time is never overwritten (reported as a conflict instead).
"""

import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime

import polib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail_localize.models import (
    String,
    StringSegment,
    StringTranslation,
    Translation,
)
from wagtail_localize.views.edit_translation import user_can_edit_instance

EXPORTED_AT = "X-Translation-Queue-Exported-At"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
TOOL_NAME = "PO file"


class InvalidPOFile(ValueError):
    """The upload is not a PO file exported by the queue; the message says why."""


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
        segments = (
            StringSegment.objects.filter(source=translation.source)
            .order_by("order")
            .select_related("context", "string")
            .annotate_translation(translation.target_locale)
        )
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


def read_po(upload):
    """Parse an uploaded file; InvalidPOFile with a message for a person when it is not one."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".po"):
        raise InvalidPOFile("wrong-type")
    if upload.size > MAX_UPLOAD_BYTES:
        raise InvalidPOFile("too-large")
    content = upload.read()
    if b"\x00" in content:
        raise InvalidPOFile("broken")
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
    exported_at = parse_datetime(po.metadata.get(EXPORTED_AT, "") or "")
    if exported_at is None:
        raise InvalidPOFile("not-ours")
    if timezone.is_naive(exported_at):
        exported_at = timezone.make_aware(exported_at, timezone.utc)
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


def _split_context(msgctxt):
    uuid, _space, path = (msgctxt or "").partition(" ")
    return uuid, path


def import_po(po, exported_at: datetime, user):
    """Apply the French of `po`, entry by entry; never overwrite a newer translation."""
    report = ImportReport()
    translations = {}
    allowed = {}
    with transaction.atomic():
        for entry in po:
            if entry.obsolete:
                continue
            uuid, path = _split_context(entry.msgctxt)
            if uuid not in translations:
                try:
                    translations[uuid] = (
                        Translation.objects.select_related("source", "target_locale")
                        .filter(uuid=uuid)
                        .first()
                    )
                except ValidationError:  # not a UUID: a hand-edited msgctxt
                    translations[uuid] = None
            translation = translations[uuid]
            if translation is None or not path:
                report.unmatched.append((entry.msgid, "unknown item"))
                continue
            if uuid not in allowed:
                allowed[uuid] = user_can_edit_instance(user, translation.get_target_instance())
            if not allowed[uuid]:
                report.forbidden += 1
                continue
            if not entry.msgstr:
                report.untranslated += 1
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
                continue
            existing = StringTranslation.objects.filter(
                translation_of=segment.string,
                context=segment.context,
                locale=translation.target_locale,
            ).first()
            if existing is not None and existing.data == entry.msgstr:
                report.unchanged += 1
                continue
            if existing is not None and existing.updated_at > exported_at:
                report.conflicts.append((entry.msgid, existing.data))
                continue
            if existing is None:
                StringTranslation.objects.create(
                    translation_of=segment.string,
                    context=segment.context,
                    locale=translation.target_locale,
                    data=entry.msgstr,
                    translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                    tool_name=TOOL_NAME,
                    last_translated_by=user,
                )
            else:
                existing.data = entry.msgstr
                existing.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
                existing.tool_name = TOOL_NAME
                existing.last_translated_by = user
                existing.updated_at = timezone.now()
                existing.has_error = False
                existing.field_error = ""
                existing.save()
            report.imported += 1
            report.translations.add(translation)
    return report
