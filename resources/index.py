"""Keeps the library's search tables (`ResourceSearchDocument`, `ResourceFacet`) in step with the
live resources: rebuilt for a resource when it is published, removed when it is unpublished.

Only live content is indexed, read from the database (not a draft in memory)."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Func, Value
from wagtail.models import Page

from ngo_site import stemming
from ngo_site.page_cache import clear_now_and_on_commit
from ngo_site.text import normalise

from .models import (
    MAX_DOCUMENT_CHARS,
    LibraryIndexVersion,
    ResourceFacet,
    ResourcePage,
    ResourceSearchDocument,
)

# PostgreSQL text search configuration per language of the site; others use "simple".
TEXT_SEARCH_CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "pt": "portuguese"}
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


def _texts(resource):
    """(title, summary, the rest, normalised; [(language code, the downloads' normalised text)]
    for each language of the site the resource says it is in besides its page's, in which its
    downloads are stemmed too: a French report listed on the English site is found by "social"
    for "sociaux")."""
    parts = [_stream_text(resource.body), _stream_text(resource.sections)]
    parts.append(_stream_text(resource.practice_record))
    if resource.resource_type_id:
        parts.append(resource.resource_type.name)
    parts += [link.programme.title for link in resource.programme_links.all()]
    parts.append(resource.related_search_text())
    rest = " ".join(part for part in parts if part)
    downloads = " ".join(
        row.document.extracted_text[:MAX_DOCUMENT_CHARS] for row in resource.documents.all()
    )
    languages = {row.language for row in resource.languages.all()}
    languages &= {code for code, _name in settings.LANGUAGES} - {resource.locale.language_code}
    other = [(code, normalise(downloads)) for code in sorted(languages)] if downloads else []
    return normalise(resource.title), normalise(resource.summary), normalise(rest), other


def _with_stems(resource):
    """SQLite: the whole text followed by the Snowball stems of its words in the resource's
    language, and those of its downloads in their other languages, once each, so the FTS5 table
    finds "travailleuses" for "travailleuse"."""
    *parts, other_downloads = _texts(resource)
    text = " " + " ".join(part for part in parts if part) + " "
    stems = set(stemming.stems(text, resource.locale.language_code))
    for language_code, downloads in other_downloads:
        stems.update(stemming.stems(downloads, language_code))
    stems = sorted(stems - set(text.split()))
    return text + " ".join(stems) + " " if stems else text


def _search_vectors(resource):
    """PostgreSQL, in the configuration of the resource's language: (the vector matched, the
    whole text stripped of positions and weights, which the match reads for every result; the
    vector ranked, the title weighted A and the summary B)."""
    config = text_search_config(resource.locale.language_code)
    title, summary, rest, other_downloads = _texts(resource)
    ranked = SearchVector(Value(title), config=config, weight="A")
    ranked += SearchVector(Value(summary), config=config, weight="B")
    matched = SearchVector(Value(f"{title} {summary} {rest}"), config=config)
    for language_code, downloads in other_downloads:
        matched += SearchVector(Value(downloads), config=text_search_config(language_code))
    return Func(matched, function="strip"), ranked


def index_resources(resources):
    """(Re)build the rows of `resources` (ResourcePage objects or a queryset): live ones are
    indexed, others removed. A few queries for any number of resources."""
    ids = [resource.pk for resource in resources]
    fresh = list(
        ResourcePage.objects.filter(pk__in=ids, live=True)
        .select_related("resource_type", "locale")
        .prefetch_related(
            "authors",
            "languages",
            "programme_links__programme",
            "theme_links__theme",
            "region_links__region",
            "documents__document",
        )
    )
    parent_paths = {resource.path[: -resource.steplen] for resource in fresh}
    parents = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    on_postgresql = connection.vendor == "postgresql"
    documents, facets = [], []
    for resource in fresh:
        search_vector, rank_vector = _search_vectors(resource) if on_postgresql else (None, None)
        documents.append(
            ResourceSearchDocument(
                resource_id=resource.pk,
                library_id=parents[resource.path[: -resource.steplen]],
                locale_id=resource.locale_id,
                title_sort=normalise(resource.title)[:255],
                publication_date=resource.publication_date,
                first_published_at=resource.first_published_at,
                text="" if on_postgresql else _with_stems(resource),
                search_vector=search_vector,
                rank_vector=rank_vector,
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
        remove_resources(ids)
        ResourceSearchDocument.objects.bulk_create(documents, batch_size=500)
        ResourceFacet.objects.bulk_create(facets, batch_size=1000)


def remove_resources(ids):
    with transaction.atomic():
        ResourceFacet.objects.filter(resource_id__in=ids).delete()
        ResourceSearchDocument.objects.filter(resource_id__in=ids).delete()
        # In the same transaction as the rows: a cache key read with the new version can only
        # meet the new rows (resources/search.py, `_library_values`).
        LibraryIndexVersion.objects.update_or_create(pk=1, defaults={"version": uuid.uuid4()})
    # Library pages cached by wagtail-cache show the old results, also after a change made
    # without publishing (an import, a document's new text).
    clear_now_and_on_commit()
