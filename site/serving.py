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
- the request's Wagtail site is kept likewise (`CachedSiteMiddleware`);
- across requests, the routing *decision* (which page a site, language and path lead to, and
  that page's ancestors) is kept for the current content generation (`CachedRouteMiddleware`):
  a request then reads only the specific row of the page it serves.

Outside a request (management commands, the admin's own code paths) everything falls back to
Wagtail's queries, so the behaviour is the same, only the number of queries differs.
"""

import contextlib
import hashlib
import itertools

from django.http import Http404
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from .localisation import _request_memo

_ANCESTORS = "route_ancestors"


def route_by_url_path(home, request, path_components):
    """`Page.route` for the pages under `home` (a site's root page), in two queries.

    A page type that routes its own sub-paths (it overrides `route`, e.g. a RoutablePage) gets
    the rest of the path, as Wagtail's own routing would give it."""
    if not path_components:
        if home.depth == 2:  # a home page right under the tree's root: no ancestor to show
            _remember_ancestors(home, [])
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


class CachedRouteMiddleware:
    """Serves a page from the routing decision kept for the current content generation: one
    query (the served page's specific row) instead of four or more (the active locale, the home
    page's specific row, the pages along the URL, the served page's specific row).

    The decision for a (site, language, path) is the served page's id and type, its `url_path`
    and its ancestors as plain `Page` rows (for the breadcrumbs and the view-restriction check,
    as `route_by_url_path` remembers them). Any change to pages, sites or locales starts a new
    generation (ngo_site.caching), so a moved, renamed or unpublished page is never found by an
    old decision; the row read on each request is checked again (live, same `url_path`) all
    the same. Routing does not depend on the user: view restrictions are still checked after it
    by Wagtail's `before_serve_page` hook, on every request.

    Only plain decisions are kept: a live page reached through `route_by_url_path`, whose type
    routes with `Page.route` (no RoutablePage or other sub-path routing), without arguments.
    Anything else (a 404, a page routing its own sub-paths, another method than GET or HEAD)
    is routed by Wagtail as usual, and nothing is stored for it: made-up URLs add no entry.

    A middleware rather than `HomePage.route`: Wagtail reads the active locale and the home
    page's specific row before it calls that method; `process_view` runs before Wagtail's
    `serve` view and gives the path it will route, and Wagtail uses a route found before it
    (`request._wagtail_route_for_request`). Place it after LocaleMiddleware (the language),
    CachedSiteMiddleware (the site) and AnonymousPageCacheMiddleware (a page cache hit needs no
    routing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        if (
            view_func is not serve
            or request.method not in ("GET", "HEAD")
            or hasattr(request, "_wagtail_route_for_request")
        ):
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else None)
        if not isinstance(path, str):
            return None
        # If the cache or the database fails, Wagtail's view routes the request itself, as
        # without this middleware (and the outage page answers a database outage).
        with contextlib.suppress(Exception):
            _route_from_decision(request, path)
        return None


class _NotKept(Exception):
    """Raised to leave a routing decision out of the cache (`content_version.cached` stores
    whatever its function returns)."""


def _route_from_decision(request, path):
    from .content_version import cached

    site = Site.find_for_request(request)  # request._wagtail_site: no query
    if site is None:
        return
    components = [component for component in path.split("/") if component]
    routed_now = []

    def decide():
        route = Page.route_for_request(request, path)  # Wagtail's routing, unchanged
        routed_now.append(route)
        decision = _plain_decision(route)
        if decision is None:
            raise _NotKept
        return decision

    # The path as a digest: the key stays short whatever the depth of the page.
    path_key = hashlib.sha256("/".join(components).encode()).hexdigest()[:32]
    try:
        decision = cached(
            "route", decide, site.pk, site.root_page_id, translation.get_language(), path_key
        )
    except _NotKept:
        return  # Wagtail's own route is already on the request
    if not routed_now:
        _apply_decision(request, decision)


def _plain_decision(route):
    """What to keep of a route found by Wagtail, or None when it must not be kept."""
    from .models import HomePage

    if route is None:
        return None
    page, args, kwargs = route
    if args or kwargs or not page.live:
        return None
    # HomePage.route sends a request for the home page itself to Page.route (route_by_url_path).
    if type(page).route not in (Page.route, HomePage.route):
        return None
    ancestors = served_ancestors(page)
    if ancestors is None:  # not routed by route_by_url_path: its ancestors are not known
        return None
    return {
        "page_id": page.pk,
        "content_type_id": page.content_type_id,
        "url_path": page.url_path,
        # Plain Page rows: the specific home page (its StreamField) is not pickled.
        "ancestors": [_plain_page(ancestor) for ancestor in ancestors],
    }


def _plain_page(page):
    """`page` as a generic Page with only the fields of Page, and nothing cached on it."""
    names = [field.attname for field in Page._meta.concrete_fields]
    return Page.from_db(page._state.db, names, [getattr(page, name) for name in names])


def _is_child_of(page, parent):
    return page.depth == parent.depth + 1 and page.path.startswith(parent.path)


def _apply_decision(request, decision):
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(decision["content_type_id"]).model_class()
    if model is None:
        return
    try:
        # get(), not first(): no ORDER BY to compile and run.
        page = model._default_manager.get(pk=decision["page_id"])
    except model.DoesNotExist:
        return  # deleted since: Wagtail routes the request
    ancestors = decision["ancestors"]
    if (
        not page.live
        or page.url_path != decision["url_path"]
        or (ancestors and not _is_child_of(page, ancestors[-1]))
    ):
        return  # the tree changed since: Wagtail routes the request
    for parent, child in itertools.pairwise(ancestors):
        child._cached_parent_obj = parent  # Treebeard's get_parent() reads it instead of querying
    if ancestors:
        page._cached_parent_obj = ancestors[-1]
    _remember_ancestors(page, ancestors)
    request._wagtail_route_for_request = RouteResult(page)


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
