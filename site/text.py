"""The site's one text normaliser: what search text, search queries and citation keys are reduced
to, so that "securite" finds "Sécurité" in the site search (ngo_site.stemming) and in the library
(resources.index), and an author "Ñúñez" gives the citation key "Nunez2024_12".

Accents are removed by Unicode compatibility decomposition (NFKD) without the combining marks:
"é" -> "e", "ﬁ" -> "fi", "²" -> "2"; letters with no decomposition ("ø", "ł", "ß", other scripts)
stay as they are.

French inclusive writing is read as both of the words it stands for, so that a visitor typing
either form finds it: "travailleur·euse·s" -> "travailleurs travailleuses", "salarié(e)s" ->
"salariés salariées", "acteur.rice" -> "acteur actrice".
"""

import re
import unicodedata

WORD = re.compile(r"\w+")

# A word, a separator (middle dot, bullet, full stop or an opening parenthesis), the feminine
# ending, and an optional plural "s" after a second separator or the closing parenthesis. A full
# stop counts only before a feminine ending of French (not "e.g.", "U.S.").
INCLUSIVE = re.compile(
    r"(?P<base>[^\W\d_]{2,})"
    r"(?:[·•‧⋅](?P<dotted>[^\W\d_]{1,5})|\.(?P<stopped>[^\W\d_]{1,5})|\((?P<bracketed>[^\W\d_]{1,5})\))"
    r"(?:[·•‧⋅.]?(?P<plural>s)(?![^\W\d_]))?"
    r"(?![^\W\d_])"
)
FEMININE_ENDINGS = {"e", "euse", "rice", "trice", "ere", "ive", "ne", "le", "te", "se"}
# How a feminine ending (its accents removed) replaces the end of the masculine word.
FEMININE_FORMS = [
    ("teur", "trice"),
    ("teur", "rice"),
    ("eur", "euse"),
    ("eux", "euse"),
    ("ier", "iere"),
    ("er", "ere"),
    ("if", "ive"),
]


def _feminine(base, ending):
    for masculine_end, feminine_end in FEMININE_FORMS:
        if base.endswith(masculine_end) and feminine_end.endswith(ending):
            return base[: -len(masculine_end)] + feminine_end
    return base + ending


def _both_forms(match):
    ending = fold(match["dotted"] or match["stopped"] or match["bracketed"], keep_case=True)
    plural = ""
    if ending.endswith("s") and ending[:-1] in FEMININE_ENDINGS:
        ending, plural = ending[:-1], "s"
    if match["stopped"] and ending not in FEMININE_ENDINGS:
        return match[0]
    plural = plural or (match["plural"] or "")
    base = match["base"]
    if base.endswith("s") and plural:  # "tous·tes": "tous toutes"
        return f"{base} {_feminine(base[:-1], ending)}{plural}"
    return f"{base}{plural} {_feminine(base, ending)}{plural}"


def expand_inclusive_writing(text):
    """ "travailleur·euse·s" -> "travailleurs travailleuses" (see the module's docstring)."""
    return INCLUSIVE.sub(_both_forms, text)


def fold(text, *, keep_case=False):
    """`text` without accents, in lower case unless `keep_case`: "Sécurité" -> "securite"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped if keep_case else stripped.lower()


def words(text):
    """The words of `text` folded (lower case, no accents), punctuation dropped, in order."""
    return WORD.findall(fold(expand_inclusive_writing(text or "")))


def normalise(text):
    """`text` folded, its words joined by single spaces: "L'Économie !" -> "l economie"."""
    return " ".join(words(text))
