"""Dashboard panel summarising the translation queue: for each target language, how many items
are missing, outdated, in progress or ready for review, each number linking to the queue
filtered by that language and status.

The statuses come from the queue's own computation (`translation_queue.queries.queue_rows`), so
the panel and the queue always agree.
"""

from collections import Counter
from urllib.parse import urlencode

from django.urls import reverse
from wagtail.admin.ui.components import Component

from .translation_queue.queries import (
    IN_PROGRESS,
    MISSING,
    OUTDATED,
    READY_FOR_REVIEW,
    STATUS_LABELS,
    queue_rows,
    target_locales,
)

# What still needs someone's work; published translations are left out.
SUMMARY_STATUSES = (MISSING, OUTDATED, IN_PROGRESS, READY_FOR_REVIEW)


def translation_summary(locales=None):
    """[{"locale": Locale, "statuses": [{"code", "label", "count", "url"}, ...]}, ...]"""
    locales = target_locales() if locales is None else locales
    if not locales:
        return []
    counts = Counter((row.target_locale.pk, row.status) for row in queue_rows(locales=locales))
    queue_url = reverse("translation_queue:index")
    return [
        {
            "locale": locale,
            "statuses": [
                {
                    "code": status,
                    "label": STATUS_LABELS[status],
                    "count": counts[(locale.pk, status)],
                    "url": f"{queue_url}?"
                    + urlencode({"locale": locale.language_code, "status": status}),
                }
                for status in SUMMARY_STATUSES
            ],
        }
        for locale in locales
    ]


class TranslationSummaryPanel(Component):
    name = "translation_summary"
    order = 160
    template_name = "ngo_site/admin/translation_summary_panel.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["languages"] = translation_summary()
        return context
