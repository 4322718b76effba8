"""A URL naming an object by an identifier of the wrong type gets the 404 page, not a 500.

Some of Wagtail's admin views look an object up by the text of the URL without converting it
first: /admin/snippets/choose/<app>/<model>/chosen/main/ for a model whose keys are numbers
(wagtail.admin.views.generic.chooser.ChosenViewMixin catches ObjectDoesNotExist only). Django
then raises ValueError ("Field 'id' expected a number but got 'main'.") or, for a UUID or a
date, ValidationError with the code "invalid", and the visitor got a server error. No object
has that identifier: the answer is 404, as for any other identifier that names nothing.

Only these two errors of a field's lookup are turned into a 404; any other exception of a view
is still a server error, logged with its traceback.
"""

import re

from django.core.exceptions import ValidationError

from .views import page_not_found

# django.db.models.fields: IntegerField, AutoField, FloatField… get_prep_value(); untranslated.
NUMBER_LOOKUP = re.compile(r"^Field '[^']+' expected a number but got ")


def is_malformed_identifier(exception):
    if isinstance(exception, ValidationError):
        return getattr(exception, "code", None) == "invalid"
    return isinstance(exception, ValueError) and bool(NUMBER_LOOKUP.match(str(exception)))


class MalformedIdentifierMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_malformed_identifier(exception):
            return page_not_found(request, exception)
        return None
