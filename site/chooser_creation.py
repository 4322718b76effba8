"""A chooser's "create" URL without a creation form answers 404, not a 500.

Wagtail registers create/ for every chooser (snippet choosers included), but a chooser viewset
without creation_form_class, form_fields or exclude_form_fields has no creation form: Wagtail
omits its "Create" tab, and a POST to the URL failed on the missing form (AttributeError in
wagtail.admin.views.generic.chooser.CreateViewMixin.post). Nothing can be created there, so
the URL names nothing: 404. A chooser that has a creation form is left alone.
"""

from wagtail.admin.views.generic.chooser import CreateViewMixin, CreationFormMixin

from .views import page_not_found

CREATION_FORM_OPTIONS = ("creation_form_class", "form_fields", "exclude_form_fields")


def has_no_creation_form(view_func):
    """Whether the view is a chooser's create view without a creation form: Wagtail's own
    get_creation_form_class (the image and document choosers replace it with theirs) and none
    of the options it builds the form from."""
    # as_view() documents view_class and view_initkwargs on the function it returns.
    view_class = getattr(view_func, "view_class", None)
    if view_class is None or not issubclass(view_class, CreateViewMixin):
        return False
    if view_class.get_creation_form_class is not CreationFormMixin.get_creation_form_class:
        return False
    initkwargs = getattr(view_func, "view_initkwargs", {})
    return all(
        initkwargs.get(name, getattr(view_class, name, None)) is None
        for name in CREATION_FORM_OPTIONS
    )


class ChooserWithoutCreationFormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if has_no_creation_form(view_func):
            return page_not_found(request)
        return None
