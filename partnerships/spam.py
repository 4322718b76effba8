"""Spam resistance for the public forms, without any outside service.

Checks, all configurable in settings (the partnerships block of site/settings/base.py):

- a honeypot: a text field that people never see (it is off-screen and hidden from assistive
  technology) but that form-filling robots fill in;
- a minimum time to submit: the form carries the time it was shown, signed so that it cannot be
  forged; a form sent back sooner than a person could fill it in is refused;
- a form is accepted once per start time: the token carries a random id, recorded when the form
  is accepted (UsedFormToken), so replaying it is refused;
- a rate limit per client address;
- a cap on the emails sent to one address that has not confirmed anything (a contact form's
  sender, a newsletter sign-up), whoever asks for them.

The limits count in the database (partnerships/limits.py), so that they hold across every worker
and app server. A refused form stores nothing and sends no email; the visitor sees why, with
their input kept.
"""

import ipaddress
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ngo_site.security import client_ip_address

from . import limits
from .models import UsedFormToken

logger = logging.getLogger(__name__)

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
ALREADY_SENT = Verdict(
    "already_sent",
    _(
        "This form has already been sent once, so it was not sent again. To send another one, "
        "check your entries and send it again."
    ),
    renew_token=True,
)


def new_started_token(now=None):
    """A signed record of when the form was shown, with a random id that makes it single-use."""
    payload = {"t": time.time() if now is None else now, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=STARTED_SALT)


def _read_started_token(token):
    """(start time, id) of a genuine token, or None."""
    try:
        data = signing.loads(token or "", salt=STARTED_SALT)
        started, nonce = float(data["t"]), data["n"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not isinstance(nonce, str) or not nonce:
        return None
    return started, nonce


def started_time(token):
    """When the form of a genuine token was shown (seconds since the epoch), or None."""
    read = _read_started_token(token)
    return read[0] if read else None


def check_started_token(token, now=None):
    """None when the form took a plausible time to fill in, otherwise the Verdict."""
    read = _read_started_token(token)
    if read is None:
        return NO_VALID_TOKEN
    started = read[0]
    elapsed = (time.time() if now is None else now) - started
    if elapsed < settings.PARTNERSHIPS_FORM_MIN_SECONDS:
        return TOO_FAST
    if elapsed > settings.PARTNERSHIPS_FORM_MAX_AGE:
        return EXPIRED
    return None


def spend_started_token(token):
    """Record that the form of this (checked, genuine) token has been accepted. False when it
    already was: the same form sent again, by a robot replaying it or by a second click."""
    started, nonce = _read_started_token(token)
    expires_at = datetime.fromtimestamp(started, tz=UTC) + timedelta(
        seconds=settings.PARTNERSHIPS_FORM_MAX_AGE
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            UsedFormToken.objects.create(nonce=nonce, expires_at=max(expires_at, now))
    except IntegrityError:
        return False
    # Tokens past their age are refused as expired anyway: no need to remember them.
    UsedFormToken.objects.filter(expires_at__lt=now).delete()
    return True


# --- Client address and rate limit -------------------------------------------------------------


def client_address(request):
    """The visitor's IP address: REMOTE_ADDR, or behind trusted reverse proxies the address they
    appended to X-Forwarded-For (ngo_site.security.client_ip_address)."""
    return client_ip_address(request)


def _client_key(address):
    """What the rate limit counts by: the address, or its /64 network for IPv6 (one home or
    office usually holds a whole /64). Hashed, so the database holds no addresses."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if parsed is not None and parsed.version == 6:
        address = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return limits.digest(address)[:32]


def _rate_scope(scope):
    return f"form:{scope}"


def is_rate_limited(request, scope):
    """Whether this client has already sent as many `scope` forms as the window allows."""
    return limits.is_reached(
        _rate_scope(scope),
        _client_key(client_address(request)),
        settings.PARTNERSHIPS_FORM_RATE_LIMIT,
    )


def count_submission(request, scope):
    """Count one submission (accepted or refused as spam) against the client's allowance.
    False when the allowance was used up meanwhile (by a request in another process): the
    submission must then be refused as rate limited.

    The window starts with the client's first submission; later ones do not extend it."""
    return limits.take(
        _rate_scope(scope),
        _client_key(client_address(request)),
        settings.PARTNERSHIPS_FORM_RATE_LIMIT,
        settings.PARTNERSHIPS_FORM_RATE_WINDOW,
    )


def rate_limit_message():
    minutes = max(1, settings.PARTNERSHIPS_FORM_RATE_WINDOW // 60)
    return ngettext(
        "Too many forms have been sent from your network recently, so this one was not sent. "
        "Please try again in %(minutes)d minute.",
        "Too many forms have been sent from your network recently, so this one was not sent. "
        "Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


# --- Emails to addresses nobody has confirmed --------------------------------------------------


def may_email(address, template):
    """Whether one more email may go to `address`, which has not confirmed that it wants any:
    at most PARTNERSHIPS_RECIPIENT_MAIL_LIMIT per PARTNERSHIPS_RECIPIENT_MAIL_WINDOW seconds,
    whoever fills in the forms, so that the forms cannot be used to flood someone's inbox. The
    form is accepted either way; only the email is left out (and logged)."""
    allowed = limits.take(
        "recipient",
        limits.digest(address.strip().lower()),
        settings.PARTNERSHIPS_RECIPIENT_MAIL_LIMIT,
        settings.PARTNERSHIPS_RECIPIENT_MAIL_WINDOW,
    )
    if not allowed:
        logger.warning("Not sending the %s email: its recipient had enough already", template)
    return allowed
