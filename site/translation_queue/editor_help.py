"""The "Help for this translation" panel of wagtail-localize's editor: for each segment that
needs work (translation_queue.suggestions), its previous translation, the word diff of its
source change, translation-memory matches and the approved glossary terms it contains; and the
reviewers' comments on the translation's segments.

A fixed number of queries whatever the number of segments: the suggestions' three, one for
translation-memory candidates, one for the glossary, one for the comments and one for the
segments a comment can be attached to.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Length
from django.utils.html import strip_tags
from wagtail_localize.models import StringSegment, StringTranslation
from wagtail_localize.views.edit_translation import TabHelper

from ngo_site.roles import editable_languages, may_approve
from ngo_site.text import normalise

from .models import GlossaryTerm, SegmentComment
from .suggestions import segment_suggestions
from .word_diff import word_diff

# Matches below this similarity are not worth a translator's time.
MEMORY_THRESHOLD = 0.7
MEMORY_MATCHES_SHOWN = 3
# The most recent translations read as candidates: the database narrows them by shared words and
# length first, so this only bounds a pathological page.
MEMORY_CANDIDATES = 2000
# Words shorter than this are too common to narrow the candidates ("the", "and", "des").
KEYWORD_LENGTH = 4
KEYWORDS_PER_SEGMENT = 3
_WORD = re.compile(r"\w+")


@dataclass
class MemoryMatch:
    source: str
    translation: str
    similarity: int  # percent
    exact: bool


@dataclass
class HelpEntry:
    path: str
    source_now: str
    source_before: str | None
    previous_translation: str | None
    diff: list = field(default_factory=list)
    memory: list = field(default_factory=list)
    glossary: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    # False when wagtail-localize's editor does not show the segment (its field has no panel):
    # the entry then stays in the panel, and help_beside_segments.js does not count it.
    in_editor: bool = True


def editor_order(instance):
    """A function of a segment's path giving its place in wagtail-localize's editor, or None
    when the editor does not show it. The editor lists segments by their field's place in the
    edit panels, tab after tab, then in the source's order (its view sorts them by its
    `TabHelper`'s field order, then by segment order), and leaves out the fields without a
    panel."""
    helper = TabHelper(instance)

    def place(path):
        try:
            return helper.get_field_order(path.split(".")[0])
        except KeyError:
            return None

    return place


def may_comment(user, locale):
    """Reviewers (moderators and administrators) comment on translations into the languages
    they may change."""
    return may_approve(user) and locale.language_code in editable_languages(user)


def may_resolve(user, locale):
    """Whoever may change the language (its translators too) marks a comment as dealt with."""
    return locale.language_code in editable_languages(user)


def may_edit_comment(user, comment):
    """The reviewers of the comment's language, and its author while they may still change
    that language, edit a comment's text."""
    if may_comment(user, comment.target_locale):
        return True
    return (
        comment.author_id is not None
        and comment.author_id == user.pk
        and may_resolve(user, comment.target_locale)
    )


def _keywords(text):
    words = sorted(set(_WORD.findall(strip_tags(text))), key=len, reverse=True)
    long_words = [word for word in words if len(word) >= KEYWORD_LENGTH]
    return (long_words or words)[:KEYWORDS_PER_SEGMENT]


