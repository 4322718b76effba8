"""Keeps the library's search tables (`ResourceSearchDocument`, `ResourceFacet` and, on
PostgreSQL, `ResourceTextVector`) in step with the live resources: rebuilt for a resource when it
is published, removed when it is unpublished.

Only live content is indexed, read from the database (not a draft in memory)."""

from django.conf import settings
from django.db import connection, transaction

# Lower case, accents removed, punctuation as spaces: what both the stored text and the words of
# a query are reduced to, so "Économie" finds "economie" and vice versa (the site's one normaliser).
from ngo_site.text import normalise

# PostgreSQL text search configuration per language of the site; others use "simple".
TEXT_SEARCH_CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "pt": "portuguese"}
# Bounds on what a document's extracted text adds to a resource's search text.
MAX_DOCUMENT_CHARS = 200_000
FACETS = ("type", "programme", "theme", "region", "language", "year")
# SQLite's full-text table over ResourceSearchDocument.text, kept in step by triggers (migration
# resources 0008).
FTS_TABLE = "resources_search_fts"


def text_search_config(language_code):
    return TEXT_SEARCH_CONFIGS.get((language_code or "").split("-")[0], "simple")


def _stream_text(value):
    try:
        return " ".join(str(part) for part in value.stream_block.get_searchable_content(value))
    except (AttributeError, TypeError):
        return ""


def resource_queryset():
    from .models import ResourcePage

    return ResourcePage.objects.select_related("resource_type", "locale").prefetch_related(
        "authors",
        "languages",
        "programme_links__programme",
        "theme_links__theme",
        "region_links__region",
        "documents__document",
    )


def _facet_values(resource):
    if resource.resource_type_id:
        yield "type", str(resource.resource_type.translation_key)
    for link in resource.programme_links.all():
        yield "programme", str(link.programme.translation_key)
    for link in resource.theme_links.all():
        yield "theme", str(link.theme.translation_key)
    for link in resource.region_links.all():
        yield "region", str(link.region.translation_key)
    for row in resource.languages.all():
        yield "language", row.language
    if resource.publication_date:
        yield "year", str(resource.publication_date.year)


def _search_text(resource):
    parts = [resource.title, resource.summary, _stream_text(resource.body)]
    parts.append(_stream_text(resource.sections))
    parts.append(_stream_text(resource.practice_record))
    parts += [author.name for author in resource.authors.all()]
    if resource.resource_type_id:
        parts.append(resource.resource_type.name)
    parts += [link.theme.name for link in resource.theme_links.all()]
    parts += [link.region.name for link in resource.region_links.all()]
    parts += [link.programme.title for link in resource.programme_links.all()]
    parts += [resource.publisher, resource.series]
    for row in resource.documents.all():
        parts += [row.title, row.document.title]
    parts.append(_download_text(resource))
    return " " + normalise(" ".join(part for part in parts if part)) + " "


def _download_text(resource):
    """The extracted text of the resource's downloads (also part of `_search_text`)."""
    return " ".join(
        row.document.extracted_text[:MAX_DOCUMENT_CHARS]
        for row in resource.documents.all()
        if row.document.extracted_text
    )


def _download_languages(resource):
    """The languages of the site the resource itself is in, other than its page's: a French
    report listed on the English site. Its downloads' text is stemmed in each of them too,
    besides the page's language; the search tries every site language's stems of a query's
    words (resources/search.py)."""
    site_languages = {code for code, _name in settings.LANGUAGES}
    own = {row.language for row in resource.languages.all()}
    return sorted(own & site_languages - {resource.locale.language_code})


def _with_stems(text, language_code, downloads=()):
    """On SQLite, `text` followed by the Snowball stems (ngo_site.stemming) of its words in the
    resource's language that differ from the words themselves, once each, and those of the
    `downloads` text in each of their other languages ((language code, text) pairs): the FTS5
    table then finds "travailleuses" for "travailleuse" (resources/search.py). PostgreSQL stems
    with its own text-search configurations instead (`_update_vectors`), and its text is left
    as it is."""
    if connection.vendor != "sqlite":
        return text
    from ngo_site import stemming

    words = set(text.split())
    stems = set(stemming.stems(text, language_code))
    for download_language, download_text in downloads:
        stems.update(stemming.stems(download_text, download_language))
    stems = sorted(stems - words)
    return text + " ".join(stems) + " " if stems else text


def _downloads_in_other_languages(resource):
    """[(language code, normalised text)] of the resource's downloads in the languages of
    `_download_languages`; empty when it has no download text."""
    languages = _download_languages(resource)
    text = normalise(_download_text(resource)) if languages else ""
    return [(language, text) for language in languages] if text else []


