"""Email each translator a digest of the translation queue (run daily from cron, see
docs/localisation.md): the items assigned to them and not published yet, and how many items
are outdated or missing per language, with links to the queue.

Recipients: active members of the Translators group with an email address, and anyone else
with an assignment. Nobody is emailed when there is nothing to report. A fixed number of
queries whatever the number of recipients and items (the assignments are read in one query).
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.core.management.base import BaseCommand
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ngo_site import roles
from ngo_site.translation_queue.entries import refresh_pending
from ngo_site.translation_queue.models import QueueEntry
from ngo_site.translation_queue.queries import (
    MISSING,
    OUTDATED,
    PUBLISHED,
    STATUS_LABELS,
    target_locales,
)

# Items listed per person; the digest says how many more there are.
MAX_ITEMS_PER_DIGEST = 50


def queue_counts(locales):
    """[(locale, outdated, missing)] for the locales with something to do: one query."""
    counts = defaultdict(dict)
    for locale_id, status, number in (
        QueueEntry.objects.filter(target_locale__in=locales, status__in=[OUTDATED, MISSING])
        .values_list("target_locale_id", "status")
        .annotate(number=Count("pk"))
        .order_by()
    ):
        counts[locale_id][status] = number
    return [
        (locale, counts[locale.pk].get(OUTDATED, 0), counts[locale.pk].get(MISSING, 0))
        for locale in locales
        if counts.get(locale.pk)
    ]


def assignments_by_user(locales):
    """{user id: [QueueEntry]} of the unpublished assigned items, soonest due first: one query."""
    assigned = defaultdict(list)
    for entry in (
        QueueEntry.objects.filter(assignee__isnull=False, target_locale__in=locales)
        .exclude(status=PUBLISHED)
        .select_related("target_locale")
        .order_by("assignee_id", F("due_date").asc(nulls_last=True), "folded_title", "pk")
    ):
        assigned[entry.assignee_id].append(entry)
    return assigned


def recipients(assigned):
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name=roles.TRANSLATORS) | Q(pk__in=list(assigned)), is_active=True
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


class Command(BaseCommand):
    help = "Email each translator a digest of their assigned items and of the queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say who would get a digest and what it would list; send nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        refresh_pending()
        locales = target_locales()
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        queue_url = base + reverse("translation_queue:index")
        counts = queue_counts(locales)
        assigned = assignments_by_user(locales)
        sent = 0
        with translation.override(settings.LANGUAGE_CODE):
            for user in recipients(assigned):
                items = assigned.get(user.pk, [])
                if not items and not counts:
                    continue  # nothing to report
                context = {
                    "user": user,
                    "items": [
                        {
                            "title": entry.title,
                            "language": entry.target_locale.get_display_name(),
                            "status": STATUS_LABELS[entry.status],
                            "due_date": entry.due_date,
                        }
                        for entry in items[:MAX_ITEMS_PER_DIGEST]
                    ],
                    "more": max(len(items) - MAX_ITEMS_PER_DIGEST, 0),
                    "counts": [
                        {
                            "language": locale.get_display_name(),
                            "outdated": outdated,
                            "missing": missing,
                            "outdated_url": f"{queue_url}?locale={locale.language_code}"
                            f"&status={OUTDATED}",
                            "missing_url": f"{queue_url}?locale={locale.language_code}"
                            f"&status={MISSING}",
                        }
                        for locale, outdated, missing in counts
                    ],
                    "my_url": f"{queue_url}?assignee=me&ordering=due_date",
                    "queue_url": queue_url,
                }
                if dry_run:
                    self.stdout.write(
                        f"{user.email}: {len(items)} assigned, "
                        + ", ".join(
                            f"{item['language']} {item['outdated']} outdated "
                            f"{item['missing']} missing"
                            for item in context["counts"]
                        )
                    )
                    continue
                message = EmailMultiAlternatives(
                    subject=_("Translation queue: %(count)s item(s) assigned to you")
                    % {"count": len(items)},
                    body=render_to_string("translation_queue/digest.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[user.email],
                )
                message.attach_alternative(
                    render_to_string("translation_queue/digest.html", context),
                    "text/html",
                )
                message.send()
                sent += 1
        if not dry_run:
            self.stdout.write(f"{sent} digest(s) sent.")