def memory_matches(texts, target_locale, exclude=None):
    """{text: [MemoryMatch]} for each source text: earlier translations into `target_locale`
    of similar source strings, exact matches first, then by similarity. One query.

    `exclude`: {text: {(translation key, segment path)}}, segments whose translations are not
    offered for that text (the previous translation of the segment itself, shown on its
    own)."""
    exclude = exclude or {}
    texts = [text for text in dict.fromkeys(texts) if strip_tags(text).strip()]
    if not texts:
        return {}
    keywords = {text: _keywords(text) for text in texts}
    if not any(keywords.values()):
        return {}
    shared_word = Q()
    for words in keywords.values():
        for word in words:
            shared_word |= Q(translation_of__data__icontains=word)
    lengths = [len(text) for text in texts]
    candidates = (
        StringTranslation.objects.filter(shared_word, locale=target_locale, has_error=False)
        .exclude(data="")
        .annotate(source_length=Length("translation_of__data"))
        .filter(source_length__gte=min(lengths) // 2, source_length__lte=max(lengths) * 2)
        .order_by("-updated_at", "-pk")
        .values_list("translation_of__data", "data", "context__object_id", "context__path")
    )[:MEMORY_CANDIDATES]
    candidates = [
        (source, translation, normalise(strip_tags(source)), (str(key), path))
        for source, translation, key, path in candidates
    ]
    found = {}
    for text in texts:
        wanted = normalise(strip_tags(text))
        folded_keywords = [normalise(word) for word in keywords[text]]
        matches, seen, excluded = [], set(), exclude.get(text, ())
        for source, translation, folded, segment in candidates:
            if (folded, translation) in seen or segment in excluded:
                continue
            if folded == wanted:
                similarity, exact = 1.0, True
            else:
                if not any(word in folded for word in folded_keywords):
                    continue
                matcher = difflib.SequenceMatcher(None, wanted, folded, autojunk=False)
                if matcher.real_quick_ratio() < MEMORY_THRESHOLD:
                    continue
                if matcher.quick_ratio() < MEMORY_THRESHOLD:
                    continue
                similarity, exact = matcher.ratio(), False
                if similarity < MEMORY_THRESHOLD:
                    continue
            seen.add((folded, translation))
            matches.append(MemoryMatch(source, translation, round(similarity * 100), exact))
        # Candidates come newest first and the sort is stable: equal matches keep that order.
        matches.sort(key=lambda match: (not match.exact, -match.similarity))
        found[text] = matches[:MEMORY_MATCHES_SHOWN]
    return found


def glossary_terms_in(texts, target_locale):
    """{text: [GlossaryTerm]}: the approved terms of the language each text contains, as whole
    words, case and accents ignored. One query."""
    terms = list(
        GlossaryTerm.objects.filter(
            locale=target_locale, status=GlossaryTerm.Status.APPROVED
        ).exclude(normalised_term="")
    )
    found = {}
    for text in texts:
        words = f" {normalise(strip_tags(text))} "
        found[text] = [term for term in terms if f" {term.normalised_term} " in words]
    return found


def editor_help(translation, user, instance=None):
    """What the panel shows for a wagtail-localize Translation, for this user. With the
    translated `instance`, the entries are in the order of wagtail-localize's editor (the
    Promote tab's after the Content tab's), in which help_beside_segments.js pairs the n-th
    entry of a source text with the n-th segment of that text."""
    source = translation.source
    target_locale = translation.target_locale
    key = source.object_id
    suggestions = segment_suggestions(key, source.locale, target_locale)
    texts = [suggestion.source_now for suggestion in suggestions if suggestion.source_now]
    own_segments = {}
    for suggestion in suggestions:
        own_segments.setdefault(suggestion.source_now, set()).add((str(key), suggestion.path))
    memory = memory_matches(texts, target_locale, exclude=own_segments)
    glossary = glossary_terms_in(texts, target_locale)
    comments = list(
        SegmentComment.objects.filter(translation_key=key, target_locale=target_locale)
        .select_related("author")
        .order_by("resolved_at", "created_at", "pk")
    )
    entries = []
    for suggestion in suggestions:
        now = suggestion.source_now or ""
        entries.append(
            HelpEntry(
                path=suggestion.path,
                source_now=now,
                source_before=suggestion.source_before,
                previous_translation=suggestion.previous_translation,
                diff=word_diff(suggestion.source_before, now)
                if suggestion.source_before is not None and suggestion.source_before != now
                else [],
                memory=memory.get(now, []),
                glossary=glossary.get(now, []),
                comments=[
                    comment
                    for comment in comments
                    if comment.segment_path == suggestion.path and comment.resolved_at is None
                ],
            )
        )
    if instance is not None:
        place = editor_order(instance)
        places = [place(entry.path) for entry in entries]
        for entry, found in zip(entries, places, strict=True):
            entry.in_editor = found is not None
        order = sorted(
            range(len(entries)),
            key=lambda index: (places[index] is None, places[index] or 0, index),
        )
        entries = [entries[index] for index in order]
    shown_with_entries = {id(comment) for entry in entries for comment in entry.comments}
    can_comment = may_comment(user, target_locale)
    can_resolve = may_resolve(user, target_locale)
    segments = []
    if can_comment:
        segments = [
            (pk, strip_tags(data))
            for pk, data in StringSegment.objects.filter(source=source)
            .order_by("order")
            .values_list("pk", "string__data")
        ]
    return {
        "entries": entries,
        "other_comments": [c for c in comments if id(c) not in shown_with_entries],
        "open_comments": sum(1 for comment in comments if comment.resolved_at is None),
        "can_comment": can_comment,
        "can_resolve": can_resolve,
        # may_edit_comment's rule, with the user's roles read once.
        "editable_comments": {
            comment.pk
            for comment in comments
            if can_comment or (can_resolve and comment.author_id == user.pk)
        },
        "segments": segments,
    }
