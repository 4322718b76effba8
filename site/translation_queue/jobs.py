"""Translation jobs: queue items grouped for one target language, with a translator, a
reviewer, a due date, a status and a history (docs/localisation.md, "Jobs").

Who may do what (ngo_site.roles): nobody sees a job of a language they may not change
(`editable_languages`); managers (editors, moderators and administrators with rights on the
job's language: anyone but a translator-only user) create, assign, change and delete jobs; a
translator may create a job for themselves and acts on the jobs they translate. Reviewers of a
job (or those who approve) close it.

The status follows the items, from what the queue already knows (QueueEntry.status): when the
queue's rows of an item are refreshed (`follow_entries`, called by translation_queue.entries),
a job moves forward — open → in progress when an item has French, → in review when every item
is ready for review or published, → done when all are published. It never moves back by
itself: moving back (changes requested, reopened) is a person's decision (`move`).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ngo_site import roles

from .models import (
    QueueEntry,
    TranslationAssignment,
    TranslationJob,
    TranslationJobEvent,
    TranslationJobItem,
)
from .queries import IN_PROGRESS, PUBLISHED, READY_FOR_REVIEW, target_locales

OPEN, STARTED, IN_REVIEW, DONE = (
    TranslationJob.OPEN,
    TranslationJob.IN_PROGRESS,
    TranslationJob.IN_REVIEW,
    TranslationJob.DONE,
)
RANK = {OPEN: 0, STARTED: 1, IN_REVIEW: 2, DONE: 3}
STATUS_LABELS = dict(TranslationJob.STATUSES)

# The user whose request made the queue refresh its rows: automatic status moves are recorded
# in their name (None outside such a request: "the queue").
_acting_user = ContextVar("translation_job_acting_user", default=None)


@contextmanager
def acting(user):
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


# --- who may do what ------------------------------------------------------------------------


def can_use_jobs(user):
    from .views import can_use_queue

    return can_use_queue(user) and bool(job_languages(user))


def job_languages(user):
    """The languages whose jobs the user sees and acts on: those they may change."""
    if not user.is_active or not user.is_authenticated:
        return set()
    return roles.editable_languages(user)


def new_job_languages(user):
    """The languages the user may create jobs in: the queue's target languages they have
    rights on."""
    targets = {locale.language_code for locale in target_locales()}
    return job_languages(user) & targets


def is_manager(user):
    """Creates, assigns and changes jobs (in the languages the user has rights on)."""
    return user.is_authenticated and not roles.is_translator_only(user)


def visible_jobs(user):
    return TranslationJob.objects.filter(target_locale__language_code__in=job_languages(user))


def can_see(user, job):
    return job.target_locale.language_code in job_languages(user)


def can_change_job(user, job):
    """Edit the job's name, people and due date, add items to it, delete it."""
    if not can_see(user, job):
        return False
    return is_manager(user) or (job.translator_id == user.pk and job.created_by_id == user.pk)


def can_work_on(user, job):
    """Export, import and move the job's status as its translator."""
    return can_see(user, job) and (is_manager(user) or job.translator_id in (None, user.pk))


def can_review(user, job):
    return can_see(user, job) and (
        is_manager(user) or job.reviewer_id == user.pk or roles.may_approve(user)
    )


def translator_choices_for(language_code):
    """Users with rights on that language who may be given translations: the Translators
    group, moderators and administrators (a few queries, whatever the number of users)."""
    users = (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=[roles.TRANSLATORS, roles.MODERATORS, roles.ADMINISTRATORS])
            | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )
    return [user for user in users if has_rights(user, language_code)]


def reviewer_choices_for(language_code):
    """Those who approve translations (moderators, administrators) with rights on it."""
    return [user for user in translator_choices_for(language_code) if roles.may_approve(user)]


def has_rights(user, language_code):
    return language_code in roles.editable_languages(user)


def user_label(user):
    if user is None:
        return _("the queue")
    return user.get_full_name() or user.get_username()


# --- history --------------------------------------------------------------------------------


def record(job, user, action, detail=""):
    return TranslationJobEvent.objects.create(
        job=job, user=user if user and user.is_authenticated else None, action=action, detail=detail
    )


EVENT_TEXTS = {
    TranslationJobEvent.CREATED: gettext_lazy("created the job"),
    TranslationJobEvent.CHANGED: gettext_lazy("changed %(detail)s"),
    TranslationJobEvent.EXPORTED: gettext_lazy("exported the job to a file (%(detail)s)"),
}


def describe(event):
    """The event as a sentence in the reader's language (details are stored as codes)."""
    detail = event.detail
    if event.action == TranslationJobEvent.STATUS:
        return _("moved the job to “%(status)s”") % {"status": STATUS_LABELS.get(detail, detail)}
    if event.action == TranslationJobEvent.ITEMS_ADDED:
        count = int(detail or 0)
        return ngettext("added %(count)s item", "added %(count)s items", count) % {"count": count}
    if event.action == TranslationJobEvent.IMPORTED:
        imported, _sep, file_type = detail.partition(" ")
        count = int(imported or 0)
        return ngettext(
            "imported a file (%(type)s): %(count)s translation",
            "imported a file (%(type)s): %(count)s translations",
            count,
        ) % {"type": file_type, "count": count}
    if event.action == TranslationJobEvent.CHANGED:
        names = {
            "name": _("the name"),
            "translator": _("the translator"),
            "reviewer": _("the reviewer"),
            "due_date": _("the due date"),
            "target_locale": _("the language"),
        }
        fields = ", ".join(str(names.get(name, name)) for name in detail.split())
        return EVENT_TEXTS[event.action] % {"detail": fields}
    if event.action in EVENT_TEXTS:
        text = EVENT_TEXTS[event.action]
        return text % {"detail": detail} if "%(" in str(text) else str(text)
    return event.get_action_display()


