"""Which sections of the site anonymous visitors may not list.

Wagtail's `PageQuerySet.public()` reads every view restriction again for each list it filters;
a page view often shows three or four lists (menu, cards, related items), so the restricted
sections are read once per request here and each list excludes them."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.models import PageViewRestriction

from .localisation import memoised


@dataclass(frozen=True)
class PrivateSections:
    """The tree paths of the pages that need a login or password: they and their descendants
    are left out of lists."""

    paths: tuple[str, ...]

    @classmethod
    def load(cls):
        return cls(tuple(PageViewRestriction.objects.values_list("page__path", flat=True)))

    def exclude_from(self, queryset):
        if not self.paths:
            return queryset
        return queryset.exclude(reduce(or_, (Q(path__startswith=path) for path in self.paths)))

    def is_public(self, page):
        return not any(page.path.startswith(path) for path in self.paths)


def private_sections():
    """The restricted sections, read once per request."""
    return memoised("private_sections", PrivateSections.load)
