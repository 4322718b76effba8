"""Helpers for posting the public forms as a person would."""

import time

from bs4 import BeautifulSoup

from partnerships import spam


def started_seconds_ago(seconds):
    """The form's signed start time, as if the form had been shown `seconds` ago."""
    return spam.new_started_token(now=time.time() - seconds)


def contact_data(**overrides):
    data = {
        "name": "Amina Diallo",
        "email": "amina@example.org",
        "organisation": "Street Vendors' Union",
        "topic": "media",
        "message": "Could we interview someone about street vendors?",
        "company_website": "",
        "started": started_seconds_ago(60),
    }
    data.update(overrides)
    return data


def newsletter_data(**overrides):
    data = {
        "email": "reader@example.org",
        "name": "Reader",
        "language": "en",
        "company_website": "",
        "started": started_seconds_ago(60),
    }
    data.update(overrides)
    return data


def soup_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def error_summary_text(response):
    summary = soup_of(response).select_one(".error-summary")
    return summary.get_text(" ", strip=True) if summary else ""
