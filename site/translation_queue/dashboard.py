"""Dashboard panel summarising the translation queue: for each target language, how many items
are missing, outdated, in progress or ready for review, each number linking to the queue
filtered by that language and status.

The counts come from the queue's own stored rows (`translation_queue.models.QueueEntry`), so
the panel and the queue always agree; one grouped query whatever the number of items.
"""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from wagtail.admin.ui.components import Component

from .entries import refresh_pending
from .models import QueueEntry
from .queries import (
    IN_PROGRESS,
    MISSING,
    OUTDATED,
    READY_FOR_REVIEW,
    STATUS_LABELS,
    target_locales,
)

# What still needs someone's work; published translations are left out.
SUMMARY_STATUSES = (MISSING, OUTDATED, IN_PROGRESS, READY_FOR_REVIEW)


def translation_summary(locales=None):
    """[{"locale": Locale, "statuses": [{"code", "label", "count", "url"}, ...]}, ...]"""
    locales = target_locales() if locales is None else locales
    if not locales:
        return []
    refresh_pending()
    counts = {
        (locale_id, status): count
        for locale_id, status, count in QueueEntry.objects.filter(target_locale__in=locales)
        .values("target_locale_id", "status")
        .annotate(count=Count("pk"))
        .values_list("target_locale_id", "status", "count")
        .order_by()
    }
    queue_url = reverse("translation_queue:index")
    return [
        {
            "locale": locale,
            "statuses": [
                {
                    "code": status,
                    "label": STATUS_LABELS[status],
                    "count": counts.get((locale.pk, status), 0),
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
    template_name = "translation_queue/summary_panel.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["languages"] = translation_summary()
        return context
