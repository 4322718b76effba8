"""What happens to a contact message: it is stored for editors, the sender gets an
acknowledgement and the addresses in PARTNERSHIPS_CONTACT_RECIPIENTS (if any) get a copy.

The acknowledgement deliberately repeats nothing the sender wrote, not even their name: the
sender's address is not verified, so quoting their text would let anyone use the form to send
their words ("Hello Claim your prize at …") to a stranger. An address gets at most
PARTNERSHIPS_RECIPIENT_MAIL_LIMIT such emails per window (spam.may_email); the message is stored
for editors either way.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ngo_site.addresses import absolute_url

from . import emails, spam
from .models import ContactSubmission


def record_message(request, data):
    submission = ContactSubmission.objects.create(
        name=data["name"],
        email=data["email"],
        organisation=data["organisation"],
        topic=data["topic"],
        message=data["message"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if spam.may_email(submission.email, "contact_acknowledgement"):
        emails.send("contact_acknowledgement", {}, to=[submission.email])

    recipients = settings.PARTNERSHIPS_CONTACT_RECIPIENTS
    if recipients:
        admin_url = absolute_url(
            reverse("contact_messages:inspect", kwargs={"pk": submission.pk}), request
        )
        # Staff read it in the default language, whatever language the sender wrote in;
        # answering the notification writes to the sender.
        with translation.override(settings.LANGUAGE_CODE):
            emails.send(
                "contact_notification",
                {"submission": submission, "admin_url": admin_url},
                to=recipients,
                reply_to=[submission.email],
            )
    return submission
