"""Word-level differences between the previous and the new source text of a segment: what the
editor's help panel shows (removed and added words) and what the queue counts as words to
translate.

The text of a segment is its string without markup (wagtail-localize's rich-text segments keep
inline tags such as `<a id="a1">` and `<br/>`, and HTML entities such as `&amp;`): a line break
separates words, other tags do not, entities are read as their characters. Its tokens are the
whitespace-separated runs of that text. The diff shows every token as written.

What the queue counts are words: tokens with at least one letter or digit (a number is a word; a
dash, a French « or a lone ! is not). Two words are the same word when they differ only by the
punctuation around them or by the apostrophe's form (’ or '): "decide." → "decide!" and
"l'eau" → "l’eau" add no word to translate. A change of case or accents is a changed word. An
elided word and its word are one word ("l'eau", "don't"), as most word counts have it.
"""

import difflib
import html
import re
from dataclasses import dataclass

SAME, REMOVED, ADDED = "same", "removed", "added"

_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_WORD_CHARACTER = re.compile(r"\w")
_EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "′": "'"})


def source_words(text):
    """The tokens of a segment's text, markup taken out."""
    return html.unescape(_TAG.sub("", _LINE_BREAK.sub(" ", text or ""))).split()


def _words(text):
    """The words of a text as compared: punctuation around them and the apostrophe's form
    aside."""
    return [
        _EDGE_PUNCTUATION.sub("", token.translate(_APOSTROPHES))
        for token in source_words(text)
        if _WORD_CHARACTER.search(token)
    ]


def word_count(text):
    return len(_words(text))


@dataclass(frozen=True)
class WordChange:
    kind: str  # SAME, REMOVED or ADDED
    text: str  # the tokens, joined by single spaces


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
    (`before` is None), else those the word diff of their words adds."""
    new = _words(now)
    if before is None:
        return len(new)
    matcher = difflib.SequenceMatcher(None, _words(before), new, autojunk=False)
    return sum(
        j2 - j1 for operation, _i1, _i2, j1, j2 in matcher.get_opcodes() if operation != "equal"
    )


def best_pairing(saved):
    """The pairs (row, column) of the matrix `saved` (rows × columns of non-negative numbers),
    each row and each column used once at most, with the greatest total: the Hungarian
    algorithm (O(n²m) for n rows ≤ m columns)."""
    rows, columns = len(saved), len(saved[0]) if saved else 0
    if not rows or not columns:
        return []
    transposed = rows > columns
    if transposed:
        saved = [list(column) for column in zip(*saved, strict=True)]
        rows, columns = columns, rows
    top = max(max(row) for row in saved)
    cost = [[top - value for value in row] for row in saved]
    # Potentials u (rows) and v (columns), 1-based with column 0 as the free start.
    u, v = [0] * (rows + 1), [0] * (columns + 1)
    row_of = [0] * (columns + 1)  # row_of[j]: the row paired with column j (0: none)
    way = [0] * (columns + 1)
    for row in range(1, rows + 1):
        row_of[0] = row
        column = 0
        least = [float("inf")] * (columns + 1)
        used = [False] * (columns + 1)
        while True:
            used[column] = True
            current, delta, next_column = row_of[column], float("inf"), 0
            for j in range(1, columns + 1):
                if used[j]:
                    continue
                reduced = cost[current - 1][j - 1] - u[current] - v[j]
                if reduced < least[j]:
                    least[j], way[j] = reduced, column
                if least[j] < delta:
                    delta, next_column = least[j], j
            for j in range(columns + 1):
                if used[j]:
                    u[row_of[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            column = next_column
            if row_of[column] == 0:
                break
        while column:
            previous = way[column]
            row_of[column] = row_of[previous]
            column = previous
    pairs = [(row_of[j] - 1, j - 1) for j in range(1, columns + 1) if row_of[j]]
    if transposed:
        pairs = [(column, row) for row, column in pairs]
    return pairs


def words_left(untranslated, earlier):
    """The words to translate of the untranslated segment texts of one place (a field, a
    block: a wagtail-localize context), given the `earlier` texts translated in that place that
    it no longer has (what its segments said when they were last translated). Each earlier
    text stands for one untranslated segment at most, which then counts the words its word
    diff adds to that text; the others count all their words. The pairs are those that leave
    the fewest words to translate."""
    counts = [word_count(text) for text in untranslated]
    total = sum(counts)
    earlier = list(dict.fromkeys(earlier))
    if not untranslated or not earlier:
        return total
    saved = [
        [
            max(count - words_to_translate(previous, text), 0)
            if not set(_words(text)).isdisjoint(_words(previous))
            else 0
            for previous in earlier
        ]
        for text, count in zip(untranslated, counts, strict=True)
    ]
    return total - sum(saved[row][column] for row, column in best_pairing(saved))
