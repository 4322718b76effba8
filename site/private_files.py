"""Files of private and unpublished content stay private.

One rule decides who may have a file (a document, or an image's renditions): whoever can see
something public that uses it, in Wagtail's reference index (`ReferenceIndex`):

- a live page whose view restrictions (its own and its ancestors', as
  `Page.get_view_restrictions` reads them) all accept the request: none for anonymous visitors,
  a login restriction for anyone logged in, a group restriction for its groups, a password once
  the visitor typed it;
- any other object that uses it (a snippet: footer, FAQ, funding policy…) unless it has a draft
  state and is not live. Snippets are shown site-wide, so they count as public.

Nobody else gets it — also for a file that nothing uses, or that only a draft uses: the
reference index holds what the rows say, which is the live version of a live page (a draft
revision is not indexed; tests/site/test_private_files.py checks it). Editors who may choose the
file in the admin (`choose` or `change` on its collection) always get it, so that they can
preview drafts. A file is *public* when an anonymous visitor with no session gets it.

Cost, for an anonymous visitor: four queries (the file's references, the live pages among them,
their ancestors, the restrictions of those), however many pages use it, and one per type of
snippet with a draft state that uses it; a logged-in user's groups and permissions are read only
when a restriction or the editors' exception needs them.

**Documents**: their bytes leave the site only through Wagtail's serve view
(`/documents/<id>/<name>`, WAGTAILDOCS_SERVE_METHOD = "serve_view"), which runs the
`before_serve_document` hooks: Wagtail's own refuses a document of a restricted collection
(password, login, groups) to whoever does not pass the restriction, then
`refuse_private_documents` (below) applies the rule, with a 404.

**Images**: original images are never served (pages only show renditions). A rendition's file is
in one of two folders of the rendition storage, chosen when it is made (CustomRendition):

- `images/` (PUBLIC_RENDITIONS_FOLDER) for an image that is public: its URL is the plain media
  URL (web server, bucket, CDN), which `{% image %}` prints;
- `private_renditions/` (PRIVATE_RENDITIONS_FOLDER) for any other image (used only by private,
  draft or unpublished content, by nothing yet, or in a collection with a view restriction):
  that folder is never served directly, and the URL printed for such a rendition is the site's
  `/images/<signature>/<id>/<filter>/` (`serve_private_image`), which applies the rule for the
  request's user (and the collection's restrictions) before sending the bytes.

Both kinds of names carry a random token, so that no rendition's name can be guessed from the
original's name and a size. When an image changes side — a page or snippet using it is saved,
published, unpublished, moved or deleted, a page restriction or a collection restriction is
added or removed, the image is saved — `reconcile_renditions` deletes its renditions of the
wrong folder (and their files, as Wagtail does when a rendition is deleted) once the
transaction commits; they are made again, in the right folder, when next shown.

The files themselves are never published at their storage URL: the development server's
`/media/` refuses PRIVATE_MEDIA_FOLDERS (`serve_public_media`), the production proxy must too,
and on S3 only `images/` is public (docs/deployment.md, "Media and private files").
"""

import posixpath
import secrets
import threading
import weakref
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.static import serve as static_serve
from wagtail import hooks
from wagtail.documents.permissions import permission_policy as document_permission_policy
from wagtail.images import get_image_model
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import SourceImageIOError
from wagtail.images.permissions import permission_policy as image_permission_policy
from wagtail.images.utils import generate_signature, verify_signature
from wagtail.images.views.serve import ServeView
from wagtail.models import (
    CollectionViewRestriction,
    DraftStateMixin,
    Page,
    PageViewRestriction,
    ReferenceIndex,
)
from wagtail.signals import post_page_move

PUBLIC_RENDITIONS_FOLDER = "images"
PRIVATE_RENDITIONS_FOLDER = "private_renditions"
# Folders of MEDIA_ROOT (and keys of the bucket) that no URL may serve directly.
PRIVATE_MEDIA_FOLDERS = ("documents", "original_images", PRIVATE_RENDITIONS_FOLDER)


# --- The rule --------------------------------------------------------------------------------


def may_see_document(request, document):
    """Whether the visitor of `request` may download `document` (the module's rule; Wagtail
    checks the document's collection itself)."""
    return _used_by_something_visible(request, document) or _may_choose(
        request.user, document, document_permission_policy
    )


