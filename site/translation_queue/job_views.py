"""Translation jobs in Wagtail's admin: a ModelViewSet (listing with filters, create, edit,
delete, inspect with the items and the history) and the job's own actions (move its status,
export it as one PO or XLIFF file, import that file back). Who may do what: translation_queue.jobs.
Jobs of a language the user has no rights on are "not found" (404) everywhere."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Locale
from wagtail.permission_policies.base import BasePermissionPolicy

from . import exchange, jobs
from .columns import HumanDateColumn, ValueColumn, actions_html
from .entries import refresh_pending
from .models import TranslationJob, TranslationJobEvent
from .queries import STATUS_LABELS

# --- permissions ----------------------------------------------------------------------------


class JobPermissionPolicy(BasePermissionPolicy):
    """Model-level: anyone with the queue and rights on a target language may list, add and
    (their own) change jobs; instance-level: translation_queue.jobs decides."""

    def user_has_permission(self, user, action):
        return jobs.can_use_jobs(user)

    def user_has_any_permission(self, user, actions):
        return jobs.can_use_jobs(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return jobs.can_see(user, instance)
        return jobs.can_change_job(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def instances_user_has_permission_for(self, user, action):
        return jobs.visible_jobs(user)

    def instances_user_has_any_permission_for(self, user, actions):
        return jobs.visible_jobs(user)


def visible_job_or_404(user, pk):
    return get_object_or_404(
        jobs.visible_jobs(user).select_related("target_locale", "translator", "reviewer"),
        pk=unquote(str(pk)),
    )


class VisibleJobMixin:
    """Looks the job up among those the user sees (404 otherwise) and refuses changes the
    user may not make (403)."""

    def get_queryset(self):
        return jobs.visible_jobs(self.request.user).select_related("target_locale")

    def check_change(self, job):
        if not jobs.can_change_job(self.request.user, job):
            raise PermissionDenied
        return job


# --- the form ---------------------------------------------------------------------------------


class TranslationJobForm(WagtailAdminModelForm):
    """Languages: those the user has rights on; translator and reviewer: people with rights on
    the chosen language. A translator creates jobs for themselves only."""

    class Meta:
        model = TranslationJob
        fields = ["name", "target_locale", "translator", "reviewer", "due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        languages = jobs.new_job_languages(user)
        self.fields["target_locale"].queryset = Locale.objects.filter(
            language_code__in=languages
        ).order_by("language_code")
        self.fields["target_locale"].label_from_instance = lambda locale: locale.get_display_name()
        users = get_user_model().objects
        translators = {u.pk for code in languages for u in jobs.translator_choices_for(code)}
        reviewers = {u.pk for code in languages for u in jobs.reviewer_choices_for(code)}
        if not jobs.is_manager(user):
            translators = {user.pk}
            self.fields["translator"].required = True
            self.initial.setdefault("translator", user.pk)
        for name, pks in (("translator", translators), ("reviewer", reviewers)):
            self.fields[name].queryset = users.filter(pk__in=pks).order_by("username")
            self.fields[name].label_from_instance = jobs.user_label

    def clean(self):
        cleaned = super().clean()
        locale = cleaned.get("target_locale")
        if locale is None:
            return cleaned
        for name in ("translator", "reviewer"):
            person = cleaned.get(name)
            if person is not None and not jobs.has_rights(person, locale.language_code):
                self.add_error(
                    name,
                    _("%(name)s cannot translate into %(language)s.")
                    % {"name": jobs.user_label(person), "language": locale.get_display_name()},
                )
        return cleaned


# --- the listing ------------------------------------------------------------------------------


class JobFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=TranslationJob.STATUSES, empty_label=_("All")
    )
    translator = django_filters.ChoiceFilter(
        label=gettext_lazy("Translator"), method="filter_translator", empty_label=_("All")
    )
    language = django_filters.ChoiceFilter(
        label=gettext_lazy("Language"),
        field_name="target_locale__language_code",
        empty_label=_("All"),
    )

    class Meta:
        model = TranslationJob
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        languages = sorted(jobs.job_languages(user))
        locales = Locale.objects.filter(language_code__in=languages).order_by("language_code")
        self.filters["language"].extra["choices"] = [
            (locale.language_code, locale.get_display_name()) for locale in locales
        ]
        people = {}
        for code in languages:
            for person in jobs.translator_choices_for(code):
                people[person.pk] = jobs.user_label(person)
        self.filters["translator"].extra["choices"] = [("me", _("Me"))] + [
            (str(pk), name) for pk, name in sorted(people.items(), key=lambda item: item[1])
        ]

    def filter_translator(self, queryset, name, value):
        if value == "me":
            return queryset.filter(translator_id=self.request.user.pk)
        return queryset.filter(translator_id=value)


class JobTitleColumn(TitleColumn):
    """The job's name, to its page, with the listing's buttons (edit and delete only on the
    jobs the user may change), as wagtailadmin/tables/title_cell.html writes it: built with
    format_html like the queue's cells (translation_queue.columns), for the same reason."""

    def __init__(self, *args, list_view, **kwargs):
        super().__init__(*args, **kwargs)
        self.list_view = list_view

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        url = self.get_link_url(instance, parent_context)
        title = format_html('<a href="{}">{}</a>', url, value) if url else value
        return format_html(
            '<td class="title"><div class="title-wrapper">{}</div>{}</td>',
            title,
            actions_html(self.list_view.get_list_buttons(instance)),
        )


