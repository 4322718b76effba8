"""Site search over the pages of the visitor's language."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from wagtail.models import Locale, Page

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def searchable(query):
    """The query for the search backend. An unclosed double quote (an unfinished phrase) makes
    SQLite's full-text search fail with a syntax error: its quotes are then read as spaces."""
    if query.count('"') % 2:
        return query.replace('"', " ").strip()
    return query


def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()
    truncated = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    terms = searchable(query)
    if terms:
        results = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .exclude(depth__lte=1)
            .specific()
            .search(terms)
        )
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    return render(
        request,
        "ngo_site/search.html",
        {"query": query, "query_truncated": truncated, "page_obj": page_obj},
    )
