"""Wagtail's admin texts whose French in its own catalogue is English ("Status" for "Statut"), or
has an English word in it ("text" for "texte").

Marked here so that `makemessages` keeps them in our catalogue (locale/fr/LC_MESSAGES/django.po),
which comes first in LOCALE_PATHS; tests/localisation/test_french_admin_pages.py finds them.
"""

from django.utils.translation import gettext_noop

WAGTAIL_TEXTS_WITH_ENGLISH_IN_FRENCH = (
    # The status side panel and the page listings (read by screen readers), the locking report.
    gettext_noop("Status: "),
    gettext_noop("Current page status:"),
    gettext_noop("Locking status"),
    # The keyboard shortcuts dialog of every admin page: "Édition de text".
    gettext_noop("Text editing"),
)