class JobIndexView(generic.IndexView):
    default_ordering = "due_date"

    def get_base_queryset(self):
        return (
            jobs.visible_jobs(self.request.user)
            .select_related("target_locale", "translator", "reviewer")
            .annotate(item_count=Count("items"))
        )

    @cached_property
    def may_use_jobs(self):
        return jobs.can_use_jobs(self.request.user)

    # Asked for every row's buttons: answered once per request (the roles are a query).
    def user_has_permission(self, permission):
        return self.may_use_jobs

    def user_has_any_permission(self, permissions):
        return self.may_use_jobs

    @cached_property
    def changeable(self):
        """Whether the user may change a job of the listing: decided without a query per row
        (the user's languages and role are read once)."""
        user = self.request.user
        languages, manager = jobs.job_languages(user), jobs.is_manager(user)

        def check(job):
            mine = job.translator_id == user.pk and job.created_by_id == user.pk
            return job.target_locale.language_code in languages and (manager or mine)

        return check

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self.changeable(instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self.changeable(instance) else None

    @cached_property
    def columns(self):
        return [
            JobTitleColumn(
                "name",
                label=_("Name"),
                get_url=self.get_inspect_url,
                sort_key="name",
                list_view=self,
            ),
            ValueColumn("language", label=_("Language"), accessor="target_locale.get_display_name"),
            ValueColumn(
                "status", label=_("Status"), accessor="get_status_display", sort_key="status"
            ),
            ValueColumn("translator", label=_("Translator"), accessor=person("translator")),
            ValueColumn("reviewer", label=_("Reviewer"), accessor=person("reviewer")),
            HumanDateColumn("due_date", label=_("Due date"), sort_key="due_date"),
            ValueColumn("item_count", label=_("Items"), sort_key="item_count"),
        ]


def person(field):
    def accessor(job):
        user = getattr(job, field)
        return jobs.user_label(user) if user else "—"

    return accessor


class JobCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        job = super().save_instance()
        jobs.record(job, self.request.user, TranslationJobEvent.CREATED)
        return job

    def get_success_url(self):
        return reverse("translation_jobs:inspect", args=[self.object.pk])


class JobEditView(VisibleJobMixin, generic.EditView):
    def get_object(self, queryset=None):
        return self.check_change(super().get_object(queryset))

    def save_instance(self):
        changed = list(self.form.changed_data)
        job = super().save_instance()
        if changed:
            jobs.record(job, self.request.user, TranslationJobEvent.CHANGED, " ".join(changed))
            if {"translator", "reviewer", "due_date"} & set(changed):
                jobs.assign_items(job)
        return job

    def get_success_url(self):
        return reverse("translation_jobs:inspect", args=[self.object.pk])


class JobDeleteView(VisibleJobMixin, generic.DeleteView):
    def get_object(self, queryset=None):
        return self.check_change(super().get_object(queryset))


class VisibleJobObjectMixin:
    """For Wagtail's history and usage views, whose queryset is their listing's."""

    def get_base_object_queryset(self):
        return jobs.visible_jobs(self.request.user)


class JobHistoryView(VisibleJobObjectMixin, HistoryView):
    pass


class JobUsageView(VisibleJobObjectMixin, UsageView):
    pass


class JobInspectView(generic.InspectView):
    template_name = "translation_queue/jobs/inspect.html"

    def get_edit_url(self):
        if jobs.can_change_job(self.request.user, self.object):
            return super().get_edit_url()
        return None

    def get_delete_url(self):
        if jobs.can_change_job(self.request.user, self.object):
            return super().get_delete_url()
        return None

    def get_object(self, queryset=None):
        return visible_job_or_404(self.request.user, self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job, user = self.object, self.request.user
        refresh_pending()
        job.refresh_from_db(fields=["status"])
        rows = []
        for item, entry in jobs.item_entries(job):
            rows.append(
                {
                    "item": item,
                    "entry": entry,
                    "status": STATUS_LABELS.get(entry.status, "") if entry else _("Deleted"),
                    "words": "—" if entry is None or entry.words is None else entry.words,
                }
            )
        events = list(job.events.select_related("user"))
        for event in events:
            event.text = jobs.describe(event)
            event.who = jobs.user_label(event.user)
        context.update(
            job=job,
            rows=rows,
            total_words=sum(row["words"] for row in rows if isinstance(row["words"], int)),
            events=events,
            moves=jobs.moves_for(user, job),
            can_work=jobs.can_work_on(user, job),
            queue_url=reverse("translation_queue:index") + f"?job={job.pk}",
        )
        return context

    @cached_property
    def header_buttons(self):
        buttons = []
        if jobs.can_work_on(self.request.user, self.object):
            for file_type, label in (
                ("po", _("Export as a PO file")),
                ("xliff", _("Export as an XLIFF 1.2 file")),
            ):
                buttons.append(
                    HeaderButton(
                        label,
                        reverse("translation_jobs:export", args=[self.object.pk, file_type]),
                        icon_name="download",
                    )
                )
        return buttons


class TranslationJobViewSet(ModelViewSet):
    model = TranslationJob
    name = "translation_jobs"
    url_prefix = "translation-jobs"
    icon = "tasks"
    menu_label = gettext_lazy("Translation jobs")
    menu_order = 251
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = JobFilterSet
    index_view_class = JobIndexView
    add_view_class = JobCreateView
    edit_view_class = JobEditView
    delete_view_class = JobDeleteView
    history_view_class = JobHistoryView
    usage_view_class = JobUsageView
    inspect_view_class = JobInspectView
    list_per_page = 50
    search_fields = ["name"]
    add_to_reference_index = False

    @property
    def permission_policy(self):
        return JobPermissionPolicy(self.model)

    def get_form_class(self, for_update=False):
        return TranslationJobForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("move/<int:pk>/", move_job, name="move"),
            path("export/<int:pk>/<str:file_type>/", export_job, name="export"),
            path("import/<int:pk>/", import_job, name="import"),
        ]


# --- the job's actions ------------------------------------------------------------------------


def jobs_permission_required(view):
    def checked(request, *args, **kwargs):
        if not jobs.can_use_jobs(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


@require_POST
@jobs_permission_required
def move_job(request, pk):
    job = visible_job_or_404(request.user, pk)
    status = request.POST.get("status", "")
    allowed = jobs.MOVES.get((job.status, status))
    if allowed is None:  # a stale button: the job moved meanwhile
        messages.error(request, _("You cannot move this job to that status now."))
        return redirect("translation_jobs:inspect", job.pk)
    with transaction.atomic():
        if not jobs.move(job, status, request.user):
            raise PermissionDenied
    messages.success(
        request,
        _("“%(job)s” is now “%(status)s”.")
        % {"job": job.name, "status": jobs.STATUS_LABELS[job.status]},
    )
    return redirect("translation_jobs:inspect", job.pk)


def job_translations(job):
    """The wagtail-localize Translations of the job's items (those translated already), and
    the number of items not translated yet."""
    from .bulk_actions import translation_for

    translations, untranslated = [], 0
    for _item, entry in jobs.item_entries(job):
        translation = translation_for(entry) if entry is not None else None
        if translation is None:
            untranslated += 1
        else:
            translations.append(translation)
    return translations, untranslated


@jobs_permission_required
def export_job(request, pk, file_type):
    job = visible_job_or_404(request.user, pk)
    if not jobs.can_work_on(request.user, job):
        raise PermissionDenied
    if file_type not in ("po", "xliff"):
        messages.error(request, _("Unknown file type."))
        return redirect("translation_jobs:inspect", job.pk)
    refresh_pending()
    translations, untranslated = job_translations(job)
    if untranslated:
        messages.info(
            request,
            ngettext(
                "%(count)s item not translated yet was left out of the file.",
                "%(count)s items not translated yet were left out of the file.",
                untranslated,
            )
            % {"count": untranslated},
        )
    if not translations:
        messages.warning(
            request,
            _("Nothing to export: create the translations of the job's items first."),
        )
        return redirect("translation_jobs:inspect", job.pk)
    if file_type == "po":
        content = str(exchange.export_po(translations))
        content_type, extension = "text/x-gettext-translation; charset=utf-8", "po"
    else:
        content = exchange.export_xliff(translations)
        content_type, extension = "application/x-xliff+xml", "xlf"
    # Named as the import names it ("PO", "XLIFF"), not by the file's extension.
    jobs.record(job, request.user, TranslationJobEvent.EXPORTED, file_type.upper())
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    name = slugify(job.name) or "job"
    response["Content-Disposition"] = (
        f'attachment; filename="job-{job.pk}-{name}-{stamp}.{extension}"'
    )
    return response


@jobs_permission_required
def import_job(request, pk):
    """Import a file of the job: the queue's import (translation_queue.views.run_import),
    limited to the job's items, with its report per item."""
    from .views import run_import

    job = visible_job_or_404(request.user, pk)
    if not jobs.can_work_on(request.user, job):
        raise PermissionDenied
    context = {"job": job, "report": None, "error": None}
    if request.method != "POST":
        return TemplateResponse(request, "translation_queue/jobs/import.html", context)
    translations, _untranslated = job_translations(job)
    with jobs.acting(request.user):
        # One transaction: the queue refreshes the items (and moves the job) after the import
        # is recorded, in the importer's name.
        with transaction.atomic():
            status, result = run_import(
                request, only={str(translation.uuid) for translation in translations}
            )
            context.update(result)
            if status == 200:
                jobs.record(
                    job,
                    request.user,
                    TranslationJobEvent.IMPORTED,
                    f"{result['report'].imported} {result['file_type']}",
                )
        if status == 200:
            refresh_pending()
            jobs.derive_status(job, request.user)
    titles = {str(translation.uuid): translation for translation in translations}
    if context.get("report") is not None:
        context["items"] = [
            {
                "title": str(titles[uuid].source.get_source_instance()) if uuid in titles else uuid,
                **counts,
            }
            for uuid, counts in context["report"].per_item.items()
        ]
    return TemplateResponse(request, "translation_queue/jobs/import.html", context, status=status)


def jobs_of_user_languages(user):
    """Jobs (not done) the user may add queue items to, for the queue's bulk action."""
    return (
        jobs.visible_jobs(user)
        .exclude(status=TranslationJob.DONE)
        .select_related("target_locale")
        .order_by("name", "pk")
    )


class AddToJobForm(forms.Form):
    job = forms.ChoiceField(label=gettext_lazy("Job"), required=False)
    name = forms.CharField(
        label=gettext_lazy("Name of a new job"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Leave the job empty and name a new one to create it."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.jobs = {
            str(job.pk): job
            for job in jobs_of_user_languages(user)
            if jobs.can_change_job(user, job)
        }
        self.fields["job"].choices = [("", _("A new job"))] + [
            (pk, f"{job.name} ({job.target_locale.get_display_name()})")
            for pk, job in self.jobs.items()
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("job") and not cleaned.get("name", "").strip():
            raise forms.ValidationError(_("Choose a job or name a new one."))
        return cleaned

    def chosen_job(self):
        return self.jobs.get(self.cleaned_data.get("job") or "")
