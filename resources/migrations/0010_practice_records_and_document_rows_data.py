"""Data for 0009: existing rows in the new shape.

- Resource types named "Practice record" (and their translations) are flagged as practice
  records.
- Practice records written as sections (the old `SectionBlock` kinds: summary, lessons, ...)
  become the structured practice record: each section's text goes into the field of its kind
  (texts of one kind are joined in order; a custom heading is kept as a bold line of the
  text). What has no field of the same shape (the old "practice type", "dates", "innovation"
  and "related practices" texts) stays a section, a chapter headed by the old kind's name, so
  nothing is lost and the editor can move it into the structured fields. Resources of other
  types keep such sections the same way. Pages and their revisions are both converted, so an
  editor opening the page sees the new shape.
- Document rows of a resource get the resource's locale and a translation key, the same for
  a French row as for the English row it was copied from (same document, same position), which
  is what wagtail-localize matches them by.
"""

import html
import json
import uuid

from django.db import migrations

PRACTICE_TYPE_NAMES = {"practice record", "fiche de pratique"}
# Old section kind -> field of the practice record with the same shape (rich text).
TEXT_KINDS = {
    "summary": "summary",
    "objectives": "objectives",
    "organisations": "organisations",
    "partners": "partners",
    "benefit_and_impact": "benefit_and_impact",
    "lessons": "lessons",
    "challenges": "challenges",
    "done_differently": "done_differently",
    "recommendations": "recommendations",
    "additional_resources": "additional_resources",
    "peer_review": "peer_review",
}
OLD_LABELS = {
    "summary": "Summary",
    "objectives": "Objectives",
    "practice_type": "Practice type",
    "dates": "Dates",
    "organisations": "Organisations",
    "partners": "Partners",
    "benefit_and_impact": "Benefit and impact",
    "lessons": "Lessons learned",
    "challenges": "Challenges and how they were overcome",
    "done_differently": "What could be done differently",
    "recommendations": "Recommendations",
    "innovation": "Innovation",
    "additional_resources": "Additional resources",
    "related_practices": "Related practices",
    "peer_review": "Peer-review comments",
}
KEPT_KINDS = {"chapter", "annex"}


def empty_record():
    record = {name: "" for name in TEXT_KINDS.values()}
    record.update(
        practice_type="other",
        start_date=None,
        end_date=None,
        innovation={"catalysed": "", "sustainable": "", "scalable": "", "adapted": ""},
        related_practices=[],
    )
    return record


def convert(sections, is_practice_record):
    """(sections, practice_record) in raw StreamField form, or None when nothing changes."""
    if not any(block.get("value", {}).get("kind") not in KEPT_KINDS for block in sections):
        return None
    kept, record = [], empty_record()
    converted = False
    for block in sections:
        value = dict(block.get("value") or {})
        kind = value.get("kind")
        if kind in KEPT_KINDS:
            kept.append(block)
        elif is_practice_record and kind in TEXT_KINDS:
            text = value.get("text") or ""
            heading = (value.get("heading") or "").strip()
            if heading and heading != OLD_LABELS[kind]:
                text = f"<p><b>{html.escape(heading)}</b></p>{text}"
            field = TEXT_KINDS[kind]
            record[field] = record[field] + text
            converted = True
        else:
            value["heading"] = value.get("heading") or OLD_LABELS.get(kind, "")
            value["kind"] = "chapter"
            kept.append({**block, "value": value})
    practice_record = []
    if converted:
        practice_record = [{"type": "practice_record", "value": record, "id": str(uuid.uuid4())}]
    return kept, practice_record


def raw(value):
    if isinstance(value, str):
        return json.loads(value) if value else []
    return list(value or [])


def convert_pages(apps, schema_editor):
    ResourceType = apps.get_model("resources", "ResourceType")
    ResourcePage = apps.get_model("resources", "ResourcePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    keys = {
        term.translation_key
        for term in ResourceType.objects.all()
        if term.name.strip().lower() in PRACTICE_TYPE_NAMES
    }
    ResourceType.objects.filter(translation_key__in=keys).update(is_practice_record=True)
    practice_type_ids = set(
        ResourceType.objects.filter(is_practice_record=True).values_list("pk", flat=True)
    )

    content_type = ContentType.objects.filter(app_label="resources", model="resourcepage").first()
    for page in ResourcePage.objects.all():
        is_practice_record = page.resource_type_id in practice_type_ids
        result = convert(raw(page.sections.raw_data), is_practice_record)
        if result is None:
            continue
        sections, practice_record = result
        page.sections = json.dumps(sections)
        if practice_record and not raw(page.practice_record.raw_data):
            page.practice_record = json.dumps(practice_record)
        page.save(update_fields=["sections", "practice_record"])
        if content_type is None:
            continue
        for revision in Revision.objects.filter(content_type=content_type, object_id=str(page.pk)):
            content = revision.content or {}
            result = convert(raw(content.get("sections")), is_practice_record)
            if result is None:
                continue
            content["sections"] = json.dumps(result[0])
            if result[1] and not raw(content.get("practice_record")):
                content["practice_record"] = json.dumps(result[1])
            revision.content = content
            revision.save(update_fields=["content"])


def key_document_rows(apps, schema_editor):
    ResourcePage = apps.get_model("resources", "ResourcePage")
    ResourceDocument = apps.get_model("resources", "ResourceDocument")
    pages = {
        page.pk: (page.translation_key, page.locale_id)
        for page in ResourcePage.objects.filter(
            pk__in=ResourceDocument.objects.values("resource_id")
        ).only("translation_key", "locale_id")
    }
    rows = list(ResourceDocument.objects.order_by("resource_id", "sort_order", "pk"))
    # Rows of the same resource in every language, by (page translation key, document, n-th use
    # of that document): a copy made by wagtail-localize has the same document in the same place.
    keys, seen = {}, {}
    for row in rows:
        page_key, locale_id = pages[row.resource_id]
        occurrence = seen.get((row.resource_id, row.document_id), 0)
        seen[(row.resource_id, row.document_id)] = occurrence + 1
        match = (page_key, row.document_id, occurrence)
        row.translation_key = keys.setdefault(match, uuid.uuid4())
        row.locale_id = locale_id
    ResourceDocument.objects.bulk_update(rows, ["translation_key", "locale"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0009_practice_record_and_document_titles"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(convert_pages, migrations.RunPython.noop),
        migrations.RunPython(key_document_rows, migrations.RunPython.noop),
    ]
