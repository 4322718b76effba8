""" "Cite this": APA (7th edition style), BibTeX and RIS for a resource.

Authors are stored as editors type them: a person as "Family, G." (or "Family, Given"), an
organisation as its name. Each function takes the resource's `authors` when the caller has read
them already (the resource page formats all three styles from one read), else reads them.

`publisher_fallback` is the organisation's name (ngo_site.navigation.organisation_name): the
publisher, or a report's institution, when the resource names no other; APA also names it as the
author of a resource without authors (a group author). `url` is the page's absolute URL and
`pdf_url` the absolute URL of its PDF, if it has one (`citation_details`); `languages` the
ISO 639-1 codes of the languages the resource is written in."""

import re

from django.utils import translation

from ngo_site.text import fold

BIBTEX_TYPES = {"BOOK": "book", "RPRT": "techreport"}


def _citation_type(resource):
    return resource.resource_type.citation_type if resource.resource_type_id else "GEN"


def _year(resource):
    return str(resource.publication_date.year) if resource.publication_date else ""


def _authors(resource, authors=None):
    authors = resource.authors.all() if authors is None else authors
    return [author.name.strip() for author in authors if author.name.strip()]


def _languages(resource, languages=None):
    """The names, in English, of the languages the resource is written in ("English", "French"):
    what reference managers store and print."""
    from .models import RESOURCE_LANGUAGES

    codes = [row.language for row in resource.languages.all()] if languages is None else languages
    names = dict(RESOURCE_LANGUAGES)
    with translation.override("en"):
        return [str(names.get(code, code)) for code in codes]


def citation_details(resource, request, downloads=None):
    """{"url", "pdf_url", "publisher_fallback"} for the three styles, as seen from `request`:
    absolute URLs on the address the site is served on (ngo_site.addresses) and the
    organisation's name. `downloads`, the resource's documents when the caller has read them
    (resources.queries.resource_detail)."""
    from ngo_site.addresses import absolute_url
    from ngo_site.navigation import organisation_name

    if downloads is None:
        downloads = [row.document for row in resource.documents.select_related("document")]
    pdf = next((doc for doc in downloads if (doc.file_extension or "").lower() == "pdf"), None)
    return {
        "url": resource.get_full_url(request),
        "pdf_url": absolute_url(pdf.url, request) if pdf is not None else "",
        "publisher_fallback": organisation_name(request),
    }


def _person_apa(name):
    """A person's "Family, Given Names" as APA writes it, "Family, G. N." (hyphenated given names
    "Jean-Pierre" -> "J.-P."); initials already typed are kept. An organisation is unchanged."""
    family, comma, given = name.partition(",")
    if not comma:
        return name
    initials = []
    for part in given.split():
        pieces = [piece for piece in part.split("-") if piece]
        initials.append("-".join(f"{piece[0]}." for piece in pieces))
    return f"{family.strip()}, {' '.join(initials)}" if initials else family.strip()


def _with_full_stop(text):
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _link(resource, url):
    if resource.doi:
        return f"https://doi.org/{resource.doi}"
    return resource.external_url or url


def apa(resource, url, publisher_fallback="", authors=None, **_extra):
    """Authors. (Year). Title. Series. Publisher. Link — as plain text (APA 7).

    Persons as "Family, G."; a resource without authors has its publisher (the organisation by
    default) as group author, which is then not repeated as publisher ("WIEGO. (2021). Title.
    https://...")."""
    publisher = resource.publisher or publisher_fallback
    authors = [_person_apa(name) for name in _authors(resource, authors)]
    if not authors and publisher:
        authors = [publisher]
    if len(authors) > 1:
        names = ", ".join(authors[:-1]) + ", & " + authors[-1]
    else:
        names = authors[0] if authors else ""
    year = f"({_year(resource) or 'n.d.'})."
    # A title ending with ? or ! keeps it instead of taking a full stop.
    title = _with_full_stop(resource.title.strip().rstrip("."))
    parts = [f"{_with_full_stop(names)} {year}" if names else f"{title} {year}"]
    if names:
        parts.append(title)
    if resource.series:
        parts.append(_with_full_stop(resource.series))
    if publisher and publisher not in authors:
        parts.append(_with_full_stop(publisher))
    parts.append(_link(resource, url))
    return " ".join(parts)


