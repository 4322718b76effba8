"""Locking or unlocking the root of the page tree answers 404, not a 500.

The root (depth 1) is not a page of the site: Wagtail's explorer offers no lock for it. Yet its
lock and unlock views (wagtail.admin.views.pages.lock) accept its id from any role that holds
the lock or unlock permission on the root (moderators and administrators do), change its lock,
then fail on the way back to its parent's listing, which the root has not
(PageOperationViewMixin.get_success_url: AttributeError on None). Nothing can be locked there:
the URL names nothing an editor handles, so the answer is the 404 page and the lock is untouched.
"""

from wagtail.admin.views.pages.lock import LockView, UnlockView
from wagtail.models import Page

from .views import page_not_found


def is_lock_of_tree_root(view_func, view_kwargs):
    # as_view() documents view_class on the function it returns.
    view_class = getattr(view_func, "view_class", None)
    if view_class is None or not issubclass(view_class, (LockView, UnlockView)):
        return False
    return Page.objects.filter(pk=view_kwargs.get("page_id"), depth=1).exists()


class TreeRootLockMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_lock_of_tree_root(view_func, view_kwargs):
            return page_not_found(request)
        return None
