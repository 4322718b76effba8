"""Queries behind the resource lists, kept out of templates and shaped for their templates:
each loads the images of the cards with their renditions in a fixed number of queries."""

from operator import itemgetter

from django.db.models import Exists, F, OuterRef, Q, Subquery

from ngo_site.cards import with_card_images
from ngo_site.localisation import default_locale, localized, prefer_locale


def without_stream_fields(queryset):
    """`queryset` leaving the page's StreamFields (body, sections...) in the database: lists and
    cards never show them, and they are the heaviest columns. Found from the model, so a new
    StreamField is left out as well."""
    from wagtail.fields import StreamField

    names = [
        field.name
        for field in queryset.model._meta.concrete_fields
        if isinstance(field, StreamField)
    ]
    return queryset.defer(*names)


def chosen_resources(links, locale_id):
    """The resources of `links` (a programme's featured or a project's related resource rows, in
    the editors' order) that are published and public, each replaced by its translation in
    `locale_id` when there is one (one query for the list, ngo_site.localisation.localized).

    `links` is the page's child relation; it is read through the relation (not a new query
    by page id) so that previews, whose rows exist only in memory, show what the editor sees."""
    from ngo_site.visibility import private_sections

    from .models import ResourcePage

    private = private_sections()
    rows = with_card_images(links.all(), prefix="resource__")
    translations = with_card_images(private.exclude_from(ResourcePage.objects.live().defer("body")))
    resources = localized([row.resource for row in rows], locale_id, translations)
    return [resource for resource in resources if resource.live and private.is_public(resource)]


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


RELATED_RESOURCES = 4


def _labels_by_key(model, keys, locale_id, default_locale_id):
    """{translation_key: name} of taxonomy terms in `locale_id`, the default language's name for
    terms not translated yet. One query."""
    rows = model.objects.filter(
        translation_key__in=keys, locale_id__in=[locale_id, default_locale_id]
    ).values_list("translation_key", "locale_id", "name")
    chosen = prefer_locale(rows, locale_id, key=itemgetter(0), locale_of=itemgetter(1))
    return {key: name for key, (_key, _locale_id, name) in chosen.items()}


def resource_detail(resource, private=None, authors=None):
    """What the resource page shows beyond its own fields, in a fixed number of queries: its
    terms named in the page's language, programmes (translated when possible), downloads with
    type and size, and related resources (editor-picked first, then sharing a theme or a
    programme, newest first), with their card images. `private` (the request's
    `private_sections()` by default) keeps resources of login- or password-protected sections
    out of the related ones; `authors`, the resource's authors when the caller has them."""

    from ngo_site.visibility import private_sections
    from programmes.models import ProgrammePage

    from .models import Region, ResourceType, Theme

    private = private or private_sections()
    locale_id = resource.locale_id
    default_locale_id = default_locale().pk
    theme_links = list(resource.theme_links.select_related("theme"))
    region_links = list(resource.region_links.select_related("region"))
    themes = _labels_by_key(
        Theme, [link.theme.translation_key for link in theme_links], locale_id, default_locale_id
    )
    regions = _labels_by_key(
        Region,
        [link.region.translation_key for link in region_links],
        locale_id,
        default_locale_id,
    )
    type_label = ""
    if resource.resource_type_id:
        key = list(
            ResourceType.objects.filter(pk=resource.resource_type_id).values_list(
                "translation_key", flat=True
            )
        )
        type_label = _labels_by_key(ResourceType, key, locale_id, default_locale_id).get(
            key[0] if key else None, ""
        )
    programme_keys = [
        link.programme.translation_key
        for link in resource.programme_links.select_related("programme")
    ]
    # A programme in the page's language when it is translated, in its own language otherwise.
    programme_pages = ProgrammePage.objects.live().filter(translation_key__in=programme_keys)
    programmes = prefer_locale(private.exclude_from(programme_pages), locale_id)
    downloads = []
    for row in resource.documents.select_related("document"):
        document = row.document
        # The row's title is translated with the resource; the document's own title is not.
        document.label = row.label
        downloads.append(document)
    for document in downloads:
        try:
            document.size = document.file.size
        except (OSError, ValueError):
            document.size = None
        document.extension = (document.file_extension or "").upper()

    related = _related_resources(resource, private)
    return {
        "type_label": type_label,
        "theme_names": sorted(themes.values()),
        "region_names": sorted(regions.values()),
        "programmes": [programmes[key] for key in programme_keys if key in programmes],
        "authors": [
            author.name for author in (resource.authors.all() if authors is None else authors)
        ],
        "languages": [row.get_language_display() for row in resource.languages.all()],
        "downloads": downloads,
        "related": related,
    }


def _shown_as_related(private, locale_id):
    """The resources that may be shown as related on a page in `locale_id`: live, public (not in
    a login- or password-protected section) and in that language, ready for their cards (the
    card's image and renditions; the StreamFields stay in the database)."""
    from .models import ResourcePage

    resources = ResourcePage.objects.live().filter(locale_id=locale_id)
    return with_card_images(without_stream_fields(private.exclude_from(resources)))


def _related_resources(resource, private):
    """Up to RELATED_RESOURCES: those the editors picked, in their order, then resources sharing
    a theme or a programme, newest first. One query (plus the card renditions, one prefetch for
    all the cards that have an image), whatever the number of picks and shared terms."""
    from .models import ResourceFacet, ResourceRelatedLink

    picks = ResourceRelatedLink.objects.filter(resource_id=resource.pk)
    picked_here = picks.filter(related_id=OuterRef("pk"))
    own_facets = ResourceFacet.objects.filter(resource_id=resource.pk)
    sharing = Q()
    for facet in ("theme", "programme"):
        values = own_facets.filter(facet=facet).values("value")
        sharing |= Q(facet=facet, value__in=values)
    # A pick that is a draft, private or in another language is left out like any other
    # resource (`_shown_as_related`): its title and summary must not appear on a public page.
    related = (
        _shown_as_related(private, resource.locale_id)
        .filter(
            Q(pk__in=picks.values("related_id"))
            | Q(pk__in=ResourceFacet.objects.filter(sharing).values("resource_id"))
        )
        .exclude(pk=resource.pk)
        .annotate(
            is_picked=Exists(picked_here),
            pick_position=Subquery(
                picked_here.order_by("sort_order", "pk").values("sort_order")[:1]
            ),
        )
        .order_by(
            F("is_picked").desc(),
            F("pick_position").asc(nulls_last=True),
            F("publication_date").desc(nulls_last=True),
            "-first_published_at",
            "-pk",
        )
    )
    return list(related[:RELATED_RESOURCES])
