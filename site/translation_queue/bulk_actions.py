"""The queue's bulk actions, on Wagtail's bulk-action framework (registered in wagtail_hooks).

A row is identified by "<translation key>:<target locale id>", not by QueueEntry's primary
key: the stored rows are deleted and recreated whenever their item changes, so a primary key
ticked on the page may be gone by the time the action runs.
"""

import logging
import time
import uuid

from django import forms
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import classproperty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import Translation
from wagtail_localize.views.edit_translation import apply_machine_translation

from ngo_site.roles import can_change

from . import exchange
from .drafts import save_translation_draft
from .entries import refresh_pending
from .forms import reviewer_choices, translator_choices
from .models import QueueEntry, SourceChange, TranslationAssignment
from .queries import target_locales
from .views import QueueView, can_use_queue

logger = logging.getLogger(__name__)

MAX_BULK_ITEMS = 500
# A bulk machine translation calls the translation service once per item, within one request.
MAX_MACHINE_TRANSLATE_ITEMS = 20
MACHINE_TRANSLATE_SECONDS = 20


def parse_row_key(value):
    """(translation key, locale id) of a row key, or None."""
    key, _sep, locale_id = unquote(str(value)).partition(":")
    try:
        return uuid.UUID(key), int(locale_id)
    except ValueError:
        return None


class NothingSelected(Exception):
    """No id of the request names a row of the queue (none ticked, or all gone since)."""


class QueueBulkAction(BulkAction):
    """Runs on the selected rows; each action says what it did and what it skipped, and why
    (e.g. "1 item synced from the source. 2 items skipped (1 already up to date, 1 not
    translated yet).")."""

    models = [QueueEntry]
    aria_label = classproperty(lambda cls: cls.display_name)
    template_name = "translation_queue/bulk_action.html"
    done_message = None  # ngettext_lazy(…, "count")

    def dispatch(self, request, *args, **kwargs):
        if not can_use_queue(request.user):
            raise PermissionDenied
        self.skipped = {}
        try:
            return super().dispatch(request, *args, **kwargs)
        except NothingSelected:
            messages.error(request, _("Select at least one item of the queue."))
            return redirect(self.next_url)

    @classmethod
    def get_queryset(cls, model, object_ids):
        # In the order of the selection (the listing's), each row once.
        wanted = list(dict.fromkeys(map(parse_row_key, list(object_ids)[:MAX_BULK_ITEMS])))
        position = {row: index for index, row in enumerate(wanted) if row is not None}
        refresh_pending()
        entries = model.objects.filter(
            translation_key__in={key for key, _locale in position},
            target_locale__in=target_locales(),
        ).select_related("target_locale")
        entries = [e for e in entries if (e.translation_key, e.target_locale_id) in position]
        if not entries:
            raise NothingSelected
        return sorted(entries, key=lambda e: position[e.translation_key, e.target_locale_id])

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all" sends the listing's own filters and search: the same rows.
        listing = QueueView()
        listing.setup(self.request)
        entries = listing.get_queryset()[:MAX_BULK_ITEMS]
        return [f"{entry.translation_key}:{entry.target_locale_id}" for entry in entries]

    def get_actionable_objects(self):
        entries, extra = super().get_actionable_objects()
        unrecognised = len(set(self.request.GET.getlist("id")) - {"all"}) - len(entries)
        if unrecognised > 0:
            self.skipped[_("not recognised")] = unrecognised
        return entries, extra

    def get_execution_context(self):
        return {"user": self.request.user, "skipped": self.skipped}

    def done_text(self, done):
        return self.done_message % {"count": done}

    def get_success_message(self, done, _num_child_objects):
        text = summary(self.done_text(done), self.skipped)
        if done:
            return text
        messages.warning(self.request, text)
        return None


def summary(done_text, skipped):
    parts = [done_text]
    if skipped:
        reasons = ", ".join(f"{count} {reason}" for reason, count in skipped.items())
        parts.append(
            ngettext(
                "%(count)s item skipped (%(reasons)s).",
                "%(count)s items skipped (%(reasons)s).",
                sum(skipped.values()),
            )
            % {"count": sum(skipped.values()), "reasons": reasons}
        )
    return " ".join(parts)