# --- items ----------------------------------------------------------------------------------


def item_entries(job):
    """[(TranslationJobItem, QueueEntry or None)] of the job, in the order they were added:
    two queries."""
    items = list(job.items.order_by("added_at", "pk"))
    entries = {
        entry.translation_key: entry
        for entry in QueueEntry.objects.filter(
            target_locale_id=job.target_locale_id,
            translation_key__in=[item.translation_key for item in items],
        )
    }
    return [(item, entries.get(item.translation_key)) for item in items]


def add_items(job, entries, user, skipped):
    """Add queue rows (QueueEntry) of the job's language; the others are skipped with the
    reason. Returns how many were added."""
    from .bulk_actions import skip

    existing = set(job.items.values_list("translation_key", flat=True))
    added = []
    for entry in entries:
        if entry.target_locale_id != job.target_locale_id:
            skip(skipped, _("in another language than the job's"))
        elif entry.translation_key in existing:
            skip(skipped, _("already in the job"))
        elif entry.status == PUBLISHED:
            skip(skipped, _("already published"))
        else:
            added.append(
                TranslationJobItem(
                    job=job, translation_key=entry.translation_key, title=entry.title[:255]
                )
            )
            existing.add(entry.translation_key)
    if added:
        TranslationJobItem.objects.bulk_create(added)
        record(job, user, TranslationJobEvent.ITEMS_ADDED, str(len(added)))
        assign_items(job, [item.translation_key for item in added])
        derive_status(job, user)
    return len(added)


def assign_items(job, keys=None):
    """Give the job's items the job's translator, reviewer and due date in the queue (its
    assignment column, "my translations", the digests), when the job has a translator."""
    if job.translator_id is None:
        return
    if keys is None:
        keys = list(job.items.values_list("translation_key", flat=True))
    for key in keys:
        TranslationAssignment.objects.update_or_create(
            translation_key=key,
            target_locale_id=job.target_locale_id,
            defaults={
                "assignee_id": job.translator_id,
                "reviewer_id": job.reviewer_id,
                "due_date": job.due_date,
            },
        )


# --- status -----------------------------------------------------------------------------------


def status_from_items(statuses):
    """The status the items say the job has reached (None: no items)."""
    if not statuses:
        return None
    if all(status == PUBLISHED for status in statuses):
        return DONE
    if all(status in (READY_FOR_REVIEW, PUBLISHED) for status in statuses):
        return IN_REVIEW
    if any(status in (IN_PROGRESS, READY_FOR_REVIEW, PUBLISHED) for status in statuses):
        return STARTED
    return OPEN


def set_status(job, status, user):
    job.status = status
    job.save(update_fields=["status"])
    record(job, user, TranslationJobEvent.STATUS, status)


def derive_status(job, user=None):
    """Move the job forward to what its items say; never back."""
    job.refresh_from_db(fields=["status"])  # another refresh of the queue may have moved it
    statuses = [entry.status for _item, entry in item_entries(job) if entry is not None]
    reached = status_from_items(statuses)
    if reached is not None and RANK[reached] > RANK[job.status]:
        set_status(job, reached, user)


def follow_entries(keys):
    """The queue refreshed the rows of these translation keys: move their jobs forward (one
    query per 500 keys when no job has them)."""
    keys, user = list(keys), _acting_user.get()
    for start in range(0, len(keys), 500):
        found = (
            TranslationJob.objects.filter(items__translation_key__in=keys[start : start + 500])
            .exclude(status=DONE)
            .distinct()
            .select_related("target_locale")
        )
        for job in found:
            derive_status(job, user)


# Manual moves: (from, to) → who may.
MOVES = {
    (OPEN, STARTED): can_work_on,
    (STARTED, IN_REVIEW): can_work_on,
    (IN_REVIEW, DONE): can_review,
    (IN_REVIEW, STARTED): can_review,
    (DONE, STARTED): lambda user, job: can_see(user, job) and is_manager(user),
}
MOVE_LABELS = {
    (OPEN, STARTED): gettext_lazy("Start"),
    (STARTED, IN_REVIEW): gettext_lazy("Send for review"),
    (IN_REVIEW, DONE): gettext_lazy("Mark as done"),
    (IN_REVIEW, STARTED): gettext_lazy("Request changes"),
    (DONE, STARTED): gettext_lazy("Reopen"),
}


def moves_for(user, job):
    """[(status, label)] of the manual moves the user may make now."""
    return [
        (to, MOVE_LABELS[start, to])
        for (start, to), allowed in MOVES.items()
        if start == job.status and allowed(user, job)
    ]


def move(job, status, user):
    """A person moves the job; False when that move is not theirs to make (or not a move from
    the job's current status). Starting a job nobody translates makes the user its
    translator (they claim it)."""
    allowed = MOVES.get((job.status, status))
    if allowed is None or not allowed(user, job):
        return False
    claims = job.translator_id is None and roles.is_translator_only(user)
    if status == STARTED and job.status == OPEN and claims:
        job.translator = user
        job.save(update_fields=["translator"])
        record(job, user, TranslationJobEvent.CHANGED, "translator")
        assign_items(job)
    set_status(job, status, user)
    return True
