""" "Cite this": APA (7th edition style), BibTeX and RIS for a resource.

Authors are stored as editors type them: a person as "Family, G." (or "Family, Given"), an
organisation as its name. Each function takes the resource's `authors` when the caller has read
them already (the resource page formats all three styles from one read), else reads them."""

import re

from ngo_site.text import fold

BIBTEX_TYPES = {"BOOK": "book", "RPRT": "techreport"}


def _citation_type(resource):
    return resource.resource_type.citation_type if resource.resource_type_id else "GEN"


def _year(resource):
    return str(resource.publication_date.year) if resource.publication_date else ""


def _authors(resource, authors=None):
    authors = resource.authors.all() if authors is None else authors
    return [author.name.strip() for author in authors if author.name.strip()]


def _link(resource, url):
    if resource.doi:
        return f"https://doi.org/{resource.doi}"
    return resource.external_url or url


def apa(resource, url, publisher_fallback="", authors=None):
    """Authors (Year). Title. Publisher. Link — as plain text."""
    authors = _authors(resource, authors)
    if len(authors) > 1:
        names = ", ".join(authors[:-1]) + ", & " + authors[-1]
    else:
        names = authors[0] if authors else ""
    year = f"({_year(resource) or 'n.d.'})."
    title = resource.title.rstrip(".")
    # A title ending with ? or ! keeps it instead of taking a full stop.
    title_end = "" if title.endswith(("?", "!")) else "."
    publisher = resource.publisher or publisher_fallback
    parts = [f"{names} {year}" if names else f"{title}{title_end} {year}"]
    if names:
        parts.append(f"{title}{title_end}")
    if resource.series:
        parts.append(f"{resource.series}.")
    if publisher and publisher != names:
        parts.append(f"{publisher}.")
    parts.append(_link(resource, url))
    return " ".join(parts)


def _bibtex_escape(text):
    text = text.replace("\\", " ").replace("{", "(").replace("}", ")")
    return re.sub(r"([&%$#_])", r"\\\1", text)


def citation_key(resource, authors=None):
    return _key(resource, _authors(resource, authors))


def _key(resource, names):
    """The citation key from the cleaned author `names`."""
    first = names[0].split(",")[0] if names else resource.title
    # Accents removed ("Ñúñez" -> "Nunez"), then anything not an ASCII letter or digit.
    word = re.sub(r"[^A-Za-z0-9]", "", fold(first, keep_case=True))[:20] or "resource"
    return f"{word}{_year(resource) or 'nd'}_{resource.pk}"


def bibtex(resource, url, publisher_fallback="", authors=None):
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
    fields.append(("url", resource.external_url or url))
    body = ",\n".join(
        f"  {name} = {{{value if name == 'author' else _bibtex_escape(value)}}}"
        for name, value in fields
    )
    return f"@{entry_type}{{{_key(resource, authors)},\n{body}\n}}\n"


def ris(resource, url, publisher_fallback="", authors=None):
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
    lines.append(("UR", resource.external_url or url))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(str(value).split())}\r\n" for tag, value in lines)
