"""Cards: the image of a page in a list (templates/includes/page_card.html), fetched for a whole
list in a fixed number of queries. Used by every app's query module for its lists of cards."""

from django.db.models import Prefetch

from . import rendition_specs
from .models import CustomRendition

# The renditions that templates/includes/page_card.html asks for.
CARD_RENDITION_SPECS = rendition_specs.CARD


def with_card_images(queryset, prefix=""):
    """Join the card image (or the social image it falls back to) and prefetch its renditions,
    so a list of N cards costs the same few queries for any N. `prefix` reaches the page
    through a relation, e.g. "resource__"."""
    renditions = CustomRendition.objects.filter(filter_spec__in=CARD_RENDITION_SPECS)
    return queryset.select_related(f"{prefix}image", f"{prefix}social_image").prefetch_related(
        Prefetch(f"{prefix}image__renditions", renditions, to_attr="prefetched_renditions"),
        Prefetch(f"{prefix}social_image__renditions", renditions, to_attr="prefetched_renditions"),
    )
