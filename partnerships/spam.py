"""Spam resistance for the public forms, without any outside service.

Three checks, all configurable in settings (see the end of site/settings/base.py):

- a honeypot: a text field that people never see (it is off-screen and hidden from assistive
  technology) but that form-filling robots fill in;
- a minimum time to submit: the form carries the time it was shown, signed so that it cannot be
  forged; a form sent back sooner than a person could fill it in is refused;
- a rate limit per client address, counted in Django's cache.

A refused form stores nothing and sends no email; the visitor sees why, with their input kept.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

STARTED_SALT = "partnerships.forms.started"


@dataclass(frozen=True)
class Verdict:
    """Why a submission is refused. `renew_token` when the form needs a fresh start time."""

    reason: str
    message: str
    renew_token: bool = False


HONEYPOT = Verdict(
    "honeypot",
    _(
        "This form looks as if a program filled it in, so it was not sent. If you filled it in "
        "yourself, please send it again."
    ),
)
TOO_FAST = Verdict(
    "too_fast",
    _(
        "This form was sent faster than a person can fill it in, so it was not sent. Please "
        "check your entries, wait a few seconds and send it again."
    ),
)
NO_VALID_TOKEN = Verdict(
    "no_valid_token",
    _("This form could not be checked, so it was not sent. Please send it again."),
    renew_token=True,
)
EXPIRED = Verdict(
    "expired",
    _(
        "This form was opened too long ago, so it was not sent. Please check your entries and "
        "send it again."
    ),
    renew_token=True,
)


def new_started_token(now=None):
    """A signed record of when the form was shown."""
    return signing.dumps({"t": time.time() if now is None else now}, salt=STARTED_SALT)


def check_started_token(token, now=None):
    """None when the form took a plausible time to fill in, otherwise the Verdict."""
    try:
        started = float(signing.loads(token or "", salt=STARTED_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return NO_VALID_TOKEN
    elapsed = (time.time() if now is None else now) - started
    if elapsed < settings.PARTNERSHIPS_FORM_MIN_SECONDS:
        return TOO_FAST
    if elapsed > settings.PARTNERSHIPS_FORM_MAX_AGE:
        return EXPIRED
    return None


# --- Client address and rate limit -------------------------------------------------------------


def client_address(request):
    """The visitor's IP address.

    X-Forwarded-For is only believed when settings say how many reverse proxies stand in front
    of the site (PARTNERSHIPS_TRUSTED_PROXY_COUNT, 0 by default): anyone can send that header,
    so only the entries our own proxies appended count. Each proxy appends the address it saw,
    so the client is the N-th entry from the right."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.PARTNERSHIPS_TRUSTED_PROXY_COUNT
    if trusted > 0:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if forwarded:
            candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
            if _is_ip_address(candidate):
                return candidate
    return remote


def _is_ip_address(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _client_key(address):
    """What the rate limit counts by: the address, or its /64 network for IPv6 (one home or
    office usually holds a whole /64). Hashed, so the cache holds no addresses."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if parsed is not None and parsed.version == 6:
        address = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def _rate_key(request, scope):
    return f"partnerships:forms:{scope}:{_client_key(client_address(request))}"


def is_rate_limited(request, scope):
    """Whether this client has already sent as many `scope` forms as the window allows."""
    return cache.get(_rate_key(request, scope), 0) >= settings.PARTNERSHIPS_FORM_RATE_LIMIT


def count_submission(request, scope):
    """Count one submission (accepted or refused as spam) against the client's allowance.

    The window starts with the client's first submission: cache.add only sets the counter when
    there is none, so later submissions do not extend it."""
    key = _rate_key(request, scope)
    window = settings.PARTNERSHIPS_FORM_RATE_WINDOW
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)


def rate_limit_message():
    minutes = max(1, settings.PARTNERSHIPS_FORM_RATE_WINDOW // 60)
    return ngettext(
        "Too many forms have been sent from your network recently, so this one was not sent. "
        "Please try again in %(minutes)d minute.",
        "Too many forms have been sent from your network recently, so this one was not sent. "
        "Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