def index_resources(resources):
    """(Re)build the rows of `resources` (ResourcePage objects or a queryset): live ones are
    indexed, others removed. A few queries for any number of resources."""
    from .models import ResourceFacet, ResourceSearchDocument, ResourceTextVector

    ids = [resource.pk for resource in resources]
    fresh = list(resource_queryset().filter(pk__in=ids, live=True))
    parents = _parent_ids(fresh)
    documents, facets = [], []
    # {resource id: its downloads' text in other languages than its page's}
    downloads_elsewhere = {}
    for resource in fresh:
        downloads_elsewhere[resource.pk] = _downloads_in_other_languages(resource)
        documents.append(
            ResourceSearchDocument(
                resource_id=resource.pk,
                library_id=parents[resource.path[: -resource.steplen]],
                locale_id=resource.locale_id,
                title_sort=normalise(resource.title)[:255],
                publication_date=resource.publication_date,
                first_published_at=resource.first_published_at,
                text=_with_stems(
                    _search_text(resource),
                    resource.locale.language_code,
                    downloads_elsewhere[resource.pk],
                ),
            )
        )
        facets += [
            ResourceFacet(
                resource_id=resource.pk,
                library_id=documents[-1].library_id,
                facet=facet,
                value=value,
            )
            for facet, value in set(_facet_values(resource))
        ]
    with transaction.atomic():
        ResourceFacet.objects.filter(resource_id__in=ids).delete()
        ResourceSearchDocument.objects.filter(resource_id__in=ids).delete()
        ResourceSearchDocument.objects.bulk_create(documents, batch_size=500)
        ResourceFacet.objects.bulk_create(facets, batch_size=1000)
        if connection.vendor == "postgresql":
            ResourceTextVector.objects.filter(resource_id__in=ids).delete()
            if fresh:
                _update_vectors(fresh, downloads_elsewhere)
    _search_tables_changed()


def _search_tables_changed():
    """The library keeps what it counts with per content generation (resources/search.py):
    start a new one, as publishing does, also when the tables are rebuilt without publishing
    (a document's new text, an import, the benchmark's generator)."""
    from ngo_site.page_cache import clear_now_and_on_commit

    clear_now_and_on_commit()


def _parent_ids(resources):
    from wagtail.models import Page

    paths = {resource.path[: -resource.steplen] for resource in resources}
    return dict(Page.objects.filter(path__in=paths).values_list("path", "pk"))


def _update_vectors(resources, downloads_elsewhere):
    """On PostgreSQL: each document's vectors (`ResourceTextVector`), built with its language's
    configuration: the whole text, the title and summary (weighted A and B), the title alone;
    the whole text's vector also has the text of `downloads_elsewhere` ({resource id:
    [(language code, text)]}, `_downloads_in_other_languages`) stemmed in each such language.
    The documents' rows must be written already (their text is read here), and the resources'
    old vectors deleted."""
    from .models import ResourceSearchDocument, ResourceTextVector

    documents = ResourceSearchDocument._meta.db_table
    vectors = ResourceTextVector._meta.db_table
    ids = [resource.pk for resource in resources]
    titles = [normalise(resource.title) for resource in resources]
    summaries = [normalise(resource.summary) for resource in resources]
    known = list(TEXT_SEARCH_CONFIGS)
    with connection.cursor() as cursor:
        for language_code, config in [*TEXT_SEARCH_CONFIGS.items(), ("", "simple")]:
            locale_filter = (
                "language_code = %s" if language_code else "NOT (language_code = ANY(%s))"
            )
            cursor.execute(
                f"INSERT INTO {vectors} (resource_id, library_id, locale_id, vector, rank_vector, "
                "title_vector) SELECT document.resource_id, document.library_id, "
                "document.locale_id, to_tsvector(%s::regconfig, document.text), "
                "setweight(to_tsvector(%s::regconfig, fresh.title), 'A') "
                "|| setweight(to_tsvector(%s::regconfig, fresh.summary), 'B'), "
                "to_tsvector(%s::regconfig, fresh.title) "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS fresh(id, title, summary) "
                f"JOIN {documents} AS document ON document.resource_id = fresh.id "
                "WHERE document.locale_id IN "
                f"(SELECT id FROM wagtailcore_locale WHERE {locale_filter})",
                [config, config, config, config, ids, titles, summaries, language_code or known],
            )
        # Downloads in another language than their page's: their text stemmed in that
        # language too, added to the whole text's vector.
        downloads = {}
        for resource_id, texts in downloads_elsewhere.items():
            for language_code, text in texts:
                downloads.setdefault(language_code, []).append((resource_id, text))
        for language_code, rows in sorted(downloads.items()):
            cursor.execute(
                f"UPDATE {vectors} SET vector = vector || to_tsvector(%s::regconfig, extra.text) "
                "FROM unnest(%s::bigint[], %s::text[]) AS extra(id, text) "
                f"WHERE {vectors}.resource_id = extra.id",
                [
                    text_search_config(language_code),
                    [resource_id for resource_id, _text in rows],
                    [text for _resource_id, text in rows],
                ],
            )


def remove_resources(ids):
    from .models import ResourceFacet, ResourceSearchDocument, ResourceTextVector

    ResourceFacet.objects.filter(resource_id__in=ids).delete()
    ResourceSearchDocument.objects.filter(resource_id__in=ids).delete()
    ResourceTextVector.objects.filter(resource_id__in=ids).delete()
    _search_tables_changed()
