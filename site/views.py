"""Views that are not Wagtail pages: the error pages.

Django's own error views carry @requires_csrf_token, which runs the CSRF check again and so
reads request.POST. When the request failed *because* its body cannot be read (a form body
declared in another charset than UTF-8 raises BadRequest on every read), that second read
fails inside the error view, then inside the 500 view, and gunicorn answers with its bare 500.
None of these pages has a form that needs the token (a {% csrf_token %} would still get one
from the context processor), so none of these views checks it: they never read the body.
"""

from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.utils.translation import gettext_lazy as _


def render_error_page(request, template_name, response_class, **context):
    """The error page in the site's layout. Should it fail (the footer needs the database),
    Django answers with server_error below, which needs nothing."""
    body = loader.render_to_string(
        template_name, {"request_path": request.path, **context}, request
    )
    return response_class(body)


def bad_request(request, exception=None):
    return render_error_page(request, "400.html", HttpResponseBadRequest)


def permission_denied(request, exception=None):
    return render_error_page(request, "403.html", HttpResponseForbidden)


def page_not_found(request, exception=None):
    return render_error_page(request, "404.html", HttpResponseNotFound)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form sent without its token, from another site or after
    the cookie expired. The visitor is told what to do, not Django's reason."""
    return render_error_page(
        request,
        "403.html",
        HttpResponseForbidden,
        explanation=_(
            "The form could not be sent: it was open too long or cookies are blocked. "
            "Reload the page and send it again."
        ),
    )


def server_error(request):
    """The 500 page. It renders without context processors or database access, because the
    database may be the very thing that failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_path": request.path}))
