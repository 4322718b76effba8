"""Nothing is lost when an English segment changes: the French of its previous text is offered
as a suggestion for the new text.

wagtail-localize keys a French string by (English string, segment context, locale). When a
paragraph's English changes, its context (the block's path) stays and the old French stays in
the database under the old English string; the new English has no French yet. Before a sync,
the SourceChange of the item says which segments changed and from what; after a sync the
segments still waiting for French are the candidates. Either way the suggestion is the latest
French written in the same context for another English text.
"""

from dataclasses import dataclass

from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from .models import SourceChange


@dataclass
class SegmentSuggestion:
    path: str
    source_now: str
    source_before: str | None
    previous_translation: str | None


def _wanted_segments(translation_key, source, target_locale):
    """[(path, new source text, previous source text or None)] of the segments to translate."""
    change = SourceChange.objects.filter(
        translation_key=translation_key, source_locale_id=source.locale_id
    ).first()
    if change is not None and change.source_updated_at == source.last_updated_at:
        return [
            (item["path"], item["text"], item["previous"])
            for item in change.changed_segments
            if item.get("kind", "changed") == "changed"
        ]
    translated = set(
        StringTranslation.objects.filter(
            context__object_id=translation_key, locale=target_locale, has_error=False
        ).values_list("translation_of_id", "context_id")
    )
    return [
        (path, data, None)
        for string_id, context_id, path, data in StringSegment.objects.filter(source=source)
        .order_by("order")
        .values_list("string_id", "context_id", "context__path", "string__data")
        if (string_id, context_id) not in translated
    ]


def segment_suggestions(translation_key, source_locale, target_locale):
    """The changed or untranslated segments of an item, each with the previous French of its
    context when there is one. Three queries whatever the number of segments."""
    source = TranslationSource.objects.filter(
        object_id=translation_key, locale=source_locale
    ).first()
    if source is None:
        return []
    wanted = _wanted_segments(translation_key, source, target_locale)
    if not wanted:
        return []
    earlier = {}
    for path, source_text, translation in (
        StringTranslation.objects.filter(
            context__object_id=translation_key,
            context__path__in=[path for path, _text, _before in wanted],
            locale=target_locale,
            has_error=False,
        )
        .order_by("-updated_at", "-pk")
        .values_list("context__path", "translation_of__data", "data")
    ):
        earlier.setdefault(path, []).append((source_text, translation))
    suggestions = []
    for path, now, before in wanted:
        candidates = [item for item in earlier.get(path, []) if item[0] != now]
        # Prefer the French of exactly the text that was replaced, else the latest one.
        exact = [item for item in candidates if before is not None and item[0] == before]
        chosen = (exact or candidates or [(before, None)])[0]
        suggestions.append(
            SegmentSuggestion(
                path=path,
                source_now=now,
                source_before=before if before is not None else chosen[0],
                previous_translation=chosen[1],
            )
        )
    return suggestions
