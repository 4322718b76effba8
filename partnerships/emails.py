"""Sending the forms' plain-text emails.

Templates live in partnerships/templates/partnerships/email/<name>.txt; their first line is the
subject. A mail server that is down must not turn an accepted form into an error page: the
message or the subscription is already stored (editors see it in the admin, the visitor can ask
for a new link), so a failed send is logged and the visitor's request goes on.
"""

import logging

from django.core.mail import EmailMessage
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def render(template, context):
    """(subject, body) of an email template."""
    text = render_to_string(f"partnerships/email/{template}.txt", context).strip()
    subject, _blank, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def send(template, context, to, reply_to=None):
    subject, body = render(template, context)
    message = EmailMessage(subject, body, to=list(to), reply_to=reply_to)
    try:
        message.send()
    except Exception:  # SMTP errors, refused connections, timeouts…
        logger.exception("Could not send the %s email", template)
        return False
    return True