def skip(skipped, reason):
    skipped[reason] = skipped.get(reason, 0) + 1


def translation_for(entry):
    return (
        Translation.objects.filter(
            source__object_id=entry.translation_key,
            source__locale__language_code=settings.LANGUAGE_CODE,
            target_locale_id=entry.target_locale_id,
            enabled=True,
        )
        .select_related("source", "target_locale")
        .first()
    )


def may_change_translation(user, translation):
    try:
        return can_change(user, translation.get_target_instance())
    except ObjectDoesNotExist:
        return False


def assign(entries, assignee, skipped):
    done = 0
    for entry in entries:
        assignment, created = TranslationAssignment.objects.get_or_create(
            translation_key=entry.translation_key,
            target_locale_id=entry.target_locale_id,
            defaults={"assignee": assignee},
        )
        if not created:
            if assignment.assignee_id == (assignee.pk if assignee else None):
                skip(skipped, _("already assigned to that person"))
                continue
            assignment.assignee = assignee
            assignment.save(update_fields=["assignee", "updated_at"])
        done += 1
    return done, 0


class ClaimBulkAction(QueueBulkAction):
    display_name = gettext_lazy("Claim")
    action_type = "claim"
    done_message = ngettext_lazy("%(count)s item claimed.", "%(count)s items claimed.", "count")

    @classmethod
    def execute_action(cls, entries, user=None, skipped=None, **kwargs):
        return assign(entries, user, skipped)


