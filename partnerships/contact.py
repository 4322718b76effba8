"""What happens to a contact message: it is stored for editors, the sender gets an
acknowledgement and the addresses in PARTNERSHIPS_CONTACT_RECIPIENTS (if any) get a copy.

The acknowledgement deliberately does not repeat the message: the sender's address is not
verified, so quoting their text would let anyone use the form to send their words to a stranger.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import emails
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
    emails.send("contact_acknowledgement", {"submission": submission}, to=[submission.email])

    recipients = settings.PARTNERSHIPS_CONTACT_RECIPIENTS
    if recipients:
        admin_url = request.build_absolute_uri(
            reverse("contact_messages:inspect", kwargs={"pk": submission.pk})
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
