"""Queries behind the resource lists, kept out of templates and shaped for their templates:
each loads the images of the cards with their renditions in a fixed number of queries."""

from django.core.paginator import Paginator
from django.db.models import F, Prefetch

from ngo_site.models import CustomRendition

# The renditions that templates/includes/page_card.html asks for; keep them in step.
CARD_RENDITION_SPECS = ("fill-480x270-c100|format-webp",)
RESOURCES_PER_PAGE = 24


def with_card_images(queryset, prefix=""):
    """Join the card image (or the social image it falls back to) and prefetch its renditions,
    so a list of N cards costs the same few queries for any N. `prefix` reaches the page
    through a relation, e.g. "resource__"."""
    renditions = CustomRendition.objects.filter(filter_spec__in=CARD_RENDITION_SPECS)
    return queryset.select_related(f"{prefix}image", f"{prefix}social_image").prefetch_related(
        Prefetch(f"{prefix}image__renditions", renditions, to_attr="prefetched_renditions"),
        Prefetch(f"{prefix}social_image__renditions", renditions, to_attr="prefetched_renditions"),
    )


def newest_first(queryset):
    # Undated resources go last rather than first.
    return queryset.order_by(
        F("publication_date").desc(nulls_last=True), "-first_published_at", "-pk"
    )


def published_resources(locale_id):
    from .models import ResourcePage

    return ResourcePage.objects.live().public().filter(locale_id=locale_id).defer("body")


def latest_resources(locale_id, limit):
    """The newest `limit` published resources in a language (the home page's list)."""
    if limit <= 0:
        return []
    return list(with_card_images(newest_first(published_resources(locale_id)))[:limit])


def library_page_of_resources(library, page_number):
    """One page of the library's resources, newest first. A missing, malformed or out-of-range
    page number gives the first or last page rather than an error."""
    from .models import ResourcePage

    resources = ResourcePage.objects.child_of(library).live().public().defer("body")
    paginator = Paginator(with_card_images(newest_first(resources)), RESOURCES_PER_PAGE)
    return paginator.get_page(page_number)


RELATED_RESOURCES = 4


def _labels_by_key(model, keys, locale_id):
    """{translation_key: name} of taxonomy terms in `locale_id`, the default language's name for
    terms not translated yet. One query."""
    from wagtail.models import Locale

    rows = model.objects.filter(
        translation_key__in=keys, locale_id__in=[locale_id, Locale.get_default().pk]
    ).values_list("translation_key", "locale_id", "name")
    chosen = {}
    for key, row_locale_id, name in rows:
        if key not in chosen or row_locale_id == locale_id:
            chosen[key] = name
    return chosen


def resource_detail(resource, private=None):
    """What the resource page shows beyond its own fields, in a fixed number of queries: its
    terms named in the page's language, programmes (translated when possible), downloads with
    type and size, and related resources (editor-picked first, then sharing a theme or a
    programme, newest first)."""
    from programmes.models import ProgrammePage

    from .models import Region, ResourceFacet, ResourcePage, ResourceType, Theme

    locale_id = resource.locale_id
    theme_links = list(resource.theme_links.select_related("theme"))
    region_links = list(resource.region_links.select_related("region"))
    themes = _labels_by_key(Theme, [link.theme.translation_key for link in theme_links], locale_id)
    regions = _labels_by_key(
        Region, [link.region.translation_key for link in region_links], locale_id
    )
    type_label = ""
    if resource.resource_type_id:
        key = ResourceType.objects.filter(pk=resource.resource_type_id).values_list(
            "translation_key", flat=True
        )
        type_label = _labels_by_key(ResourceType, list(key), locale_id).get(key.first(), "")
    programme_keys = [
        link.programme.translation_key
        for link in resource.programme_links.select_related("programme")
    ]
    # A programme in the page's language when it is translated, in its own language otherwise.
    programmes = {}
    for page in ProgrammePage.objects.live().public().filter(translation_key__in=programme_keys):
        if page.translation_key not in programmes or page.locale_id == locale_id:
            programmes[page.translation_key] = page
    downloads = [row.document for row in resource.documents.select_related("document")]
    for document in downloads:
        try:
            document.size = document.file.size
        except (OSError, ValueError):
            document.size = None
        document.extension = (document.file_extension or "").upper()

    picked = [
        link.related
        for link in resource.related_links.select_related("related")
        if link.related.live and link.related.pk != resource.pk
    ]
    related = picked[:RELATED_RESOURCES]
    if len(related) < RELATED_RESOURCES:
        shared = ResourceFacet.objects.filter(
            resource=resource, facet__in=("theme", "programme")
        ).values_list("facet", "value")
        matching = ResourceFacet.objects.none()
        for facet, value in shared:
            matching = matching | ResourceFacet.objects.filter(facet=facet, value=value)
        automatic = (
            ResourcePage.objects.live()
            .public()
            .filter(locale_id=locale_id, pk__in=matching.values("resource_id"))
            .exclude(pk__in=[resource.pk, *[page.pk for page in related]])
            .defer("body")
        )
        related += list(newest_first(automatic)[: RELATED_RESOURCES - len(related)])
    return {
        "type_label": type_label,
        "theme_names": sorted(themes.values()),
        "region_names": sorted(regions.values()),
        "programmes": [programmes[key] for key in programme_keys if key in programmes],
        "authors": [author.name for author in resource.authors.all()],
        "languages": [row.get_language_display() for row in resource.languages.all()],
        "downloads": downloads,
        "related": related,
    }
