"""ngo_site.text: the one normaliser behind the site search's stems, the library's search text and
citation keys."""

import unicodedata

import pytest

from ngo_site import stemming
from ngo_site.text import fold, normalise, words
from resources import index


def test_fold_removes_accents_and_case():
    assert fold("Sécurité ÉCONOMIE") == "securite economie"
    assert fold("Ñúñez", keep_case=True) == "Nunez"
    assert fold(None) == ""
    # Compatibility forms are decomposed, then lower-cased: ligatures, superscripts.
    assert fold("ﬁnance ᴬ²") == "finance a2"


def test_words_and_normalise_drop_punctuation():
    assert words("L'Économie, c'est — ça !") == ["l", "economie", "c", "est", "ca"]
    assert normalise("  L'Économie !  ") == "l economie"
    assert index.normalise is normalise


def test_stemming_and_library_fold_the_same_way():
    assert stemming.stems("Sécurité des travailleuses", "fr") == stemming.stems(
        "securite des TRAVAILLEUSES", "fr"
    )
    assert stemming.stems("Économie", "xx") == normalise("Économie").split()


def test_citation_key_fold_is_the_old_ascii_fold():
    """The citation key's ASCII fold (NFKD, non-ASCII dropped, then only ASCII letters and digits
    kept) gives what fold(keep_case=True) then the same filter gives, for every character."""
    import re
    import sys

    def old(text):
        return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()

    # Every character, folded both ways in blocks of 4,096 rather than one call each. In a block
    # the characters are separated by a newline, which no character decomposes to and which
    # stops canonical reordering, so the piece between two newlines is one character's fold.
    codes = [code for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]
    characters = [chr(code) for code in codes if code != ord("\n")]
    keep = re.compile(r"[^A-Za-z0-9\n]")
    for start in range(0, len(characters), 4096):
        block = characters[start : start + 4096]
        before = keep.sub("", old("\n".join(block))).split("\n")
        after = keep.sub("", fold("\n".join(block), keep_case=True)).split("\n")
        assert len(before) == len(after) == len(block)
        differ = [hex(ord(char)) for char, b, a in zip(block, before, after, strict=True) if b != a]
        assert not differ, differ
    assert old("\n") == fold("\n", keep_case=True) == "\n"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("travailleur·euse·s domestiques", "travailleurs travailleuses domestiques"),
        ("vendeur.euse.s de rue", "vendeurs vendeuses de rue"),
        ("salarié(e)s", "salaries salariees"),
        ("acteur·rice·s", "acteurs actrices"),
        ("ouvrier·ère·s", "ouvriers ouvrieres"),
        ("citoyen·ne", "citoyen citoyenne"),
        ("tous·tes", "tous toutes"),
        # Full stops that are not inclusive writing stay word breaks.
        ("e.g. the U.S. economy", "e g the u s economy"),
        ("www.example.org", "www example org"),
    ],
)
def test_french_inclusive_writing_is_read_as_both_words(written, read):
    assert normalise(written) == read
