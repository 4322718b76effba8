"""Email each translator a digest of the translation queue (run daily from cron, see
docs/localisation.md): the items assigned to them and not published yet, and how many items
are outdated or missing per language, with links to the queue.

Jobs (translation_queue.jobs): the jobs each person translates, those due within
JOB_DUE_SOON_DAYS marked, and the jobs in review for their reviewer.

Recipients: active members of the Translators group with an email address, and anyone else
with an assignment or a job to translate or review. Nobody is emailed when there is nothing
to report. A fixed number of queries whatever the number of recipients, items and jobs (the
assignments are read in one query, the jobs in another).
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.core.management.base import BaseCommand
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ngo_site import roles
from ngo_site.translation_queue.entries import refresh_pending
from ngo_site.translation_queue.models import QueueEntry, TranslationJob
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


# A job due within this many days is "due soon" in the digest.
JOB_DUE_SOON_DAYS = 7


def jobs_by_user(locales, job_url):
    """{user id: {"translating": [...], "reviewing": [...]}}: the jobs each person translates
    (not done, soonest due first) and the jobs in review they review: one query."""
    today = timezone.localdate()
    soon = today + timedelta(days=JOB_DUE_SOON_DAYS)
    found = defaultdict(lambda: {"translating": [], "reviewing": []})
    jobs = (
        TranslationJob.objects.filter(target_locale__in=locales)
        .exclude(status=TranslationJob.DONE)
        .filter(Q(translator__isnull=False) | Q(reviewer__isnull=False))
        .select_related("target_locale")
        .annotate(item_count=Count("items"))
        .order_by(F("due_date").asc(nulls_last=True), "name", "pk")
    )
    for job in jobs:
        row = {
            "name": job.name,
            "language": job.target_locale.get_display_name(),
            "status": job.get_status_display(),
            "due_date": job.due_date,
            "due_soon": job.due_date is not None and job.due_date <= soon,
            "overdue": job.due_date is not None and job.due_date < today,
            "items": job.item_count,
            "url": job_url(job),
        }
        if job.translator_id:
            found[job.translator_id]["translating"].append(row)
        if job.reviewer_id and job.status == TranslationJob.IN_REVIEW:
            found[job.reviewer_id]["reviewing"].append(row)
    return found


def recipients(assigned, jobs=()):
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name=roles.TRANSLATORS) | Q(pk__in=[*assigned, *jobs]), is_active=True
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
        user_jobs = jobs_by_user(
            locales, lambda job: base + reverse("translation_jobs:inspect", args=[job.pk])
        )
        sent = 0
        with translation.override(settings.LANGUAGE_CODE):
            for user in recipients(assigned, user_jobs):
                items = assigned.get(user.pk, [])
                my_jobs = user_jobs.get(user.pk, {"translating": [], "reviewing": []})
                if not items and not counts and not any(my_jobs.values()):
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
                    "jobs": my_jobs["translating"],
                    "jobs_to_review": my_jobs["reviewing"],
                    "queue_url": queue_url,
                }
                if dry_run:
                    self.stdout.write(
                        f"{user.email}: {len(items)} assigned, "
                        f"{len(my_jobs['translating'])} job(s), "
                        f"{len(my_jobs['reviewing'])} job(s) to review, "
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
