"""Word-level differences between the previous and the new source text of a segment: what the
editor's help panel shows (removed and added words) and what the queue counts as words to
translate (the added ones).

Words are the whitespace-separated tokens of the text without its markup (wagtail-localize's
rich-text segments keep inline tags such as `<a id="a1">`), compared as written: a word whose
case or accents changed is a changed word.
"""

import difflib
from dataclasses import dataclass

from django.utils.html import strip_tags

SAME, REMOVED, ADDED = "same", "removed", "added"


def source_words(text):
    return strip_tags(text or "").split()


@dataclass(frozen=True)
class WordChange:
    kind: str  # SAME, REMOVED or ADDED
    text: str  # the words, joined by single spaces


def word_diff(before, now):
    """[WordChange] turning `before` into `now`, in reading order (removed before added)."""
    old, new = source_words(before), source_words(now)
    changes = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            changes.append(WordChange(SAME, " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            changes.append(WordChange(REMOVED, " ".join(old[i1:i2])))
        if j2 > j1:
            changes.append(WordChange(ADDED, " ".join(new[j1:j2])))
    return changes


def words_to_translate(before, now):
    """The words of `now` a translator has to translate: all of them for a new segment
    (`before` is None), else those the word diff adds."""
    if before is None:
        return len(source_words(now))
    old, new = source_words(before), source_words(now)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return sum(
        j2 - j1 for operation, _i1, _i2, j1, j2 in matcher.get_opcodes() if operation != "equal"
    )
