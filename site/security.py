"""Security glue: the admin's own Content-Security-Policy, the client's address behind reverse
proxies, the login lockout parameters and response, and the throttle of page and document
passwords."""

import ipaddress
import logging

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


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


# --- The client's address -------------------------------------------------------------------


def client_ip_address(request):
    """The visitor's IP address, for the login lockout (AXES_CLIENT_IP_CALLABLE), the page
    password throttle and the public forms' limits.

    Behind reverse proxies every request comes from the proxy, so the visitor is the address the
    proxies appended to X-Forwarded-For. That header is only believed when the request comes from
    one of TRUSTED_PROXY_ADDRESSES (gunicorn's FORWARDED_ALLOW_IPS) and TRUSTED_PROXY_COUNT says
    how many proxies append to it: anyone can send the header, so only the entries our own
    proxies appended count. Each proxy appends the address it saw, so the client is the N-th
    entry from the right (or the farthest one, when there are fewer)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        if request.META.get("HTTP_X_FORWARDED_FOR") and _is_trusted_proxy(remote):
            _warn_proxy_not_configured(remote)
        return remote
    if not _is_trusted_proxy(remote):
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote
    candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
    return candidate if _parse_ip(candidate) is not None else remote


logger = logging.getLogger(__name__)
PROXY_NOT_CONFIGURED = (
    "Requests reach the site through a proxy (X-Forwarded-For, from %s) but TRUSTED_PROXY_COUNT "
    "is 0, so every visitor counts as the proxy's address: a few wrong passwords lock an "
    "account for everyone, and one visitor uses up everyone's form allowance. Set "
    "TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For "
    '(docs/deployment.md, "Reverse proxy and the visitor\'s address").'
)
_proxy_warning_logged = False


def _warn_proxy_not_configured(remote):
    """Log PROXY_NOT_CONFIGURED once per process: the first request that shows the mistake says
    so in the log, without repeating it on every request."""
    global _proxy_warning_logged
    if not _proxy_warning_logged:
        _proxy_warning_logged = True
        logger.warning(PROXY_NOT_CONFIGURED, remote)


def check_proxy_configured(app_configs, **kwargs):
    """`manage.py check --deploy` (registered in NgoSiteConfig.ready): a site behind a
    TLS-terminating proxy (SECURE_PROXY_SSL_HEADER set) with TRUSTED_PROXY_COUNT at 0 takes every
    visitor for the proxy."""
    if settings.SECURE_PROXY_SSL_HEADER and settings.TRUSTED_PROXY_COUNT <= 0:
        return [
            checks.Warning(
                "SECURE_PROXY_SSL_HEADER says the site is behind a proxy, but "
                "TRUSTED_PROXY_COUNT is 0: the login lockout and the forms' limits would count "
                "every visitor as the proxy.",
                hint='Set TRUSTED_PROXY_COUNT (docs/deployment.md, "Reverse proxy and the '
                "visitor's address\").",
                id="ngo_site.W001",
            )
        ]
    return []


def _parse_ip(value):
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted_proxy(remote):
    """Whether REMOTE_ADDR is one of TRUSTED_PROXY_ADDRESSES (addresses, networks, or "*").

    A REMOTE_ADDR that is no IP address is a Unix socket (GUNICORN_BIND=unix:…), which only
    processes on the host, the proxy, can reach: trusted, as gunicorn trusts it too."""
    address = _parse_ip(remote)
    if address is None:
        return True
    for entry in settings.TRUSTED_PROXY_ADDRESSES:
        if entry == "*":
            return True
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


# --- Admin login lockout (django-axes) -------------------------------------------------------


def login_locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once an account has had too many wrong passwords."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed login attempts. For your security this account is locked for "
        "%(minutes)d minutes; try again later or ask an administrator."
    ) % {"minutes": minutes}
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


BY_ACCOUNT = ["username", "ip_address"]


def login_lockout_parameters(request_or_attempt, credentials=None):
    """django-axes' AXES_LOCKOUT_PARAMETERS. Three limits, all within the cool-off:

    - a username is locked out from one address after AXES_FAILURE_LIMIT wrong passwords;
    - the address itself, for every username, once it has sent AXES_IP_FAILURE_LIMIT wrong
      passwords (password spraying);
    - the username from every address once it has had AXES_USERNAME_FAILURE_LIMIT wrong
      passwords, whatever their addresses (guesses spread over many addresses). Page and
      document passwords (PASSWORD_PROTECTED_PREFIX) are shared by many visitors: they have no
      such cap, which would let anyone lock a page for everyone.

    axes compares one limit with the failures of every group it is given, so a group is only
    given once it has reached its own, larger limit."""
    groups = [BY_ACCOUNT]
    address = getattr(request_or_attempt, "axes_ip_address", None) or getattr(
        request_or_attempt, "ip_address", None
    )
    if address and recent_failures(ip_address=address) >= settings.AXES_IP_FAILURE_LIMIT:
        groups.append("ip_address")
    username = _username(request_or_attempt, credentials)
    if (
        username
        and not username.startswith(PASSWORD_PROTECTED_PREFIX)
        and recent_failures(username=username) >= settings.AXES_USERNAME_FAILURE_LIMIT
    ):
        groups.append("username")
    return groups


def _username(request_or_attempt, credentials):
    if credentials and credentials.get("username"):
        return str(credentials["username"])
    if isinstance(request_or_attempt, HttpRequest):
        from axes.helpers import get_client_username

        return get_client_username(request_or_attempt, credentials)
    return getattr(request_or_attempt, "username", None)


def recent_failures(**lookup):
    from axes.models import AccessAttempt
    from django.db.models import Sum
    from django.utils import timezone

    recent = AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME, **lookup
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


# --- Page and document passwords -------------------------------------------------------------

# The name under which django-axes counts wrong passwords for a page's (or a collection's)
# password restriction, per address: "password-restriction:page:<restriction id>" (or
# "…:collection:<id>"). The restriction, not the page: one restriction covers a page and its
# children, whose ids would otherwise give an attacker as many counts.
PASSWORD_PROTECTED_PREFIX = "password-restriction:"
PASSWORD_VIEWS = {
    "wagtailcore_authenticate_with_password": "page",
    "wagtaildocs_authenticate_with_password": "collection",
}


class PasswordRestrictionThrottleMiddleware:
    """Wrong guesses at Wagtail's page and document passwords count like wrong admin passwords.

    Wagtail checks those passwords in its own views (authenticate_with_password), outside
    Django's authentication, so django-axes does not see them. This middleware tells axes of
    each wrong password (the view shows its form again) under the name
    PASSWORD_PROTECTED_PREFIX + the restriction's id, with the visitor's address: after
    AXES_FAILURE_LIMIT wrong passwords for one restriction from one address, that address gets
    the form again with "too many attempts" and HTTP 429 for AXES_COOLOFF_MINUTES, even with the
    right password. A right password clears the count. They also count towards the address's
    AXES_IP_FAILURE_LIMIT."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        credentials = getattr(request, "password_restriction_credentials", None)
        if credentials is None:
            return response
        from axes.handlers.proxy import AxesProxyHandler

        if response.status_code == 200:  # the form again: a wrong password
            AxesProxyHandler.user_login_failed(
                sender=PasswordRestrictionThrottleMiddleware,
                credentials=credentials,
                request=request,
            )
        elif 300 <= response.status_code < 400:  # the password was right
            AxesProxyHandler.reset_attempts(
                ip_address=request.axes_ip_address, username=credentials["username"]
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        kind = PASSWORD_VIEWS.get(match.url_name if match else None)
        if kind is None or request.method != "POST":
            return None
        restriction_id = view_kwargs.get(
            "page_view_restriction_id" if kind == "page" else "restriction_id"
        )
        credentials = {"username": f"{PASSWORD_PROTECTED_PREFIX}{kind}:{restriction_id}"}
        from axes.handlers.proxy import AxesProxyHandler

        if AxesProxyHandler.is_allowed(request, credentials):
            request.password_restriction_credentials = credentials
            return None
        return password_locked_out(request, kind, view_kwargs)


def refused_password_form(form_class):
    """Wagtail's password form, unbound (nothing was checked), showing `refusal` at its top."""

    class RefusedPasswordForm(form_class):
        refusal = ""

        def non_field_errors(self):
            return self.error_class([self.refusal], error_class="nonfield")

    return RefusedPasswordForm


def password_locked_out(request, kind, view_kwargs):
    """The password form again, with a message instead of a check, and HTTP 429."""
    from django.template.response import TemplateResponse
    from django.urls import reverse
    from wagtail.forms import PasswordViewRestrictionForm
    from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction

    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, seconds // 60)
    message = ngettext(
        "Too many wrong passwords have been tried from your network, so this one was not "
        "checked. Please try again in %(minutes)d minute.",
        "Too many wrong passwords have been tried from your network, so this one was not "
        "checked. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    if kind == "page":
        restriction = get_object_or_404(
            PageViewRestriction, pk=view_kwargs["page_view_restriction_id"]
        )
        page = get_object_or_404(Page, pk=view_kwargs["page_id"]).specific
        action_url = reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]
        )
    else:
        restriction = get_object_or_404(CollectionViewRestriction, pk=view_kwargs["restriction_id"])
        action_url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    form = refused_password_form(PasswordViewRestrictionForm)(
        instance=restriction, initial={"return_url": request.POST.get("return_url", "")}
    )
    form.refusal = message
    if kind == "page":
        response = page.serve_password_required_response(request, form, action_url)
    else:
        template = getattr(
            settings, "WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE", "wagtaildocs/password_required.html"
        )
        response = TemplateResponse(request, template, {"form": form, "action_url": action_url})
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response
