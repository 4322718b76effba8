"""Downloads of a resource's citation (.bib, .ris) and the feed of the newest resources."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale

from . import citations, search
from .models import LibraryPage, ResourcePage

FEED_ITEMS = 30


def citation_download(request, pk, extension):
    resource = get_object_or_404(
        ResourcePage.objects.live().public().select_related("resource_type"), pk=pk
    )
    url = resource.get_full_url(request)
    if extension == "bib":
        body, content_type = citations.bibtex(resource, url), "application/x-bibtex"
    elif extension == "ris":
        body, content_type = citations.ris(resource, url), "application/x-research-info-systems"
    else:
        raise Http404
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    filename = f"{citations.citation_key(resource)}.{extension}"
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
        description=library.summary,
        language=library.locale.language_code,
        feed_url=request.build_absolute_uri(),
    )
    for resource in results.resources:
        atom.add_item(
            title=resource.title,
            link=resource.get_full_url(request),
            description=resource.summary,
            unique_id=resource.get_full_url(request),
            pubdate=resource.first_published_at,
            updateddate=resource.last_published_at,
            categories=[resource.type_label] if resource.type_label else None,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response