class AssigneeForm(forms.Form):
    assignee = forms.ChoiceField(label=gettext_lazy("Assign to"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody"))] + [
            (str(pk), name) for pk, name in translator_choices()
        ]


class AssignBulkAction(QueueBulkAction):
    display_name = gettext_lazy("Assign to")
    action_type = "assign"
    form_class = AssigneeForm
    done_message = ngettext_lazy("%(count)s item assigned.", "%(count)s items assigned.", "count")

    def get_execution_context(self):
        choice = self.cleaned_form.cleaned_data["assignee"]
        assignee = get_user_model().objects.filter(pk=choice).first() if choice else None
        return {**super().get_execution_context(), "assignee": assignee}

    @classmethod
    def execute_action(cls, entries, assignee=None, skipped=None, **kwargs):
        return assign(entries, assignee, skipped)


class ReviewerAndDueDateForm(forms.Form):
    reviewer = forms.ChoiceField(label=gettext_lazy("Reviewer"), required=False)
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        required=False,
        help_text=gettext_lazy("Leave empty for no due date."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", _("Any moderator"))] + [
            (str(pk), name) for pk, name in reviewer_choices()
        ]


class ReviewerAndDueDateBulkAction(QueueBulkAction):
    """Names the reviewer (a moderator or administrator, or any moderator) and sets the due
    date of the selected items; their assignees stay."""

    display_name = gettext_lazy("Set reviewer and due date")
    action_type = "review_and_due_date"
    form_class = ReviewerAndDueDateForm
    done_message = ngettext_lazy("%(count)s item updated.", "%(count)s items updated.", "count")

    def get_execution_context(self):
        data = self.cleaned_form.cleaned_data
        choice = data["reviewer"]
        reviewer = get_user_model().objects.filter(pk=choice).first() if choice else None
        return {
            **super().get_execution_context(),
            "reviewer": reviewer,
            "due_date": data["due_date"],
        }

    @classmethod
    def execute_action(cls, entries, reviewer=None, due_date=None, skipped=None, **kwargs):
        done = 0
        for entry in entries:
            assignment, _created = TranslationAssignment.objects.get_or_create(
                translation_key=entry.translation_key, target_locale_id=entry.target_locale_id
            )
            if assignment.reviewer_id == (reviewer.pk if reviewer else None) and (
                assignment.due_date == due_date
            ):
                skip(skipped, _("already set so"))
                continue
            assignment.reviewer, assignment.due_date = reviewer, due_date
            assignment.save(update_fields=["reviewer", "due_date", "updated_at"])
            done += 1
        return done, 0


class SyncBulkAction(QueueBulkAction):
    display_name = gettext_lazy("Sync from the source")
    action_type = "sync"
    done_message = ngettext_lazy(
        "%(count)s item synced from the source.", "%(count)s items synced from the source.", "count"
    )

    @classmethod
    def execute_action(cls, entries, user=None, skipped=None, **kwargs):
        done, synced_sources = 0, set()
        for entry in entries:
            translation = translation_for(entry)
            if translation is None:
                skip(skipped, _("not translated yet"))
                continue
            source = translation.source
            if not may_change_translation(user, translation):
                skip(skipped, _("not yours to edit"))
                continue
            if source.pk in synced_sources:
                done += 1
                continue
            change = SourceChange.objects.filter(
                translation_key=entry.translation_key, source_locale_id=source.locale_id
            ).first()
            if change is None or change.source_updated_at != source.last_updated_at:
                skip(skipped, _("already up to date"))
                continue
            source.update_from_db()
            synced_sources.add(source.pk)
            done += 1
        return done, 0


class MachineTranslateBulkAction(QueueBulkAction):
    """Pre-fills up to MAX_MACHINE_TRANSLATE_ITEMS items, within MACHINE_TRANSLATE_SECONDS:
    each item is a call to the translation service (DeepL waits up to 30 s), and gunicorn ends
    a request after 30 s. The items left over are counted as skipped, to run again."""

    display_name = gettext_lazy("Pre-fill with machine translation")
    action_type = "machine_translate"
    done_message = ngettext_lazy(
        "%(count)s item pre-filled with machine translation",
        "%(count)s items pre-filled with machine translation",
        "count",
    )

    @classmethod
    def execute_action(cls, entries, user=None, skipped=None, **kwargs):
        translator = get_machine_translator()
        if translator is None:
            skip(skipped, _("no machine translator configured"))
            return 0, 0
        done = 0
        started = time.monotonic()
        for index, entry in enumerate(entries):
            over_time = time.monotonic() - started > MACHINE_TRANSLATE_SECONDS
            if index >= MAX_MACHINE_TRANSLATE_ITEMS or over_time:
                skipped[_("left for another run: select them again")] = len(entries) - index
                break
            translation = translation_for(entry)
            if translation is None:
                skip(skipped, _("not translated yet"))
                continue
            if not may_change_translation(user, translation):
                skip(skipped, _("not yours to edit"))
                continue
            try:
                with transaction.atomic():
                    translated = apply_machine_translation(translation.pk, user, translator)
            except PermissionDenied:
                skip(skipped, _("not yours to edit"))
                continue
            except Http404:
                skip(skipped, _("language not supported"))
                continue
            except Exception:  # the service's errors (network, quota, bad key) are its own
                logger.exception("Machine translation of translation %s failed", translation.pk)
                skip(skipped, _("the translation service failed"))
                continue
            if not translated:
                skip(skipped, _("nothing left to translate"))
                continue
            # A draft for review: the translator checks the machine's French before publishing.
            save_translation_draft(translation, user)
            done += 1
        return done, 0

    def done_text(self, done):
        translator = get_machine_translator()
        name = f" ({translator.display_name})." if translator else "."
        return super().done_text(done) + name


class ExportBulkAction(QueueBulkAction):
    """Writes a file of the selected items' translations; changes nothing. An item without a
    translation yet has no strings to export: it is left out, and the report says so (a
    message shown on the next page of the admin, the file's header comment for PO files, and
    the response's X-Translation-Queue-Left-Out header with their number)."""

    def form_valid(self, form):
        entries, _no_access = self.get_actionable_objects()
        translations, left_out = [], []
        for entry in entries:
            translation = translation_for(entry)
            if translation is None:
                skip(self.skipped, _("not translated yet"))
                left_out.append(entry)
                continue
            translations.append(translation)
        if not translations:
            messages.warning(self.request, summary(_("Nothing to export."), self.skipped))
            return redirect(self.next_url)
        report = export_report(len(translations), left_out, self.skipped)
        if left_out or self.skipped:
            messages.warning(self.request, report)
        else:
            messages.success(self.request, report)
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = HttpResponse(self.export(translations, report), content_type=self.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="translations-{stamp}.{self.extension}"'
        )
        response["X-Translation-Queue-Left-Out"] = str(sum(self.skipped.values()))
        return response


# The titles named in an export's report; the others are counted.
MAX_TITLES_IN_REPORT = 10


def export_report(exported, left_out, skipped):
    """What an export wrote and what it left out, and why (e.g. "2 items exported. 1 item
    left out, not translated yet (create its translation first): About us (French).")."""
    text = ngettext("%(count)s item exported.", "%(count)s items exported.", exported) % {
        "count": exported
    }
    if left_out:
        titles = [
            f"{entry.title} ({entry.target_locale.get_display_name()})"
            for entry in left_out[:MAX_TITLES_IN_REPORT]
        ]
        if len(left_out) > MAX_TITLES_IN_REPORT:
            more = len(left_out) - MAX_TITLES_IN_REPORT
            titles.append(
                ngettext("and %(count)s more", "and %(count)s more", more) % {"count": more}
            )
        text += " " + ngettext(
            "%(count)s item left out, not translated yet (create its translation first, then "
            "export it): %(titles)s.",
            "%(count)s items left out, not translated yet (create their translations first, "
            "then export them): %(titles)s.",
            len(left_out),
        ) % {"count": len(left_out), "titles": ", ".join(titles)}
    others = {
        reason: count for reason, count in skipped.items() if reason != _("not translated yet")
    }
    if others:
        text = summary(text, others)
    return text


class ExportPOBulkAction(ExportBulkAction):
    display_name = gettext_lazy("Export as a PO file")
    action_type = "export_po"
    content_type = "text/x-gettext-translation; charset=utf-8"
    extension = "po"

    def export(self, translations, report):
        po = exchange.export_po(translations)
        po.header = report
        return str(po)


class ExportXLIFFBulkAction(ExportBulkAction):
    display_name = gettext_lazy("Export as an XLIFF 1.2 file")
    action_type = "export_xliff"
    content_type = "application/x-xliff+xml"
    extension = "xlf"

    def export(self, translations, report):
        return exchange.export_xliff(translations)


class AddToJobBulkAction(QueueBulkAction):
    """Groups the selected rows into a job (translation_queue.jobs): an existing job the user
    may change, or a new one per language of the selection (a translator's new job is their
    own). Rows of another language than the job's, already in it or published are skipped."""

    display_name = gettext_lazy("Add to job")
    action_type = "add_to_job"
    done_message = ngettext_lazy(
        "%(count)s item added to the job.", "%(count)s items added to the job.", "count"
    )

    def get_form_class(self):
        from .job_views import AddToJobForm

        return AddToJobForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_execution_context(self):
        form = self.cleaned_form
        return {
            **super().get_execution_context(),
            "job": form.chosen_job(),
            "name": form.cleaned_data["name"].strip(),
        }

    @classmethod
    def execute_action(cls, entries, user=None, skipped=None, job=None, name="", **kwargs):
        from . import jobs
        from .models import TranslationJob, TranslationJobEvent

        if job is not None:
            if not jobs.can_change_job(user, job):
                raise PermissionDenied
            return jobs.add_items(job, entries, user, skipped), 0
        languages = jobs.new_job_languages(user)
        by_locale = {}
        for entry in entries:
            if entry.target_locale.language_code in languages:
                by_locale.setdefault(entry.target_locale_id, []).append(entry)
            else:
                skip(skipped, _("not yours to edit"))
        done = 0
        for locale_id, locale_entries in by_locale.items():
            new_job = TranslationJob.objects.create(
                name=name,
                target_locale_id=locale_id,
                created_by=user,
                translator=None if jobs.is_manager(user) else user,
            )
            jobs.record(new_job, user, TranslationJobEvent.CREATED)
            done += jobs.add_items(new_job, locale_entries, user, skipped)
        return done, 0


BULK_ACTIONS = [
    ClaimBulkAction,
    AssignBulkAction,
    ReviewerAndDueDateBulkAction,
    SyncBulkAction,
    MachineTranslateBulkAction,
    ExportPOBulkAction,
    ExportXLIFFBulkAction,
    AddToJobBulkAction,
]


def available_bulk_actions():
    """The queue's bulk actions; machine translation only with a service configured
    (settings are read once, when the admin's hooks load)."""
    return [
        action
        for action in BULK_ACTIONS
        if action is not MachineTranslateBulkAction or get_machine_translator() is not None
    ]
