"""The site's one text normaliser: what search text, search queries and citation keys are reduced
to, so that "securite" finds "Sécurité" in the site search (ngo_site.stemming) and in the library
(resources.index), and an author "Ñúñez" gives the citation key "Nunez2024_12".

Accents are removed by Unicode compatibility decomposition (NFKD) without the combining marks:
"é" -> "e", "ﬁ" -> "fi", "²" -> "2"; letters with no decomposition ("ø", "ł", "ß", other scripts)
stay as they are.
"""

import re
import unicodedata

WORD = re.compile(r"\w+")


def fold(text, *, keep_case=False):
    """`text` without accents, in lower case unless `keep_case`: "Sécurité" -> "securite"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped if keep_case else stripped.lower()


def words(text):
    """The words of `text` folded (lower case, no accents), punctuation dropped, in order."""
    return WORD.findall(fold(text))


def normalise(text):
    """`text` folded, its words joined by single spaces: "L'Économie !" -> "l economie"."""
    return " ".join(words(text))
