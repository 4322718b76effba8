"""Site search over the pages of the visitor's language, and, outside the default language, the
original of each resource not translated into it (as the library lists them)."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.utils.translation import get_language_info
from wagtail.models import Page, get_page_models
from wagtail.search.utils import parse_query_string

from . import stemming
from .localisation import active_locale, default_locale, untranslated

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
    return stemming.stemmed(query, language_code)


def untranslated_originals(locale):
    """The ids of the live resources of the default language with no live translation in
    `locale` (resources: the pages of the types whose class sets
    `search_lists_untranslated_originals = True`): the French search lists them as the library
    does (the same translation_key rule as resources.search's fallback scope), so a resource is
    found once, in French when it has a French version and in its original language otherwise.
    One query per such page type (one); None in the default language."""
    default = default_locale()
    if locale.pk == default.pk:
        return None
    models = [
        model
        for model in get_page_models()
        if getattr(model, "search_lists_untranslated_originals", False)
    ]
    if not models:
        return None
    ids = set()
    for model in models:  # one: resources.models.ResourcePage
        originals = model.objects.live().public().filter(locale=default)
        ids.update(
            untranslated(originals, locale, Page.objects.live()).values_list("pk", flat=True)
        )
    return ids


class ChainedResults:
    """Two search results one after the other, for the paginator: the visitor's language first,
    then the originals of untranslated resources. Each is counted once and only the slice shown
    is fetched, so a page of results costs the same queries whatever their number."""

    def __init__(self, first, second):
        self.first, self.second = first, second
        self._first_count = None

    def first_count(self):
        if self._first_count is None:
            self._first_count = self.first.count()
        return self._first_count

    def count(self):
        return self.first_count() + self.second.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        split = self.first_count()
        items = list(self.first[start : min(stop, split)]) if start < split else []
        if stop > split:
            items += list(self.second[max(start - split, 0) : stop - split])
        return items


def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()
    truncated = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    locale = active_locale()
    terms = searchable(query, locale.language_code)
    originals = None
    if terms:
        pages = Page.objects.live().public().exclude(depth__lte=1)
        results = pages.filter(locale=locale).specific().search(terms)
        originals = untranslated_originals(locale)
        if originals:
            # The originals index the stems of their own language: the query is stemmed so.
            default_terms = searchable(query, default_locale().language_code)
            results = ChainedResults(
                results, pages.filter(pk__in=originals).specific().search(default_terms)
            )
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    page_obj.object_list = list(page_obj.object_list)
    original_language = ""
    if originals:
        default_code = default_locale().language_code
        original_language = {
            "code": default_code,
            "name": get_language_info(default_code)["name_local"],
        }
        for result in page_obj.object_list:
            result.is_original = result.pk in originals
    return render(
        request,
        "ngo_site/search.html",
        {
            "query": query,
            "query_truncated": truncated,
            "page_obj": page_obj,
            "original_language": original_language,
        },
    )
