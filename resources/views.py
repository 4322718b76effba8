"""Downloads of a resource's citation (.bib, .ris) and the feed of the newest resources."""

import datetime
from urllib.parse import urlsplit

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Locale

from ngo_site.addresses import absolute_url
from ngo_site.navigation import organisation_name

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
    authors = list(resource.authors.all())
    details = citations.citation_details(resource, request)
    if extension == "bib":
        body = citations.bibtex(resource, authors=authors, **details)
        content_type = "application/x-bibtex"
    else:
        body = citations.ris(resource, authors=authors, **details)
        content_type = "application/x-research-info-systems"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    filename = f"{citations.citation_key(resource, authors)}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class LibraryAtomFeed(Atom1Feed):
    """Django's Atom feed with one `<author>` per author of an entry (RFC 4287 allows several;
    Django writes one): the item's `authors`, a list of names."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("authors") or ():
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


def _entry_updated(resource):
    """When an entry last changed, which RFC 4287 requires: the last publication, else the first,
    else the resource's own date (resources bulk-loaded without publishing have none)."""
    if resource.last_published_at or resource.first_published_at:
        return resource.last_published_at or resource.first_published_at
    if resource.publication_date:
        return datetime.datetime.combine(resource.publication_date, datetime.time(), datetime.UTC)
    return resource.latest_revision_created_at or timezone.now()


def _feed_title(library, results):
    """The library's feed title, with what a filtered feed keeps: its filters and search text,
    e.g. "Library: newest resources (Theme: Care work; search: “childcare”)"."""
    title = _("%(library)s: newest resources") % {"library": library.title}
    narrowed = [chip.label for chip in results.chips]
    if results.query:
        narrowed.append(_("search: “%(query)s”") % {"query": results.query})
    return f"{title} ({'; '.join(narrowed)})" if narrowed else title


def feed(request):
    """Atom feed of the newest resources of the visitor's language, with the library's filters
    and search text (the same GET parameters as the library page, sorted newest first).

    Each filtered feed is a feed of its own: its title names the filters, and its id and self
    link are its own address with the parameters in a fixed order; its alternate link is the
    library page with the same filters. Every entry has `updated` and `author` (RFC 4287): the
    resource's authors, else the organisation, which is also the feed's author."""
    library = LibraryPage.objects.live().public().filter(locale=Locale.get_active()).first()
    if library is None:
        raise Http404
    params = request.GET.copy()
    params["sort"] = "newest"
    params.pop("page", None)
    results = search.library_search(library, params, per_page=FEED_ITEMS)
    prefetch_related_objects(results.resources, "authors")
    organisation = organisation_name(request)
    feed_url = absolute_url(results.feed_url, request)
    filters = urlsplit(results.feed_url).query
    library_url = library.get_full_url(request)
    atom = LibraryAtomFeed(
        title=_feed_title(library, results),
        link=f"{library_url}?{filters}" if filters else library_url,
        # Atom1Feed marks summaries type="html": plain text is escaped, or a feed reader would
        # render markup an editor typed as text.
        description=escape(library.summary),
        language=library.locale.language_code,
        feed_url=feed_url,
        feed_guid=feed_url,
        author_name=organisation,
    )
    for resource in results.resources:
        url = resource.get_full_url(request)
        authors = [author.name.strip() for author in resource.authors.all() if author.name.strip()]
        atom.add_item(
            title=resource.title,
            link=url,
            description=escape(resource.summary),
            unique_id=url,
            pubdate=resource.first_published_at,
            updateddate=_entry_updated(resource),
            categories=[resource.type_label] if resource.type_label else None,
            authors=authors or [organisation],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response
