"""Serving a page in a fixed, small number of queries, whatever its depth in the tree.

Wagtail's default serving costs two queries per level of the URL (find the child by slug, then
its specific row), two more to check view restrictions (the ancestors, then their
restrictions), one per `PageQuerySet.public()` list, and the breadcrumbs read the ancestors
again. Here, within one request:

- `route_by_url_path` finds every page along the URL in one query (by `url_path`, which Wagtail
  keeps up to date on save and move), then the specific row of the page served;
- those pages are remembered as the served page's ancestors, for the view-restriction check
  and the breadcrumbs;
- every view restriction of the site is read once (`view_restrictions`), and kept for the
  current content generation when the cache is shared (`content_version`); `private_sections`
  uses them to leave private sections out of lists;
- the request's Wagtail site is kept likewise (`CachedSiteMiddleware`).

Outside a request (management commands, the admin's own code paths) everything falls back to
Wagtail's queries, so the behaviour is the same, only the number of queries differs.
"""

import contextlib
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import Http404
from wagtail.models import Page, PageViewRestriction

from .localisation import _memoised, _request_memo

_ANCESTORS = "route_ancestors"


def route_by_url_path(home, request, path_components):
    """`Page.route` for the pages under `home` (a site's root page), in two queries.

    A page type that routes its own sub-paths (it overrides `route`, e.g. a RoutablePage) gets
    the rest of the path, as Wagtail's own routing would give it."""
    if not path_components:
        return Page.route(home, request, path_components)
    url_paths = [
        home.url_path + "".join(f"{component}/" for component in path_components[:length])
        for length in range(1, len(path_components) + 1)
    ]
    found = {
        page.url_path: page
        for page in Page.objects.filter(url_path__in=url_paths, path__startswith=home.path)
    }
    ancestors = [home]
    parent = home
    for depth, url_path in enumerate(url_paths):
        page = found.get(url_path)
        if page is None or page.depth != parent.depth + 1:
            raise Http404
        # Treebeard's get_parent() reads this attribute instead of querying.
        page._cached_parent_obj = parent
        remaining = path_components[depth + 1 :]
        if remaining and page.specific_class.route is not Page.route:
            _remember_ancestors(page, ancestors)
            return page.specific.route(request, remaining)
        ancestors.append(page)
        parent = page
    page = ancestors.pop()
    _remember_ancestors(page, ancestors)
    return page.specific.route(request, [])


def _remember_ancestors(page, ancestors):
    memo = _request_memo.get()
    if memo is not None:
        memo[_ANCESTORS] = (page.pk, list(ancestors))


def served_ancestors(page):
    """The ancestors of `page` found while routing this request (the site root first, the
    tree's root excluded), or None when the page was not routed by `route_by_url_path`."""
    memo = _request_memo.get()
    remembered = memo.get(_ANCESTORS) if memo is not None else None
    if remembered is None or remembered[0] != page.pk:
        return None
    return remembered[1]


def breadcrumb_ancestors(page):
    """The pages a breadcrumb trail shows before `page`: from the site's home page down."""
    ancestors = served_ancestors(page)
    if ancestors is None:
        ancestors = list(page.get_ancestors().filter(depth__gt=1))
    return [ancestor for ancestor in ancestors if ancestor.depth > 1]


def view_restrictions():
    """Every view restriction of the site, with the path of its page, read once per request and
    kept until the content changes (saving or deleting a restriction, moving a page: see
    ngo_site.caching). Sites have a handful of restricted sections, not thousands. Who may pass
    a restriction (its groups, its password) is still checked on every request."""
    from .content_version import cached

    return cached(
        "view_restrictions",
        lambda: list(PageViewRestriction.objects.select_related("page").only(*_RESTRICTION_FIELDS)),
    )


class CachedSiteMiddleware:
    """Finds the request's Wagtail site (`Site.find_for_request`, one query per request) in the
    cache kept for the current content generation, which saving a site or a page replaces.
    Wagtail reads the site from `request._wagtail_site` when it is there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import DisallowedHost
        from django.http.request import split_domain_port
        from wagtail.models import Site

        from .content_version import cached

        try:
            # Only the site's own host names are cached (ALLOWED_HOSTS): a made-up Host header
            # must not add cache entries. Django answers it with 400 further on.
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        hostname = split_domain_port(host)[0]
        port = request.get_port()
        # If the database or the cache is down, Wagtail looks the site up itself; the health
        # check and the outage page (503) answer for themselves.
        with contextlib.suppress(Exception):
            # A one-element list, so that "no site" (None) is remembered as well.
            (request._wagtail_site,) = cached(
                "site", lambda: [Site._find_for_request(request)], hostname, port
            )
        return self.get_response(request)


_RESTRICTION_FIELDS = (
    "id",
    "restriction_type",
    "password",
    "page__id",
    "page__path",
    "page__depth",
)


def restrictions_for(page):
    """`page.get_view_restrictions()` as a queryset whose results are already known when the
    page is being served (no query), or None to let Wagtail query them."""
    ancestors = served_ancestors(page)
    if ancestors is None:
        return None
    # An alias page has no restrictions of its own: those of the page it mirrors apply.
    page_ids = {ancestor.alias_of_id or ancestor.pk for ancestor in [*ancestors, page]}
    queryset = PageViewRestriction.objects.filter(page_id__in=page_ids)
    queryset._result_cache = [
        restriction for restriction in view_restrictions() if restriction.page_id in page_ids
    ]
    queryset._prefetch_done = True
    return queryset


@dataclass(frozen=True)
class PrivateSections:
    """The roots of the sections that need a login or password.

    Wagtail's `PageQuerySet.public()` reads them again for every list; this reads them once for
    all the lists of a page view."""

    paths: tuple[str, ...]

    @classmethod
    def load(cls):
        return cls(tuple(restriction.page.path for restriction in view_restrictions()))

    def exclude_from(self, queryset):
        if not self.paths:
            return queryset
        return queryset.exclude(reduce(or_, (Q(path__startswith=path) for path in self.paths)))

    def is_public(self, page):
        return not any(page.path.startswith(path) for path in self.paths)


def private_sections():
    return _memoised("private_sections", PrivateSections.load)
