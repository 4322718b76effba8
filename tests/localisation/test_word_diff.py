"""The words to translate (translation_queue.word_diff, docs/localisation.md, "Words to
translate"): what counts as a word, what counts as a change, and how the untranslated segments
of one place are paired with the texts translated there before."""

import itertools
import random

import pytest

from ngo_site.translation_queue.signals import words_to_translate_after_sync
from ngo_site.translation_queue.word_diff import (
    ADDED,
    REMOVED,
    best_pairing,
    word_count,
    word_diff,
    words_left,
    words_to_translate,
)

pytestmark = pytest.mark.one_database


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Punctuation standing alone is not a word: a dash, French quotes and spaced « ! ».
        ("Cities — and towns : « yes » !", 4),
        ("Il dit : « oui » !", 3),
        # An elided word and its word are one word, whatever the apostrophe.
        ("l’eau et l'air", 3),
        # A number is a word.
        ("In 2025, 30 cities joined.", 5),
        # Markup: a line break separates words, inline tags do not, entities are characters.
        ("Line one<br/>Line two", 4),
        ('<a id="a1">Read</a> <b>more</b>', 2),
        ("H<sub>2</sub>O", 1),
        ("Cities &amp; towns", 2),
        ("", 0),
        (None, 0),
    ],
)
def test_what_counts_as_a_word(text, words):
    assert word_count(text) == words


@pytest.mark.parametrize(
    ("before", "now", "words"),
    [
        # Punctuation-only changes add no word.
        ("Cities decide.", "Cities decide!", 0),
        ("Cities decide.", "Cities decide", 0),
        ("Markets – open", "Markets — open", 0),
        # The apostrophe's form is not a change; a changed case or accent is.
        ("Côte d'Ivoire and the workers' rights", "Côte d’Ivoire and the workers’ rights", 0),
        ("l'eau", "L’eau", 1),
        ("cafe", "café", 1),
        # Number-only changes: the number is the changed word.
        ("In 2024, 30 cities joined.", "In 2025, 30 cities joined.", 1),
        ("one two three", "one 2 three", 1),
        # An empty or markup-only previous text: every word is new.
        ("", "Markets open early.", 3),
        ("<br/>", "Markets open early.", 3),
        (None, "Markets open early.", 3),
        # Markup changes alone add no word.
        ("Read more", '<a id="a1">Read</a> more', 0),
        ("Cities and towns", "Cities &amp; towns", 0),  # "and" went; "&" is not a word
    ],
)
def test_words_to_translate_of_a_change(before, now, words):
    assert words_to_translate(before, now) == words


def test_the_diff_shows_punctuation_and_entities_as_written():
    assert [(c.kind, c.text) for c in word_diff("Cities decide.", "Cities decide!")] == [
        ("same", "Cities"),
        (REMOVED, "decide."),
        (ADDED, "decide!"),
    ]
    changes = word_diff("Cities and towns", "Cities &amp; <b>towns</b>")
    assert [(c.kind, c.text) for c in changes] == [
        ("same", "Cities"),
        (REMOVED, "and"),
        (ADDED, "&"),
        ("same", "towns"),
    ]


def test_each_earlier_text_stands_for_the_segment_it_saves_most_words_overall():
    """Two paragraphs of one rich-text block, "Vendors sell fruit." and "Markets open early.",
    were merged into "Vendors sell fruit. Markets open." and "Vendors sell apples." was added.
    Pairing the merged paragraph with its closest earlier text ("Vendors sell fruit.", 3 words
    saved) would leave "Vendors sell apples." unpaired (3 words): 5 words. Pairing it with
    "Markets open early." (2 saved) and the new one with "Vendors sell fruit." (2 saved)
    leaves 4."""
    untranslated = ["Vendors sell fruit. Markets open.", "Vendors sell apples."]
    earlier = ["Vendors sell fruit.", "Markets open early."]
    assert words_left(untranslated, earlier) == 4
    assert words_left(untranslated, list(reversed(earlier))) == 4
    assert words_left(list(reversed(untranslated)), earlier) == 4


def test_closest_earlier_text_among_several():
    # Each earlier text stands for one segment at most: the second "Cities vote" counts all.
    assert words_left(["Cities vote today."], ["Cities decide.", "Cities vote."]) == 1
    assert words_left(["Cities vote today.", "Cities vote."], ["Cities vote."]) == 3
    # Texts sharing no word are never paired.
    assert words_left(["Markets open early."], ["Cities decide."]) == 3
    # No earlier text, or an empty one: all the words.
    assert words_left(["Markets open early."], []) == 3
    assert words_left(["Markets open early."], [""]) == 3
    assert words_left([], ["Cities decide."]) == 0


def test_best_pairing_is_the_greatest_total():
    chance = random.Random(27)
    for _ in range(300):
        rows, columns = chance.randint(1, 5), chance.randint(1, 5)
        saved = [[chance.randint(0, 9) for _ in range(columns)] for _ in range(rows)]
        pairs = best_pairing(saved)
        assert len({row for row, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
        if rows <= columns:
            best = max(
                sum(saved[row][column] for row, column in enumerate(chosen))
                for chosen in itertools.permutations(range(columns), rows)
            )
        else:
            best = max(
                sum(saved[row][column] for column, row in enumerate(chosen))
                for chosen in itertools.permutations(range(rows), columns)
            )
        assert sum(saved[row][column] for row, column in pairs) == best, saved


def segments(path, *texts):
    return [("string", path, text) for text in texts]


def test_before_a_sync_a_text_moved_within_its_place_keeps_its_translation():
    """As wagtail-localize's sync does: a rich-text block's paragraphs share their place, so a
    paragraph moved within the block keeps its translation; only the inserted one counts."""
    before = segments("body.a", "Vendors sell fruit.", "Cities decide.")
    moved = segments("body.a", "Markets open early.", "Cities decide.", "Vendors sell fruit.")
    assert words_to_translate_after_sync(before, moved) == 3
    # A paragraph moved to another block is translated again there (its place changed).
    elsewhere = segments("body.a", "Cities decide.") + segments("body.b", "Vendors sell fruit.")
    assert words_to_translate_after_sync(before, elsewhere) == 3
    # Images, links and documents are not words.
    assert words_to_translate_after_sync(before, [*before, ("overridable", "body.c", {})]) == 0
