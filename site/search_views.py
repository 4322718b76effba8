"""Site search over the pages of the visitor's language."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from wagtail.models import Locale, Page
from wagtail.search.utils import parse_query_string

from . import stemming

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def searchable(query, language_code):
    """The query for the search backend: the stems of its words in the visitor's language, which
    pages index in `stemmed_search_text` (ngo_site.stemming). A phrase in double quotes is looked
    for as written. An unclosed double quote (an unfinished phrase) would make SQLite's full-text
    search fail with a syntax error: its quotes are then read as spaces."""
    if query.count('"') % 2:
        query = query.replace('"', " ").strip()
    if '"' in query:
        return parse_query_string(query, operator="and")[1]
    return stemming.search_terms(query, language_code)


def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()
    truncated = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    locale = Locale.get_active()
    terms = searchable(query, locale.language_code)
    if terms:
        results = (
            Page.objects.live()
            .public()
            .filter(locale=locale)
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