def may_see_image(request, image):
    """Whether the visitor of `request` may have `image`'s renditions: the module's rule, after
    the view restrictions of its collection (which Wagtail checks for documents only)."""
    if _may_choose(request.user, image, image_permission_policy):
        return True
    restrictions = image.collection.get_view_restrictions()
    if not all(restriction.accept_request(request) for restriction in restrictions):
        return False
    return _used_by_something_visible(request, image)


def image_is_public(image):
    """Whether anyone, with no login and no password typed, may have `image`'s renditions."""
    if image.pk is None:
        return False
    if image.collection.get_view_restrictions().exists():
        return False
    return _used_by_something_visible(None, image)


def _used_by_something_visible(request, obj):
    """Whether something that uses `obj` (in the reference index) is visible to the visitor of
    `request`, or to everyone with request=None."""
    sources = defaultdict(list)  # base content type id -> ids of the objects using `obj`
    references = ReferenceIndex.get_references_to(obj)
    for content_type_id, object_id in references.values_list(
        "base_content_type_id", "object_id"
    ).distinct():
        sources[content_type_id].append(object_id)
    page_type = ContentType.objects.get_for_model(Page)
    if _some_page_is_visible(request, sources.pop(page_type.pk, [])):
        return True
    return any(_some_object_is_public(type_id, ids) for type_id, ids in sources.items())


def _some_page_is_visible(request, page_ids):
    """Whether one of these pages is live and all its view restrictions accept the request
    (have none, for request=None), in three queries however many pages and restrictions."""
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
    if request is None:
        return False
    if any(
        all(r.accept_request(request) for r in page_restrictions) for page_restrictions in applying
    ):
        # The file is this visitor's, not everyone's: no shared cache may keep it
        # (ngo_site.page_cache marks such responses `private`).
        request.serves_restricted_content = True
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


def _may_choose(user, obj, policy):
    return user.is_authenticated and policy.user_has_any_permission_for_instance(
        user, ["choose", "change"], obj
    )


# --- Documents -------------------------------------------------------------------------------


def refuse_private_documents(document, request):
    """Wagtail's `before_serve_document` hook: a 404 unless `may_see_document`."""
    if not may_see_document(request, document):
        raise Http404("No such document.")
    return None


# After Wagtail's own hook (order 0), which answers a restricted collection with its login
# redirect or password form. Registered when the app is ready (ngo_site.apps).
hooks.register("before_serve_document", refuse_private_documents, order=1)


# --- Image renditions ------------------------------------------------------------------------


def rendition_upload_to(image, filename):
    """Where a new rendition of `image` goes (CustomRendition.get_upload_to): its folder by
    `image_is_public`, under a random name."""
    folder = PUBLIC_RENDITIONS_FOLDER if image_is_public(image) else PRIVATE_RENDITIONS_FOLDER
    return f"{folder}/{secrets.token_urlsafe(9)}-{filename}"


def is_private_rendition(name):
    return name.split("/", 1)[0] == PRIVATE_RENDITIONS_FOLDER


def private_rendition_url(image_id, filter_spec):
    """The URL printed for a rendition of the private folder: `serve_private_image`."""
    signature = generate_signature(image_id, filter_spec)
    return reverse("private_image", args=(signature, image_id, filter_spec))


class PrivateImageServeView(ServeView):
    """A rendition of an image that is not public, to whoever `may_see_image` (a 404 for
    everyone else), never kept by a shared cache. The URL is signed as Wagtail's own serve
    view's (`generate_signature`), so that no one can make the server render other sizes."""

    def get(self, request, signature, image_id, filter_spec):
        if not verify_signature(signature.encode(), image_id, filter_spec):
            raise Http404("No such image.")
        image = get_object_or_404(self.model.objects.select_related("collection"), id=image_id)
        if not may_see_image(request, image):
            raise Http404("No such image.")
        try:
            rendition = image.get_rendition(filter_spec)
        except SourceImageIOError:
            raise Http404("No such image.") from None
        except InvalidFilterSpecError:
            return HttpResponse(status=400)
        response = self.serve(rendition)
        patch_cache_control(response, private=True, no_cache=True)
        return response


serve_private_image = PrivateImageServeView.as_view()


def reconcile_renditions(image_ids):
    """Delete the renditions of these images that are in the wrong folder for the image as it
    is now (Wagtail deletes their files once the transaction commits). One query when none of
    them has renditions; the rule's few queries for each image that has."""
    Image = get_image_model()
    folders = defaultdict(set)
    for image_id, name in (
        Image.get_rendition_model()
        .objects.filter(image_id__in=image_ids)
        .values_list("image_id", "file")
    ):
        folders[image_id].add(is_private_rendition(name))
    for image in Image.objects.filter(pk__in=folders).select_related("collection"):
        private = not image_is_public(image)
        if folders[image.pk] != {private}:
            wrong = PUBLIC_RENDITIONS_FOLDER if private else PRIVATE_RENDITIONS_FOLDER
            for rendition in image.renditions.filter(file__startswith=f"{wrong}/"):
                rendition.delete()


