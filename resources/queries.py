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
