"""Logging of the errors that clients cause: one line each, never a traceback.

Django logs a refused request with the exception attached: a SuspiciousOperation (a Host that
is not allowed, a body too large, a bad session cookie…) on the logger django.security.<name>
at ERROR, a BadRequest or a CSRF refusal on django.request or django.security.csrf. Their
tracebacks say nothing about the site, and a robot sending thousands of them would fill the
disk. This filter, on the handlers of settings.LOGGING, keeps the message and drops the
exception of these records; a server error (5xx, and anything outside these loggers) keeps its
traceback. The message is also put on one line: the path and the Host header it quotes come
from the client, who could otherwise forge log lines with an encoded newline.
"""

import logging

CLIENT_ERROR_LOGGERS = ("django.security", "django.request", "django.server")
# A client's Host header or path can be long: the line quotes this many characters of it.
MAX_MESSAGE_LENGTH = 1000


def is_client_error(record):
    if not record.name.startswith(CLIENT_ERROR_LOGGERS):
        return False
    status_code = getattr(record, "status_code", None)
    if status_code is None:
        # django.security's records of a refused request (DisallowedHost, csrf) without one.
        return record.name.startswith("django.security")
    return 400 <= status_code < 500


def one_line(text):
    escaped = text.encode("unicode_escape").decode("ascii")
    if len(escaped) > MAX_MESSAGE_LENGTH:
        escaped = escaped[:MAX_MESSAGE_LENGTH] + "..."
    return escaped


class ClientErrorFilter(logging.Filter):
    def filter(self, record):
        if is_client_error(record):
            record.msg = one_line(record.getMessage())
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
