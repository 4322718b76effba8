"""Downloads of a resource's citation (.bib, .ris) and the feed of the newest resources."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Locale

from . import citations, search
from .models import LibraryPage, ResourcePage

FEED_ITEMS = 30
# The largest primary key the databases store (a signed 64-bit integer): a larger id in a URL
# names no resource, and SQLite's driver would raise OverflowError on it rather than find none.
MAX_ID = 2**63 - 1


def citation_download(request, pk, extension):
    if pk > MAX_ID:
        raise Http404
    resource = get_object_or_404(
        ResourcePage.objects.live().public().select_related("resource_type"), pk=pk
    )
    if extension not in ("bib", "ris"):
        raise Http404
    url = resource.get_full_url(request)
    authors = list(resource.authors.all())
    if extension == "bib":
        body = citations.bibtex(resource, url, authors=authors)
        content_type = "application/x-bibtex"
    else:
        body = citations.ris(resource, url, authors=authors)
        content_type = "application/x-research-info-systems"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    filename = f"{citations.citation_key(resource, authors)}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def feed(request):
    """Atom feed of the newest resources of the visitor's language, with the library's filters
    and search text (the same GET parameters as the library page, sorted newest first)."""
    library = LibraryPage.objects.live().public().filter(locale=Locale.get_active()).first()
    if library is None:
        raise Http404
    params = request.GET.copy()
    params["sort"] = "newest"
    params.pop("page", None)
    results = search.library_search(library, params, per_page=FEED_ITEMS)
    atom = Atom1Feed(
        title=_("%(library)s: newest resources") % {"library": library.title},
        link=library.get_full_url(request),
        # Atom1Feed marks summaries type="html": plain text is escaped, or a feed reader would
        # render markup an editor typed as text.
        description=escape(library.summary),
        language=library.locale.language_code,
        feed_url=request.build_absolute_uri(),
    )
    for resource in results.resources:
        atom.add_item(
            title=resource.title,
            link=resource.get_full_url(request),
            description=escape(resource.summary),
            unique_id=resource.get_full_url(request),
            pubdate=resource.first_published_at,
            updateddate=resource.last_published_at,
            categories=[resource.type_label] if resource.type_label else None,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response
