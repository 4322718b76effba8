"""The practice record of a resource (ResourcePage.practice_record) as plain data: the fields of
PracticeRecordBlock and the StreamField value written from a record, in the form the block
stores it. Shared by the CSV import (resources/importer.py), which merges a file's practice_
columns into a resource's record, and the demo (resources/demo/library_content.py)."""

import uuid

PRACTICE_TEXT_FIELDS = (
    "objectives",
    "summary",
    "organisations",
    "partners",
    "benefit_and_impact",
    "lessons",
    "challenges",
    "done_differently",
    "recommendations",
    "additional_resources",
    "peer_review",
)
INNOVATION_FIELDS = ("catalysed", "sustainable", "scalable", "adapted")


def practice_record(record, related_pages=None):
    """The practice_record StreamField of a resource, every field of PracticeRecordBlock given
    (as the block stores it, so that the loader sees an unchanged record as unchanged). Related
    practices are slugs of resources; `related_pages` ({slug: page id}) resolves them, and until
    those resources exist (`None`) the record has none."""
    if not record:
        return []
    innovation = record.get("innovation") or {}
    value = {
        "practice_type": record["practice_type"],
        "start_date": record.get("start_date") and str(record["start_date"]),
        "end_date": record.get("end_date") and str(record["end_date"]),
        **{name: record.get(name) or "" for name in PRACTICE_TEXT_FIELDS},
        "innovation": {name: innovation.get(name) or "" for name in INNOVATION_FIELDS},
        "related_practices": [
            # Wagtail reads list items as {type, value, id} only with an id.
            {
                "type": "item",
                "value": related_pages[slug],
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, slug)),
            }
            for slug in record.get("related_practices", [])
            if related_pages is not None and slug in related_pages
        ],
    }
    return [{"type": "practice_record", "value": value}]
