"""Newsletter subscriptions with double opt-in.

Signing up stores the address as "waiting for confirmation" and emails a link. Only following
that link (within PARTNERSHIPS_NEWSLETTER_CONFIRMATION_MAX_AGE seconds) and pressing the button
on the page it opens confirms the subscription, which proves that the owner of the address asked
for it. Every email after that carries an unsubscribe link.

Both links carry a token signed with SECRET_KEY (django.core.signing) naming the subscriber, so
no token table is needed and a token cannot be made up or altered. The token holds the
subscriber's id and a digest of the address, not the address itself, which would otherwise end
up in server logs. Confirmation tokens expire; unsubscribe tokens do not, because newsletters
are read long after they are sent.

The response to a sign-up is the same whether or not the address is already subscribed, so the
form does not tell strangers who subscribes. The emails before confirmation repeat nothing the
visitor typed (not the name), and one address gets at most PARTNERSHIPS_RECIPIENT_MAIL_LIMIT of
them per window, whoever signs it up (spam.may_email).
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from ngo_site.addresses import absolute_url

from . import emails, spam
from .models import NewsletterSubscriber, SubscriptionStatus

CONFIRM_SALT = "partnerships.newsletter.confirm"
UNSUBSCRIBE_SALT = "partnerships.newsletter.unsubscribe"


class InvalidToken(Exception):
    """The link is forged, damaged or expired, or its subscriber no longer exists."""


# --- Tokens -----------------------------------------------------------------------------------


def _payload(subscriber):
    return {"id": subscriber.pk, "address": _address_digest(subscriber.email)}


def _address_digest(email):
    # Ties the token to the address: a token stops working if the row's address changes.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:20]


def confirmation_token(subscriber):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(_payload(subscriber))


def unsubscribe_token(subscriber):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(_payload(subscriber))


def subscriber_from_confirmation_token(token):
    try:
        data = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=settings.PARTNERSHIPS_NEWSLETTER_CONFIRMATION_MAX_AGE
        )
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature too
        raise InvalidToken from exc
    return _subscriber(data)


def subscriber_from_unsubscribe_token(token):
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature as exc:
        raise InvalidToken from exc
    return _subscriber(data)


def _subscriber(data):
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise InvalidToken
    subscriber = NewsletterSubscriber.objects.filter(pk=data["id"]).first()
    if subscriber is None or _address_digest(subscriber.email) != data.get("address"):
        raise InvalidToken
    return subscriber


# --- Sign-up, confirmation, unsubscription ----------------------------------------------------


def sign_up(request, email, name, language):
    """Record the sign-up and send the email that fits the address's state."""
    now = timezone.now()
    try:
        with transaction.atomic():
            subscriber, created = NewsletterSubscriber.objects.get_or_create(
                email__iexact=email,
                defaults={"email": email, "name": name, "language": language, "signed_up_at": now},
            )
    except IntegrityError:  # the same address signed up at the same moment
        subscriber, created = NewsletterSubscriber.objects.get(email__iexact=email), False
    if subscriber.is_confirmed:
        if spam.may_email(subscriber.email, "newsletter_already_subscribed"):
            send_already_subscribed_email(request, subscriber)
        return subscriber
    if not created:
        subscriber.name = name or subscriber.name
        subscriber.language = language
        subscriber.status = SubscriptionStatus.PENDING
        subscriber.signed_up_at = now
        subscriber.save(update_fields=["name", "language", "status", "signed_up_at"])
    if spam.may_email(subscriber.email, "newsletter_confirm"):
        send_confirmation_email(request, subscriber)
    return subscriber


def confirm(request, subscriber):
    if not subscriber.is_confirmed:
        subscriber.confirm()
        send_welcome_email(request, subscriber)


def unsubscribe(subscriber):
    if subscriber.status != SubscriptionStatus.UNSUBSCRIBED:
        subscriber.unsubscribe()


# --- Emails -----------------------------------------------------------------------------------


def _absolute(request, view_name, token, language):
    with translation.override(language):
        return absolute_url(reverse(view_name, kwargs={"token": token}), request)


def _send(subscriber, template, context):
    """Send an email in the subscriber's language."""
    with translation.override(subscriber.language):
        emails.send(template, context, to=[subscriber.email])


def send_confirmation_email(request, subscriber):
    hours = settings.PARTNERSHIPS_NEWSLETTER_CONFIRMATION_MAX_AGE // 3600
    link = _absolute(
        request, "newsletter_confirm", confirmation_token(subscriber), subscriber.language
    )
    _send(
        subscriber, "newsletter_confirm", {"subscriber": subscriber, "link": link, "hours": hours}
    )


def send_welcome_email(request, subscriber):
    link = _absolute(
        request, "newsletter_unsubscribe", unsubscribe_token(subscriber), subscriber.language
    )
    _send(subscriber, "newsletter_welcome", {"subscriber": subscriber, "unsubscribe_link": link})


def send_already_subscribed_email(request, subscriber):
    link = _absolute(
        request, "newsletter_unsubscribe", unsubscribe_token(subscriber), subscriber.language
    )
    _send(
        subscriber,
        "newsletter_already_subscribed",
        {"subscriber": subscriber, "unsubscribe_link": link},
    )
