"""Files of private and unpublished content stay private.

A document's bytes leave the site only through Wagtail's serve view (`/documents/<id>/<name>`,
WAGTAILDOCS_SERVE_METHOD = "serve_view"), which runs the `before_serve_document` hooks first:

1. Wagtail's own hook refuses a document of a restricted collection (password, login, groups)
   to whoever does not pass the collection's restriction.
2. `refuse_private_documents` (below, after it) serves a document only to whoever can see
   something public that uses it, in Wagtail's reference index (`ReferenceIndex`):
   - a live page whose view restrictions (its own and its ancestors', as
     `Page.get_view_restrictions` reads them) all accept the request: none for anonymous
     visitors, a login restriction for anyone logged in, a group restriction for its groups, a
     password once the visitor typed it;
   - any other object that uses it (a snippet: footer, FAQ, funding policy…) unless it has a
     draft state and is not live. Snippets are shown site-wide, so they count as public.
   Everyone else gets a 404 — also for a document that nothing uses, or that only a draft uses:
   the reference index holds what the page rows say, which is the live version of a live page
   (a draft revision is not indexed; tests/site/test_private_files.py checks it). Editors who
   may choose the document in the admin (`choose` or `change` on its collection) always get it,
   so that they can preview drafts.

Cost, for an anonymous visitor: four queries (the document's references, the live pages among
them, their ancestors, the restrictions of those), however many pages use the document, and one
per type of snippet with a draft state that uses it; a logged-in user's groups and permissions
are read only when a restriction or the editors' exception needs them.

The files themselves are never published at their storage URL: the development server's
`/media/` refuses PRIVATE_MEDIA_FOLDERS (`serve_public_media`), the production proxy must too,
and on S3 those folders stay private with signed, short-lived URLs (docs/deployment.md).
Original images are in that list because pages only ever link renditions (`images/`). Those
renditions stay public by URL, even for an image used only on private pages: see "Media and
private files" in docs/deployment.md.
"""

import posixpath
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.views.static import serve as static_serve
from wagtail import hooks
from wagtail.documents.permissions import permission_policy
from wagtail.models import DraftStateMixin, Page, PageViewRestriction, ReferenceIndex

# Folders of MEDIA_ROOT (and keys of the bucket) that no URL may serve directly.
PRIVATE_MEDIA_FOLDERS = ("documents", "original_images")


def may_see_document(request, document):
    """Whether the visitor of `request` may download `document` (the module's rule; Wagtail
    checks the document's collection itself)."""
    sources = defaultdict(list)  # base content type id -> ids of the objects using the document
    references = ReferenceIndex.get_references_to(document)
    for content_type_id, object_id in references.values_list(
        "base_content_type_id", "object_id"
    ).distinct():
        sources[content_type_id].append(object_id)
    page_type = ContentType.objects.get_for_model(Page)
    if _some_page_is_visible(request, sources.pop(page_type.pk, [])):
        return True
    if any(_some_object_is_public(type_id, ids) for type_id, ids in sources.items()):
        return True
    return _may_choose(request.user, document)


def _some_page_is_visible(request, page_ids):
    """Whether one of these pages is live and all its view restrictions accept the request,
    in three queries however many pages and restrictions there are."""
    if not page_ids:
        return False
    pages = list(Page.objects.filter(pk__in=page_ids, live=True).only("path", "alias_of_id"))
    if not pages:
        return False
    paths_of = {page.pk: _path_and_ancestors(page.path) for page in pages}
    # As Page.get_view_restrictions: an alias is restricted by the page it mirrors, not itself.
    restricted_page_of = {
        path: alias_of_id or page_id
        for path, page_id, alias_of_id in Page.objects.filter(
            path__in={path for paths in paths_of.values() for path in paths}
        ).values_list("path", "pk", "alias_of_id")
    }
    restrictions = defaultdict(list)
    for restriction in PageViewRestriction.objects.filter(
        page_id__in=set(restricted_page_of.values())
    ):
        restrictions[restriction.page_id].append(restriction)
    applying = [
        [
            restriction
            for path in paths
            for restriction in restrictions[restricted_page_of.get(path)]
        ]
        for paths in paths_of.values()
    ]
    if any(not page_restrictions for page_restrictions in applying):
        return True
    if any(
        all(r.accept_request(request) for r in page_restrictions) for page_restrictions in applying
    ):
        # The file is this visitor's, not everyone's: no shared cache may keep it
        # (ngo_site.caching marks such responses `private`).
        request.page_is_restricted = True
        return True
    return False


def _path_and_ancestors(path):
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def _some_object_is_public(content_type_id, object_ids):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:  # a model that no longer exists
        return False
    if issubclass(model, DraftStateMixin):
        return model.objects.filter(pk__in=object_ids, live=True).exists()
    return True


def _may_choose(user, document):
    return user.is_authenticated and permission_policy.user_has_any_permission_for_instance(
        user, ["choose", "change"], document
    )


def refuse_private_documents(document, request):
    """Wagtail's `before_serve_document` hook: a 404 unless `may_see_document`."""
    if not may_see_document(request, document):
        raise Http404("No such document.")
    return None


# After Wagtail's own hook (order 0), which answers a restricted collection with its login
# redirect or password form. Registered when the app is ready (ngo_site.apps).
hooks.register("before_serve_document", refuse_private_documents, order=1)


def serve_public_media(request, path, document_root=None, show_indexes=False):
    """The development server's MEDIA_URL (site/urls.py, DEBUG only): every uploaded file but
    those of PRIVATE_MEDIA_FOLDERS, as the production proxy serves them (docs/deployment.md)."""
    normalised = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    if normalised.split("/", 1)[0].casefold() in PRIVATE_MEDIA_FOLDERS:
        raise Http404("Documents are served at /documents/.")
    return static_serve(request, path, document_root=document_root, show_indexes=show_indexes)
