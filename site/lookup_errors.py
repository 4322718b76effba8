"""A URL naming an object by an identifier of the wrong type gets the 404 page, not a 500.

Some of Wagtail's admin views look an object up by the text of the URL without converting it
first: /admin/snippets/choose/<app>/<model>/chosen/main/ for a model whose keys are numbers
(wagtail.admin.views.generic.chooser.ChosenViewMixin catches ObjectDoesNotExist only). Django
then raises ValueError ("Field 'id' expected a number but got 'main'.") or, for a UUID or a
date, ValidationError with the code "invalid", and the visitor got a server error. No object
has that identifier: the answer is 404, as for any other identifier that names nothing.

A form sent without a field its view reads unchecked (request.POST["body-count"] in Wagtail's
page editor, request.FILES["file"] in wagtail-localize's PO upload) raises
MultiValueDictKeyError, which only a request's QueryDict or MultiValueDict raises: that is
the client's bad request, and gets the 400 page.

Wagtail's external-link chooser reads its URL field with a validator that calls `startswith`
on the value: a POST without the field (`external-link-chooser-url`) raised AttributeError.
Such a POST is the client's bad request too, refused with 400 before the view runs
(`FIELDS_READ_UNCHECKED`: the view's URL name and the field).

A `next` parameter that is neither a path nor a URL ("-1", "home") makes Django's redirect()
look it up as a view name (django.shortcuts.resolve_url) and raise NoReverseMatch: Wagtail's
login page for a logged-in user, its lock and unlock actions, wagtail-localize's and the
translation queue's actions that return to `next`. The name may even exist and need arguments
("wagtailadmin_explore"), or be namespaced ("wagtailadmin_pages:edit", which Django reports as
'edit'). When the name that failed is the request's own `next`, the answer is 400.

A query parameter the view converts with int() unchecked (Wagtail's workflow editor,
`int(request.GET.get("p", 1))`) raises ValueError "invalid literal for int()" quoting the
value: when the value quoted is one of the request's own parameters, the answer is 400.

A list of identifiers ("?id=1&id=2", Wagtail's chooser views for several snippets) is
looked up with `pk__in`, which Django does not bound as it bounds `pk=` (IntegerFieldOverflow):
a number beyond a 64-bit integer makes SQLite's driver raise OverflowError. No object has that
identifier either: 404.

Only these errors are turned into a 404 or a 400; any other exception of a view is still a
server error, logged with its traceback.
"""

import re

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch
from django.utils.datastructures import MultiValueDictKeyError

from .views import bad_request, page_not_found

# django.db.models.fields: IntegerField, AutoField, FloatField… get_prep_value(); untranslated.
NUMBER_LOOKUP = re.compile(r"^Field '[^']+' expected a number but got ")


# sqlite3's message for a Python int that does not fit its 64-bit INTEGER; untranslated.
INTEGER_OVERFLOW = "Python int too large to convert to SQLite INTEGER"


def is_malformed_identifier(exception):
    if isinstance(exception, OverflowError):
        return str(exception) == INTEGER_OVERFLOW
    if isinstance(exception, ValidationError):
        return getattr(exception, "code", None) == "invalid"
    return isinstance(exception, ValueError) and bool(NUMBER_LOOKUP.match(str(exception)))


def is_unresolvable_next(request, exception):
    if not isinstance(exception, NoReverseMatch):
        return False
    candidates = request.GET.getlist("next")
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        candidates += request.POST.getlist("next")
    return any(names_the_value(str(exception), value) for value in candidates)


# django.urls.resolvers and django.urls.base: the view name or the namespace that failed.
UNKNOWN_VIEW = re.compile(r"^Reverse for '([^']*)'(?: with .*)? not found\.")
UNKNOWN_NAMESPACE = re.compile(r"^'([^']*)' is not a registered namespace")


def names_the_value(message, value):
    """Whether Django's NoReverseMatch `message` is about reversing `value` as a view name:
    the whole name, or its last part after the namespaces ("ns:name" fails as 'name')."""
    if match := UNKNOWN_VIEW.match(message):
        return match[1] == value or value.endswith(f":{match[1]}")
    if match := UNKNOWN_NAMESPACE.match(message):
        return match[1] in value.split(":")[:-1]
    return False


def is_unconverted_parameter(request, exception):
    if not isinstance(exception, ValueError):
        return False
    prefix = "invalid literal for int() with base 10: "
    message = str(exception)
    if not message.startswith(prefix):
        return False
    # Python quotes the first 200 characters of the value's repr() (%.200R).
    quoted = message.removeprefix(prefix)
    return any(quoted == repr(value)[:200] for values in request.GET.lists() for value in values[1])


# {URL name: the POST field its view reads without checking that it was sent}
FIELDS_READ_UNCHECKED = {"wagtailadmin_choose_page_external_link": "external-link-chooser-url"}


class MalformedIdentifierMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        field = FIELDS_READ_UNCHECKED.get(match.url_name if match else None)
        if field and request.method == "POST" and field not in request.POST:
            return bad_request(request, MultiValueDictKeyError(field))
        return None

    def process_exception(self, request, exception):
        if is_malformed_identifier(exception):
            return page_not_found(request, exception)
        if (
            isinstance(exception, MultiValueDictKeyError)
            or is_unresolvable_next(request, exception)
            or is_unconverted_parameter(request, exception)
        ):
            return bad_request(request, exception)
        return None