def _reconcile_on_commit(image_ids):
    image_ids = set(image_ids)
    if image_ids:
        transaction.on_commit(lambda: reconcile_renditions(image_ids))


def _images_used_by(objects_query):
    image_type = ContentType.objects.get_for_model(get_image_model())
    return {
        int(image_id)
        for image_id in objects_query.filter(to_content_type=image_type).values_list(
            "to_object_id", flat=True
        )
    }


def _images_used_by_object(instance):
    return _images_used_by(ReferenceIndex.get_references_for_object(instance))


def _images_used_under(page):
    """Images used by `page` and the pages below it."""
    page_type = ContentType.objects.get_for_model(Page)
    pages = Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
    return _images_used_by(
        ReferenceIndex.objects.filter(
            base_content_type=page_type, object_id__in=[str(pk) for pk in pages]
        )
    )


# What each object being saved or deleted used before (this thread's).
_used_before = threading.local()


def _before(instance):
    if not hasattr(_used_before, "images"):
        _used_before.images = weakref.WeakKeyDictionary()
    return _used_before.images


def _remember_images_used(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or not ReferenceIndex.is_indexed(sender):
        return
    _before(instance)[instance] = _images_used_by_object(instance)


def _reconcile_images_used(sender, instance, raw=False, **kwargs):
    """After an object of the reference index is saved or deleted: the images it used before
    and those it uses now (the index is up to date when the transaction commits)."""
    if raw or not ReferenceIndex.is_indexed(sender):
        return
    before = _before(instance).pop(instance, set())
    now = set()

    def reconcile():
        if instance.pk is not None:
            now.update(_images_used_by_object(instance))
        reconcile_renditions(before | now)

    transaction.on_commit(reconcile)


def _reconcile_images_under_restricted_page(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _reconcile_on_commit(_images_used_under(page))


def _reconcile_images_under_moved_page(sender, instance, **kwargs):
    _reconcile_on_commit(_images_used_under(instance))


def _reconcile_images_of_restricted_collection(sender, instance, **kwargs):
    collection = instance.collection
    images = (
        get_image_model()
        .objects.filter(collection__path__startswith=collection.path)
        .values_list("pk", flat=True)
    )
    _reconcile_on_commit(images)


def _reconcile_saved_image(sender, instance, raw=False, **kwargs):
    if not raw:
        _reconcile_on_commit([instance.pk])


pre_save.connect(_remember_images_used, dispatch_uid="ngo_site_private_renditions_pre_save")
pre_delete.connect(_remember_images_used, dispatch_uid="ngo_site_private_renditions_pre_delete")
post_save.connect(_reconcile_images_used, dispatch_uid="ngo_site_private_renditions_post_save")
post_delete.connect(_reconcile_images_used, dispatch_uid="ngo_site_private_renditions_post_delete")
for _signal in (post_save, post_delete):
    _signal.connect(
        _reconcile_images_under_restricted_page,
        sender=PageViewRestriction,
        dispatch_uid=f"ngo_site_private_renditions_page_restriction_{_signal is post_save}",
    )
    _signal.connect(
        _reconcile_images_of_restricted_collection,
        sender=CollectionViewRestriction,
        dispatch_uid=f"ngo_site_private_renditions_collection_restriction_{_signal is post_save}",
    )
post_page_move.connect(
    _reconcile_images_under_moved_page, dispatch_uid="ngo_site_private_renditions_move"
)
post_save.connect(
    _reconcile_saved_image,
    sender=get_image_model(),
    dispatch_uid="ngo_site_private_renditions_image",
)


# --- The development server ------------------------------------------------------------------


def serve_public_media(request, path, document_root=None, show_indexes=False):
    """The development server's MEDIA_URL (site/urls.py, DEBUG only): every uploaded file but
    those of PRIVATE_MEDIA_FOLDERS, as the production proxy serves them (docs/deployment.md)."""
    normalised = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    if normalised.split("/", 1)[0].casefold() in PRIVATE_MEDIA_FOLDERS:
        raise Http404("Documents are served at /documents/.")
    return static_serve(request, path, document_root=document_root, show_indexes=show_indexes)