def _bibtex_escape(text):
    text = text.replace("\\", " ").replace("{", "(").replace("}", ")")
    return re.sub(r"([&%$#_])", r"\\\1", text)


# Addresses are read verbatim (the url package): escaping their "_" or "%" would change them.
VERBATIM_FIELDS = ("url", "file", "doi")


def _bibtex_value(name, value):
    if name == "author":
        return value  # escaped name by name
    if name in VERBATIM_FIELDS:
        return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    return _bibtex_escape(value)


def citation_key(resource, authors=None):
    return _key(resource, _authors(resource, authors))


def _key(resource, names):
    """The citation key from the cleaned author `names`."""
    first = names[0].split(",")[0] if names else resource.title
    # Accents removed ("Ñúñez" -> "Nunez"), then anything not an ASCII letter or digit.
    word = re.sub(r"[^A-Za-z0-9]", "", fold(first, keep_case=True))[:20] or "resource"
    return f"{word}{_year(resource) or 'nd'}_{resource.pk}"


def bibtex(resource, url, publisher_fallback="", authors=None, languages=None, pdf_url=""):
    authors = _authors(resource, authors)
    entry_type = BIBTEX_TYPES.get(_citation_type(resource), "misc")
    fields = [("title", resource.title)]
    if authors:
        # An organisation (no "Family, Given" comma) is braced so it is not read as a person.
        names = [
            _bibtex_escape(name) if "," in name else "{" + _bibtex_escape(name) + "}"
            for name in authors
        ]
        fields.append(("author", " and ".join(names)))
    if _year(resource):
        fields.append(("year", _year(resource)))
    publisher = resource.publisher or publisher_fallback
    if publisher:
        # A technical report names its institution; other entries their publisher.
        fields.append(("institution" if entry_type == "techreport" else "publisher", publisher))
    for name, value in (
        ("series", resource.series),
        ("doi", resource.doi),
        ("isbn", resource.isbn),
    ):
        if value:
            fields.append((name, value))
    languages = _languages(resource, languages)
    if languages:
        fields.append(("language", " and ".join(languages)))
    fields.append(("url", resource.external_url or url))
    if pdf_url:
        # The PDF, as reference managers (Zotero, JabRef) read an attached file's location.
        fields.append(("file", pdf_url))
    body = ",\n".join(f"  {name} = {{{_bibtex_value(name, value)}}}" for name, value in fields)
    return f"@{entry_type}{{{_key(resource, authors)},\n{body}\n}}\n"


def ris(resource, url, publisher_fallback="", authors=None, languages=None, pdf_url=""):
    lines = [("TY", _citation_type(resource))]
    lines += [("AU", name) for name in _authors(resource, authors)]
    lines.append(("TI", resource.title))
    if resource.publication_date:
        lines.append(("PY", _year(resource)))
        lines.append(("DA", resource.publication_date.strftime("%Y/%m/%d")))
    for tag, value in (
        ("PB", resource.publisher or publisher_fallback),
        ("T3", resource.series),
        ("DO", resource.doi),
        ("SN", resource.isbn),
        ("AB", resource.summary),
    ):
        if value:
            lines.append((tag, value))
    languages = _languages(resource, languages)
    if languages:
        lines.append(("LA", ", ".join(languages)))
    lines.append(("UR", resource.external_url or url))
    if pdf_url:
        # "L1": the full text's file, as RIS names the link to a PDF.
        lines.append(("L1", pdf_url))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(str(value).split())}\r\n" for tag, value in lines)
