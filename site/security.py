"""Security glue: the admin's own Content-Security-Policy, the login lockout parameters and the
lockout response."""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with ADMIN_CONTENT_SECURITY_POLICY under ADMIN_URL_PREFIX.

    Wagtail's admin needs inline scripts and styles; the public site does not, so it keeps the
    strict CONTENT_SECURITY_POLICY of the settings.

    A preview (the editor's preview panel, revision, moderation and translation previews) is
    rendered by Wagtail's make_preview_request through this whole middleware chain again, with a
    dummy request for the page's public URL: the public policy is set on it there, and the
    admin request around it keeps that header (django-csp never replaces one). The preview
    keeps the public policy, so editors see what visitors will, but may be framed by the admin:
    frame-ancestors 'self' instead of 'none', as csp_replace would do for one view."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.ADMIN_URL_PREFIX)
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY
        return parts


def login_locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once a username and address have had too many wrong passwords."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed login attempts. For your security this account is locked for "
        "%(minutes)d minutes from this address; try again later or ask an administrator."
    ) % {"minutes": minutes}
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


BY_ACCOUNT = ["username", "ip_address"]


def login_lockout_parameters(request_or_attempt, credentials=None):
    """django-axes' AXES_LOCKOUT_PARAMETERS: a username is locked out from one address after
    AXES_FAILURE_LIMIT wrong passwords, and the address itself, for every username, once it has
    sent AXES_IP_FAILURE_LIMIT wrong passwords within the cool-off (password spraying).

    axes compares one limit with the failures of every group it is given, so the address group
    is only given once the address has reached its own, larger limit."""
    address = getattr(request_or_attempt, "axes_ip_address", None) or getattr(
        request_or_attempt, "ip_address", None
    )
    if address and failures_from_address(address) >= settings.AXES_IP_FAILURE_LIMIT:
        return [BY_ACCOUNT, "ip_address"]
    return [BY_ACCOUNT]


def failures_from_address(address):
    from axes.models import AccessAttempt
    from django.db.models import Sum
    from django.utils import timezone

    recent = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0
