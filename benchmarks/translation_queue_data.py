"""Many queue items at once, with bulk inserts, for the query-count test
(tests/localisation/test_translation_queue_actions.py) and the benchmark
(`python -m benchmarks translation_queue`). Never used by the site itself.

Items are plain Wagtail pages below a parent (no specific page type: the queue reads only the
base page's columns) with the wagtail-localize records that a real translation has: the
TranslatableObject, its TranslationSource, a Translation, the translated page, segments, strings
and translated strings. Statuses cycle through missing, in progress, published, ready for review
and outdated, so every branch of the row building runs.
"""

import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page
from wagtail_localize.models import (
    String,
    StringSegment,
    StringTranslation,
    TranslatableObject,
    Translation,
    TranslationContext,
    TranslationSource,
)

from ngo_site.translation_queue.entries import refresh_entries
from ngo_site.translation_queue.models import SourceChange, TranslationAssignment

SEGMENTS_PER_ITEM = 4
CYCLE = ("missing", "in_progress", "published", "ready_for_review", "outdated")
BATCH = 500


@dataclass
class Created:
    items: int
    statuses: dict


def _bulk_pages(parent, specs):
    """Append pages below `parent` by computing their tree paths (no per-page add_child)."""
    parent = Page.objects.get(pk=parent.pk)
    content_type = ContentType.objects.get_for_model(Page)
    start = parent.numchild
    pages = []
    for step, spec in enumerate(specs, start=start + 1):
        pages.append(
            Page(
                path=Page._get_path(parent.path, parent.depth + 1, step),
                depth=parent.depth + 1,
                numchild=0,
                content_type=content_type,
                url_path=f"{parent.url_path}{spec['slug']}/",
                draft_title=spec["title"],
                **spec,
            )
        )
    Page.objects.bulk_create(pages, batch_size=BATCH)
    Page.objects.filter(pk=parent.pk).update(numchild=start + len(pages))


def create_queue_items(count, *, source_parent, target_parent, assignee=None, prefix="Item"):
    """`count` source pages below `source_parent` and their translations below
    `target_parent` (a page of the target locale), in a fixed number of bulk inserts."""
    source_locale, target_locale = source_parent.locale, target_parent.locale
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Page)
    statuses = [CYCLE[index % len(CYCLE)] for index in range(count)]
    keys = [uuid.uuid4() for _index in range(count)]
    run = uuid.uuid4().hex[:8]

    _bulk_pages(
        source_parent,
        [
            {
                "title": f"{prefix} {index}",
                "slug": f"{prefix.lower()}-{run}-{index}",
                "locale_id": source_locale.pk,
                "translation_key": key,
                "live": True,
                "has_unpublished_changes": False,
                "first_published_at": now,
                "last_published_at": now,
            }
            for index, key in enumerate(keys)
        ],
    )
    translated = [index for index, status in enumerate(statuses) if status != "missing"]
    _bulk_pages(
        target_parent,
        [
            {
                "title": f"{prefix} {index} (fr)",
                "slug": f"{prefix.lower()}-{run}-{index}",
                "locale_id": target_locale.pk,
                "translation_key": keys[index],
                "live": statuses[index] != "ready_for_review",
                "has_unpublished_changes": statuses[index] == "ready_for_review",
                "first_published_at": now,
                "last_published_at": now,
            }
            for index in translated
        ],
    )
    TranslatableObject.objects.bulk_create(
        [
            TranslatableObject(translation_key=keys[i], content_type=content_type)
            for i in translated
        ],
        batch_size=BATCH,
    )
    sources = TranslationSource.objects.bulk_create(
        [
            TranslationSource(
                object_id=keys[i],
                specific_content_type=content_type,
                locale=source_locale,
                object_repr=f"{prefix} {i}",
                content_json="{}",
                last_updated_at=now,
            )
            for i in translated
        ],
        batch_size=BATCH,
    )
    Translation.objects.bulk_create(
        [Translation(source=source, target_locale=target_locale) for source in sources],
        batch_size=BATCH,
    )
    contexts, strings = [], []
    for i in translated:
        for n in range(SEGMENTS_PER_ITEM):
            path = f"body.{uuid.uuid5(keys[i], str(n))}"
            contexts.append(
                TranslationContext(
                    object_id=keys[i],
                    path=path,
                    path_id=TranslationContext._get_path_id(path),
                    field_path="body.paragraph",
                )
            )
            text = f"Paragraph {n} of {prefix.lower()} {i} ({run}), a few words to translate."
            strings.append(
                String(locale=source_locale, data=text, data_hash=String._get_data_hash(text))
            )
    contexts = TranslationContext.objects.bulk_create(contexts, batch_size=BATCH)
    strings = String.objects.bulk_create(strings, batch_size=BATCH)
    segments, string_translations = [], []
    for position, i in enumerate(translated):
        source = sources[position]
        done = SEGMENTS_PER_ITEM // 2 if statuses[i] == "in_progress" else SEGMENTS_PER_ITEM
        for n in range(SEGMENTS_PER_ITEM):
            index = position * SEGMENTS_PER_ITEM + n
            segments.append(
                StringSegment(
                    source=source, context=contexts[index], order=n, string=strings[index]
                )
            )
            if n < done:
                string_translations.append(
                    StringTranslation(
                        translation_of=strings[index],
                        locale=target_locale,
                        context=contexts[index],
                        data=f"FR {strings[index].data}",
                        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                    )
                )
    StringSegment.objects.bulk_create(segments, batch_size=BATCH)
    StringTranslation.objects.bulk_create(string_translations, batch_size=BATCH)
    SourceChange.objects.bulk_create(
        [
            SourceChange(
                translation_key=keys[i],
                source_locale=source_locale,
                source_updated_at=now,
                detected_at=now,
                changed_segments=[{"path": "body.x", "text": "New words here.", "previous": None}],
                words_changed=3,
            )
            for i in translated
            if statuses[i] == "outdated"
        ],
        batch_size=BATCH,
    )
    if assignee is not None:
        TranslationAssignment.objects.bulk_create(
            [
                TranslationAssignment(
                    translation_key=key, target_locale=target_locale, assignee=assignee
                )
                for key in keys[::3]
            ],
            batch_size=BATCH,
        )
    # Bulk inserts send no signals: the queue's stored rows of the new items are computed here.
    refresh_entries(keys)
    return Created(items=count, statuses={s: statuses.count(s) for s in CYCLE})
